package localfronttest_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/localfronttest"
)

func TestEdgeServesADistribution(t *testing.T) {
	lf := localfronttest.Start(t)
	cf := cloudfront.NewFromConfig(lf.AWSConfig())
	ctx := context.Background()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) }))
	defer origin.Close()
	_, portStr, _ := net.SplitHostPort(strings.TrimPrefix(origin.URL, "http://"))
	port, _ := strconv.Atoi(portStr)

	fn, err := cf.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name:           aws.String("index"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(`function handler(e) { console.log('hi'); if (e.request.uri.endsWith('/')) e.request.uri += 'index.html'; return e.request; }`),
	})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cf.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String("index"), IfMatch: fn.ETag})
	if err != nil {
		t.Fatal(err)
	}
	dist, err := cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String("lft"), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{Id: aws.String("o"), DomainName: aws.String("127.0.0.1"),
			CustomOriginConfig: &types.CustomOriginConfig{HTTPPort: aws.Int32(int32(port)), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly}}}},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{TargetOriginId: aws.String("o"), ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
			CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
			FunctionAssociations: &types.FunctionAssociations{Quantity: aws.Int32(1), Items: []types.FunctionAssociation{{
				FunctionARN: pub.FunctionSummary.FunctionMetadata.FunctionARN, EventType: types.EventTypeViewerRequest}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}

	e := lf.StartEdge(t)
	resp, err := e.Client().Get("http://" + aws.ToString(dist.Distribution.DomainName) + "/docs/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "/docs/index.html" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
	id := resp.Header.Get("X-Amz-Cf-Id")
	if logs := e.Logs("index"); len(logs) != 3 || logs[1] != id+" hi" {
		t.Fatalf("logs %q", logs)
	}
}

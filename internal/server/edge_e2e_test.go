package server_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/server"
)

// edgeEnv is a server with its API and edge on loopback listeners, an SDK client and an
// origin that reports the URI and one header it received.
type edgeEnv struct {
	srv    *server.Server
	api    *httptest.Server
	cf     *cloudfront.Client
	edge   string // host:port of the edge listener
	origin *httptest.Server
	viewer *http.Client
}

func startEdgeEnv(t *testing.T) *edgeEnv {
	t.Helper()
	srv, hs := start(t, server.Config{InMemory: true})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeEdge(l)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "uri="+r.RequestURI+" x-version="+r.Header.Get("X-Version"))
	}))
	t.Cleanup(origin.Close)
	edgeAddr := l.Addr().String()
	viewer := &http.Client{Transport: &http.Transport{
		// Every host name goes to the edge listener, as DNS would send a CloudFront name.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, edgeAddr)
		},
	}, Timeout: 30 * time.Second}
	t.Cleanup(viewer.CloseIdleConnections)
	return &edgeEnv{srv: srv, api: hs, cf: client(hs, "AKID", "secret"), edge: edgeAddr, origin: origin, viewer: viewer}
}

func (e *edgeEnv) publish(t *testing.T, name, code string) string {
	t.Helper()
	ctx := context.Background()
	out, err := e.cf.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name:           aws.String(name),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("edge e2e"), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(code),
	})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := e.cf.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String(name), IfMatch: out.ETag})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(pub.FunctionSummary.FunctionMetadata.FunctionARN)
}

func (e *edgeEnv) get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := e.viewer.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func behavior(origin string, assoc ...types.FunctionAssociation) *types.DefaultCacheBehavior {
	return &types.DefaultCacheBehavior{
		TargetOriginId:       aws.String(origin),
		ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll,
		CachePolicyId:        aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
		FunctionAssociations: &types.FunctionAssociations{Quantity: aws.Int32(int32(len(assoc))), Items: assoc},
	}
}

func assoc(arn string, ev types.EventType) types.FunctionAssociation {
	return types.FunctionAssociation{FunctionARN: aws.String(arn), EventType: ev}
}

func (e *edgeEnv) origins(t *testing.T) *types.Origins {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.origin.URL, "http://"))
	p, _ := strconv.Atoi(port)
	return &types.Origins{Quantity: aws.Int32(1), Items: []types.Origin{{
		Id: aws.String("app"), DomainName: aws.String("127.0.0.1"),
		CustomOriginConfig: &types.CustomOriginConfig{
			HTTPPort: aws.Int32(int32(p)), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: types.OriginProtocolPolicyHttpOnly,
		},
	}}}
}

// The whole path through the real SDK: functions are created and published over the API,
// a distribution associates them, viewers reach the edge by the distribution's domain name,
// and publishing, updating and deleting take effect at once.
func TestEdgeEndToEndWithTheSDK(t *testing.T) {
	e := startEdgeEnv(t)
	ctx := context.Background()
	rewrite := e.publish(t, "rewrite", `function handler(event) {
		var r = event.request;
		if (r.uri.endsWith('/')) r.uri += 'index.html';
		r.headers['x-version'] = {value: 'v1'};
		console.log('rewrote ' + r.uri);
		return r;
	}`)
	headers := e.publish(t, "headers", `function handler(event) {
		event.response.headers['strict-transport-security'] = {value: 'max-age=63072000'};
		return event.response;
	}`)
	deny := e.publish(t, "deny", `function handler(event) {
		return {statusCode: 403, statusDescription: 'Forbidden', headers: {'content-type': {value: 'text/plain'}}, body: 'denied'};
	}`)

	sum, err := e.cf.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("rewrite"), Stage: types.FunctionStageLive})
	if err != nil || aws.ToString(sum.FunctionSummary.Status) != "UNASSOCIATED" {
		t.Fatalf("before association: %v %v", err, sum)
	}

	cfg := &types.DistributionConfig{
		CallerReference: aws.String("e2e-1"),
		Comment:         aws.String("edge end to end"),
		Enabled:         aws.Bool(true),
		Aliases:         &types.Aliases{Quantity: aws.Int32(1), Items: []string{"www.example.test"}},
		Origins:         e.origins(t),
		DefaultCacheBehavior: behavior("app",
			assoc(rewrite, types.EventTypeViewerRequest), assoc(headers, types.EventTypeViewerResponse)),
	}
	created, err := e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	dist := created.Distribution
	domain := aws.ToString(dist.DomainName)
	if domain != strings.ToLower(aws.ToString(dist.Id))+".cloudfront.localhost" || aws.ToString(created.Location) == "" {
		t.Fatalf("domain %q location %q", domain, aws.ToString(created.Location))
	}

	sum, err = e.cf.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("rewrite"), Stage: types.FunctionStageLive})
	if err != nil || aws.ToString(sum.FunctionSummary.Status) != "DEPLOYED" {
		t.Fatalf("after association: %v %v", err, aws.ToString(sum.FunctionSummary.Status))
	}
	desc, _ := e.cf.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("rewrite")})
	if _, err := e.cf.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("rewrite"), IfMatch: desc.ETag}); err == nil ||
		!strings.Contains(err.Error(), "FunctionInUse") {
		t.Fatalf("deleting an associated function: %v", err)
	}

	for _, host := range []string{domain, "www.example.test"} {
		resp, body := e.get(t, "http://"+host+"/docs/")
		if resp.StatusCode != 200 || body != "uri=/docs/index.html x-version=v1" ||
			resp.Header.Get("Strict-Transport-Security") != "max-age=63072000" || resp.Header.Get("X-Cache") != "Miss from cloudfront" {
			t.Fatalf("%s: %d %q %v", host, resp.StatusCode, body, resp.Header)
		}
	}
	resp, _ := e.get(t, "http://unknown.example.test/")
	if resp.StatusCode != 403 {
		t.Fatalf("unknown host: %d", resp.StatusCode)
	}

	// Publishing a new version takes effect at once.
	desc, err = e.cf.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("rewrite")})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := e.cf.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{
		Name: aws.String("rewrite"), IfMatch: desc.ETag,
		FunctionConfig: &types.FunctionConfig{Comment: aws.String("v2"), Runtime: types.FunctionRuntimeCloudfrontJs20},
		FunctionCode:   []byte(`function handler(event) { event.request.headers['x-version'] = {value: 'v2'}; return event.request; }`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(t, "http://"+domain+"/a"); body != "uri=/a x-version=v1" {
		t.Fatalf("an unpublished update reached the edge: %q", body)
	}
	if _, err := e.cf.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String("rewrite"), IfMatch: upd.ETag}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(t, "http://"+domain+"/a"); body != "uri=/a x-version=v2" {
		t.Fatalf("after publishing: %q", body)
	}

	// Updating the distribution: a behaviour whose function answers by itself.
	got, err := e.cf.GetDistributionConfig(ctx, &cloudfront.GetDistributionConfigInput{Id: dist.Id})
	if err != nil {
		t.Fatal(err)
	}
	dc := got.DistributionConfig
	dc.CacheBehaviors = &types.CacheBehaviors{Quantity: aws.Int32(1), Items: []types.CacheBehavior{{
		PathPattern: aws.String("/admin/*"), TargetOriginId: aws.String("app"),
		ViewerProtocolPolicy: types.ViewerProtocolPolicyAllowAll, CachePolicyId: aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
		FunctionAssociations: &types.FunctionAssociations{Quantity: aws.Int32(1), Items: []types.FunctionAssociation{assoc(deny, types.EventTypeViewerRequest)}},
	}}}
	updated, err := e.cf.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: dist.Id, IfMatch: got.ETag, DistributionConfig: dc})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.get(t, "http://"+domain+"/admin/panel")
	if resp.StatusCode != 403 || body != "denied" || resp.Header.Get("X-Cache") != "FunctionGeneratedResponse from cloudfront" {
		t.Fatalf("generated response: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// The function's console.log lines, by request id, from the logs endpoint.
	resp, _ = e.get(t, "http://"+domain+"/logged/")
	id := resp.Header.Get("X-Amz-Cf-Id")
	logResp, err := http.Get(e.api.URL + server.LogsPathPrefix + "rewrite")
	if err != nil {
		t.Fatal(err)
	}
	logs, _ := io.ReadAll(logResp.Body)
	logResp.Body.Close()
	// The v2 code logs nothing; the v1 runs did.
	if !strings.Contains(string(logs), " rewrote /docs/index.html\n") || !strings.Contains(string(logs), " START DistributionID: "+aws.ToString(dist.Id)) {
		t.Errorf("logs:\n%s (request %s)", logs, id)
	}

	// Disable, then delete: the names stop resolving and the function can be deleted.
	dc = updated.Distribution.DistributionConfig
	dc.Enabled = aws.Bool(false)
	disabled, err := e.cf.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: dist.Id, IfMatch: updated.ETag, DistributionConfig: dc})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := e.get(t, "http://"+domain+"/"); resp.StatusCode != 403 {
		t.Fatalf("disabled: %d", resp.StatusCode)
	}
	if _, err := e.cf.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: dist.Id, IfMatch: disabled.ETag}); err != nil {
		t.Fatal(err)
	}
	list, err := e.cf.ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
	if err != nil || aws.ToInt32(list.DistributionList.Quantity) != 0 {
		t.Fatalf("list after delete: %v %+v", err, list)
	}
	desc, _ = e.cf.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("rewrite")})
	if _, err := e.cf.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("rewrite"), IfMatch: desc.ETag}); err != nil {
		t.Fatalf("deleting the function after its distribution: %v", err)
	}
	// Its logs outlive it, as CloudWatch's do.
	logResp, err = http.Get(e.api.URL + server.LogsPathPrefix + "rewrite")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := io.ReadAll(logResp.Body)
	logResp.Body.Close()
	if logResp.StatusCode != 200 || !strings.Contains(string(after), " rewrote /docs/index.html\n") {
		t.Errorf("logs of the deleted function: %d\n%s", logResp.StatusCode, after)
	}
}

// The logs endpoint follows new lines and ends its stream when the server shuts down.
func TestFunctionLogsFollow(t *testing.T) {
	e := startEdgeEnv(t)
	ctx := context.Background()
	arn := e.publish(t, "chatty", `function handler(event) { console.log('hello ' + event.request.uri); return event.request; }`)
	created, err := e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
		CallerReference: aws.String("follow"), Comment: aws.String(""), Enabled: aws.Bool(true),
		Origins: e.origins(t), DefaultCacheBehavior: behavior("app", assoc(arn, types.EventTypeViewerRequest)),
	}})
	if err != nil {
		t.Fatal(err)
	}
	domain := aws.ToString(created.Distribution.DomainName)

	resp, err := http.Get(e.api.URL + server.LogsPathPrefix + "chatty?follow=true&format=json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("content type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	for _, uri := range []string{"/one", "/two"} {
		r, _ := e.get(t, "http://"+domain+uri)
		id := r.Header.Get("X-Amz-Cf-Id")
		for _, want := range []string{`"message":"` + id + ` START`, `"message":"` + id + ` hello ` + uri + `"`, `"message":"` + id + ` END"`} {
			if !lines.Scan() {
				t.Fatalf("stream ended: %v", lines.Err())
			}
			if !strings.Contains(lines.Text(), want) || !strings.Contains(lines.Text(), `"requestId":"`+id+`"`) {
				t.Fatalf("line %s, want %s", lines.Text(), want)
			}
		}
	}
	shutdownCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(shutdownCtx); err != nil {
		t.Fatalf("shutdown with a follower: %v", err)
	}
	for lines.Scan() {
	}
}

func TestFunctionLogsEndpointRejectsBadRequests(t *testing.T) {
	e := startEdgeEnv(t)
	if _, err := create(context.Background(), e.cf, "quiet"); err != nil {
		t.Fatal(err)
	}
	for path, status := range map[string]int{
		server.LogsPathPrefix + "quiet":      200, // a function that has not logged yet
		server.LogsPathPrefix + "bad%20name": 400,
		server.LogsPathPrefix:                400,
		server.LogsPathPrefix + "x?after=-1": 400,
		server.LogsPathPrefix + "nothing":    404, // no such function, no logs
	} {
		resp, err := http.Get(e.api.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, status)
		}
	}
	resp, err := http.Post(e.api.URL+server.LogsPathPrefix+"x", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestDistributionAPIErrors(t *testing.T) {
	e := startEdgeEnv(t)
	ctx := context.Background()
	_, err := e.cf.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String("E000000000000X")})
	wantCode(t, err, "NoSuchDistribution", 404)

	unpublished, err := create(ctx, e.cf, "draft")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &types.DistributionConfig{
		CallerReference: aws.String("errs"), Comment: aws.String(""), Enabled: aws.Bool(true), Origins: e.origins(t),
		DefaultCacheBehavior: behavior("app", assoc(aws.ToString(unpublished.FunctionSummary.FunctionMetadata.FunctionARN), types.EventTypeViewerRequest)),
	}
	_, err = e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	wantCode(t, err, "InvalidFunctionAssociation", 400)

	cfg.DefaultCacheBehavior = behavior("app")
	created, err := e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: created.Distribution.Id, IfMatch: aws.String("E2QWRUHAPOMQZL"), DistributionConfig: cfg})
	wantCode(t, err, "PreconditionFailed", 412)
	_, err = e.cf.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: created.Distribution.Id, IfMatch: created.ETag})
	wantCode(t, err, "DistributionNotDisabled", 409)
	_, err = e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	wantCode(t, err, "DistributionAlreadyExists", 409)
}

package sdktest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/cfapi/distxml"
	"github.com/localfront/localfront/internal/cfapi/distxml/distxmltest"
	"github.com/localfront/localfront/internal/distributions"
)

// TestSDKParsesRenderedDocuments serves canned documents rendered from configs built in
// code and checks what the SDK makes of them.
func TestSDKParsesRenderedDocuments(t *testing.T) {
	modified := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	d := distributions.Distribution{
		ID: "E1U5RQF7T870K0", ARN: "arn:aws:cloudfront::111122223333:distribution/E1U5RQF7T870K0",
		Status: "Deployed", DomainName: "e1u5rqf7t870k0.cloudfront.localhost", LastModifiedTime: modified,
		ETag: "ETVPDKIKX0DER", Config: distxmltest.FieldsConfig(),
	}
	distDoc, err := distxml.EncodeDistribution(d)
	if err != nil {
		t.Fatal(err)
	}
	listDoc, err := distxml.EncodeList(distributions.ListOutput{Marker: "EA", MaxItems: 5, Items: []distributions.Distribution{d}})
	if err != nil {
		t.Fatal(err)
	}
	emptyDoc, err := distxml.EncodeList(distributions.ListOutput{MaxItems: 100})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/2020-05-31/distribution" && r.URL.Query().Get("Marker") == "":
			w.Write(emptyDoc)
		case r.URL.Path == "/2020-05-31/distribution":
			w.Write(listDoc)
		default:
			w.Header()["ETag"] = []string{d.ETag}
			w.Write(distDoc)
		}
	}))
	defer srv.Close()
	client := cloudfront.New(cloudfront.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), RetryMaxAttempts: 1})
	ctx := context.Background()

	got, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(d.ID)})
	if err != nil {
		t.Fatal(err)
	}
	g := got.Distribution
	if aws.ToString(got.ETag) != "ETVPDKIKX0DER" || aws.ToString(g.Id) != d.ID || aws.ToString(g.ARN) != d.ARN ||
		aws.ToString(g.Status) != "Deployed" || aws.ToString(g.DomainName) != d.DomainName || !g.LastModifiedTime.Equal(modified) {
		t.Errorf("distribution %s", dump(g))
	}
	c := g.DistributionConfig
	o := c.Origins.Items[0]
	if aws.ToString(c.CallerReference) != "code" || aws.ToString(c.Comment) != "built <in> code" || !aws.ToBool(c.Enabled) ||
		aws.ToInt32(c.Origins.Quantity) != 2 || aws.ToString(o.DomainName) != "127.0.0.1" ||
		aws.ToInt32(o.CustomOriginConfig.HTTPPort) != 8080 || o.CustomOriginConfig.OriginProtocolPolicy != types.OriginProtocolPolicyMatchViewer ||
		c.Origins.Items[1].S3OriginConfig == nil || aws.ToInt32(c.OriginGroups.Quantity) != 1 ||
		aws.ToString(c.OriginGroups.Items[0].Members.Items[1].OriginId) != "s3" ||
		c.DefaultCacheBehavior.FunctionAssociations.Items[0].EventType != types.EventTypeViewerRequest ||
		aws.ToString(c.CacheBehaviors.Items[0].PathPattern) != "/api/*" || c.CacheBehaviors.Items[0].ForwardedValues == nil ||
		aws.ToInt32(c.CustomErrorResponses.Items[0].ErrorCode) != 404 {
		t.Errorf("config %s", dump(c))
	}

	page, err := client.ListDistributions(ctx, &cloudfront.ListDistributionsInput{Marker: aws.String("EA")})
	if err != nil {
		t.Fatal(err)
	}
	l := page.DistributionList
	if aws.ToString(l.Marker) != "EA" || aws.ToInt32(l.MaxItems) != 5 || aws.ToBool(l.IsTruncated) || l.NextMarker != nil || aws.ToInt32(l.Quantity) != 1 {
		t.Errorf("list %s", dump(l))
	}
	s := l.Items[0]
	// Members the config leaves out are reported with CloudFront's defaults.
	if aws.ToString(s.ETag) != "ETVPDKIKX0DER" || s.PriceClass != types.PriceClassPriceClassAll || s.HttpVersion != types.HttpVersionHttp2 ||
		aws.ToBool(s.IsIPV6Enabled) || aws.ToBool(s.Staging) || aws.ToString(s.WebACLId) != "" ||
		!aws.ToBool(s.ViewerCertificate.CloudFrontDefaultCertificate) || s.Restrictions.GeoRestriction.RestrictionType != types.GeoRestrictionTypeNone ||
		aws.ToInt32(s.Aliases.Quantity) != 1 || aws.ToString(s.Comment) != "built <in> code" || aws.ToInt32(s.CacheBehaviors.Quantity) != 1 {
		t.Errorf("summary %s", dump(s))
	}

	empty, err := client.ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if el := empty.DistributionList; aws.ToInt32(el.Quantity) != 0 || len(el.Items) != 0 || aws.ToInt32(el.MaxItems) != 100 {
		t.Errorf("empty list %s", dump(el))
	}
	if !strings.Contains(string(emptyDoc), "<Marker></Marker>") {
		t.Errorf("empty list document %s", emptyDoc)
	}
}

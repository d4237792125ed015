package sdktest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/cfapi/distxml"
	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/sdkhttp"
	"github.com/localfront/localfront/internal/store/sqlite"
)

// These tests run the real AWS SDK for Go v2 against the codec: what the SDK serializes
// must decode, and what the codec renders must parse into the SDK's types. The HTTP
// front end below is a test stand-in for the cfapi routes, kept to the minimum.

const testAccount = "111122223333"

type liveFunctions map[string]bool

func (l liveFunctions) LiveFunctionExists(_ context.Context, _, arn string) (bool, error) {
	return l[arn], nil
}

// testServer serves the six distribution operations over a real Service.
type testServer struct {
	svc *distributions.Service

	mu     sync.Mutex
	bodies [][]byte // request bodies received
}

func newTestServer(t *testing.T) (*testServer, *cloudfront.Client) {
	t.Helper()
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ts := &testServer{svc: distributions.New(st, distributions.Options{
		Functions: liveFunctions{
			"arn:aws:cloudfront::111122223333:function/rewrite": true,
			"arn:aws:cloudfront::111122223333:function/headers": true,
		},
	})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2020-05-31/distribution", ts.handle(ts.create))
	mux.HandleFunc("GET /2020-05-31/distribution", ts.handle(ts.list))
	mux.HandleFunc("GET /2020-05-31/distribution/{id}", ts.handle(ts.get))
	mux.HandleFunc("GET /2020-05-31/distribution/{id}/config", ts.handle(ts.getConfig))
	mux.HandleFunc("PUT /2020-05-31/distribution/{id}/config", ts.handle(ts.update))
	mux.HandleFunc("DELETE /2020-05-31/distribution/{id}", ts.handle(ts.delete))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	client := cloudfront.New(cloudfront.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		// An SDK race drops about one CreateDistribution in a hundred without it.
		HTTPClient: sdkhttp.Client(nil),
	})
	return ts, client
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, body []byte) error

func (ts *testServer) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.bodies = append(ts.bodies, body)
		ts.mu.Unlock()
		if err := h(w, r, body); err != nil {
			e := apierror.As(err)
			if e == nil {
				e = apierror.InternalError("%v", err)
			}
			var b bytes.Buffer
			b.WriteString(`<?xml version="1.0"?><ErrorResponse xmlns="` + distxml.Namespace + `"><Error><Type>Sender</Type><Code>` + e.Code + `</Code><Message>`)
			xml.EscapeText(&b, []byte(e.Message))
			b.WriteString(`</Message></Error><RequestId>r</RequestId></ErrorResponse>`)
			send(w, e.Status, b.Bytes())
		}
	}
}

func send(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func (ts *testServer) sendDistribution(w http.ResponseWriter, status int, d distributions.Distribution) error {
	body, err := distxml.EncodeDistribution(d)
	if err != nil {
		return err
	}
	w.Header()["ETag"] = []string{d.ETag}
	send(w, status, body)
	return nil
}

func (ts *testServer) create(w http.ResponseWriter, r *http.Request, body []byte) error {
	cfg, err := distxml.DecodeConfig(body)
	if err != nil {
		return err
	}
	d, err := ts.svc.Create(r.Context(), testAccount, cfg)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/"+d.ID)
	return ts.sendDistribution(w, http.StatusCreated, d)
}

func (ts *testServer) get(w http.ResponseWriter, r *http.Request, _ []byte) error {
	d, err := ts.svc.Get(r.Context(), testAccount, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ts.sendDistribution(w, http.StatusOK, d)
}

func (ts *testServer) getConfig(w http.ResponseWriter, r *http.Request, _ []byte) error {
	cfg, etag, err := ts.svc.GetConfig(r.Context(), testAccount, r.PathValue("id"))
	if err != nil {
		return err
	}
	body, err := distxml.EncodeConfig(cfg)
	if err != nil {
		return err
	}
	w.Header()["ETag"] = []string{etag}
	send(w, http.StatusOK, body)
	return nil
}

func (ts *testServer) update(w http.ResponseWriter, r *http.Request, body []byte) error {
	cfg, err := distxml.DecodeConfig(body)
	if err != nil {
		return err
	}
	d, err := ts.svc.Update(r.Context(), testAccount, r.PathValue("id"), r.Header.Get("If-Match"), cfg)
	if err != nil {
		return err
	}
	return ts.sendDistribution(w, http.StatusOK, d)
}

func (ts *testServer) delete(w http.ResponseWriter, r *http.Request, _ []byte) error {
	if err := ts.svc.Delete(r.Context(), testAccount, r.PathValue("id"), r.Header.Get("If-Match")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (ts *testServer) list(w http.ResponseWriter, r *http.Request, _ []byte) error {
	maxItems := 0
	if s := r.URL.Query().Get("MaxItems"); s != "" {
		var err error
		if maxItems, err = strconv.Atoi(s); err != nil {
			return apierror.InvalidArgument("MaxItems must be a number.")
		}
	}
	out, err := ts.svc.List(r.Context(), testAccount, r.URL.Query().Get("Marker"), maxItems)
	if err != nil {
		return err
	}
	body, err := distxml.EncodeList(out)
	if err != nil {
		return err
	}
	send(w, http.StatusOK, body)
	return nil
}

func list32(n int) *int32 { return aws.Int32(int32(n)) }

// terraformConfig is a DistributionConfig as terraform-provider-aws builds it with this
// SDK: every optional block present, including the ones the edge ignores.
func terraformConfig(ref string) *types.DistributionConfig {
	notSigned := func() (*types.TrustedSigners, *types.TrustedKeyGroups) {
		return &types.TrustedSigners{Enabled: aws.Bool(false), Quantity: list32(0)},
			&types.TrustedKeyGroups{Enabled: aws.Bool(false), Quantity: list32(0)}
	}
	signers, keyGroups := notSigned()
	signers2, keyGroups2 := notSigned()
	return &types.DistributionConfig{
		CallerReference:              aws.String(ref),
		Aliases:                      &types.Aliases{Quantity: list32(1), Items: []string{ref + ".example.com"}},
		Comment:                      aws.String("managed by terraform"),
		Enabled:                      aws.Bool(true),
		DefaultRootObject:            aws.String("index.html"),
		HttpVersion:                  types.HttpVersionHttp2and3,
		IsIPV6Enabled:                aws.Bool(true),
		PriceClass:                   types.PriceClassPriceClass100,
		WebACLId:                     aws.String(""),
		Staging:                      aws.Bool(false),
		ContinuousDeploymentPolicyId: aws.String(""),
		Logging: &types.LoggingConfig{Enabled: aws.Bool(true), IncludeCookies: aws.Bool(false),
			Bucket: aws.String("logs.s3.amazonaws.com"), Prefix: aws.String("cf/")},
		ViewerCertificate: &types.ViewerCertificate{
			ACMCertificateArn:            aws.String("arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"),
			CloudFrontDefaultCertificate: aws.Bool(false),
			MinimumProtocolVersion:       types.MinimumProtocolVersionTLSv122021,
			SSLSupportMethod:             types.SSLSupportMethodSniOnly,
		},
		Restrictions: &types.Restrictions{GeoRestriction: &types.GeoRestriction{
			RestrictionType: types.GeoRestrictionTypeBlacklist, Quantity: list32(1), Items: []string{"KP"}}},
		CustomErrorResponses: &types.CustomErrorResponses{Quantity: list32(1), Items: []types.CustomErrorResponse{{
			ErrorCode: list32(404), ResponseCode: aws.String("200"), ResponsePagePath: aws.String("/index.html"), ErrorCachingMinTTL: aws.Int64(10)}}},
		Origins: &types.Origins{Quantity: list32(2), Items: []types.Origin{
			{
				Id: aws.String("app"), DomainName: aws.String("app.example.com"), OriginPath: aws.String("/v1"),
				ConnectionAttempts: list32(3), ConnectionTimeout: list32(10),
				CustomHeaders: &types.CustomHeaders{Quantity: list32(1), Items: []types.OriginCustomHeader{{
					HeaderName: aws.String("X-Origin-Verify"), HeaderValue: aws.String("secret")}}},
				CustomOriginConfig: &types.CustomOriginConfig{
					HTTPPort: list32(80), HTTPSPort: list32(443), OriginProtocolPolicy: types.OriginProtocolPolicyHttpsOnly,
					OriginReadTimeout: list32(30), OriginKeepaliveTimeout: list32(5),
					OriginSslProtocols: &types.OriginSslProtocols{Quantity: list32(1), Items: []types.SslProtocol{types.SslProtocolTLSv12}},
				},
				OriginShield:          &types.OriginShield{Enabled: aws.Bool(false)},
				OriginAccessControlId: aws.String(""),
			},
			{
				Id: aws.String("assets"), DomainName: aws.String("assets.s3.us-east-1.amazonaws.com"), OriginPath: aws.String(""),
				ConnectionAttempts: list32(3), ConnectionTimeout: list32(10),
				CustomHeaders:         &types.CustomHeaders{Quantity: list32(0)},
				S3OriginConfig:        &types.S3OriginConfig{OriginAccessIdentity: aws.String("")},
				OriginAccessControlId: aws.String("E2QWRUHEXAMPLE"),
			},
		}},
		OriginGroups: &types.OriginGroups{Quantity: list32(0)},
		DefaultCacheBehavior: &types.DefaultCacheBehavior{
			TargetOriginId:       aws.String("app"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyRedirectToHttps,
			AllowedMethods: &types.AllowedMethods{Quantity: list32(3), Items: []types.Method{types.MethodGet, types.MethodHead, types.MethodOptions},
				CachedMethods: &types.CachedMethods{Quantity: list32(2), Items: []types.Method{types.MethodGet, types.MethodHead}}},
			Compress:        aws.Bool(true),
			SmoothStreaming: aws.Bool(false),
			TrustedSigners:  signers, TrustedKeyGroups: keyGroups,
			FieldLevelEncryptionId:     aws.String(""),
			LambdaFunctionAssociations: &types.LambdaFunctionAssociations{Quantity: list32(0)},
			FunctionAssociations: &types.FunctionAssociations{Quantity: list32(1), Items: []types.FunctionAssociation{{
				FunctionARN: aws.String("arn:aws:cloudfront::111122223333:function/rewrite"), EventType: types.EventTypeViewerRequest}}},
			ForwardedValues: &types.ForwardedValues{
				QueryString: aws.Bool(false),
				Cookies:     &types.CookiePreference{Forward: types.ItemSelectionNone},
				Headers:     &types.Headers{Quantity: list32(1), Items: []string{"Origin"}},
			},
			MinTTL: aws.Int64(0), DefaultTTL: aws.Int64(3600), MaxTTL: aws.Int64(86400),
		},
		CacheBehaviors: &types.CacheBehaviors{Quantity: list32(1), Items: []types.CacheBehavior{{
			PathPattern:          aws.String("/assets/*"),
			TargetOriginId:       aws.String("assets"),
			ViewerProtocolPolicy: types.ViewerProtocolPolicyHttpsOnly,
			AllowedMethods: &types.AllowedMethods{Quantity: list32(2), Items: []types.Method{types.MethodGet, types.MethodHead},
				CachedMethods: &types.CachedMethods{Quantity: list32(2), Items: []types.Method{types.MethodGet, types.MethodHead}}},
			Compress: aws.Bool(true), SmoothStreaming: aws.Bool(false),
			TrustedSigners: signers2, TrustedKeyGroups: keyGroups2,
			CachePolicyId:           aws.String("658327ea-f89d-4fab-a63d-7e88639e58f6"),
			ResponseHeadersPolicyId: aws.String("67f7725c-6f97-4210-82d7-5512b31e9d03"),
			FunctionAssociations: &types.FunctionAssociations{Quantity: list32(2), Items: []types.FunctionAssociation{
				{FunctionARN: aws.String("arn:aws:cloudfront::111122223333:function/rewrite"), EventType: types.EventTypeViewerRequest},
				{FunctionARN: aws.String("arn:aws:cloudfront::111122223333:function/headers"), EventType: types.EventTypeViewerResponse},
			}},
			LambdaFunctionAssociations: &types.LambdaFunctionAssociations{Quantity: list32(0)},
		}}},
	}
}

func TestSDKRequestDecodes(t *testing.T) {
	ts, client := newTestServer(t)
	if _, err := client.CreateDistribution(context.Background(), &cloudfront.CreateDistributionInput{DistributionConfig: terraformConfig("tf")}); err != nil {
		t.Fatal(err)
	}
	cfg, err := distxml.DecodeConfig(ts.bodies[0])
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CallerReference != "tf" || cfg.Comment != "managed by terraform" || !cfg.Enabled || cfg.DefaultRootObject != "index.html" {
		t.Errorf("top level %+v", cfg)
	}
	app := cfg.Origins[0]
	if len(cfg.Origins) != 2 || app.ID != "app" || app.OriginPath != "/v1" || app.Custom == nil ||
		app.Custom.ProtocolPolicy != "https-only" || app.Custom.HTTPSPort != 443 || len(app.CustomHeaders) != 1 || !cfg.Origins[1].S3 {
		t.Errorf("origins %+v", cfg.Origins)
	}
	b := cfg.Behaviors[0]
	if len(cfg.Behaviors) != 1 || b.PathPattern != "/assets/*" || b.TargetOriginID != "assets" || b.ViewerProtocolPolicy != "https-only" ||
		len(b.FunctionAssociations) != 2 || b.FunctionAssociations[1].EventType != "viewer-response" {
		t.Errorf("behavior %+v", b)
	}
	if d := cfg.DefaultBehavior; !d.HasForwardedValues || d.CachePolicyID != "" || !d.Compress || len(d.AllowedMethods) != 3 {
		t.Errorf("default behavior %+v", d)
	}
	// The Go SDK writes members in alphabetical order; Raw keeps that order.
	if !bytes.Contains(cfg.Raw, []byte("<DistributionConfig xmlns=\""+distxml.Namespace+"\"><Aliases>")) {
		t.Errorf("Raw starts %.150s", cfg.Raw)
	}
}

func TestSDKRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, client := newTestServer(t)
	in := terraformConfig("round-trip")

	created, err := client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: in})
	if err != nil {
		t.Fatal(err)
	}
	d := created.Distribution
	id := aws.ToString(d.Id)
	if aws.ToString(created.ETag) != "ETVPDKIKX0DER" || aws.ToString(created.Location) != "https://cloudfront.amazonaws.com/2020-05-31/distribution/"+id {
		t.Errorf("ETag %q Location %q", aws.ToString(created.ETag), aws.ToString(created.Location))
	}
	if aws.ToString(d.ARN) != "arn:aws:cloudfront::111122223333:distribution/"+id ||
		aws.ToString(d.DomainName) != strings.ToLower(id)+".cloudfront.localhost" || aws.ToString(d.Status) != "Deployed" ||
		aws.ToInt32(d.InProgressInvalidationBatches) != 0 || d.LastModifiedTime == nil || time.Since(*d.LastModifiedTime) > time.Hour ||
		d.ActiveTrustedSigners == nil || aws.ToBool(d.ActiveTrustedSigners.Enabled) {
		t.Errorf("distribution %+v", d)
	}
	if !reflect.DeepEqual(d.DistributionConfig, in) {
		t.Errorf("CreateDistribution's config differs from the input:\n got %s\nwant %s", dump(d.DistributionConfig), dump(in))
	}

	// GetDistributionConfig reads back exactly what was sent, unmodeled parts included.
	gc, err := client.GetDistributionConfig(ctx, &cloudfront.GetDistributionConfigInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(gc.ETag) != "ETVPDKIKX0DER" || !reflect.DeepEqual(gc.DistributionConfig, in) {
		t.Errorf("GetDistributionConfig: ETag %q\n got %s\nwant %s", aws.ToString(gc.ETag), dump(gc.DistributionConfig), dump(in))
	}
	gd, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(gd.Distribution.Id) != id || !reflect.DeepEqual(gd.Distribution.DistributionConfig, in) {
		t.Errorf("GetDistribution %+v", gd.Distribution)
	}

	// The Terraform update cycle: change, disable, with the ETag.
	upd := gc.DistributionConfig
	upd.Comment = aws.String("disabled <for> deletion & more")
	upd.Enabled = aws.Bool(false)
	_, err = client.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: aws.String(id), IfMatch: aws.String("E3UN6WX5RRO2AG"), DistributionConfig: upd})
	var pre *types.PreconditionFailed
	if !errors.As(err, &pre) {
		t.Fatalf("stale If-Match: %v", err)
	}
	u, err := client.UpdateDistribution(ctx, &cloudfront.UpdateDistributionInput{Id: aws.String(id), IfMatch: gc.ETag, DistributionConfig: upd})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.ETag) != "E3UN6WX5RRO2AG" || aws.ToString(u.Distribution.DistributionConfig.Comment) != "disabled <for> deletion & more" {
		t.Errorf("update: ETag %q comment %q", aws.ToString(u.ETag), aws.ToString(u.Distribution.DistributionConfig.Comment))
	}

	// A second distribution, then list one per page.
	second, err := client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: terraformConfig("second")})
	if err != nil {
		t.Fatal(err)
	}
	var listed []types.DistributionSummary
	var marker *string
	for range 3 {
		page, err := client.ListDistributions(ctx, &cloudfront.ListDistributionsInput{MaxItems: aws.Int32(1), Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		l := page.DistributionList
		if aws.ToInt32(l.MaxItems) != 1 || aws.ToInt32(l.Quantity) != int32(len(l.Items)) {
			t.Errorf("page: MaxItems %d Quantity %d items %d", aws.ToInt32(l.MaxItems), aws.ToInt32(l.Quantity), len(l.Items))
		}
		listed = append(listed, l.Items...)
		if !aws.ToBool(l.IsTruncated) {
			break
		}
		marker = l.NextMarker
	}
	if len(listed) != 2 {
		t.Fatalf("listed %d distributions", len(listed))
	}
	for _, s := range listed {
		if aws.ToString(s.Id) != id {
			if aws.ToString(s.Id) != aws.ToString(second.Distribution.Id) {
				t.Errorf("unexpected ID %s", aws.ToString(s.Id))
			}
			continue
		}
		if aws.ToString(s.ETag) != "E3UN6WX5RRO2AG" || aws.ToString(s.Comment) != "disabled <for> deletion & more" || aws.ToBool(s.Enabled) ||
			s.PriceClass != types.PriceClassPriceClass100 || s.HttpVersion != types.HttpVersionHttp2and3 || !aws.ToBool(s.IsIPV6Enabled) ||
			!reflect.DeepEqual(s.Origins, in.Origins) || !reflect.DeepEqual(s.DefaultCacheBehavior, in.DefaultCacheBehavior) ||
			!reflect.DeepEqual(s.ViewerCertificate, in.ViewerCertificate) || !reflect.DeepEqual(s.Aliases, in.Aliases) ||
			aws.ToString(s.DomainName) != strings.ToLower(id)+".cloudfront.localhost" {
			t.Errorf("summary %s", dump(s))
		}
	}

	// Delete: the enabled one is refused, the disabled one goes.
	_, err = client.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: second.Distribution.Id, IfMatch: second.ETag})
	var notDisabled *types.DistributionNotDisabled
	if !errors.As(err, &notDisabled) {
		t.Errorf("deleting an enabled distribution: %v", err)
	}
	if _, err := client.DeleteDistribution(ctx, &cloudfront.DeleteDistributionInput{Id: aws.String(id), IfMatch: u.ETag}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)})
	var noSuch *types.NoSuchDistribution
	if !errors.As(err, &noSuch) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestSDKErrors(t *testing.T) {
	ctx := context.Background()
	_, client := newTestServer(t)
	if _, err := client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: terraformConfig("dup")}); err != nil {
		t.Fatal(err)
	}
	cfg := terraformConfig("dup")
	cfg.Aliases = nil
	_, err := client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var exists *types.DistributionAlreadyExists
	if !errors.As(err, &exists) || !strings.Contains(exists.ErrorMessage(), "Already exists: E") {
		t.Errorf("repeated CallerReference: %v", err)
	}

	cfg = terraformConfig("alias-clash")
	cfg.Aliases.Items = []string{"dup.example.com"}
	_, err = client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var cname *types.CNAMEAlreadyExists
	if !errors.As(err, &cname) {
		t.Errorf("alias clash: %v", err)
	}

	cfg = terraformConfig("unpublished")
	cfg.DefaultCacheBehavior.FunctionAssociations.Items[0].FunctionARN = aws.String("arn:aws:cloudfront::111122223333:function/draft")
	_, err = client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var invalid *types.InvalidFunctionAssociation
	if !errors.As(err, &invalid) {
		t.Errorf("unpublished function: %v", err)
	}

	cfg = terraformConfig("bad-event")
	cfg.DefaultCacheBehavior.FunctionAssociations.Items[0].EventType = "0"
	_, err = client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "MalformedXML" ||
		apiErr.ErrorMessage() != "1 validation errors detected: Value '0' at 'distributionConfig.defaultCacheBehavior.functionAssociations.items.1.member.eventType' failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response]" {
		t.Errorf("bad event type: %v", err)
	}

	cfg = terraformConfig("no-origin")
	cfg.DefaultCacheBehavior.TargetOriginId = aws.String("nope")
	_, err = client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var noOrigin *types.NoSuchOrigin
	if !errors.As(err, &noOrigin) {
		t.Errorf("unknown origin: %v", err)
	}

	cfg = terraformConfig("mismatch")
	cfg.Aliases.Quantity = list32(3)
	_, err = client.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: cfg})
	var inconsistent *types.InconsistentQuantities
	if !errors.As(err, &inconsistent) {
		t.Errorf("Quantity mismatch: %v", err)
	}
}

// dump renders an SDK value for failure messages.
func dump(v any) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(v), 0)
	return b.String()
}

func dumpValue(b *strings.Builder, v reflect.Value, depth int) {
	if depth > 12 {
		b.WriteString("…")
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		dumpValue(b, v.Elem(), depth+1)
	case reflect.Struct:
		b.WriteString("{")
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			b.WriteString(v.Type().Field(i).Name + ":")
			dumpValue(b, v.Field(i), depth+1)
			b.WriteString(" ")
		}
		b.WriteString("}")
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("[")
		for i := range v.Len() {
			dumpValue(b, v.Index(i), depth+1)
			b.WriteString(" ")
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "%q", fmt.Sprint(v.Interface()))
	}
}

package distxml

import (
	"reflect"
	"testing"

	"github.com/localfront/localfront/internal/distributions"
)

// fieldsConfig is a config built in code (no Raw) that uses every modeled field.
func fieldsConfig() distributions.Config {
	behavior := func(pattern, origin string) distributions.Behavior {
		return distributions.Behavior{
			PathPattern: pattern, TargetOriginID: origin, ViewerProtocolPolicy: "allow-all",
			AllowedMethods: []string{"GET", "HEAD", "OPTIONS"}, CachedMethods: []string{"GET", "HEAD"},
			CachePolicyID: "p",
		}
	}
	def := behavior("", "app")
	def.Compress = true
	def.FunctionAssociations = []distributions.FunctionAssociation{{FunctionARN: "arn:aws:cloudfront::111122223333:function/f", EventType: "viewer-request"}}
	api := behavior("/api/*", "group")
	api.CachePolicyID = ""
	api.HasForwardedValues = true
	api.LambdaAssociations = []distributions.LambdaAssociation{{LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:l:2", EventType: "origin-response", IncludeBody: false}}
	return distributions.Config{
		CallerReference: "code", Aliases: []string{"a.example.com"}, Comment: "built <in> code", Enabled: true,
		DefaultRootObject: "index.html",
		Origins: []distributions.Origin{
			{ID: "app", DomainName: "127.0.0.1", OriginPath: "/p", ConnectionAttempts: 1, ConnectionTimeout: 2,
				CustomHeaders: []distributions.Header{{Name: "X-A", Value: "1"}},
				Custom:        &distributions.CustomOriginConfig{HTTPPort: 8080, HTTPSPort: 8443, ProtocolPolicy: "match-viewer", ReadTimeout: 3, KeepaliveTimeout: 4, SSLProtocols: []string{"TLSv1.2"}}},
			{ID: "s3", DomainName: "b.s3.amazonaws.com", ConnectionAttempts: 3, ConnectionTimeout: 10, S3: true},
		},
		OriginGroups:         []distributions.OriginGroup{{ID: "group", PrimaryOriginID: "app", SecondaryOriginID: "s3", FailoverStatusCodes: []int{500, 404}}},
		DefaultBehavior:      def,
		Behaviors:            []distributions.Behavior{api},
		CustomErrorResponses: []distributions.CustomErrorResponse{{ErrorCode: 404, ResponsePagePath: "/e.html", ResponseCode: "404"}, {ErrorCode: 500}},
	}
}

func TestEncodeFromFields(t *testing.T) {
	cfg := fieldsConfig()
	doc, err := EncodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeConfig(doc)
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	back.Raw = nil
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("fields did not survive rendering:\n got %+v\nwant %+v\n%s", back, cfg, doc)
	}
}

func TestEncodeRejectsCorruptRaw(t *testing.T) {
	for _, raw := range []string{"<DistributionConfig>", "<Other/>"} {
		if _, err := EncodeConfig(distributions.Config{Raw: []byte(raw)}); err == nil {
			t.Errorf("Raw %q rendered", raw)
		}
		if _, err := EncodeDistribution(distributions.Distribution{Config: distributions.Config{Raw: []byte(raw)}}); err == nil {
			t.Errorf("Raw %q rendered in a Distribution", raw)
		}
		if _, err := EncodeList(distributions.ListOutput{Items: []distributions.Distribution{{Config: distributions.Config{Raw: []byte(raw)}}}}); err == nil {
			t.Errorf("Raw %q rendered in a list", raw)
		}
	}
}

func TestEncodeEscapesTextFromCode(t *testing.T) {
	cfg := fieldsConfig()
	cfg.Comment = "nul\x00 bell\a bad\xff ok é <&> \r\n"
	doc, err := EncodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeConfig(doc)
	if err != nil {
		t.Fatalf("rendered document does not decode: %v", err)
	}
	if want := "nul\uFFFD bell\uFFFD bad\uFFFD ok é <&> \r\n"; back.Comment != want {
		t.Errorf("comment %q, want %q", back.Comment, want)
	}
}

func BenchmarkEncodeDistribution(b *testing.B) {
	cfg, err := DecodeConfig(readFile(b, "testdata/terraform-style.xml"))
	if err != nil {
		b.Fatal(err)
	}
	d := distributions.Distribution{ID: "E1U5RQF7T870K0", Config: cfg}
	for b.Loop() {
		if _, err := EncodeDistribution(d); err != nil {
			b.Fatal(err)
		}
	}
}

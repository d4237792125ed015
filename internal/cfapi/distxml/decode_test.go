package distxml

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/distributions"
)

func TestDecodeTerraformStyle(t *testing.T) {
	doc := readFile(t, "testdata/terraform-style.xml")
	cfg, err := DecodeConfig(doc)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CallerReference != "terraform-20240506070809123400000001" || !cfg.Enabled ||
		cfg.DefaultRootObject != "index.html" || cfg.Comment != "managed by terraform\nsecond line\ttab" {
		t.Errorf("top level: %+v", cfg)
	}
	if !slices.Equal(cfg.Aliases, []string{"www.example.com", "example.com"}) {
		t.Errorf("Aliases %v", cfg.Aliases)
	}
	wantApp := distributions.Origin{
		ID: "app", DomainName: "app.example.com", OriginPath: "/prod",
		CustomHeaders:      []distributions.Header{{Name: "X-Origin-Verify", Value: "s3cr&t <value>"}},
		Custom:             &distributions.CustomOriginConfig{HTTPPort: 80, HTTPSPort: 443, ProtocolPolicy: "https-only", ReadTimeout: 45, KeepaliveTimeout: 10, SSLProtocols: []string{"TLSv1.2"}},
		ConnectionAttempts: 2, ConnectionTimeout: 5,
	}
	wantBackup := distributions.Origin{ID: "backup", DomainName: "backup-bucket.s3.us-east-1.amazonaws.com", S3: true,
		ConnectionAttempts: 3, ConnectionTimeout: 10}
	if len(cfg.Origins) != 2 || !reflect.DeepEqual(cfg.Origins[0], wantApp) || !reflect.DeepEqual(cfg.Origins[1], wantBackup) {
		t.Errorf("Origins:\n%+v\n%+v", cfg.Origins[0], cfg.Origins[1])
	}
	wantGroup := distributions.OriginGroup{ID: "failover", PrimaryOriginID: "app", SecondaryOriginID: "backup", FailoverStatusCodes: []int{500, 502, 503}}
	if len(cfg.OriginGroups) != 1 || !reflect.DeepEqual(cfg.OriginGroups[0], wantGroup) {
		t.Errorf("OriginGroups %+v", cfg.OriginGroups)
	}
	wantDefault := distributions.Behavior{
		TargetOriginID: "app", ViewerProtocolPolicy: "redirect-to-https",
		AllowedMethods: []string{"HEAD", "DELETE", "POST", "GET", "OPTIONS", "PUT", "PATCH"},
		CachedMethods:  []string{"HEAD", "GET"},
		Compress:       true, HasForwardedValues: true,
		FunctionAssociations: []distributions.FunctionAssociation{
			{FunctionARN: "arn:aws:cloudfront::111122223333:function/rewrite", EventType: "viewer-request"},
			{FunctionARN: "arn:aws:cloudfront::111122223333:function/headers", EventType: "viewer-response"},
		},
	}
	if !reflect.DeepEqual(cfg.DefaultBehavior, wantDefault) {
		t.Errorf("DefaultBehavior:\n got %+v\nwant %+v", cfg.DefaultBehavior, wantDefault)
	}
	if len(cfg.Behaviors) != 2 {
		t.Fatalf("%d behaviors", len(cfg.Behaviors))
	}
	api, static := cfg.Behaviors[0], cfg.Behaviors[1]
	if api.PathPattern != "/api/*" || api.CachePolicyID != "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" || api.HasForwardedValues ||
		!reflect.DeepEqual(api.LambdaAssociations, []distributions.LambdaAssociation{{
			LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:auth:7", EventType: "origin-request", IncludeBody: true}}) ||
		len(api.FunctionAssociations) != 0 || !slices.Equal(api.CachedMethods, []string{"GET", "HEAD", "OPTIONS"}) {
		t.Errorf("api behavior %+v", api)
	}
	// Absent AllowedMethods mean GET and HEAD.
	if static.PathPattern != "static/*.css" || static.TargetOriginID != "failover" ||
		!slices.Equal(static.AllowedMethods, []string{"GET", "HEAD"}) || !slices.Equal(static.CachedMethods, []string{"GET", "HEAD"}) ||
		len(static.FunctionAssociations) != 1 || static.FunctionAssociations[0].EventType != "viewer-request" {
		t.Errorf("static behavior %+v", static)
	}
	wantErrors := []distributions.CustomErrorResponse{{ErrorCode: 404, ResponsePagePath: "/index.html", ResponseCode: "200"}, {ErrorCode: 503}}
	if !reflect.DeepEqual(cfg.CustomErrorResponses, wantErrors) {
		t.Errorf("CustomErrorResponses %+v", cfg.CustomErrorResponses)
	}

	// Raw is the document, every element kept, in order; rendering it gives it back.
	sameXML(t, cfg.Raw, doc)
	out, err := EncodeConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameXML(t, out, doc)
	if !strings.HasPrefix(string(out), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>`) {
		t.Errorf("rendered document starts %.120s", out)
	}
	// The canonical form is stable: decoding it again gives the same bytes and fields.
	again, err := DecodeConfig(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(again.Raw) != string(cfg.Raw) {
		t.Error("canonical form is not a fixed point")
	}
	again.Raw, cfg.Raw = nil, nil
	if !reflect.DeepEqual(again, cfg) {
		t.Error("fields differ after a second decode")
	}
}

// minimal builds a DistributionConfig with the required members and extra inner XML
// placed in the default cache behaviour and at the top level.
func minimal(behaviorExtra, topExtra string) string {
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` +
		`<CallerReference>ref</CallerReference>` +
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>localhost</DomainName>` +
		`<CustomOriginConfig><HTTPPort>8080</HTTPPort><HTTPSPort>8443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig>` +
		`</Origin></Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>` +
		`<CachePolicyId>p</CachePolicyId>` + behaviorExtra + `</DefaultCacheBehavior>` +
		`<Comment></Comment><Enabled>false</Enabled>` + topExtra + `</DistributionConfig>`
}

func TestDecodeMinimalAppliesDefaults(t *testing.T) {
	// No namespace, no declaration, and the Go SDK's alphabetical order are all fine.
	doc := `<DistributionConfig><Enabled>true</Enabled><DefaultCacheBehavior><ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>` +
		`<TargetOriginId>o</TargetOriginId><CachePolicyId>p</CachePolicyId></DefaultCacheBehavior><Comment/>` +
		`<Origins><Items><Origin><DomainName>localhost</DomainName><Id>o</Id><CustomOriginConfig><OriginProtocolPolicy>match-viewer</OriginProtocolPolicy>` +
		`<HTTPSPort>443</HTTPSPort><HTTPPort>80</HTTPPort></CustomOriginConfig></Origin></Items><Quantity>1</Quantity></Origins>` +
		`<CallerReference>r</CallerReference></DistributionConfig>`
	cfg, err := DecodeConfig([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.Origins[0]
	if o.ConnectionAttempts != 3 || o.ConnectionTimeout != 10 || o.Custom.ReadTimeout != 30 || o.Custom.KeepaliveTimeout != 5 {
		t.Errorf("origin defaults: %+v %+v", o, *o.Custom)
	}
	b := cfg.DefaultBehavior
	if !slices.Equal(b.AllowedMethods, []string{"GET", "HEAD"}) || !slices.Equal(b.CachedMethods, []string{"GET", "HEAD"}) || b.Compress {
		t.Errorf("behavior defaults: %+v", b)
	}
	// Raw gains the namespace (on the root) but nothing else.
	if !strings.Contains(string(cfg.Raw), `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Enabled>true</Enabled>`) ||
		strings.Contains(string(cfg.Raw), "ConnectionAttempts") {
		t.Errorf("Raw = %s", cfg.Raw)
	}
}

func TestDecodeKeepsTextExactly(t *testing.T) {
	for _, comment := range []string{"", " ", "  padded  ", "a\nb", "tab\there", "x&amp;y &lt;z&gt; &quot;q&quot; &apos;", "é 日本 🚀", "cr&#xD;lf&#xD;&#xA;", "<![CDATA[<raw> & ]]>"} {
		cfg, err := DecodeConfig([]byte(strings.Replace(minimal("", ""), "<Comment></Comment>", "<Comment>"+comment+"</Comment>", 1)))
		if err != nil {
			t.Fatalf("%q: %v", comment, err)
		}
		out, err := EncodeConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeConfig(out)
		if err != nil {
			t.Fatalf("%q: re-decode: %v", comment, err)
		}
		if again.Comment != cfg.Comment {
			t.Errorf("comment %q came back as %q", cfg.Comment, again.Comment)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		code string
		msg  string // substring of the message ("" = any)
	}{
		{"empty", "", "MissingBody", "requires a body"},
		{"blank", " \n\t", "MissingBody", ""},
		{"not XML", "hello", "MalformedXML", "not well-formed"},
		{"JSON", `{"DistributionConfig":{}}`, "MalformedXML", ""},
		{"unclosed", `<DistributionConfig><Comment>x</DistributionConfig>`, "MalformedXML", ""},
		{"wrong root", `<CreateDistributionRequest/>`, "MalformedXML", "root element must be <DistributionConfig>"},
		{"foreign namespace", `<DistributionConfig xmlns="urn:other"/>`, "MalformedXML", "namespace"},
		{"foreign child namespace", minimal(`<x:Y xmlns:x="urn:other">1</x:Y>`, ""), "MalformedXML", "namespace"},
		{"DTD", `<!DOCTYPE d [<!ENTITY e "x">]>` + minimal("", ""), "MalformedXML", "DTD"},
		{"two roots", minimal("", "") + minimal("", ""), "MalformedXML", "after the root"},
		{"trailing text", minimal("", "") + "junk", "MalformedXML", ""},
		{"mixed content", minimal("", "stray text"), "MalformedXML", "mixes text and elements"},
		{"duplicate member", minimal("", "<Enabled>true</Enabled>"), "MalformedXML", "<Enabled> appears more than once"},
		{"bad boolean", minimal("<Compress>yes</Compress>", ""), "MalformedXML", "'yes' of <Compress> is not a boolean"},
		{"bad boolean unmodeled", minimal("", "<IsIPV6Enabled>1</IsIPV6Enabled>"), "MalformedXML", "<IsIPV6Enabled>"},
		{"bad integer", strings.Replace(minimal("", ""), "<HTTPPort>8080", "<HTTPPort>80x", 1), "MalformedXML", "not an integer"},
		{"integer overflow", minimal("<MinTTL>99999999999999999999</MinTTL>", ""), "MalformedXML", "<MinTTL>"},
		{"leaf with elements", minimal("", "<WebACLId><x/></WebACLId>"), "MalformedXML", "must hold a value"},
		{"typed leaf with elements", minimal("<Compress><b/></Compress>", ""), "MalformedXML", "must hold a value"},
		{"structure with text", minimal("", "<Aliases>www.example.com</Aliases>"), "MalformedXML", "must hold elements"},
		{"items of two kinds", minimal("", "<Aliases><Quantity>2</Quantity><Items><CNAME>a.com</CNAME><Name>b.com</Name></Items></Aliases>"), "MalformedXML", "mixes <CNAME> and <Name>"},
		{"items of the wrong kind", minimal("", "<Aliases><Quantity>1</Quantity><Items><Alias>a.com</Alias></Items></Aliases>"), "MalformedXML", "must hold <CNAME> elements"},
		{"too deep", minimal("", strings.Repeat("<A>", 40)+strings.Repeat("</A>", 40)), "MalformedXML", "nested too deeply"},
		{"quantity too high", minimal("", "<Aliases><Quantity>2</Quantity><Items><CNAME>a.com</CNAME></Items></Aliases>"), "InconsistentQuantities",
			"Quantity is 2 but Items holds 1 at 'distributionConfig.aliases'"},
		{"quantity without items", minimal("", "<Aliases><Quantity>1</Quantity></Aliases>"), "InconsistentQuantities", ""},
		{"quantity in unmodeled element", minimal("", "<Restrictions><GeoRestriction><RestrictionType>whitelist</RestrictionType><Quantity>3</Quantity><Items><Location>US</Location></Items></GeoRestriction></Restrictions>"),
			"InconsistentQuantities", "'distributionConfig.restrictions.geoRestriction'"},
		{"items without quantity", minimal("", "<Aliases><Items><CNAME>a.com</CNAME></Items></Aliases>"), "MalformedXML",
			"1 validation errors detected: Value null at 'distributionConfig.aliases.quantity' failed to satisfy constraint: Member must not be null"},
		{"empty list wrapper", minimal("", "<CacheBehaviors/>"), "MalformedXML", "'distributionConfig.cacheBehaviors.quantity'"},
		{"unmodeled enum", minimal("", "<PriceClass>PriceClass_Cheap</PriceClass>"), "MalformedXML",
			"1 validation errors detected: Value 'PriceClass_Cheap' at 'distributionConfig.priceClass' failed to satisfy constraint: Member must satisfy value set: [PriceClass_100, PriceClass_200, PriceClass_All, None]"},
		{"viewer protocol policy", strings.Replace(minimal("", ""), ">allow-all<", ">http-only<", 1), "MalformedXML",
			"Value 'http-only' at 'distributionConfig.defaultCacheBehavior.viewerProtocolPolicy' failed to satisfy constraint: Member must satisfy value set: [allow-all, https-only, redirect-to-https]"},
		{"method", minimal("<AllowedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>get</Method></Items></AllowedMethods>", ""), "MalformedXML",
			"Value 'get' at 'distributionConfig.defaultCacheBehavior.allowedMethods.items.2.member' failed to satisfy constraint: Member must satisfy value set: [GET, HEAD, POST, PUT, PATCH, OPTIONS, DELETE]"},
		{"function ARN pattern", minimal(fa("arn:aws:cloudfront::1234:function/x", "viewer-request"), ""), "MalformedXML",
			"1 validation errors detected: Value 'arn:aws:cloudfront::1234:function/x' at 'distributionConfig.defaultCacheBehavior.functionAssociations.items.1.member.functionARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws:cloudfront::[0-9]{12}:function\\/[a-zA-Z0-9-_]{1,64}"},
		{"function ARN length", minimal(fa("arn:aws:cloudfront::111122223333:function/"+strings.Repeat("f", 70), "viewer-request"), ""), "MalformedXML",
			"Member must have length less than or equal to 108"},
		{"lambda event type", minimal("<LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation><LambdaFunctionARN>arn:aws:lambda:us-east-1:111122223333:function:f:1</LambdaFunctionARN><EventType>viewer</EventType></LambdaFunctionAssociation></Items></LambdaFunctionAssociations>", ""),
			"MalformedXML", "Member must satisfy value set: [viewer-request, viewer-response, origin-request, origin-response]"},
		{"no origins", strings.Replace(minimal("", ""), `<Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>localhost</DomainName><CustomOriginConfig><HTTPPort>8080</HTTPPort><HTTPSPort>8443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items>`, `<Quantity>0</Quantity><Items></Items>`, 1),
			"MalformedXML", "Value '[]' at 'distributionConfig.origins.items' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"three group members", minimal("", `<OriginGroups><Quantity>1</Quantity><Items><OriginGroup><Id>g</Id><FailoverCriteria><StatusCodes><Quantity>1</Quantity><Items><StatusCode>500</StatusCode></Items></StatusCodes></FailoverCriteria>`+
			`<Members><Quantity>3</Quantity><Items><OriginGroupMember><OriginId>a</OriginId></OriginGroupMember><OriginGroupMember><OriginId>b</OriginId></OriginGroupMember><OriginGroupMember><OriginId>c</OriginId></OriginGroupMember></Items></Members></OriginGroup></Items></OriginGroups>`),
			"MalformedXML", "Value '[a, b, c]' at 'distributionConfig.originGroups.items.1.member.members.items' failed to satisfy constraint: Member must have length less than or equal to 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeConfig([]byte(tt.doc))
			e := wantAPIError(t, err, tt.code, 400)
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}

func fa(arn, event string) string {
	return `<FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation><FunctionARN>` + arn +
		`</FunctionARN><EventType>` + event + `</EventType></FunctionAssociation></Items></FunctionAssociations>`
}

// TestDecodeEventTypeMessages checks the exact messages CloudFront gave in the issues the
// spec cites (§1.6): terraform-aws-modules/terraform-aws-cloudfront #53 and #44.
func TestDecodeEventTypeMessages(t *testing.T) {
	arn := "arn:aws:cloudfront::111122223333:function/f"
	two := `<FunctionAssociations><Quantity>2</Quantity><Items>` +
		`<FunctionAssociation><FunctionARN>` + arn + `</FunctionARN><EventType>1</EventType></FunctionAssociation>` +
		`<FunctionAssociation><FunctionARN>` + arn + `</FunctionARN><EventType>0</EventType></FunctionAssociation>` +
		`</Items></FunctionAssociations>`
	_, err := DecodeConfig([]byte(minimal(two, "")))
	e := wantAPIError(t, err, "MalformedXML", 400)
	want := "2 validation errors detected: Value '1' at 'distributionConfig.defaultCacheBehavior.functionAssociations.items.1.member.eventType' failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response]; Value '0' at 'distributionConfig.defaultCacheBehavior.functionAssociations.items.2.member.eventType' failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response]"
	if e.Message != want {
		t.Errorf("message\n got %s\nwant %s", e.Message, want)
	}

	behaviors := `<CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior><PathPattern>/x/*</PathPattern><TargetOriginId>o</TargetOriginId>` +
		`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><CachePolicyId>p</CachePolicyId>` + fa(arn, "0") + `</CacheBehavior></Items></CacheBehaviors>`
	_, err = DecodeConfig([]byte(minimal("", behaviors)))
	e = wantAPIError(t, err, "MalformedXML", 400)
	want = "1 validation errors detected: Value '0' at 'distributionConfig.cacheBehaviors.items.1.member.functionAssociations.items.1.member.eventType' failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response]"
	if e.Message != want {
		t.Errorf("message\n got %s\nwant %s", e.Message, want)
	}

	// origin-request is a valid EventType for Lambda@Edge, not for a CloudFront function.
	_, err = DecodeConfig([]byte(minimal(fa(arn, "origin-request"), "")))
	wantAPIError(t, err, "MalformedXML", 400)
}

func TestDecodeRequiredMembers(t *testing.T) {
	_, err := DecodeConfig([]byte(`<DistributionConfig><Origins><Quantity>1</Quantity><Items><Origin><CustomOriginConfig/></Origin></Items></Origins><DefaultCacheBehavior/></DistributionConfig>`))
	e := wantAPIError(t, err, "MalformedXML", 400)
	for _, p := range []string{
		"distributionConfig.callerReference", "distributionConfig.comment", "distributionConfig.enabled",
		"distributionConfig.origins.items.1.member.id", "distributionConfig.origins.items.1.member.domainName",
		"distributionConfig.origins.items.1.member.customOriginConfig.hTTPPort",
		"distributionConfig.origins.items.1.member.customOriginConfig.originProtocolPolicy",
		"distributionConfig.defaultCacheBehavior.targetOriginId", "distributionConfig.defaultCacheBehavior.viewerProtocolPolicy",
	} {
		if !strings.Contains(e.Message, "Value null at '"+p+"' failed to satisfy constraint: Member must not be null") {
			t.Errorf("no violation for %s in %s", p, e.Message)
		}
	}
	if !strings.HasPrefix(e.Message, "10 validation errors detected: ") {
		t.Errorf("message %s", e.Message)
	}
}

func BenchmarkDecodeConfig(b *testing.B) {
	doc := readFile(b, "testdata/terraform-style.xml")
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := DecodeConfig(doc); err != nil {
			b.Fatal(err)
		}
	}
}

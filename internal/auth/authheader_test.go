package auth

import (
	"strings"
	"testing"
)

func TestParseAuthorizationForms(t *testing.T) {
	cases := map[string]claim{
		// botocore: no spaces after commas would also be legal; AWS trims around parameters.
		"AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/cloudfront/aws4_request,SignedHeaders=host;x-amz-date,Signature=ab12": {
			Algorithm: algorithmV4, AccessKeyID: "AKID", ScopeDate: "20261124", Region: "us-east-1", Service: "cloudfront",
			Terminator: "aws4_request", SignedHeaders: "host;x-amz-date", Signature: "ab12"},
		"AWS4-ECDSA-P256-SHA256 Credential=AKID/20261124/cloudfront-keyvaluestore/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3044": {
			Algorithm: algorithmV4A, AccessKeyID: "AKID", ScopeDate: "20261124", Service: "cloudfront-keyvaluestore",
			Terminator: "aws4_request", SignedHeaders: "host;x-amz-date;x-amz-region-set", Signature: "3044"},
		// Parameter order is free, unknown parameters are ignored, stray commas are skipped.
		"AWS4-HMAC-SHA256 Signature=ff, , Extra=1, SignedHeaders=host, Credential=K/20261124/eu-west-1/cloudfront/aws4_request,": {
			Algorithm: algorithmV4, AccessKeyID: "K", ScopeDate: "20261124", Region: "eu-west-1", Service: "cloudfront",
			Terminator: "aws4_request", SignedHeaders: "host", Signature: "ff"},
	}
	for header, want := range cases {
		got, err := parseAuthorization(header, false)
		if err != nil || got != want {
			t.Errorf("parseAuthorization(%q)\n = %+v, %v\nwant %+v", header, got, err, want)
		}
		if want.Algorithm == algorithmV4A && got.scope() != "20261124/cloudfront-keyvaluestore/aws4_request" {
			t.Errorf("SigV4A scope = %q", got.scope())
		}
	}
}

// render writes a claim back as an Authorization header.
func render(c claim) string {
	cred := c.AccessKeyID + "/" + c.scope()
	return c.Algorithm + " Credential=" + cred + ", SignedHeaders=" + c.SignedHeaders + ", Signature=" + c.Signature
}

func FuzzParseAuthorization(f *testing.F) {
	for _, c := range loadCaptures(f) {
		h, _ := c.Header("Authorization")
		f.Add(h)
	}
	for _, s := range []string{
		"", " ", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential", "AWS4-HMAC-SHA256 =,=,=",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=00, Signature=00",
		"AWS4-ECDSA-P256-SHA256 Credential=////, SignedHeaders=;, Signature=",
		"AWS AKID:sig", "Bearer eyJhbGciOi", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=HOST,Signature=x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		c, err := parseAuthorization(header, false)
		if err != nil {
			if err.Status != 403 || err.Code != "IncompleteSignature" {
				t.Fatalf("error %+v is not a 403 IncompleteSignature", err)
			}
			return
		}
		// What parses is well formed, and survives a round trip.
		if c.Algorithm != algorithmV4 && c.Algorithm != algorithmV4A {
			t.Fatalf("algorithm %q accepted", c.Algorithm)
		}
		if strings.Contains(c.AccessKeyID, "/") || strings.Contains(c.Service, "/") || strings.Contains(c.Region, "/") {
			t.Fatalf("scope element holds a slash: %+v", c)
		}
		if err := checkSignedHeaders(c.SignedHeaders); err != nil {
			t.Fatalf("accepted bad SignedHeaders %q", c.SignedHeaders)
		}
		again, err := parseAuthorization(render(c), false)
		if err != nil || again != c {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", render(c), again, err, c)
		}
	})
}

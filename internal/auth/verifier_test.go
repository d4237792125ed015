package auth

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// signedRequest returns a server-side view of a GET signed by the SDK at testTime.
func signedRequest(t *testing.T, cred Credential, region, service string) *http.Request {
	t.Helper()
	r := newClientRequest(t, "GET", "http://127.0.0.1:18080/2020-05-31/function/f/describe", nil)
	signWithSDK(t, r, nil, cred, region, service, testTime)
	return serverView(t, r)
}

func TestVerifyAcceptsAnyRegion(t *testing.T) {
	v := newTestVerifier(t, testTime, Options{})
	for _, region := range []string{"us-east-1", "eu-west-1", "aws-global", "cn-northwest-1"} {
		got, err := v.Verify(signedRequest(t, testCred, region, "cloudfront"), nil)
		if err != nil || got != testCred {
			t.Errorf("%s: %+v, %v", region, got, err)
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	const mismatch = signatureMismatchText
	good := signedRequest(t, testCred, "us-east-1", "cloudfront")
	goodAuth := good.Header.Get("Authorization")
	sig := goodAuth[strings.Index(goodAuth, "Signature=")+len("Signature="):]
	withAuth := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", v) }
	}
	cases := []struct {
		name       string
		edit       func(*http.Request)
		opts       Options
		now        time.Time
		code, text string
	}{
		{name: "no authentication",
			edit: func(r *http.Request) { r.Header.Del("Authorization") },
			code: "MissingAuthenticationToken", text: "Missing Authentication Token"},
		{name: "not AWS4",
			edit: withAuth("AWS AKIATESTKEY0000001:abc="),
			code: "IncompleteSignature", text: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS AKIATESTKEY0000001:abc="},
		{name: "bearer token and no date",
			edit: func(r *http.Request) { r.Header.Set("Authorization", "Bearer x"); r.Header.Del("X-Amz-Date") },
			code: "IncompleteSignature", text: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer x"},
		{name: "missing signature",
			edit: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY0000001/20261124/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date"),
			code: "IncompleteSignature", text: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential="},
		{name: "missing date",
			edit: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			code: "IncompleteSignature", text: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "},
		{name: "pair without equals",
			edit: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY0000001/20261124/us-east-1/cloudfront/aws4_request, SignedHeaders, Signature=" + sig),
			code: "IncompleteSignature", text: "'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential="},
		{name: "duplicate parameter",
			edit: withAuth(goodAuth + ", Signature=" + sig),
			code: "IncompleteSignature", text: "Authorization header has more than one 'Signature' parameter."},
		{name: "short credential",
			edit: withAuth("AWS4-HMAC-SHA256 Credential=AKIATESTKEY0000001/20261124/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig),
			code: "IncompleteSignature", text: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIATESTKEY0000001/20261124/cloudfront/aws4_request'"},
		{name: "sigv4a credential with region",
			edit: withAuth("AWS4-ECDSA-P256-SHA256 Credential=AKIATESTKEY0000001/20261124/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig),
			code: "IncompleteSignature", text: "Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term"},
		{name: "upper-case signed header",
			edit: withAuth(strings.Replace(goodAuth, "host;x-amz-date", "Host;x-amz-date", 1)),
			code: "IncompleteSignature", text: "SignedHeaders must be a semicolon-separated list of lowercase header names, got 'Host;x-amz-date'"},
		{name: "empty signed header",
			edit: withAuth(strings.Replace(goodAuth, "host;x-amz-date", "host;;x-amz-date", 1)),
			code: "IncompleteSignature", text: "SignedHeaders must be a semicolon-separated list"},
		{name: "bad date",
			edit: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2026-11-24T21:11:29Z") },
			code: "IncompleteSignature", text: "Date must be in ISO-8601 'basic format'. Got '2026-11-24T21:11:29Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "scope date differs",
			edit: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20261125T000001Z") },
			code: "SignatureDoesNotMatch", text: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261124' != '20261125', from '20261125T000001Z'."},
		{name: "bad terminator",
			edit: withAuth(strings.Replace(goodAuth, "aws4_request", "aws5_request", 1)),
			code: "SignatureDoesNotMatch", text: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{name: "empty region",
			edit: withAuth(strings.Replace(goodAuth, "/us-east-1/", "//", 1)),
			code: "SignatureDoesNotMatch", text: "Credential should be scoped to a valid region."},
		{name: "wrong service",
			opts: Options{Services: []string{"cloudfront-keyvaluestore"}},
			code: "SignatureDoesNotMatch", text: "Credential should be scoped to correct service: 'cloudfront-keyvaluestore'."},
		{name: "unknown key",
			edit: withAuth(strings.Replace(goodAuth, testCred.AccessKeyID, "AKIAUNKNOWN", 1)),
			code: "InvalidClientTokenId", text: "The security token included in the request is invalid."},
		{name: "expired",
			now:  testTime.Add(15*time.Minute + time.Second),
			code: "SignatureDoesNotMatch", text: "Signature expired: 20261124T211129Z is now earlier than 20261124T211130Z (20261124T212630Z - 15 min.)"},
		{name: "from the future",
			now:  testTime.Add(-15*time.Minute - time.Second),
			code: "SignatureDoesNotMatch", text: "Signature not yet current: 20261124T211129Z is still later than 20261124T211128Z (20261124T205628Z + 15 min.)"},
		{name: "narrower skew",
			opts: Options{MaxSkew: 5 * time.Minute}, now: testTime.Add(6 * time.Minute),
			code: "SignatureDoesNotMatch", text: "Signature expired: 20261124T211129Z is now earlier than 20261124T211229Z (20261124T211729Z - 5 min.)"},
		{name: "host not signed",
			edit: withAuth(strings.Replace(goodAuth, "host;x-amz-date", "x-amz-date", 1)),
			code: "SignatureDoesNotMatch", text: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "signature not hex",
			edit: withAuth(strings.Replace(goodAuth, sig, "zz"+sig[2:], 1)),
			code: "SignatureDoesNotMatch", text: mismatch},
		{name: "signature wrong",
			edit: withAuth(strings.Replace(goodAuth, sig, strings.Repeat("0", 64), 1)),
			code: "SignatureDoesNotMatch", text: mismatch + "\n\nThe Canonical String for this request should have been\n'GET\n/2020-05-31/function/f/describe\n\nhost:127.0.0.1:18080\nx-amz-date:20261124T211129Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261124T211129Z\n20261124/us-east-1/cloudfront/aws4_request\n"},
		{name: "signature truncated",
			edit: withAuth(strings.Replace(goodAuth, sig, sig[:62], 1)),
			code: "SignatureDoesNotMatch", text: mismatch},
		{name: "malformed query escape",
			edit: func(r *http.Request) { r.URL.RawQuery = "a=%zz" },
			code: "SignatureDoesNotMatch", text: mismatch},
		{name: "two Authorization headers",
			edit: func(r *http.Request) { r.Header.Add("Authorization", goodAuth) },
			code: "IncompleteSignature", text: "Only one Authorization header is allowed"},
		{name: "header and presigned query",
			edit: func(r *http.Request) { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256" },
			code: "IncompleteSignature", text: "Only one auth mechanism allowed"},
		{name: "incomplete presigned query",
			edit: func(r *http.Request) {
				r.Header.Del("Authorization")
				r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261124T211129Z"
			},
			code: "IncompleteSignature", text: "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders' exactly once."},
		{name: "presigned with unknown algorithm",
			edit: func(r *http.Request) {
				r.Header.Del("Authorization")
				r.URL.RawQuery = "X-Amz-Algorithm=HMAC&X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-Date=c&X-Amz-SignedHeaders=host"
			},
			code: "IncompleteSignature", text: `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256" and "AWS4-ECDSA-P256-SHA256", got 'HMAC'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := good.Clone(good.Context())
			if tc.edit != nil {
				tc.edit(r)
			}
			now := tc.now
			if now.IsZero() {
				now = testTime
			}
			_, err := newTestVerifier(t, now, tc.opts).Verify(r, nil)
			wantAPIError(t, err, tc.code, tc.text)
		})
	}
}

func TestVerifyEdgesOfSkewWindow(t *testing.T) {
	r := signedRequest(t, testCred, "us-east-1", "cloudfront")
	for _, now := range []time.Time{testTime.Add(15 * time.Minute), testTime.Add(-15 * time.Minute)} {
		if _, err := newTestVerifier(t, now, Options{}).Verify(r, nil); err != nil {
			t.Errorf("clock %v: %v", now, err)
		}
	}
}

// A body that differs from what was signed fails, even when the client's own
// X-Amz-Content-Sha256 claims the new body's hash: we always hash the body we got.
func TestVerifyHashesTheBodyItself(t *testing.T) {
	body := []byte("<signed/>")
	r := newClientRequest(t, "POST", "http://h/2020-05-31/function", body)
	r.Header.Set("X-Amz-Content-Sha256", bodyHash(body))
	signWithSDK(t, r, body, testCred, "us-east-1", "cloudfront", testTime)
	s := serverView(t, r)
	v := newTestVerifier(t, testTime, Options{})
	if _, err := v.Verify(s, body); err != nil {
		t.Fatal(err)
	}
	other := []byte("<forged/>")
	_, err := v.Verify(s, other)
	wantAPIError(t, err, "SignatureDoesNotMatch", signatureMismatchText)
}

func TestVerifyPicksTheSigningCredential(t *testing.T) {
	second := Credential{AccessKeyID: "AKIASECOND", SecretAccessKey: "second-secret", AccountID: "444455556666"}
	v, err := NewVerifier([]Credential{testCred, second}, Options{Clock: func() time.Time { return testTime }})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(signedRequest(t, second, "us-east-1", "cloudfront"), nil)
	if err != nil || got != second {
		t.Fatalf("got %+v, %v", got, err)
	}
	// Right key id, other credential's secret.
	swapped := Credential{AccessKeyID: second.AccessKeyID, SecretAccessKey: testCred.SecretAccessKey}
	_, err = v.Verify(signedRequest(t, swapped, "us-east-1", "cloudfront"), nil)
	wantAPIError(t, err, "SignatureDoesNotMatch", signatureMismatchText)
}

func TestNewVerifierRejectsBadCredentials(t *testing.T) {
	for _, creds := range [][]Credential{
		{testCred, testCred},
		{{AccessKeyID: "", SecretAccessKey: "s", AccountID: "123456789012"}},
		{{AccessKeyID: "A/B", SecretAccessKey: "s", AccountID: "123456789012"}},
		{{AccessKeyID: "A", SecretAccessKey: "", AccountID: "123456789012"}},
		{{AccessKeyID: "A", SecretAccessKey: "s", AccountID: "12345"}},
	} {
		if _, err := NewVerifier(creds, Options{}); err == nil {
			t.Errorf("NewVerifier(%+v) accepted", creds)
		}
	}
}

func TestVerifyConcurrentSigV4A(t *testing.T) {
	// Many goroutines deriving the same SigV4A key at once must all agree.
	var captures []int
	all := loadCaptures(t)
	for i, c := range all {
		if a, _ := c.Header("Authorization"); strings.HasPrefix(a, algorithmV4A) {
			captures = append(captures, i)
		}
	}
	c := all[captures[0]]
	v := verifierAt(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			r, err := c.ToHTTPRequest()
			if err == nil {
				_, err = v.Verify(r, c.Body)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestJSONProtocolError(t *testing.T) {
	for in, want := range map[string]string{
		"MissingAuthenticationToken": "MissingAuthenticationTokenException",
		"IncompleteSignature":        "IncompleteSignatureException",
		"InvalidClientTokenId":       "UnrecognizedClientException",
		"SignatureDoesNotMatch":      "InvalidSignatureException",
		"AccessDenied":               "AccessDenied",
	} {
		e := JSONProtocolError(apierror.New(in, 403, "m"))
		if e.Code != want || e.Status != 403 || e.Message != "m" {
			t.Errorf("%s -> %+v, want %s", in, e, want)
		}
	}
}

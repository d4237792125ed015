package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// Requests signed by the SDK's SigV4 signer, sent over a wire and read back as a
// server does, must verify; this pins our canonicalisation to the SDK's on inputs
// the captures do not cover.
func TestSDKSignedRequestsVerify(t *testing.T) {
	cases := []struct {
		name, method, url string
		body              string
		headers           [][2]string
	}{
		{name: "plain GET", method: "GET", url: "http://127.0.0.1:18080/2020-05-31/function"},
		{name: "encoded name", method: "GET", url: "http://127.0.0.1:18080/2020-05-31/function/bad%20name%21/describe"},
		{name: "kvs arn and key", method: "GET", url: "http://localhost:9/key-value-stores/arn%3Aaws%3Acloudfront%3A%3A123456789012%3Akey-value-store%2Fa1b2/keys/dir%2Fa%20b"},
		{name: "utf-8 path", method: "GET", url: "http://h/caf%C3%A9/%E2%9C%93"},
		{name: "reserved chars in path", method: "GET", url: "http://h/a%2Bb/c%3Dd/e~f_g.h-i"},
		{name: "root", method: "GET", url: "http://h/"},
		{name: "no path", method: "GET", url: "http://h"},
		{name: "query order and repeats", method: "GET", url: "http://h/p?b=2&a=1&a=0&Stage=LIVE&MaxItems=5"},
		{name: "query escapes", method: "GET", url: "http://h/p?q=a%20b&x=%2F%3D%26&k=caf%C3%A9&empty=&flag"},
		{name: "default port omitted", method: "GET", url: "http://example.com/p"},
		{name: "odd port", method: "GET", url: "http://example.com:8443/p"},
		{name: "body", method: "POST", url: "http://h/2020-05-31/function", body: "<CreateFunctionRequest/>",
			headers: [][2]string{{"Content-Type", "application/xml"}}},
		{name: "spaces in values", method: "PUT", url: "http://h/2020-05-31/function/f", body: "x",
			headers: [][2]string{{"If-Match", "  E1  "}, {"X-Custom", "a   b \t c"}}},
		{name: "repeated header", method: "DELETE", url: "http://h/2020-05-31/function/f",
			headers: [][2]string{{"X-Multi", "one"}, {"X-Multi", "two"}, {"If-Match", "E2"}}},
	}
	v := newTestVerifier(t, testTime, Options{})
	for _, region := range []string{"us-east-1", "eu-west-1", "aws-global"} {
		for _, tc := range cases {
			t.Run(region+"/"+tc.name, func(t *testing.T) {
				r := newClientRequest(t, tc.method, tc.url, []byte(tc.body))
				for _, h := range tc.headers {
					r.Header.Add(h[0], h[1])
				}
				signWithSDK(t, r, []byte(tc.body), testCred, region, "cloudfront", testTime)
				got, err := v.Verify(serverView(t, r), []byte(tc.body))
				if err != nil {
					t.Fatal(err)
				}
				if got != testCred {
					t.Fatalf("verified as %+v", got)
				}
			})
		}
	}
}

// A wrong signature's error carries the canonical request we built; it must be the
// same text the SDK signer logged while signing.
func TestMismatchReportsSDKCanonicalRequest(t *testing.T) {
	logged := &captureLogger{}
	r := newClientRequest(t, "PUT", "http://127.0.0.1:18080/2020-05-31/function/bad%20name?Stage=LIVE", []byte("body"))
	r.Header.Set("If-Match", "E1")
	creds := aws.Credentials{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: "not-the-secret"}
	err := v4.NewSigner(func(o *v4.SignerOptions) { o.LogSigning = true; o.Logger = logged }).
		SignHTTP(context.Background(), creds, r, bodyHash([]byte("body")), "cloudfront", "us-east-1", testTime)
	if err != nil {
		t.Fatal(err)
	}
	_, err = newTestVerifier(t, testTime, Options{}).Verify(serverView(t, r), []byte("body"))
	wantAPIError(t, err, "SignatureDoesNotMatch", signatureMismatchText+"\n\nThe Canonical String for this request should have been\n'PUT\n/2020-05-31/function/bad%2520name\nStage=LIVE\n")
	canonical, stringToSign := logged.between("CANONICAL STRING  ]", "---[ STRING TO SIGN ]"), logged.between("STRING TO SIGN ]", "-----")
	msg := err.Error()
	if !strings.Contains(msg, "'"+canonical+"'") || !strings.Contains(msg, "'"+stringToSign+"'") {
		t.Fatalf("message %q\ndoes not quote the SDK's canonical request %q\nand string to sign %q", msg, canonical, stringToSign)
	}
}

type captureLogger struct{ text string }

func (l *captureLogger) Logf(_ logging.Classification, format string, args ...any) {
	l.text += fmt.Sprintf(format, args...)
}

// between returns the text after the line containing start up to the line
// containing end, without the surrounding newlines.
func (l *captureLogger) between(start, end string) string {
	_, rest, _ := strings.Cut(l.text, start)
	_, rest, _ = strings.Cut(rest, "\n")
	i := strings.Index(rest, end)
	if i < 0 {
		return ""
	}
	rest = rest[:i]
	return strings.TrimSuffix(rest[:strings.LastIndex(rest, "\n")+1], "\n")
}

func presign(t *testing.T, method, url string, expires time.Duration, at time.Time) *http.Request {
	t.Helper()
	r := newClientRequest(t, method, url, nil)
	if expires > 0 {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", fmt.Sprint(int(expires/time.Second)))
		r.URL.RawQuery = q.Encode()
	}
	creds := aws.Credentials{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: testCred.SecretAccessKey}
	signed, headers, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, bodyHash(nil), "cloudfront", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	out := newClientRequest(t, method, signed, nil)
	for k, vs := range headers {
		if !strings.EqualFold(k, "Host") {
			out.Header[k] = vs
		}
	}
	return serverView(t, out)
}

func TestPresignedURLs(t *testing.T) {
	const url = "http://127.0.0.1:18080/2020-05-31/function/f/describe?Stage=LIVE"
	r := presign(t, "GET", url, time.Hour, testTime)
	if !strings.Contains(r.RequestURI, "X-Amz-Signature=") {
		t.Fatalf("not presigned: %s", r.RequestURI)
	}
	for _, tc := range []struct {
		name   string
		now    time.Time
		expect string
	}{
		{"at signing", testTime, ""},
		{"within expiry", testTime.Add(59 * time.Minute), ""},
		{"client clock a little ahead", testTime.Add(-10 * time.Minute), ""},
		{"expired", testTime.Add(61 * time.Minute), "Signature expired: 20261124T211129Z is now earlier than 20261124T211229Z (20261124T221229Z - 60 min.)"},
		{"too far ahead", testTime.Add(-16 * time.Minute), "Signature not yet current: 20261124T211129Z is still later than 20261124T211029Z (20261124T205529Z + 15 min.)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newTestVerifier(t, tc.now, Options{}).Verify(r, nil)
			if tc.expect == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, "SignatureDoesNotMatch", tc.expect)
		})
	}

	t.Run("no X-Amz-Expires means the skew window", func(t *testing.T) {
		r := presign(t, "GET", url, 0, testTime)
		if _, err := newTestVerifier(t, testTime.Add(14*time.Minute), Options{}).Verify(r, nil); err != nil {
			t.Fatal(err)
		}
		_, err := newTestVerifier(t, testTime.Add(16*time.Minute), Options{}).Verify(r, nil)
		wantAPIError(t, err, "SignatureDoesNotMatch", "Signature expired:")
	})
	t.Run("tampered query", func(t *testing.T) {
		r := presign(t, "GET", url, time.Hour, testTime)
		r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Stage=LIVE", "Stage=DEVELOPMENT", 1)
		r.RequestURI = r.URL.RequestURI()
		_, err := newTestVerifier(t, testTime, Options{}).Verify(r, nil)
		wantAPIError(t, err, "SignatureDoesNotMatch", signatureMismatchText)
	})
	t.Run("bad expiry", func(t *testing.T) {
		for _, bad := range []string{"0", "-5", "604801", "1h", "9999999999999999999999"} {
			r := presign(t, "GET", url, time.Hour, testTime)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires="+bad, 1)
			_, err := newTestVerifier(t, testTime, Options{}).Verify(r, nil)
			wantAPIError(t, err, "IncompleteSignature", "X-Amz-Expires must be a whole number of seconds from 1 to 604800")
		}
	})
}

// The header parser and the verifier must agree with what the SDK puts in the
// Authorization header for every algorithm field, so a round trip through
// parseAuthorization keeps the claim.
func TestSDKAuthorizationHeaderParses(t *testing.T) {
	r := newClientRequest(t, "GET", "http://h/p", nil)
	signWithSDK(t, r, nil, testCred, "eu-west-1", "cloudfront", testTime)
	c, err := parseAuthorization(r.Header.Get("Authorization"), false)
	if err != nil {
		t.Fatal(err)
	}
	want := claim{Algorithm: algorithmV4, AccessKeyID: testCred.AccessKeyID, ScopeDate: "20261124", Region: "eu-west-1",
		Service: "cloudfront", Terminator: terminator, SignedHeaders: "host;x-amz-date", Signature: c.Signature}
	if c != want || len(c.Signature) != 64 {
		t.Fatalf("claim = %+v", c)
	}
}

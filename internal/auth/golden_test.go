package auth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/wirecapture"
)

// The captures were signed by real clients with AWS's documentation example keys.
var captureCred = Credential{
	AccessKeyID:     "AKIDEXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	AccountID:       "123456789012",
}

func loadCaptures(t testing.TB) []wirecapture.Capture {
	t.Helper()
	all, err := wirecapture.ParseDir(wirecapture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// verifierAt returns a verifier whose clock reads the capture's X-Amz-Date.
func verifierAt(t testing.TB, c wirecapture.Capture) *Verifier {
	t.Helper()
	date, _ := c.Header("X-Amz-Date")
	now, err := time.Parse(amzDateFormat, date)
	if err != nil {
		t.Fatalf("%s: X-Amz-Date %q: %v", c.Name, date, err)
	}
	v, err := NewVerifier([]Credential{captureCred}, Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGoldenCapturesVerify(t *testing.T) {
	counts := map[string]int{}
	for _, c := range loadCaptures(t) {
		authz, _ := c.Header("Authorization")
		alg, _, _ := strings.Cut(authz, " ")
		counts[alg]++
		r, err := c.ToHTTPRequest()
		if err != nil {
			t.Fatal(err)
		}
		got, err := verifierAt(t, c).Verify(r, c.Body)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if got != captureCred {
			t.Errorf("%s: verified as %+v", c.Name, got)
		}
	}
	if counts[algorithmV4] != 149 || counts[algorithmV4A] != 30 {
		t.Errorf("captures by algorithm = %v, want 149 SigV4 and 30 SigV4A", counts)
	}
}

// withHeader returns a copy of c whose first header named name (any case) has value.
func withHeader(c wirecapture.Capture, name, value string) wirecapture.Capture {
	c.Headers = slices.Clone(c.Headers)
	for i, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			c.Headers[i].Value = value
			return c
		}
	}
	c.Headers = append(c.Headers, wirecapture.Header{Name: name, Value: value})
	return c
}

// Every capture, altered in one signed place, must be rejected; altered in an
// unsigned header, it must still verify.
func TestGoldenCapturesTampered(t *testing.T) {
	for _, c := range loadCaptures(t) {
		authz, _ := c.Header("Authorization")
		signed := strings.Split(authz[strings.Index(authz, "SignedHeaders=")+len("SignedHeaders="):strings.Index(authz, ", Signature=")], ";")
		date, _ := c.Header("X-Amz-Date")
		later, _ := time.Parse(amzDateFormat, date)

		tampered := map[string]wirecapture.Capture{}
		if len(c.Body) > 0 {
			t2 := c
			t2.Body = slices.Clone(c.Body)
			t2.Body[len(t2.Body)/2] ^= 0x01
			tampered["body byte"] = t2
		}
		t3 := c
		t3.Target = strings.Replace(c.Target, "/2020-05-31/", "/2020-05-30/", 1)
		t3.Target = strings.Replace(t3.Target, "/key-value-stores/", "/key-value-storez/", 1)
		tampered["path"] = t3
		t4 := c
		t4.Method = map[string]string{"GET": "HEAD", "POST": "PUT", "PUT": "POST", "DELETE": "GET"}[c.Method]
		tampered["method"] = t4
		tampered["date"] = withHeader(c, "X-Amz-Date", later.Add(time.Second).Format(amzDateFormat))
		t5 := withHeader(c, "Host", "127.0.0.2:18080")
		// An absolute-form target's authority overrides the Host header (RFC 9112 §3.2.2),
		// so that is where the host must change for proxied (boto3) captures.
		t5.Target = strings.Replace(t5.Target, "http://123456789012.localhost:18080/", "http://123456789013.localhost:18080/", 1)
		tampered["host"] = t5
		for _, name := range signed {
			if name != "host" && name != "x-amz-date" && name != "content-length" {
				v, _ := c.Header(name)
				tampered["signed header "+name] = withHeader(c, name, v+"x")
			}
		}

		v := verifierAt(t, c)
		for what, tc := range tampered {
			r, err := tc.ToHTTPRequest()
			if err != nil {
				t.Fatalf("%s/%s: %v", c.Name, what, err)
			}
			_, err = v.Verify(r, tc.Body)
			if e := apierror.As(err); e == nil || e.Code != "SignatureDoesNotMatch" {
				t.Errorf("%s with tampered %s: err = %v, want SignatureDoesNotMatch", c.Name, what, err)
			}
		}

		for _, unsigned := range []wirecapture.Capture{
			withHeader(c, "User-Agent", "something-else/1.0"),
			withHeader(c, "X-Unsigned-Extra", "1"),
		} {
			r, _ := unsigned.ToHTTPRequest()
			if _, err := v.Verify(r, unsigned.Body); err != nil {
				t.Errorf("%s: changing an unsigned header broke verification: %v", c.Name, err)
			}
		}
	}
}

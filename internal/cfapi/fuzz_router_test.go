package cfapi_test

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// FuzzRouter sends arbitrary methods, paths, queries, If-Match values and bodies through
// the whole API (with a function "f" in place, so real operations run too). Whatever
// net/http accepts as a request must get an answer with a request id, and every error
// must be the envelope with a 4xx status: nothing panics, nothing is an internal error.
func FuzzRouter(f *testing.F) {
	seeds := []struct{ method, target, ifMatch, body string }{
		{"GET", "/2020-05-31/function", "", ""},
		{"GET", "/2020-05-31/function?MaxItems=1&Marker=f&Stage=LIVE", "", ""},
		{"POST", "/2020-05-31/function", "", createBody("g")},
		{"GET", "/2020-05-31/function/f/describe?Stage=DEVELOPMENT", "", ""},
		{"GET", "/2020-05-31/function/f", "", ""},
		{"PUT", "/2020-05-31/function/f", "ETVPDKIKX0DER", `<UpdateFunctionRequest><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>YQ==</FunctionCode></UpdateFunctionRequest>`},
		{"POST", "/2020-05-31/function/f/publish", "ETVPDKIKX0DER", ""},
		{"DELETE", "/2020-05-31/function/f", "E3UN6WX5RRO2AG", ""},
		{"POST", "/2020-05-31/tagging?Operation=Tag&Resource=arn:aws:cloudfront::123456789012:function/f", "", `<Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags>`},
		{"POST", "/2020-05-31/tagging?Operation=Untag&Resource=arn:aws:cloudfront::123456789012:function/f", "", `<TagKeys><Items><Key>k</Key></Items></TagKeys>`},
		{"GET", "/2020-05-31/tagging?Resource=arn%3Aaws%3Acloudfront%3A%3A123456789012%3Afunction%2Ff", "", ""},
		{"GET", "/2020-05-31/function/bad%20name%21/describe", "", ""},
		{"PATCH", "/2020-05-31/function/f/test", "\"x\"", "{}"},
		{"GET", "/../../etc/passwd", "", ""},
		{"OPTIONS", "*", "", ""},
		{"GET", "http://other.example/2020-05-31/function", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.ifMatch, []byte(s.body))
	}
	s := newStack(f, stackOptions{})
	s.create(f, "f")
	f.Fuzz(func(t *testing.T, method, target, ifMatch string, body []byte) {
		raw := method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nIf-Match: " + ifMatch +
			"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + string(body)
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return // net/http would refuse this before any handler runs
		}
		rec := httptest.NewRecorder()
		s.API.ServeHTTP(rec, req)
		res := rec.Result()
		if res.Header.Get("x-amzn-RequestId") == "" {
			t.Fatalf("%q: no x-amzn-RequestId", raw)
		}
		if res.StatusCode >= 500 {
			t.Fatalf("%q: status %d\n%s", raw, res.StatusCode, rec.Body)
		}
		if res.StatusCode >= 400 {
			if envelopeRE.FindStringSubmatch(rec.Body.String()) == nil {
				t.Fatalf("%q: status %d without the envelope:\n%s", raw, res.StatusCode, rec.Body)
			}
		}
	})
}

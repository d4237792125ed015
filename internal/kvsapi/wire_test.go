package kvsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/store/sqlite"
)

type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

func (f *fixture) do(t *testing.T, method, path string, hdrs map[string]string, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// Keep the path exactly as written (percent-encoding included).
	req.URL.RawPath = strings.SplitN(path, "?", 2)[0]
	for k, v := range hdrs {
		req.Header.Set(k, v)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if header(resp.Header, "x-amzn-RequestId") == "" {
		t.Fatalf("%s %s: no x-amzn-RequestId", method, path)
	}
	return rawResponse{resp.StatusCode, resp.Header, b}
}

func keysPath(arn string) string { return collection + url.PathEscape(arn) + "/keys" }

// wantWireError checks the rest-json error envelope byte for byte in shape.
func wantWireError(t *testing.T, r rawResponse, code string, status int) {
	t.Helper()
	if r.status != status || header(r.header, "x-amzn-ErrorType") != code || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %q %q, want %d %s; body %s", r.status, header(r.header, "x-amzn-ErrorType"), r.header.Get("Content-Type"), status, code, r.body)
	}
	var env map[string]string
	if err := json.Unmarshal(r.body, &env); err != nil || env["__type"] != code || env["Message"] == "" || len(env) != 2 {
		t.Fatalf("envelope %s (%v)", r.body, err)
	}
}

func TestWireErrors(t *testing.T) {
	f := newFixture(t, Options{})
	arn := f.createStore(t, "wire")
	keys := keysPath(arn)
	etag := map[string]string{"If-Match": "KVTVPDKIKX0DER"}
	json := map[string]string{"If-Match": "KVTVPDKIKX0DER", "Content-Type": "application/json"}

	cases := []struct {
		name, method, path string
		header             map[string]string
		body, code         string
		status             int
	}{
		{"no if-match put", "PUT", keys + "/k", nil, `{"Value":"v"}`, "ValidationException", 400},
		{"no if-match delete", "DELETE", keys + "/k", nil, "", "ValidationException", 400},
		{"no if-match update", "POST", keys, nil, `{}`, "ValidationException", 400},
		{"malformed json", "PUT", keys + "/k", json, `{"Value":`, "ValidationException", 400},
		{"wrong type", "PUT", keys + "/k", json, `{"Value":1}`, "ValidationException", 400},
		{"missing value", "PUT", keys + "/k", json, `{"value2":"x"}`, "ValidationException", 400},
		{"empty body", "PUT", keys + "/k", json, ``, "ValidationException", 400},
		{"array body", "PUT", keys + "/k", json, `["v"]`, "ValidationException", 400},
		{"null body", "POST", keys, json, `null`, "ValidationException", 400},
		{"trailing garbage", "PUT", keys + "/k", json, `{"Value":"v"} x`, "ValidationException", 400},
		{"invalid utf-8", "PUT", keys + "/k", json, "{\"Value\":\"\xff\"}", "ValidationException", 400},
		{"put without key", "POST", keys, json, `{"Puts":[{"Value":"v"}]}`, "ValidationException", 400},
		{"null put", "POST", keys, json, `{"Puts":[null]}`, "ValidationException", 400},
		{"delete without key", "POST", keys, json, `{"Deletes":[{}]}`, "ValidationException", 400},
		{"empty key segment", "GET", keys + "/", nil, "", "ValidationException", 400},
		{"key too long", "GET", keys + "/" + strings.Repeat("k", 513), nil, "", "ValidationException", 400},
		{"key invalid utf-8", "GET", keys + "/%FF", nil, "", "ValidationException", 400},
		{"malformed arn", "GET", collection + "not-an-arn", nil, "", "ValidationException", 400},
		{"max results 0", "GET", keys + "?MaxResults=0", nil, "", "ValidationException", 400},
		{"max results junk", "GET", keys + "?MaxResults=ten", nil, "", "ValidationException", 400},
		{"stale etag", "PUT", keys + "/k", map[string]string{"If-Match": "KVOLD"}, `{"Value":"v"}`, "ConflictException", 409},
		{"missing key", "GET", keys + "/nope", nil, "", "ResourceNotFoundException", 404},
		{"delete missing key", "DELETE", keys + "/nope", etag, "", "ResourceNotFoundException", 404},
		{"unknown store", "GET", collection + url.PathEscape("arn:aws:cloudfront::123456789012:key-value-store/nope"), nil, "", "ResourceNotFoundException", 404},
		{"other account", "GET", collection + url.PathEscape("arn:aws:cloudfront::210987654321:key-value-store/x"), nil, "", "AccessDeniedException", 403},
		{"unknown route", "GET", "/something", nil, "", "UnknownOperationException", 404},
		{"collection root", "GET", collection, nil, "", "UnknownOperationException", 404},
		{"wrong method", "PATCH", keys + "/k", nil, "", "UnknownOperationException", 404},
		{"post to store", "POST", collection + url.PathEscape(arn), nil, "", "UnknownOperationException", 404},
		{"unknown child", "GET", collection + url.PathEscape(arn) + "/values", nil, "", "UnknownOperationException", 404},
		{"too deep", "GET", keys + "/a/b", nil, "", "UnknownOperationException", 404},
		{"trailing slash", "GET", collection + url.PathEscape(arn) + "/", nil, "", "UnknownOperationException", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantWireError(t, f.do(t, c.method, c.path, c.header, c.body), c.code, c.status)
		})
	}
	// None of it changed the store.
	d, err := f.svc.DescribeData(context.Background(), acct, arn)
	if err != nil || d.ItemCount != 0 || d.ETag != "KVTVPDKIKX0DER" {
		t.Fatalf("store changed: %+v %v", d, err)
	}
}

func TestWireBodyLimit(t *testing.T) {
	f := newFixture(t, Options{MaxBodyBytes: 1000})
	arn := f.createStore(t, "limit")
	big := `{"Value":"` + strings.Repeat("v", 1000) + `"}`
	wantWireError(t, f.do(t, "PUT", keysPath(arn)+"/k", map[string]string{"If-Match": "KVTVPDKIKX0DER"}, big), "ValidationException", 400)
	wantWireError(t, f.do(t, "POST", keysPath(arn), map[string]string{"If-Match": "KVTVPDKIKX0DER"}, `{"Puts":[{"Key":"k","Value":"`+strings.Repeat("v", 1000)+`"}]}`), "ServiceQuotaExceededException", 402)

	// Without a Content-Length (chunked) the cap holds too.
	req, _ := http.NewRequest("PUT", f.srv.URL+keysPath(arn)+"/k", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("If-Match", "KVTVPDKIKX0DER")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantWireError(t, rawResponse{resp.StatusCode, resp.Header, b}, "ValidationException", 400)
}

func TestWireSuccessShapes(t *testing.T) {
	created := time.Date(2024, 8, 6, 22, 19, 10, 813_000_000, time.UTC)
	f := newFixture(t, Options{}, kvs.Options{Clock: func() time.Time { return created }})
	arn := f.createStore(t, "shapes")
	r := f.do(t, "GET", collection+url.PathEscape(arn), nil, "")
	if r.status != 200 || r.header.Get("ETag") != "KVTVPDKIKX0DER" || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("describe: %d %v", r.status, r.header)
	}
	want := `{"ItemCount":0,"TotalSizeInBytes":0,"KvsARN":"` + arn + `","Created":1722982750.813,"LastModified":1722982750.813,"Status":"READY"}`
	if string(r.body) != want {
		t.Fatalf("describe body\n%s\nwant\n%s", r.body, want)
	}
	r = f.do(t, "PUT", keysPath(arn)+"/"+url.PathEscape("a/b c"), map[string]string{"If-Match": "KVTVPDKIKX0DER"}, `{"Value":"v \u00e9"}`)
	if r.status != 200 || string(r.body) != `{"ItemCount":1,"TotalSizeInBytes":9}` || r.header.Get("ETag") != "KV3UN6WX5RRO2AG" {
		t.Fatalf("put: %d %s %v", r.status, r.body, r.header)
	}
	r = f.do(t, "GET", keysPath(arn)+"/a%2Fb%20c", nil, "")
	if r.status != 200 || string(r.body) != `{"Key":"a/b c","Value":"v é","ItemCount":1,"TotalSizeInBytes":9}` || r.header.Get("ETag") != "" {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", keysPath(arn), nil, "")
	if r.status != 200 || string(r.body) != `{"Items":[{"Key":"a/b c","Value":"v é"}]}` {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	r = f.do(t, "POST", keysPath(arn), map[string]string{"If-Match": "KV3UN6WX5RRO2AG"}, `{"Deletes":[{"Key":"a/b c"}]}`)
	if r.status != 200 || string(r.body) != `{"ItemCount":0,"TotalSizeInBytes":0}` {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	r = f.do(t, "GET", keysPath(arn), nil, "")
	if string(r.body) != `{"Items":[]}` {
		t.Fatalf("empty list: %s", r.body)
	}
}

func TestStoreFailureIsInternalServerException(t *testing.T) {
	db, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	svc := kvs.New(db, kvs.Options{})
	defer svc.Close()
	db.Close() // every store call now fails with a plain error
	rec := httptest.NewRecorder()
	New(svc, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).ServeHTTP(rec,
		httptest.NewRequest("GET", collection+url.PathEscape("arn:aws:cloudfront::123456789012:key-value-store/x"), nil))
	r := rawResponse{rec.Code, rec.Header(), rec.Body.Bytes()}
	wantWireError(t, r, "InternalServerException", 500)
	if strings.Contains(string(r.body), "closed") {
		t.Fatalf("internal detail leaked: %s", r.body)
	}
}

func TestAuthenticatorErrors(t *testing.T) {
	h := New(nil, Options{Authenticator: failingAuth{}})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", collection+url.PathEscape("arn:aws:cloudfront::123456789012:key-value-store/x"), nil)
	h.ServeHTTP(rec, req)
	wantWireError(t, rawResponse{rec.Code, rec.Header(), rec.Body.Bytes()}, "AccessDeniedException", 403)

	h = New(nil, Options{Authenticator: faultAuth{}})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", collection+"x", bytes.NewReader(nil)))
	wantWireError(t, rawResponse{rec.Code, rec.Header(), rec.Body.Bytes()}, "InvalidSignatureException", 403)
}

type failingAuth struct{}

func (failingAuth) Authenticate(*http.Request, []byte) (string, error) {
	return "", io.ErrUnexpectedEOF
}

type faultAuth struct{}

func (faultAuth) Authenticate(*http.Request, []byte) (string, error) {
	return "", apierror.New("InvalidSignatureException", 403, "The request signature is not valid.")
}

// header looks a header up case-insensitively: the handler writes AWS's spellings
// (x-amzn-RequestId), which a ResponseRecorder keeps uncanonicalised.
func header(h http.Header, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

package cfapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

// panicky is a service whose DescribeFunction panics.
type panicky struct{ cfapi.FunctionService }

func (panicky) Describe(context.Context, string, string, functions.Stage) (functions.Summary, error) {
	panic("boom")
}

// headerAuth accepts requests whose X-Test-Account header names an account.
type headerAuth struct{}

func (headerAuth) Authenticate(r *http.Request, body []byte) (string, error) {
	if acct := r.Header.Get("X-Test-Account"); acct != "" {
		return acct, nil
	}
	return "", apierror.MissingAuthenticationToken()
}

func newAPI(t *testing.T, wrap func(cfapi.FunctionService) cfapi.FunctionService, opts cfapi.Options) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	var svc cfapi.FunctionService = functions.New(st, runtime.NewEngine(runtime.Options{}), functions.Options{})
	if wrap != nil {
		svc = wrap(svc)
	}
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	srv := httptest.NewServer(cfapi.New(svc, opts))
	t.Cleanup(func() { srv.Close(); st.Close() })
	return srv, &logs
}

func get(t *testing.T, srv *httptest.Server, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

func TestPanicBecomesInternalError(t *testing.T) {
	srv, logs := newAPI(t, func(s cfapi.FunctionService) cfapi.FunctionService { return panicky{s} }, cfapi.Options{})
	resp, body := get(t, srv, "/2020-05-31/function/x/describe", nil)
	m := envelopeRE.FindStringSubmatch(body)
	if resp.StatusCode != 500 || m == nil || m[1] != "Receiver" || m[2] != "InternalError" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if strings.Contains(body, "boom") {
		t.Error("the panic value leaked to the client")
	}
	if !strings.Contains(logs.String(), "panic serving request") || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs)
	}
	// The server keeps serving.
	if resp, _ := get(t, srv, "/2020-05-31/function", nil); resp.StatusCode != 200 {
		t.Errorf("after a panic: %d", resp.StatusCode)
	}
}

func TestAccessLog(t *testing.T) {
	srv, logs := newAPI(t, nil, cfapi.Options{DefaultAccount: "000011112222"})
	resp, _ := get(t, srv, "/2020-05-31/function/missing/describe", nil)
	var entry map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(line), &e) == nil && e["msg"] == "request" {
			entry = e
		}
	}
	if entry == nil {
		t.Fatalf("no access log line in %s", logs)
	}
	want := map[string]any{
		"request_id": resp.Header.Get("x-amzn-RequestId"), "op": "DescribeFunction", "method": "GET",
		"path": "/2020-05-31/function/missing/describe", "status": float64(404), "error": "NoSuchFunctionExists", "account": "000011112222",
	}
	for k, v := range want {
		if entry[k] != v {
			t.Errorf("log %s = %v, want %v", k, entry[k], v)
		}
	}
	if _, ok := entry["latency"]; !ok {
		t.Error("no latency in the access log")
	}
}

func TestAuthenticatorDecidesTheAccount(t *testing.T) {
	srv, _ := newAPI(t, nil, cfapi.Options{Auth: headerAuth{}})
	resp, body := get(t, srv, "/2020-05-31/function", nil)
	if m := envelopeRE.FindStringSubmatch(body); resp.StatusCode != 403 || m == nil || m[2] != "MissingAuthenticationToken" {
		t.Fatalf("unauthenticated: %d %s", resp.StatusCode, body)
	}
	// An unknown route is still refused as unauthenticated first, so it reveals nothing.
	if resp, _ := get(t, srv, "/nowhere", nil); resp.StatusCode != 403 {
		t.Errorf("unknown route without auth: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/2020-05-31/function", strings.NewReader(createBody("mine")))
	req.Header.Set("X-Test-Account", "777788889999")
	r, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 201 || !strings.Contains(r.Header.Get("Location"), "arn:aws:cloudfront::777788889999:function/mine") {
		t.Fatalf("authenticated create: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

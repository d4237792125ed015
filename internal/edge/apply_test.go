package edge

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/edge/forward"
	"github.com/localfront/localfront/internal/runtime"
)

func TestCheckHeadersRules(t *testing.T) {
	in := vals("host", "d.example", "via", "1.1 a", "content-length", "4", "accept", "*/*")
	ok := []runtime.Values{
		in,
		append(vals("host", "d.example", "via", "1.1 a", "content-length", "4"), vals("x-new", "v")...),
		vals("host", "d.example", "via", "1.1 a", "content-length", "4"), // accept removed
		vals("Host", "d.example", "via", "1.1 a", "content-length", "4"), // same value, other case
	}
	for i, out := range ok {
		if err := checkHeaders(in, out, readOnlyViewerRequest, "request.headers"); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
	bad := map[string]runtime.Values{
		"host changed":   vals("host", "evil", "via", "1.1 a", "content-length", "4"),
		"host removed":   vals("via", "1.1 a", "content-length", "4"),
		"via multivalue": vals("host", "d.example", "via", "1.1 a", "via", "1.1 b", "content-length", "4"),
		"te added":       vals("host", "d.example", "via", "1.1 a", "content-length", "4", "transfer-encoding", "chunked"),
		"cdn-loop added": vals("host", "d.example", "via", "1.1 a", "content-length", "4", "cdn-loop", "x"),
		"disallowed":     vals("host", "d.example", "via", "1.1 a", "content-length", "4", "x-edge-foo", "1"),
		"x-amz-cf-":      vals("host", "d.example", "via", "1.1 a", "content-length", "4", "X-Amz-Cf-Pop", "1"),
		"bad name":       vals("host", "d.example", "via", "1.1 a", "content-length", "4", "a b", "1"),
		"bad value":      vals("host", "d.example", "via", "1.1 a", "content-length", "4", "x", "a\nb"),
		"nul":            vals("host", "d.example", "via", "1.1 a", "content-length", "4", "x", "a\x00"),
	}
	for name, out := range bad {
		var ve *validationError
		if err := checkHeaders(in, out, readOnlyViewerRequest, "request.headers"); !errors.As(err, &ve) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// viewer-response read-only set: Warning may not be added, Content-Length may change.
	rin := vals("via", "1.1 a", "content-length", "10")
	if err := checkHeaders(rin, vals("via", "1.1 a"), readOnlyViewerResponse, "r"); err != nil {
		t.Errorf("response content-length removal: %v", err)
	}
	if err := checkHeaders(rin, vals("via", "1.1 a", "warning", "199"), readOnlyViewerResponse, "r"); err == nil {
		t.Error("adding Warning must fail")
	}
}

func TestApplyRequestUnchangedKeepsViewerHeaders(t *testing.T) {
	orig := http.Header{"Accept": {"*/*"}, "Cookie": {"a=1"}}
	in := &runtime.Request{Method: "GET", URI: "/a", Headers: vals("host", "h", "accept", "*/*"), Cookies: vals("a", "1")}
	out := &runtime.Request{Method: "GET", URI: "/a", Headers: in.Headers, Cookies: in.Cookies}
	fr := forward.Request{Method: "GET", Path: "/a", Header: orig}
	if err := applyRequest(&fr, orig, in, out); err != nil {
		t.Fatal(err)
	}
	if fr.Path != "/a" || fr.RawQuery != "" {
		t.Errorf("%+v", fr)
	}
	if fr.Header == nil || fr.Header["Accept"][0] != "*/*" || len(fr.Header) != 2 {
		t.Errorf("header %v", fr.Header)
	}
}

func TestApplyRequestRebuildsHeaders(t *testing.T) {
	orig := http.Header{
		"Accept": {"*/*"}, "Cookie": {"a=1"}, "X-Iso": {"\xe9"}, "Connection": {"close"},
		"X-Forwarded-Proto": {"https"}, "X-Amz-Cf-Id": {"spoof"},
	}
	in := &runtime.Request{Method: "GET", URI: "/a", Headers: vals("host", "h", "accept", "*/*", "x-iso", "é"), Cookies: vals("a", "1")}
	out := &runtime.Request{Method: "GET", URI: "/a b?#", RawQueryString: "q=1", HasQuery: true,
		Headers: vals("host", "h", "x-iso", "é", "X-New", "v"), Cookies: vals("a", "1", "b", "2")}
	fr := forward.Request{Method: "GET", Path: "/a", Header: orig}
	if err := applyRequest(&fr, orig, in, out); err != nil {
		t.Fatal(err)
	}
	if fr.Path != "/a%20b%3F%23" || fr.RawQuery != "q=1" {
		t.Errorf("path %q query %q", fr.Path, fr.RawQuery)
	}
	h := fr.Header
	if h["Accept"] != nil || h["X-New"][0] != "v" || h["X-Iso"][0] != "\xe9" || h["Cookie"][0] != "a=1; b=2" {
		t.Errorf("header %v", h)
	}
	if h["Connection"] == nil || h["X-Forwarded-Proto"] == nil || h["X-Amz-Cf-Id"] != nil || h["Host"] != nil {
		t.Errorf("hidden headers must pass, edge-owned ones must not: %v", h)
	}
}

func TestApplyRequestLimits(t *testing.T) {
	in := &runtime.Request{Method: "GET", URI: "/", RawQueryString: "a=1", HasQuery: true}
	cases := map[string]*runtime.Request{
		"method":      {Method: "PUT", URI: "/"},
		"query space": {Method: "GET", URI: "/", RawQueryString: "a=1 2", HasQuery: true},
		"query hash":  {Method: "GET", URI: "/", RawQueryString: "a#b", HasQuery: true},
		"too long":    {Method: "GET", URI: "/" + strings.Repeat("a", 8000), RawQueryString: strings.Repeat("b", 200), HasQuery: true},
	}
	for name, out := range cases {
		fr := forward.Request{Method: "GET", Path: "/", Header: http.Header{}}
		if err := applyRequest(&fr, http.Header{}, in, out); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	fr := forward.Request{Method: "GET", Path: "/", Header: http.Header{}}
	out := &runtime.Request{Method: "GET", URI: "/" + strings.Repeat("a", 8100)}
	if err := applyRequest(&fr, http.Header{}, in, out); err != nil {
		t.Errorf("8101 bytes without a query: %v", err)
	}
}

func TestApplyResponse(t *testing.T) {
	origHeader := http.Header{"Content-Length": {"5"}, "Content-Type": {"text/html"}, "Set-Cookie": {"o=1"}, "X-Cache": {"Hit"}, "X-Upstream": {"u"}}
	resp := &forward.Response{StatusCode: 200, Header: origHeader}
	in := originResponse(200, "OK", origHeader)
	out := &runtime.Response{StatusCode: 200, StatusDescription: "OK",
		Headers: append(vals("content-type", "text/plain", "content-length", "999"), vals("x-new", "1")...),
		Cookies: in.Cookies}
	if err := applyResponse(resp, in, out); err != nil {
		t.Fatal(err)
	}
	h := resp.Header
	if h["Content-Length"][0] != "5" || h["Content-Type"][0] != "text/plain" || h["X-New"][0] != "1" || h["Set-Cookie"][0] != "o=1" || h["X-Upstream"] != nil {
		t.Errorf("header %v", h)
	}
	if h["X-Cache"] != nil {
		t.Errorf("the origin's X-Cache must not survive a rebuild: %v", h)
	}
	if err := applyResponse(&forward.Response{StatusCode: 200, Header: http.Header{}}, originResponse(200, "OK", http.Header{}),
		&runtime.Response{StatusCode: 101}); err == nil {
		t.Error("status 101 accepted")
	}
}

func TestGeneratedHeader(t *testing.T) {
	out := &runtime.Response{StatusCode: 200,
		Headers: vals("content-length", "3", "transfer-encoding", "chunked", "x-a", "1", "x-a", "2"),
		Cookies: vals("c", "v")}
	h, err := generatedHeader(out)
	if err != nil {
		t.Fatal(err)
	}
	if h["Content-Length"] != nil || h["Transfer-Encoding"] != nil || len(h["X-A"]) != 2 || h["Set-Cookie"][0] != "c=v" {
		t.Errorf("%v", h)
	}
	for _, bad := range []*runtime.Response{
		{StatusCode: 100},
		{StatusCode: 200, Headers: vals("x-real-ip", "1")},
		{StatusCode: 200, Cookies: vals("a b", "1")},
		{StatusCode: 200, Cookies: vals("a", "x;y")},
	} {
		if _, err := generatedHeader(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestTitleCaseAndEscapes(t *testing.T) {
	for in, want := range map[string]string{"x-amz-date": "X-Amz-Date", "content-type": "Content-Type", "example-header-name": "Example-Header-Name", "etag": "Etag", "a": "A"} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"/a/b": "/a/b", "/a b": "/a%20b", "/x?y#z": "/x%3Fy%23z", "/\x00\x7f": "/%00%7F", "/é": "/é"} {
		if got := escapePath(in); got != want {
			t.Errorf("escapePath(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"Example.COM:8080": "example.com", "a.b.": "a.b", "[::1]:80": "::1", "[::1]": "::1", "plain": "plain", "D.Example.": "d.example", "a.b.:443": "a.b", "a:b:c": "a:b:c", "[x]": "x"} {
		if got := hostOnly(in); got != want {
			t.Errorf("hostOnly(%q) = %q", in, got)
		}
	}
	// The common case, a lower-case host name without port, costs no allocation.
	if n := testing.AllocsPerRun(100, func() { hostOnly("d111111abcdef8.cloudfront.net") }); n != 0 {
		t.Errorf("hostOnly of a plain host name: %v allocations", n)
	}
}

func TestRequestPath(t *testing.T) {
	for uri, want := range map[string]string{"/a%20b?c": "/a%20b", "/": "/", "/x?": "/x"} {
		r, _ := http.NewRequest("GET", "http://h"+uri, nil)
		r.RequestURI = uri
		if got, ok := requestPath(r); !ok || got != want {
			t.Errorf("%q: %q %v", uri, got, ok)
		}
	}
	r, _ := http.NewRequest("GET", "http://h/abs%2Fpath", nil)
	r.RequestURI = "http://h/abs%2Fpath"
	if got, ok := requestPath(r); !ok || got != "/abs%2Fpath" {
		t.Errorf("absolute form: %q", got)
	}
	r.RequestURI = "*"
	if _, ok := requestPath(r); ok {
		t.Error("* is not a path")
	}
}

// The viewer-response result is built in the viewer's (empty) header map; names that differ
// only in case add up under one Title-Case name, and no value overwrites its neighbour.
func TestApplyResponseIntoViewerMap(t *testing.T) {
	origHeader := http.Header{"Content-Type": {"text/html"}, "Connection": {"x"}}
	in := originResponse(200, "OK", origHeader)
	out := &runtime.Response{StatusCode: 200,
		Headers: runtime.Values{
			{Name: "x-a", Value: runtime.Value{Value: "1"}},
			{Name: "X-A", Value: runtime.Value{Value: "2", MultiValue: []runtime.MultiValueItem{{Value: "2"}, {Value: "3"}}}},
			{Name: "x-b", Value: runtime.Value{Value: "4"}},
		}}
	dst := http.Header{}
	resp := &forward.Response{StatusCode: 200, Header: origHeader}
	if err := applyResponseTo(resp, in, out, dst); err != nil {
		t.Fatal(err)
	}
	if !sameMap(resp.Header, dst) {
		t.Error("an empty viewer map was not used")
	}
	if got := strings.Join(dst["X-A"], ","); got != "1,2,3" || strings.Join(dst["X-B"], ",") != "4" {
		t.Errorf("X-A %q, X-B %q", got, dst["X-B"])
	}
	if dst["Content-Type"] != nil || dst["Connection"][0] != "x" {
		t.Errorf("header %v", dst)
	}

	// A viewer map that already holds fields is left alone: the result goes to a new map.
	busy := http.Header{"X-Middleware": {"m"}}
	resp = &forward.Response{StatusCode: 200, Header: origHeader}
	if err := applyResponseTo(resp, in, out, busy); err != nil {
		t.Fatal(err)
	}
	if sameMap(resp.Header, busy) || len(busy) != 1 || strings.Join(resp.Header["X-A"], ",") != "1,2,3" {
		t.Errorf("busy map %v, result %v", busy, resp.Header)
	}
}

func sameMap(a, b http.Header) bool {
	a["X-Probe"] = nil
	_, ok := b["X-Probe"]
	delete(a, "X-Probe")
	return ok
}

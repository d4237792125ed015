package edge

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/runtime"
)

func vals(pairs ...string) runtime.Values {
	var vs runtime.Values
	for i := 0; i < len(pairs); i += 2 {
		vs.Add(pairs[i], pairs[i+1], "")
	}
	return vs
}

func TestCookieValues(t *testing.T) {
	got := cookieValues([]string{"a=1; b=x%3Dy;c", " a=2 ;; d= q "})
	want := runtime.Values{
		{Name: "a", Value: runtime.Value{Value: "1", MultiValue: []runtime.MultiValueItem{{Value: "1"}, {Value: "2"}}}},
		{Name: "b", Value: runtime.Value{Value: "x%3Dy"}},
		{Name: "c", Value: runtime.Value{Value: ""}},
		{Name: "d", Value: runtime.Value{Value: "q"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if cookieHeader(got) != "a=1; a=2; b=x%3Dy; c=; d=q" {
		t.Fatalf("cookie header %q", cookieHeader(got))
	}
}

func TestSetCookieValues(t *testing.T) {
	got := setCookieValues([]string{"id=1; Secure; Path=/", "id=2", "pref=dark;HttpOnly", "=novalue", "bare"})
	want := runtime.Values{
		{Name: "id", Value: runtime.Value{Value: "1", Attributes: "Secure; Path=/", MultiValue: []runtime.MultiValueItem{{Value: "1", Attributes: "Secure; Path=/"}, {Value: "2"}}}},
		{Name: "pref", Value: runtime.Value{Value: "dark", Attributes: "HttpOnly"}},
		{Name: "bare", Value: runtime.Value{Value: ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if lines := setCookieLines(got); strings.Join(lines, "|") != "id=1; Secure; Path=/|id=2|pref=dark; HttpOnly|bare=" {
		t.Fatalf("lines %q", lines)
	}
}

func TestViewerRequestEvent(t *testing.T) {
	r := httptest.NewRequest("POST", "http://d.example/a%2Fb/c?x=%41&x=2&y", strings.NewReader("body"))
	r.Host = "D.Example"
	r.Header = http.Header{
		"Accept":            {"text/html"},
		"X-Dup":             {"1", "2"},
		"Cookie":            {"s=1"},
		"Connection":        {"keep-alive"},
		"X-Forwarded-Proto": {"https"},
		"X-Amz-Cf-Id":       {"spoof"},
		"Content-Length":    {"4"},
		"Iso":               {"\xe9t\xe9"},
	}
	r.TransferEncoding = []string{"chunked"}
	ev := viewerRequestOf(r, "/a%2Fb/c")
	if ev.Method != "POST" || ev.URI != "/a%2Fb/c" || ev.RawQueryString != "x=%41&x=2&y" || !ev.HasQuery {
		t.Fatalf("request line %+v", ev)
	}
	var names []string
	for _, f := range ev.Headers {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "host,accept,content-length,iso,x-dup,transfer-encoding" {
		t.Fatalf("header names %v", names)
	}
	if v, _ := ev.Headers.Get("host"); v.Value != "D.Example" {
		t.Errorf("host %+v", v)
	}
	if v, _ := ev.Headers.Get("x-dup"); len(v.MultiValue) != 2 || v.Value != "1" {
		t.Errorf("x-dup %+v", v)
	}
	if v, _ := ev.Headers.Get("iso"); v.Value != "été" || !utf8.ValidString(v.Value) {
		t.Errorf("ISO-8859-1 value not converted: %q", v.Value)
	}
	if v, _ := ev.Cookies.Get("s"); v.Value != "1" {
		t.Errorf("cookies %+v", ev.Cookies)
	}
	if v, _ := ev.Querystring.Get("x"); v.Value != "%41" {
		t.Errorf("query %+v", ev.Querystring)
	}

	r2 := httptest.NewRequest("GET", "http://d.example/p?", nil)
	if ev := viewerRequestOf(r2, "/p"); !ev.HasQuery || ev.RawQueryString != "" || ev.Querystring != nil {
		t.Errorf("a bare ? must give an empty query that exists: %+v", ev)
	}
	r3 := httptest.NewRequest("GET", "http://d.example/p", nil)
	if ev := viewerRequestOf(r3, "/p"); ev.HasQuery {
		t.Error("no ? must give no query")
	}
}

func TestOriginResponseEvent(t *testing.T) {
	h := http.Header{"Content-Type": {"text/html"}, "Set-Cookie": {"a=1; Path=/"}, "X-Cache": {"Hit"}, "Via": {"1.1 x"}}
	ev := originResponse(404, "", h)
	if ev.StatusCode != 404 || ev.StatusDescription != "Not Found" || ev.Body != nil {
		t.Fatalf("%+v", ev)
	}
	if _, ok := ev.Headers.Get("set-cookie"); ok {
		t.Error("set-cookie must be in cookies only")
	}
	if _, ok := ev.Headers.Get("x-cache"); ok {
		t.Error("x-cache is not exposed")
	}
	if v, _ := ev.Headers.Get("via"); v.Value != "1.1 x" {
		t.Error("via must be readable")
	}
	if v, _ := ev.Cookies.Get("a"); v.Attributes != "Path=/" {
		t.Errorf("cookies %+v", ev.Cookies)
	}
}

func FuzzCookieValues(f *testing.F) {
	for _, s := range []string{"a=1; b=2", ";;", "=", "a", "a==b; ; c=\xff", " x = y "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vs := cookieValues([]string{s})
		for _, fl := range vs {
			if strings.ContainsRune(fl.Name, ';') {
				t.Fatalf("name %q contains ';'", fl.Name)
			}
			for _, it := range fl.All() {
				if strings.ContainsRune(it.Value, ';') || !utf8.ValidString(it.Value) {
					t.Fatalf("value %q", it.Value)
				}
			}
		}
	})
}

func FuzzSetCookieValues(f *testing.F) {
	for _, s := range []string{"a=1; Path=/", "a", "=x", "a=b;c;d=e", ";"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fl := range setCookieValues([]string{s}) {
			if fl.Name == "" || strings.ContainsRune(fl.Name, ';') || strings.ContainsRune(fl.Name, '=') {
				t.Fatalf("name %q", fl.Name)
			}
			if !utf8.ValidString(fl.Value.Value) || !utf8.ValidString(fl.Attributes) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
		}
	})
}

func viewerRequestOf(r *http.Request, rawPath string) *runtime.Request {
	req := &runtime.Request{}
	fillViewerRequest(req, r, rawPath, nil)
	return req
}

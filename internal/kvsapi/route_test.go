package kvsapi

import (
	"bufio"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const exampleARN = "arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"

func TestParseRoute(t *testing.T) {
	enc := url.PathEscape(exampleARN)
	for _, c := range []struct {
		method, path, op, key string
	}{
		{"GET", collection + enc, opDescribe, ""},
		{"GET", collection + enc + "/keys", opListKeys, ""},
		{"POST", collection + enc + "/keys", opUpdateKeys, ""},
		{"GET", collection + enc + "/keys/k1", opGetKey, "k1"},
		{"PUT", collection + enc + "/keys/dir%2Fa%20b", opPutKey, "dir/a b"},
		{"DELETE", collection + enc + "/keys/%2F%2F", opDeleteKey, "//"},
		{"GET", collection + enc + "/keys/a+b", opGetKey, "a+b"}, // '+' is literal in a path
	} {
		rt, err := parseRoute(c.method, c.path)
		if err != nil || rt.op != c.op || rt.arn != exampleARN || rt.key != c.key {
			t.Errorf("%s %s: %+v %v", c.method, c.path, rt, err)
		}
	}
	for _, c := range []struct{ method, path, code string }{
		{"GET", collection + "arn%zz", "ValidationException"},
		{"GET", collection + enc + "/keys/%zz", "ValidationException"},
		{"GET", collection + enc + "/keys/%", "ValidationException"},
		{"GET", "/key-value-stores", "UnknownOperationException"},
		{"GET", "/key-value-stores//keys", "UnknownOperationException"},
		{"HEAD", collection + enc, "UnknownOperationException"},
		{"PUT", collection + enc + "/keys", "UnknownOperationException"},
	} {
		_, err := parseRoute(c.method, c.path)
		if err == nil || err.Code != c.code {
			t.Errorf("%s %s: %v, want %s", c.method, c.path, err, c.code)
		}
	}
}

// Absolute-form targets (clients using the server as an HTTP proxy) and RawPath.
func TestRequestPath(t *testing.T) {
	for _, target := range []string{
		"/key-value-stores/" + url.PathEscape(exampleARN) + "/keys/dir%2Fa%20b",
		"http://123456789012.localhost:18080/key-value-stores/" + url.PathEscape(exampleARN) + "/keys/dir%2Fa%20b",
	} {
		r, err := http.ReadRequest(bufioReader("GET " + target + " HTTP/1.1\r\nHost: 123456789012.localhost:18080\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		rt, aerr := parseRoute(r.Method, requestPath(r))
		if aerr != nil || rt.key != "dir/a b" || rt.arn != exampleARN {
			t.Errorf("%s: %+v %v", target, rt, aerr)
		}
	}
}

// FuzzParseRoute: any method and path either routes or yields a modeled error, and a
// routed request round-trips: re-encoding its ARN and key gives a path that routes the same.
func FuzzParseRoute(f *testing.F) {
	enc := url.PathEscape(exampleARN)
	for _, seed := range []string{
		collection + enc, collection + enc + "/keys", collection + enc + "/keys/dir%2Fa%20b",
		collection + enc + "/keys/%zz", collection + "/keys/x", "/", "", collection + enc + "/keys/a/b",
		collection + "%", collection + enc + "/keys/%E2%82%AC",
	} {
		for _, m := range []string{"GET", "PUT", "POST", "DELETE"} {
			f.Add(m, seed)
		}
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		rt, err := parseRoute(method, path)
		if err != nil {
			if err.Code != "ValidationException" && err.Code != "UnknownOperationException" || err.Message == "" {
				t.Fatalf("unexpected error %+v", err)
			}
			return
		}
		if rt.op == "" {
			t.Fatal("routed without an operation")
		}
		again := collection + url.PathEscape(rt.arn)
		switch rt.op {
		case opListKeys, opUpdateKeys:
			again += "/keys"
		case opGetKey, opPutKey, opDeleteKey:
			again += "/keys/" + url.PathEscape(rt.key)
		}
		rt2, err := parseRoute(method, again)
		if err != nil || rt2 != rt {
			t.Fatalf("%q routed to %+v, re-encoded %q to %+v %v", path, rt, again, rt2, err)
		}
		if strings.Contains(rt.arn, "/") && !strings.Contains(path, "%2F") && !strings.Contains(path, "%2f") {
			t.Fatalf("a '/' in the ARN came from a separator: %q", path)
		}
	})
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

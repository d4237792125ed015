package forward

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testVia = "test123.cloudfront.net (CloudFront)"

// echoOrigin answers with what it received, as headers of a 201 response.
func echoOrigin(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h := w.Header()
		h.Set("X-Got-Method", r.Method)
		h.Set("X-Got-Uri", r.RequestURI)
		h.Set("X-Got-Host", r.Host)
		h.Set("X-Got-Body", string(body))
		h.Set("X-Got-Te", strings.Join(r.TransferEncoding, ","))
		h.Set("X-Got-Len", fmt.Sprint(r.ContentLength))
		for k, v := range r.Header {
			h["X-Got-"+k] = v
		}
		// Hop-by-hop fields the proxy must drop on the way back.
		h.Set("Connection", "X-Resp-Hop")
		h.Set("X-Resp-Hop", "secret")
		h.Set("Keep-Alive", "timeout=5")
		h.Set("Content-Type", "text/plain")
		w.WriteHeader(201)
		io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

func TestForwardRewritesRequestAndResponseHeaders(t *testing.T) {
	origin := echoOrigin(t)
	o := originFor(t, origin.URL)
	o.Path = "/prefix"
	o.Headers = []Header{{"X-Origin-Secret", "s3cr3t"}, {"user-agent", "custom-agent"}}
	f := New(Config{ViaToken: testVia})
	defer f.Close()
	proxy := proxyServer(t, f, o, nil)

	req, _ := http.NewRequest("GET", proxy.URL+"/a%20b/c%2Fd?x=1&y=%2F", nil)
	req.Header.Set("Connection", "X-Custom, keep-alive")
	req.Header.Set("X-Custom", "dropped")
	req.Header.Set("Keep-Alive", "timeout=1")
	req.Header.Set("Te", "trailers")
	req.Header.Set("Proxy-Authorization", "Basic eA==")
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	req.Header.Set("Via", "1.0 corp-proxy")
	req.Header.Set("User-Agent", "viewer-agent")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("Cookie", "a=1; b=2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	if resp.StatusCode != 201 || string(body) != "ok" {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
	want := map[string]string{
		"X-Got-Uri":                 "/prefix/a%20b/c%2Fd?x=1&y=%2F",
		"X-Got-Host":                origin.Listener.Addr().String(),
		"X-Got-X-Forwarded-For":     "203.0.113.7, 127.0.0.1",
		"X-Got-Via":                 "1.0 corp-proxy, 1.1 " + testVia,
		"X-Got-X-Origin-Secret":     "s3cr3t",
		"X-Got-User-Agent":          "custom-agent",
		"X-Got-Cookie":              "a=1; b=2",
		"X-Got-X-Custom":            "",
		"X-Got-Keep-Alive":          "",
		"X-Got-Te":                  "",
		"X-Got-Proxy-Authorization": "",
		"Via":                       "1.1 " + testVia,
		"X-Resp-Hop":                "",
		"Keep-Alive":                "",
		"Content-Type":              "text/plain",
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got := resp.Header.Values("X-Got-X-Multi"); strings.Join(got, "|") != "one|two" {
		t.Errorf("multi-valued header = %q", got)
	}
	if got := resp.Header.Values("X-Got-User-Agent"); len(got) != 1 {
		t.Errorf("custom header must replace the viewer's, got %q", got)
	}
}

func TestHostHeaderOverrideAndNoVia(t *testing.T) {
	origin := echoOrigin(t)
	o := originFor(t, origin.URL)
	o.HostHeader = "www.example.com"
	f := New(Config{})
	resp, _, err := roundTripAll(t, f, o, Request{Path: "/x", Header: http.Header{"Via": {"1.1 other"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("X-Got-Host"); got != "www.example.com" {
		t.Errorf("Host = %q", got)
	}
	if got := resp.Header.Get("X-Got-Via"); got != "1.1 other" {
		t.Errorf("Via without a token = %q, want the viewer's unchanged", got)
	}
	if got := resp.Header.Get("Via"); got != "" {
		t.Errorf("response Via = %q, want none", got)
	}
	if got := resp.Header.Get("X-Got-X-Forwarded-For"); got != "" {
		t.Errorf("X-Forwarded-For without a client IP = %q", got)
	}
}

func TestViaCarriesViewerProtocolAndAppendsToOrigins(t *testing.T) {
	ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nVia: 1.1 varnish\r\nContent-Length: 0\r\n\r\n"))
	f := New(Config{ViaToken: testVia})
	resp, _, err := roundTripAll(t, f, ro.origin(), Request{Path: "/", ProtoMajor: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Via"); got != "1.1 varnish, 2.0 "+testVia {
		t.Errorf("Via = %q", got)
	}
}

func TestResponseBodies(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "11")
			io.WriteString(w, "hello world")
		case "/chunked":
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/empty204":
			w.WriteHeader(204)
		case "/notmodified":
			w.Header().Set("ETag", `"v1"`)
			w.WriteHeader(304)
		case "/big":
			w.Header().Set("Content-Length", "300000")
			io.WriteString(w, strings.Repeat("0123456789", 30000))
		}
	}))
	defer origin.Close()
	o := originFor(t, origin.URL)
	f := New(Config{})
	defer f.Close()
	cases := []struct {
		method, path string
		status       int
		body         string
		clen         int64
	}{
		{"GET", "/length", 200, "hello world", 11},
		{"GET", "/chunked", 200, "part0;part1;part2;", -1},
		{"HEAD", "/length", 200, "", 11},
		{"GET", "/empty204", 204, "", 0},
		{"GET", "/notmodified", 304, "", 0},
		{"GET", "/big", 200, strings.Repeat("0123456789", 30000), 300000},
	}
	for _, c := range cases {
		resp, body, err := roundTripAll(t, f, o, Request{Method: c.method, Path: c.path})
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		if resp.StatusCode != c.status || body != c.body || resp.ContentLength != c.clen {
			t.Errorf("%s %s: status %d len %d body %.40q, want %d %d %.40q", c.method, c.path,
				resp.StatusCode, resp.ContentLength, body, c.status, c.clen, c.body)
		}
		if c.method == "HEAD" && resp.Header.Get("Content-Length") != "11" {
			t.Errorf("HEAD must keep the origin's Content-Length, got %q", resp.Header.Get("Content-Length"))
		}
	}
	// Every exchange above ended cleanly, so one connection carried them all.
	if n := f.pool(o).idleCount(); n != 1 {
		t.Errorf("idle connections after sequential requests = %d, want 1", n)
	}
}

func TestCloseDelimitedAndHTTP10Bodies(t *testing.T) {
	ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		io.WriteString(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
	})
	f := New(Config{})
	for i := 0; i < 2; i++ {
		resp, body, err := roundTripAll(t, f, ro.origin(), Request{})
		if err != nil {
			t.Fatal(err)
		}
		if body != "until the end" || resp.ContentLength != -1 || resp.ProtoMinor != 0 {
			t.Errorf("body %q len %d", body, resp.ContentLength)
		}
	}
	if ro.accepted() != 2 {
		t.Errorf("a close-delimited body cannot leave a reusable connection: %d connections", ro.accepted())
	}
}

func TestKeepAliveRules(t *testing.T) {
	cases := []struct {
		name, resp string
		reuse      bool
	}{
		{"http11 default", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true},
		{"http11 close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false},
		{"http10 default", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false},
		{"http10 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", true},
		{"chunked with trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=1\r\no\r\n1\r\nk\r\n0\r\nX-Trailer: 1\r\n\r\n", true},
		{"te and cl", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n2\r\nok\r\n0\r\n\r\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ro := newRawOrigin(t, serveCanned(c.resp))
			f := New(Config{})
			defer f.Close()
			for i := 0; i < 3; i++ {
				resp, body, err := roundTripAll(t, f, ro.origin(), Request{})
				if err != nil {
					t.Fatal(err)
				}
				if body != "ok" {
					t.Fatalf("body %q", body)
				}
				if resp.Header.Get("Content-Length") == "99" || resp.Header.Get("Transfer-Encoding") != "" {
					t.Errorf("framing fields leaked: %v", resp.Header)
				}
			}
			want := 3
			if c.reuse {
				want = 1
			}
			if got := ro.accepted(); got != want {
				t.Errorf("connections = %d, want %d", got, want)
			}
		})
	}
}

func TestRequestBodies(t *testing.T) {
	origin := echoOrigin(t)
	o := originFor(t, origin.URL)
	f := New(Config{})
	defer f.Close()
	cases := []struct {
		name   string
		body   io.Reader
		length int64
		te     string
	}{
		{"length", strings.NewReader("name=value"), 10, ""},
		{"chunked", io.MultiReader(strings.NewReader("name="), strings.NewReader("value")), -1, "chunked"},
	}
	for _, c := range cases {
		resp, _, err := roundTripAll(t, f, o, Request{Method: "PUT", Path: "/upload", Body: c.body, ContentLength: c.length})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := resp.Header.Get("X-Got-Body"); got != "name=value" {
			t.Errorf("%s: origin got body %q", c.name, got)
		}
		if got := resp.Header.Get("X-Got-Te"); got != c.te {
			t.Errorf("%s: origin got Transfer-Encoding %q, want %q", c.name, got, c.te)
		}
	}
	// POST without a body says so explicitly.
	resp, _, err := roundTripAll(t, f, o, Request{Method: "POST", Path: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("X-Got-Len") != "0" {
		t.Errorf("POST without body: origin saw length %q", resp.Header.Get("X-Got-Len"))
	}
	// A viewer body shorter than announced is the viewer's fault.
	_, _, err = roundTripAll(t, f, o, Request{Method: "PUT", Path: "/", Body: strings.NewReader("abc"), ContentLength: 10})
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindViewerBody || fe.Status() != 400 {
		t.Errorf("short viewer body: %v", err)
	}
}

func TestThroughViewerServer(t *testing.T) {
	origin := echoOrigin(t)
	f := New(Config{ViaToken: testVia})
	proxy := proxyServer(t, f, originFor(t, origin.URL), nil)
	// A chunked upload from a real client, through net/http's server, to the origin.
	resp, err := http.Post(proxy.URL+"/p", "text/plain", io.MultiReader(strings.NewReader("abc"), strings.NewReader("def")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Got-Body"); got != "abcdef" {
		t.Errorf("body %q", got)
	}
	// A 100-continue viewer: the server answers it, the origin never sees Expect.
	req, _ := http.NewRequest("PUT", proxy.URL+"/p", strings.NewReader("payload"))
	req.Header.Set("Expect", "100-continue")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Got-Expect") != "" || resp.Header.Get("X-Got-Body") != "payload" {
		t.Errorf("expect/body: %q %q", resp.Header.Get("X-Got-Expect"), resp.Header.Get("X-Got-Body"))
	}
}

func TestNoContentTypeSniffing(t *testing.T) {
	ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n<html>hi</html>"))
	f := New(Config{})
	proxy := proxyServer(t, f, ro.origin(), nil)
	resp, err := http.Get(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct, ok := resp.Header["Content-Type"]; ok {
		t.Errorf("proxy invented Content-Type %q", ct)
	}
}

func TestInterimResponsesAreSkipped(t *testing.T) {
	ro := newRawOrigin(t, serveCanned("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"+
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	f := New(Config{})
	resp, body, err := roundTripAll(t, f, ro.origin(), Request{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || body != "ok" || resp.Header.Get("Link") != "" {
		t.Errorf("status %d body %q header %v", resp.StatusCode, body, resp.Header)
	}
}

func TestMutateAndSetBody(t *testing.T) {
	ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		for {
			lines, err := readRequestHead(br)
			if err != nil {
				return
			}
			if strings.Contains(lines[0], "/missing") {
				io.WriteString(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope")
			} else {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\noriginal")
			}
		}
	})
	f := New(Config{})
	calls := 0
	proxy := proxyServer(t, f, ro.origin(), func(r *Response) error {
		calls++
		r.Header.Set("X-Added", "yes")
		r.StatusCode = 202
		r.SetBody([]byte("replaced body"))
		return nil
	})
	resp, err := http.Get(proxy.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 202 || string(body) != "replaced body" || resp.Header.Get("X-Added") != "yes" {
		t.Errorf("mutated: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, err = http.Get(proxy.URL + "/missing")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || string(body) != "nope" || calls != 1 {
		t.Errorf("status >= 400 must skip mutate: %d %q calls=%d", resp.StatusCode, body, calls)
	}
	// The replaced origin body was fully buffered, so the connection stayed reusable.
	if ro.accepted() != 1 {
		t.Errorf("connections = %d, want 1", ro.accepted())
	}

	// An error from mutate is returned and nothing is written.
	boom := errors.New("function failed")
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/ok", nil)
	if err := f.Forward(rec, r, ro.origin(), func(*Response) error { return boom }); err != boom {
		t.Fatalf("mutate error: %v", err)
	}
	if rec.Code != 200 || rec.Body.Len() != 0 || len(rec.Header()) != 0 {
		t.Errorf("something was written: %d %q %v", rec.Code, rec.Body, rec.Header())
	}
}

func TestStreamingIsFlushed(t *testing.T) {
	release := make(chan struct{})
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first;")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second")
	}))
	defer origin.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	f := New(Config{})
	proxy := proxyServer(t, f, originFor(t, origin.URL), nil)
	resp, err := http.Get(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first;" {
		t.Fatalf("first part before the origin finished: %q %v", buf, err)
	}
	close(release)
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second" {
		t.Errorf("rest %q", rest)
	}
}

func TestStalePooledConnection(t *testing.T) {
	// The origin answers one request per connection, then closes it without saying so.
	ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		lines, err := readRequestHead(br)
		if err != nil {
			return
		}
		for _, l := range lines {
			if strings.HasPrefix(strings.ToLower(l), "content-length: ") {
				var n int64
				fmt.Sscan(l[len("content-length: "):], &n)
				io.CopyN(io.Discard, br, n)
			}
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	o := ro.origin()
	f := New(Config{})
	defer f.Close()
	waitStale := func() {
		t.Helper()
		p := f.pool(o)
		for i := 0; i < 500; i++ {
			p.mu.Lock()
			dead := len(p.idle) == 1 && !alive(p.idle[0].raw, false)
			p.mu.Unlock()
			if dead {
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
		t.Fatal("pooled connection never looked closed")
	}
	if _, _, err := roundTripAll(t, f, o, Request{}); err != nil {
		t.Fatal(err)
	}
	waitStale()
	// GET: sent on the stale connection, nothing back, sent again on a new one.
	if _, body, err := roundTripAll(t, f, o, Request{}); err != nil || body != "ok" {
		t.Fatalf("GET after the origin closed the idle connection: %q %v", body, err)
	}
	waitStale()
	// POST with a body cannot be replayed: the peek finds the stale connection first.
	_, body, err := roundTripAll(t, f, o, Request{Method: "POST", Body: strings.NewReader("x"), ContentLength: 1})
	if err != nil || body != "ok" {
		t.Fatalf("POST after the origin closed the idle connection: %q %v", body, err)
	}
	if got := ro.accepted(); got != 3 {
		t.Errorf("connections = %d, want 3", got)
	}
}

func TestIdleConnectionsExpire(t *testing.T) {
	ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	o := ro.origin()
	o.KeepAliveTimeout = 20 * time.Millisecond
	f := New(Config{})
	defer f.Close()
	if _, _, err := roundTripAll(t, f, o, Request{}); err != nil {
		t.Fatal(err)
	}
	p := f.pool(o)
	for i := 0; p.idleCount() > 0; i++ {
		if i > 1000 {
			t.Fatal("idle connection was never pruned")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if _, _, err := roundTripAll(t, f, o, Request{}); err != nil {
		t.Fatal(err)
	}
	if ro.accepted() != 2 {
		t.Errorf("connections = %d, want 2 (the first expired)", ro.accepted())
	}
}

func TestPoolBound(t *testing.T) {
	ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	o := ro.origin()
	f := New(Config{MaxIdlePerOrigin: 2})
	defer f.Close()
	var resps []*Response
	for i := 0; i < 4; i++ {
		req := Request{Method: "GET", Path: "/"}
		resp, err := f.RoundTrip(&req, o)
		if err != nil {
			t.Fatal(err)
		}
		resps = append(resps, resp)
	}
	for _, r := range resps {
		io.Copy(io.Discard, r.Body)
		r.Close()
		r.Close() // twice is harmless
	}
	if n := f.pool(o).idleCount(); n != 2 {
		t.Errorf("idle = %d, want the bound 2", n)
	}
}

func TestErrors(t *testing.T) {
	f := New(Config{})
	defer f.Close()
	kindOf := func(err error) Kind {
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("not an *Error: %v", err)
		}
		return fe.Kind
	}

	t.Run("refused", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		_, _, err := roundTripAll(t, f, &Origin{Scheme: "http", Host: "127.0.0.1", Port: port, ConnectionAttempts: 2}, Request{})
		if kindOf(err) != KindConnect || err.(*Error).Status() != 502 {
			t.Errorf("refused: %v", err)
		}
	})
	t.Run("connect timeout", func(t *testing.T) {
		ro := newRawOrigin(t, serveCanned(""))
		o := ro.origin()
		o.ConnectTimeout = time.Nanosecond // expires before the dial can finish
		_, _, err := roundTripAll(t, f, o, Request{})
		if kindOf(err) != KindConnectTimeout || err.(*Error).Status() != 504 || !err.(*Error).Timeout() {
			t.Errorf("connect timeout: %v", err)
		}
	})
	t.Run("response timeout retries GET only", func(t *testing.T) {
		ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) { io.Copy(io.Discard, br) })
		o := ro.origin()
		o.ReadTimeout = 50 * time.Millisecond
		o.ConnectionAttempts = 2
		_, _, err := roundTripAll(t, f, o, Request{})
		if kindOf(err) != KindResponseTimeout || err.(*Error).Status() != 504 {
			t.Errorf("GET: %v", err)
		}
		if ro.accepted() != 2 {
			t.Errorf("GET attempts = %d, want 2", ro.accepted())
		}
		_, _, err = roundTripAll(t, f, o, Request{Method: "POST", Body: strings.NewReader("x"), ContentLength: 1})
		if kindOf(err) != KindResponseTimeout {
			t.Errorf("POST: %v", err)
		}
		if ro.accepted() != 3 {
			t.Errorf("POST must not be sent again: %d connections", ro.accepted())
		}
	})
	t.Run("closed without answer", func(t *testing.T) {
		ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) { readRequestHead(br) })
		_, _, err := roundTripAll(t, f, ro.origin(), Request{})
		if kindOf(err) != KindOriginClosed || err.(*Error).Status() != 502 {
			t.Errorf("%v", err)
		}
	})
	t.Run("body cut short", func(t *testing.T) {
		ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) {
			readRequestHead(br)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
		})
		_, body, err := roundTripAll(t, f, ro.origin(), Request{})
		if !errors.Is(err, io.ErrUnexpectedEOF) || body != "only this" {
			t.Errorf("body %q err %v", body, err)
		}
		req := Request{Method: "GET", Path: "/"}
		resp, err := f.RoundTrip(&req, ro.origin())
		if err != nil {
			t.Fatal(err)
		}
		err = f.WriteResponse(httptest.NewRecorder(), resp)
		var fe *Error
		if !errors.As(err, &fe) || fe.Kind != KindOriginBody || !fe.HeadersSent {
			t.Errorf("WriteResponse: %v", err)
		}
	})
	protocol := map[string]string{
		"status line":        "HTTP/1.1 OK\r\n\r\n",
		"not http":           "SSH-2.0-OpenSSH\r\n\r\n",
		"http2":              "HTTP/2.0 200 OK\r\n\r\n",
		"status too low":     "HTTP/1.1 099 Low\r\n\r\n",
		"obs-fold":           "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n",
		"space before colon": "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
		"no colon":           "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n",
		"conflicting length": "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
		"bad length":         "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"nul in value":       "HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 0\r\n\r\n",
		"switching":          "HTTP/1.1 101 Switching Protocols\r\n\r\n",
		"huge head":          "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("a", 70<<10) + "\r\n\r\n",
	}
	for name, raw := range protocol {
		t.Run(name, func(t *testing.T) {
			ro := newRawOrigin(t, serveCanned(raw))
			_, _, err := roundTripAll(t, f, ro.origin(), Request{})
			if kindOf(err) != KindProtocol || err.(*Error).Status() != 502 {
				t.Errorf("%v", err)
			}
		})
	}
	t.Run("bad chunk", func(t *testing.T) {
		ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
		_, _, err := roundTripAll(t, f, ro.origin(), Request{})
		var pe protocolError
		if !errors.As(err, &pe) {
			t.Errorf("%v", err)
		}
	})
	invalid := []Request{
		{Path: "/a b"},
		{Path: "relative"},
		{Path: "/", RawQuery: "a=1#frag"},
		{Path: "/", Header: http.Header{"X-A": {"1\r\nInjected: yes"}}},
		{Path: "/", Header: http.Header{"Bad Name": {"1"}}},
		{Method: "G T", Path: "/"},
	}
	for i, req := range append(invalid, Request{Path: "/bad-origin"}) {
		ro := newRawOrigin(t, serveCanned("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
		o := ro.origin()
		if req.Path == "/bad-origin" { // an origin that skipped Validate
			o.Headers = []Header{{"X-Key", "v\r\nInjected: 1"}}
		}
		_, _, err := roundTripAll(t, f, o, req)
		if kindOf(err) != KindInvalidRequest || err.(*Error).Status() != 502 {
			t.Errorf("invalid request %d: %v", i, err)
		}
		if ro.accepted() != 0 {
			t.Errorf("invalid request %d reached the origin", i)
		}
	}
}

func TestCanceledByViewer(t *testing.T) {
	got := make(chan struct{}, 1)
	ro := newRawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		got <- struct{}{}
		io.Copy(io.Discard, br) // never answers
	})
	o := ro.origin()
	o.ReadTimeout = 20 * time.Second
	f := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-got; cancel() }()
	req := Request{Method: "GET", Path: "/", Context: ctx}
	_, err := f.RoundTrip(&req, o)
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindCanceled {
		t.Fatalf("%v", err)
	}
}

func TestNonASCIIPathIsEncoded(t *testing.T) {
	origin := echoOrigin(t)
	f := New(Config{})
	resp, _, err := roundTripAll(t, f, originFor(t, origin.URL), Request{Path: "/café/ü", RawQuery: "q=é"})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("X-Got-Uri"); got != "/caf%C3%A9/%C3%BC?q=%C3%A9" {
		t.Errorf("uri %q", got)
	}
}

func TestHTTPSOrigin(t *testing.T) {
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Tls", fmt.Sprint(r.TLS != nil))
		io.WriteString(w, "secure")
	}))
	defer origin.Close()
	o := originFor(t, origin.URL)
	pool := x509.NewCertPool()
	pool.AddCert(origin.Certificate())
	f := New(Config{TLSConfig: &tls.Config{RootCAs: pool}})
	defer f.Close()
	// httptest's certificate names 127.0.0.1 and example.com.
	for i := 0; i < 2; i++ {
		resp, body, err := roundTripAll(t, f, o, Request{})
		if err != nil {
			t.Fatal(err)
		}
		if body != "secure" || resp.Header.Get("X-Tls") != "true" {
			t.Errorf("body %q tls %q", body, resp.Header.Get("X-Tls"))
		}
	}
	// POST over a kept-alive TLS connection passes the liveness peek.
	if _, body, err := roundTripAll(t, f, o, Request{Method: "POST", Body: strings.NewReader("x"), ContentLength: 1}); err != nil || body != "secure" {
		t.Fatalf("POST: %q %v", body, err)
	}
	if n := f.pool(o).idleCount(); n != 1 {
		t.Errorf("idle TLS connections = %d, want 1", n)
	}

	untrusted := New(Config{})
	_, _, err := roundTripAll(t, untrusted, o, Request{})
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != KindTLS || fe.Status() != 502 {
		t.Errorf("untrusted certificate: %v", err)
	}
}

func TestOriginValidate(t *testing.T) {
	good := Origin{Scheme: "https", Host: "example.com", Path: "/v1", Headers: []Header{{"X-Key", "v"}}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Origin{
		{Scheme: "ftp", Host: "example.com"},
		{Scheme: "http", Host: ""},
		{Scheme: "http", Host: "a/b"},
		{Scheme: "http", Host: "example.com", Port: 70000},
		{Scheme: "http", Host: "example.com", Path: "v1"},
		{Scheme: "http", Host: "example.com", Path: "/v1/"},
		{Scheme: "http", Host: "example.com", Headers: []Header{{"X Key", "v"}}},
		{Scheme: "http", Host: "example.com", Headers: []Header{{"X-Key", "a\nb"}}},
		{Scheme: "http", Host: "example.com", Headers: []Header{{"Host", "x"}}},
		{Scheme: "http", Host: "example.com", Headers: []Header{{"X-Amz-Thing", "x"}}},
		{Scheme: "http", Host: "example.com", ConnectionAttempts: 4},
	}
	for i, o := range bad {
		if o.Validate() == nil {
			t.Errorf("bad origin %d accepted: %+v", i, o)
		}
	}
	if got := (&Origin{Scheme: "https", Host: "::1", Port: 8443}).hostHeader(); got != "[::1]:8443" {
		t.Errorf("ipv6 host header %q", got)
	}
	if got := (&Origin{Scheme: "https", Host: "example.com", Port: 443}).hostHeader(); got != "example.com" {
		t.Errorf("default port host header %q", got)
	}
}

func TestConcurrentRequestsKeepTheirOwnResponses(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.URL.Path+"|"+string(body))
	}))
	defer origin.Close()
	f := New(Config{ViaToken: testVia})
	defer f.Close()
	proxy := proxyServer(t, f, originFor(t, origin.URL), nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i := 0; i < 40; i++ {
				path := fmt.Sprintf("/g%d/r%d", g, i)
				var resp *http.Response
				var err error
				if i%3 == 0 {
					resp, err = client.Post(proxy.URL+path, "text/plain", strings.NewReader(path))
				} else {
					resp, err = client.Get(proxy.URL + path)
				}
				if err != nil {
					errs <- err
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := path + "|"
				if i%3 == 0 {
					want += path
				}
				if string(body) != want {
					errs <- fmt.Errorf("%s: got %q", path, body)
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// writeHostHeader writes what hostHeader returns, for every shape of origin.
func TestWriteHostHeaderMatchesHostHeader(t *testing.T) {
	for _, o := range []*Origin{
		{Scheme: "http", Host: "example.com"},
		{Scheme: "http", Host: "example.com", Port: 80},
		{Scheme: "http", Host: "example.com", Port: 8080},
		{Scheme: "https", Host: "example.com", Port: 443},
		{Scheme: "https", Host: "example.com", Port: 80},
		{Scheme: "https", Host: "::1", Port: 8443},
		{Scheme: "http", Host: "::1"},
		{Scheme: "http", Host: "example.com", Port: 8080, HostHeader: "other.example"},
	} {
		var b strings.Builder
		bw := bufio.NewWriter(&b)
		writeHostHeader(bw, o)
		bw.Flush()
		if b.String() != o.hostHeader() {
			t.Errorf("%+v: wrote %q, want %q", o, b.String(), o.hostHeader())
		}
	}
}

package h1server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// start serves h on a loopback port and returns its address.
func start(t testing.TB, h http.Handler, configure ...func(*Server)) (string, *Server) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: h, IdleTimeout: time.Minute, ReadHeaderTimeout: 10 * time.Second}
	for _, c := range configure {
		c(s)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return l.Addr().String(), s
}

// exchange sends raw bytes on a new connection and returns everything the server sent until
// it closed the connection (the requests must end it).
// dial connects to the server at addr or fails the test; the caller closes the connection.
func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func exchange(t testing.TB, addr, raw string) string {
	t.Helper()
	c := dial(t, addr)
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Errorf("the server did not close the connection: %v", err)
	}
	return string(b)
}

// readResponses reads n responses from raw bytes, for the request method method.
func readResponses(t testing.TB, raw, method string, n int) []*http.Response {
	t.Helper()
	br := bufio.NewReader(strings.NewReader(raw))
	var out []*http.Response
	for i := 0; i < n; i++ {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("response %d: %v\nraw:\n%s", i+1, err, raw)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("response %d body: %v\nraw:\n%s", i+1, err, raw)
		}
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		out = append(out, resp)
	}
	return out
}

func bodyOf(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// echo answers with what it saw of the request.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "%s %s host=%s body=%q ua=%s", r.Method, r.RequestURI, r.Host, body, r.Header.Get("User-Agent"))
})

// The same raw requests to net/http's server and to this one get the same status, and the
// same body where the handler answered.
func TestSameAnswersAsNetHTTP(t *testing.T) {
	addr, _ := start(t, echo)
	ref := httptest.NewServer(echo)
	defer ref.Close()
	refAddr := strings.TrimPrefix(ref.URL, "http://")
	cases := []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /p?q=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: x\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n",
		"GET http://b/abs HTTP/1.1\r\nHost: a\r\n\r\n",
		"POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
		"POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",                           // no Host
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",     // two Hosts
		"GET / HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n",     // two Hosts, other cases
		"GET / HTTP/1.1\nHost: a\nHost: b\n\n",             // bare LF
		"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",              // malformed Host
		"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", // invalid field name
		"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n",   // control character
		"GET / HTTP/2.0\r\nHost: a\r\n\r\n",                // version
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",                 // h2c preface
		"GET / HTTP/1.1\r\nHost: a\r\nExpect: tea\r\n\r\n", // unknown expectation
		"GARBAGE\r\n\r\n", // no request line
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", // bad length
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\n X: folded\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("v", 70<<10) + "\r\n\r\n", // head too large
		"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n",                                        // bad target: a 400, not silence
		"GET http://[::1 HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET http://a/ HTTP/1.1\r\nHost: a b\r\n\r\n", // absolute form: the Host field is checked
		"GET http://a\"b/ HTTP/1.1\r\nHost: ok\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nExpect: 100-continue, foo\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
	}
	// Differences by design: net/http hands the h2c preface to the handler for an upgrade;
	// here it is an unsupported version.
	differs := map[string]int{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n": http.StatusHTTPVersionNotSupported}
	for _, raw := range cases {
		got, want := firstAnswer(t, addr, raw), firstAnswer(t, refAddr, raw)
		if code, ok := differs[raw]; ok {
			want = answer{code: code}
		}
		if got.code != want.code || want.code == 200 && got.body != want.body {
			t.Errorf("%.60q: got %d %q, net/http %d %q", raw, got.code, got.body, want.code, want.body)
		}
	}
}

// closing is a last request that makes the server close the connection.
const closing = "GET /end HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"

type answer struct {
	code int
	body string
}

// firstAnswer sends raw on a new connection and reads the first response (code -1: none).
func firstAnswer(t testing.TB, addr, raw string) answer {
	t.Helper()
	c := dial(t, addr)
	defer c.Close()
	go io.WriteString(c, raw) // a large head may not be read whole
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return answer{code: -1}
	}
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b)}
}

// Pipelined requests are answered in order on one connection; a body the handler leaves
// unread is skipped.
func TestPipelinedRequestsAndUnreadBodies(t *testing.T) {
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path) // never reads the body
	}))
	raw := "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nGET " +
		"GET /two HTTP/1.1\r\nHost: a\r\n\r\n" +
		"POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
		"GET /four HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
	rs := readResponses(t, exchange(t, addr, raw), "GET", 4)
	for i, want := range []string{"/one", "/two", "/three", "/four"} {
		if got := bodyOf(rs[i]); got != want || rs[i].ContentLength != int64(len(want)) {
			t.Errorf("response %d: %q (length %d), want %q", i+1, got, rs[i].ContentLength, want)
		}
	}
	if !rs[3].Close {
		t.Error("Connection: close not answered with Connection: close")
	}
}

// More than maxDrain of unread body closes the connection after the response instead of
// reading it all.
func TestLargeUnreadBodyClosesTheConnection(t *testing.T) {
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	c := dial(t, addr)
	defer c.Close()
	n := 4 * maxDrain
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n", n)
	go c.Write(make([]byte, n)) // may fail once the server closes
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(c)
	rs := readResponses(t, string(b), "POST", 1)
	if bodyOf(rs[0]) != "ok" || !rs[0].Close {
		t.Fatalf("answer %q (it must say Connection: close)", b)
	}
}

// A line break after a POST body is tolerated, as net/http does.
func TestLineBreakAfterPostBody(t *testing.T) {
	addr, _ := start(t, echo)
	raw := exchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab\r\n"+closing)
	if rs := readResponses(t, raw, "GET", 2); rs[1].StatusCode != 200 {
		t.Errorf("second answer %d", rs[1].StatusCode)
	}
}

// A connection that closes after its answer does not wait for a body the handler left
// unread and the client never finishes.
func TestNoDrainWhenClosing(t *testing.T) {
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "no") }))
	for _, raw := range []string{
		"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 100\r\n\r\n0123456789",
		"POST / HTTP/1.0\r\nContent-Length: 100\r\n\r\n0123456789",
	} {
		if got := exchange(t, addr, raw); !strings.Contains(got, "\r\n\r\nno") {
			t.Errorf("%q: answer %q", raw, got)
		}
	}
}

// A handler that leaves a goroutine reading the body: once the handler has returned, the
// read fails instead of racing the connection (run with -race).
func TestBodyReadAfterHandlerReturns(t *testing.T) {
	late := make(chan error, 1)
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() {
			time.Sleep(20 * time.Millisecond)
			_, err := r.Body.Read(make([]byte, 10))
			late <- err
		}()
	}))
	exchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
	if err := <-late; err != http.ErrBodyReadAfterClose {
		t.Errorf("late read: %v", err)
	}
}

// Response framing: a short body gets a Content-Length, a long one is chunked (HTTP/1.1) or
// ends with the connection (HTTP/1.0); HEAD, 204 and 304 carry no body.
func TestResponseFraming(t *testing.T) {
	long := strings.Repeat("x", holdLimit+1)
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/short":
			io.WriteString(w, "short")
		case "/long":
			io.WriteString(w, long[:100])
			io.WriteString(w, long[100:])
		case "/declared":
			w.Header().Set("Content-Length", "3")
			io.WriteString(w, "abc")
		case "/empty":
		case "/204":
			w.WriteHeader(http.StatusNoContent)
			if _, err := io.WriteString(w, "x"); err != http.ErrBodyNotAllowed {
				panic("a 204 took a body")
			}
		case "/304":
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(http.StatusNotModified)
		case "/flush":
			io.WriteString(w, "a")
			w.(http.Flusher).Flush()
			io.WriteString(w, "b")
		case "/nil":
			w.Header()["Date"] = nil
			w.Header()["Content-Type"] = nil
			w.Header().Set("X-Split", "a\r\nInjected: yes")
			w.Header()["Bad Name"] = []string{"x"}
			io.WriteString(w, "<html>")
		}
	}))
	type want struct {
		path, proto, method, body string
		length                    int64
		chunked, close            bool
	}
	for _, c := range []want{
		{path: "/short", body: "short", length: 5},
		{path: "/long", body: long, length: -1, chunked: true},
		{path: "/long", proto: "HTTP/1.0", body: long, length: -1, close: true},
		{path: "/declared", body: "abc", length: 3},
		{path: "/empty", length: 0},
		{path: "/204", length: 0},
		{path: "/304", length: 0}, // net/http's client reads no length for a 304; the field is checked below
		{path: "/flush", body: "ab", length: -1, chunked: true},
		{path: "/short", method: "HEAD", length: 5},
		{path: "/declared", method: "HEAD", length: 3},
		{path: "/nil", body: "<html>", length: 6},
	} {
		proto, method := "HTTP/1.1", "GET"
		if c.proto != "" {
			proto = c.proto
		}
		if c.method != "" {
			method = c.method
		}
		raw := exchange(t, addr, method+" "+c.path+" "+proto+"\r\nHost: a\r\n\r\n"+closing)
		resp := readResponses(t, raw, method, 1)[0]
		chunked := len(resp.TransferEncoding) > 0
		if got := bodyOf(resp); got != c.body || resp.ContentLength != c.length || chunked != c.chunked || resp.Close != c.close {
			t.Errorf("%s %s %s: body %d bytes, length %d, chunked %v, close %v; want %d, %d, %v, %v\n%s",
				method, c.path, proto, len(got), resp.ContentLength, chunked, resp.Close, len(c.body), c.length, c.chunked, c.close, raw)
		}
		if c.path == "/304" && !strings.Contains(raw, "\r\nContent-Length: 10\r\n") {
			t.Errorf("a 304 lost its Content-Length:\n%s", raw)
		}
		if c.path == "/nil" {
			raw, _, _ := strings.Cut(raw, "<html>")
			if strings.Contains(raw, "Date:") || strings.Contains(raw, "Content-Type") || strings.Contains(raw, "\r\nInjected") || strings.Contains(raw, "Bad Name") {
				t.Errorf("nil or unsafe fields written:\n%s", raw)
			}
		} else if resp.Header.Get("Date") == "" {
			t.Errorf("%s: no Date", c.path)
		}
		if c.path == "/short" && resp.Header.Get("Content-Type") != "" {
			t.Errorf("a Content-Type was guessed: %q", resp.Header.Get("Content-Type"))
		}
	}
}

// A handler that writes less than its Content-Length leaves the client waiting: the
// connection is closed; one that writes more gets http.ErrContentLength.
func TestContentLengthMismatch(t *testing.T) {
	errs := make(chan error, 1)
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4")
		if r.URL.Path == "/more" {
			_, err := io.WriteString(w, "abcdef")
			errs <- err
			return
		}
		io.WriteString(w, "ab")
	}))
	raw := exchange(t, addr, "GET /less HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
	if strings.Count(raw, "HTTP/1.1 200") != 1 {
		t.Errorf("a short body did not end the connection:\n%s", raw)
	}
	exchange(t, addr, "GET /more HTTP/1.1\r\nHost: a\r\n\r\n")
	if err := <-errs; err != http.ErrContentLength {
		t.Errorf("writing past Content-Length: %v", err)
	}
}

// Expect: 100-continue is answered when the handler reads the body, not before.
func TestExpectContinue(t *testing.T) {
	addr, _ := start(t, echo)
	c := dial(t, addr)
	defer c.Close()
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	br.ReadString('\n')
	io.WriteString(c, "hello")
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := bodyOf(resp); !strings.Contains(got, `body="hello"`) {
		t.Errorf("body %q", got)
	}
}

// A handler that never reads a body it was promised to continue: the client has not sent
// it, so the connection ends after the response.
func TestExpectContinueNotRead(t *testing.T) {
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "no") }))
	raw := exchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	if strings.Contains(raw, "100 Continue") || !strings.HasPrefix(raw, "HTTP/1.1 200") {
		t.Errorf("answer:\n%s", raw)
	}
}

// A panic ends the connection without more output; http.ErrAbortHandler cuts a chunked
// body short, so the client sees it incomplete. The server keeps serving.
func TestHandlerPanics(t *testing.T) {
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/abort":
			io.WriteString(w, strings.Repeat("x", holdLimit+1))
			panic(http.ErrAbortHandler)
		case "/panic":
			panic("boom")
		}
		io.WriteString(w, "fine")
	}), func(s *Server) { s.ErrorLog = discardLog() })
	if raw := exchange(t, addr, "GET /panic HTTP/1.1\r\nHost: a\r\n\r\n"); raw != "" {
		t.Errorf("a panic wrote %q", raw)
	}
	raw := exchange(t, addr, "GET /abort HTTP/1.1\r\nHost: a\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("an aborted chunked body read as complete")
	}
	if got := firstAnswer(t, addr, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"); got.body != "fine" {
		t.Errorf("after the panics: %+v", got)
	}
}

// Shutdown lets a request in flight finish, closes idle connections and makes Serve return.
func TestShutdownWaitsForRequestsInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	addr, s := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		io.WriteString(w, "done")
	}))
	idle := dial(t, addr)
	defer idle.Close()
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	if _, err := http.ReadResponse(bufio.NewReader(idle), nil); err != nil {
		t.Fatal(err)
	}
	slow := make(chan answer, 1)
	go func() { slow <- firstAnswer(t, addr, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n") }()
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	// The idle connection is closed while the slow request still runs.
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := idle.Read(make([]byte, 1)); err == nil || n != 0 {
		t.Errorf("idle connection still open: %d, %v", n, err)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if got := <-slow; got.body != "done" {
		t.Errorf("the request in flight got %+v", got)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still accepting after Shutdown")
	}
}

// Shutdown does not wait for a connection that is sending a head: it has no request in a
// handler (as net/http).
func TestShutdownClosesConnectionsReadingAHead(t *testing.T) {
	addr, s := start(t, echo)
	c := dial(t, addr)
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HT")
	br := bufio.NewReader(c)
	if _, err := http.ReadResponse(br, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// A new connection that sends nothing is closed after ReadHeaderTimeout, not IdleTimeout.
func TestSilentNewConnection(t *testing.T) {
	addr, _ := start(t, echo, func(s *Server) { s.IdleTimeout, s.ReadHeaderTimeout = time.Hour, 100*time.Millisecond })
	if got := exchange(t, addr, ""); got != "" {
		t.Errorf("answer %q", got)
	}
}

// The janitor closes a connection that idles past IdleTimeout and one that sends its head
// too slowly.
func TestTimeoutsCloseConnections(t *testing.T) {
	addr, _ := start(t, echo, func(s *Server) {
		s.IdleTimeout, s.ReadHeaderTimeout = 100*time.Millisecond, 100*time.Millisecond
	})
	for _, raw := range []string{"", "GET / HTTP/1.1\r\nHost: a\r\n"} {
		c := dial(t, addr)
		io.WriteString(c, raw)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := io.ReadAll(c)
		c.Close()
		if err != nil || len(b) != 0 {
			t.Errorf("%q: connection not closed by the server: %q, %v", raw, b, err)
		}
	}
}

// A streamed response reaches the client at each Flush, before the handler returns.
func TestFlushStreams(t *testing.T) {
	next := make(chan struct{})
	addr, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-next
		io.WriteString(w, "second")
	}))
	c := dial(t, addr)
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("first chunk %q, %v", buf, err)
	}
	close(next)
	if rest, _ := io.ReadAll(resp.Body); string(rest) != "second" {
		t.Errorf("rest %q", rest)
	}
}

// net/http's client works against it, with keep-alive.
func TestNetHTTPClient(t *testing.T) {
	addr, _ := start(t, echo)
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr}
	for i := 0; i < 20; i++ {
		body := strings.Repeat("b", i*300)
		resp, err := cl.Post("http://"+addr+"/p"+strconv.Itoa(i), "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got := bodyOf(resp)
		resp.Body.Close()
		if !strings.Contains(got, fmt.Sprintf("POST /p%d host=%s body=%q", i, addr, body)) {
			t.Fatalf("request %d: %q", i, got)
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

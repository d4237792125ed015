package h1server

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// A connection's state, for the janitor and Shutdown.
const (
	stateNew    = iota // accepted, waiting for its first request
	stateIdle          // waiting for its next request
	stateHead          // reading a request's head
	stateActive        // in the handler
)

const (
	bufferSize = 4 << 10
	// maxDrain is how much of a request body the handler left unread is read and dropped to
	// keep the connection (net/http's figure); beyond it the connection is closed.
	maxDrain = 256 << 10
)

var errHeadTooLarge = errors.New("h1server: request head too large")

type conn struct {
	s      *Server
	nc     net.Conn
	remote string
	lr     limitedReader
	br     *bufio.Reader
	bw     *bufio.Writer
	w      response // reused by each request

	st       atomic.Int32 // stateNew, stateIdle, stateHead or stateActive
	since    atomic.Int64 // when st last changed, on the server's clock (Server.since)
	lastPost bool         // the last request was a POST (see readRequest)
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, remote: nc.RemoteAddr().String()}
	c.lr.r = nc
	c.br = bufio.NewReaderSize(&c.lr, bufferSize)
	c.bw = bufio.NewWriterSize(nc, bufferSize)
	c.w.header = make(http.Header)
	c.setState(stateNew)
	return c
}

func (c *conn) setState(st int32) {
	c.since.Store(int64(c.s.since()))
	c.st.Store(st)
}

func (c *conn) state() (int32, time.Duration) {
	return c.st.Load(), time.Duration(c.since.Load())
}

func (c *conn) serve() {
	defer func() {
		c.nc.Close()
		c.s.removeConn(c)
	}()
	for first := true; ; first = false {
		if c.br.Buffered() == 0 {
			if !first {
				c.setState(stateIdle)
			}
			if c.s.closing.Load() {
				return
			}
			if _, err := c.br.Peek(1); err != nil {
				return // closed by the client, the janitor or Shutdown
			}
		}
		c.setState(stateHead)
		req, status, err := c.readRequest()
		if err != nil {
			if status != 0 {
				c.refuse(status, err)
			}
			return
		}
		c.setState(stateActive)
		if !c.handle(req) || c.s.closing.Load() {
			return
		}
	}
}

// readRequest reads and checks the next request. On failure, status is the answer to send
// (0: none, the client is gone or sent nothing).
func (c *conn) readRequest() (*http.Request, int, error) {
	if c.lastPost {
		// net/http's tolerance for old clients that end a POST body with a line break.
		peek, _ := c.br.Peek(4)
		n := 0
		for n < len(peek) && (peek[n] == '\r' || peek[n] == '\n') {
			n++
		}
		c.br.Discard(n)
	}
	c.lr.limit(c.s.maxHeaderBytes() + 4096) // net/http's slack for the request line
	// http.ReadRequest drops the Host fields after using the first, so they are counted
	// on the raw head: in the buffer when it is all there (the usual case), else on a copy
	// of what the parser reads.
	buffered, _ := c.br.Peek(c.br.Buffered())
	hosts, complete := hostFields(buffered)
	if !complete {
		c.lr.record(buffered)
	}
	req, err := http.ReadRequest(c.br)
	if !complete {
		hosts, _ = hostFields(c.lr.stopRecording())
	}
	c.lr.unlimit()
	if err != nil {
		switch {
		case c.lr.hit:
			return nil, http.StatusRequestHeaderFieldsTooLarge, errHeadTooLarge
		case clientGone(err):
			return nil, 0, err
		}
		if msg := err.Error(); strings.HasPrefix(msg, "unsupported transfer encoding") || strings.HasPrefix(msg, "too many transfer encodings") {
			return nil, http.StatusNotImplemented, err // RFC 9112 §6.1, as net/http answers
		}
		return nil, http.StatusBadRequest, err
	}
	c.lastPost = req.Method == http.MethodPost
	// The checks net/http's server makes after parsing; their reasons go in the answer.
	if req.ProtoMajor != 1 {
		return nil, http.StatusHTTPVersionNotSupported, errors.New("unsupported protocol version")
	}
	switch {
	case req.ProtoAtLeast(1, 1) && hosts.n == 0 && req.Method != http.MethodConnect:
		return nil, http.StatusBadRequest, badRequest("missing required Host header")
	case hosts.n > 1:
		return nil, http.StatusBadRequest, badRequest("too many Host headers")
	case hosts.n == 1 && !validHost(req, hosts.first):
		return nil, http.StatusBadRequest, badRequest("malformed Host header")
	}
	for k, vv := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return nil, http.StatusBadRequest, badRequest("invalid header name")
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return nil, http.StatusBadRequest, badRequest("invalid header value")
			}
		}
	}
	req.RemoteAddr = c.remote
	// "100-continue" (a token of the first Expect field, as net/http reads it) is answered
	// on the body's first read; any other expectation cannot be met.
	if e := req.Header.Get("Expect"); e != "" && !expectsContinue(req) {
		return nil, http.StatusExpectationFailed, errors.New("unsupported Expect")
	}
	return req, 0, nil
}

// badRequest is a reason of the server's own checks, which the 400 answer names (a parser
// error is not echoed: it may quote the request).
type badRequest string

func (e badRequest) Error() string { return string(e) }

func expectsContinue(req *http.Request) bool {
	return httpguts.HeaderValuesContainsToken([]string{req.Header.Get("Expect")}, "100-continue")
}

// validHost checks the Host field. It is req.Host unless the target is in absolute form,
// where req.Host comes from the URL and the field's value is checked instead.
func validHost(req *http.Request, field []byte) bool {
	if req.URL.Host == "" {
		return httpguts.ValidHostHeader(req.Host)
	}
	return httpguts.ValidHostHeader(string(field))
}

// clientGone reports the read errors of a client that closed or went quiet, which get no
// answer (net/http's isCommonNetReadError). A malformed URL is a *url.Error, also a
// net.Error, and gets a 400.
func clientGone(err error) bool {
	if err == io.EOF {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "read"
}

// refuse answers a request that could not be read, as net/http does, and closes.
func (c *conn) refuse(status int, err error) {
	line := statusLine(status)
	body := line
	var br badRequest
	if errors.As(err, &br) {
		body += ": " + string(br)
	}
	c.bw.WriteString("HTTP/1.1 ")
	c.bw.WriteString(line)
	c.bw.WriteString("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")
	c.bw.WriteString(body)
	if c.bw.Flush() == nil {
		c.closeGently()
	}
}

// closeGently lets the client read an answer sent with input left unread: closing at once
// would reset the connection and could destroy the answer in flight. It stops sending, reads
// and drops what comes for a moment, then the caller closes (net/http's closeWriteAndWait).
func (c *conn) closeGently() {
	tc, ok := c.nc.(*net.TCPConn)
	if !ok {
		return
	}
	tc.CloseWrite()
	tc.SetReadDeadline(time.Now().Add(closeLinger))
	io.Copy(io.Discard, tc)
}

// closeLinger is how long closeGently waits (net/http's rstAvoidanceDelay).
const closeLinger = 500 * time.Millisecond

// handle runs the handler on req and reports whether the connection can take another request.
func (c *conn) handle(req *http.Request) (keep bool) {
	var body *requestBody
	if req.Body != nil && req.Body != http.NoBody {
		body = &requestBody{rc: req.Body, c: c}
		body.expectContinue = req.ProtoAtLeast(1, 1) && req.ContentLength != 0 && expectsContinue(req)
		req.Body = body
	}
	w := &c.w
	w.reset(c, req, body)
	ok := c.callHandler(w, req)
	if body != nil {
		body.Close() // a Read the handler left running gets ErrBodyReadAfterClose from now on
	}
	if !ok || !w.finish() {
		return false
	}
	if w.closeAfter && body != nil && !body.ended() {
		c.closeGently()
	}
	return !w.closeAfter
}

func (c *conn) callHandler(w *response, req *http.Request) (ok bool) {
	defer func() {
		if x := recover(); x != nil {
			c.s.logPanic(c, x)
			c.bw.Flush() // what was written goes out, cut short, as net/http does
			ok = false
		}
	}()
	c.s.Handler.ServeHTTP(w, req)
	return true
}

// requestBody is a request's body as the handler sees it: the first read answers
// "100 Continue" when the client waits for it; the end is remembered, and before the
// response's head goes out what the handler left is read and dropped (settle), so the
// connection knows whether the next request starts where the body ended.
type requestBody struct {
	mu             sync.Mutex
	rc             io.ReadCloser
	c              *conn
	expectContinue bool // the client waits for 100 Continue before it sends the body
	continued      bool // 100 Continue was sent
	eof            bool
	err            error // set by Close or a read error: later reads fail with it
}

func (b *requestBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	if b.eof {
		return 0, io.EOF
	}
	if b.expectContinue && !b.continued {
		b.continued = true
		if !b.c.w.headSent {
			b.c.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
			if err := b.c.bw.Flush(); err != nil {
				b.err = err
				return 0, err
			}
		}
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.eof = true
	} else if err != nil {
		b.err = err
	}
	return n, err
}

// Close stops the handler's reading; what is left is settled before the response's head.
func (b *requestBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = http.ErrBodyReadAfterClose
	}
	return nil
}

func (b *requestBody) ended() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.eof
}

// settle reads and drops what the handler left of the body, up to maxDrain, and reports
// whether the connection is positioned at the next request. A client still waiting for
// 100 Continue never sent the body: the connection must not be reused.
func (b *requestBody) settle() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.eof:
		return true
	case b.expectContinue && !b.continued:
		return false
	case b.err != nil && b.err != http.ErrBodyReadAfterClose:
		return false
	}
	n, err := io.CopyN(io.Discard, b.rc, maxDrain+1)
	if err == io.EOF && n <= maxDrain {
		b.eof = true
		return true
	}
	return false
}

// hostFields counts the Host fields of the request head at the start of b, and reports
// whether b holds the whole head (a line break, then an empty line).
func hostFields(b []byte) (h hostCount, complete bool) {
	requestLine := true
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return h, false
		}
		line := bytes.TrimSuffix(b[:i], []byte("\r"))
		b = b[i+1:]
		switch {
		case requestLine:
			requestLine = false
		case len(line) == 0:
			return h, true
		case len(line) >= 5 && bytes.EqualFold(line[:5], []byte("host:")):
			if h.n == 0 {
				h.first = bytes.Trim(line[5:], " \t")
			}
			h.n++
		}
	}
	return h, false
}

// hostCount is what hostFields found: how many Host fields, and the first one's value.
type hostCount struct {
	n     int
	first []byte
}

// limitedReader bounds what a request head may read from the connection, and can keep a
// copy of what it reads.
type limitedReader struct {
	r         io.Reader
	remain    int64
	limited   bool
	hit       bool
	recording bool
	rec       []byte
}

func (l *limitedReader) record(start []byte) {
	l.rec = append(l.rec[:0], start...)
	l.recording = true
}

// stopRecording returns the copy, valid until the next record.
func (l *limitedReader) stopRecording() []byte {
	l.recording = false
	rec := l.rec
	if cap(l.rec) > bufferSize {
		l.rec = nil // a large head's copy is not kept for the connection's life
	}
	return rec
}

func (l *limitedReader) limit(n int64) { l.remain, l.limited, l.hit = n, true, false }
func (l *limitedReader) unlimit()      { l.limited = false }

func (l *limitedReader) Read(p []byte) (int, error) {
	if !l.limited {
		return l.r.Read(p)
	}
	if l.remain <= 0 {
		l.hit = true
		return 0, errHeadTooLarge
	}
	if int64(len(p)) > l.remain {
		p = p[:l.remain]
	}
	n, err := l.r.Read(p)
	l.remain -= int64(n)
	if l.recording {
		l.rec = append(l.rec, p[:n]...)
	}
	return n, err
}

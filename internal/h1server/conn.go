package h1server

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// A connection's state, for the janitor and Shutdown.
const (
	stateIdle   = iota // waiting for a request
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

	st    atomic.Int32 // stateIdle, stateHead or stateActive
	since atomic.Int64 // when st last changed, in Unix nanoseconds
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, remote: nc.RemoteAddr().String()}
	c.lr.r = nc
	c.br = bufio.NewReaderSize(&c.lr, bufferSize)
	c.bw = bufio.NewWriterSize(nc, bufferSize)
	c.w.header = make(http.Header)
	c.setState(stateIdle)
	return c
}

func (c *conn) setState(st int32) {
	c.since.Store(time.Now().UnixNano())
	c.st.Store(st)
}

func (c *conn) state() (int32, time.Time) {
	return c.st.Load(), time.Unix(0, c.since.Load())
}

func (c *conn) serve() {
	defer func() {
		c.nc.Close()
		c.s.removeConn(c)
	}()
	for {
		if c.br.Buffered() == 0 {
			c.setState(stateIdle)
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
		case errors.Is(err, io.EOF), isNetError(err):
			return nil, 0, err
		}
		if strings.HasPrefix(err.Error(), "unsupported transfer encoding") {
			return nil, http.StatusNotImplemented, err // RFC 9112 §6.1, as net/http answers
		}
		return nil, http.StatusBadRequest, err
	}
	// The checks net/http's server makes after parsing.
	if req.ProtoMajor != 1 {
		return nil, http.StatusHTTPVersionNotSupported, errors.New("unsupported protocol version")
	}
	switch {
	case req.ProtoAtLeast(1, 1) && hosts == 0 && req.Method != http.MethodConnect:
		return nil, http.StatusBadRequest, errors.New("missing required Host header")
	case hosts > 1:
		return nil, http.StatusBadRequest, errors.New("too many Host headers")
	case hosts == 1 && !httpguts.ValidHostHeader(req.Host):
		return nil, http.StatusBadRequest, errors.New("malformed Host header")
	}
	for k, vv := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return nil, http.StatusBadRequest, errors.New("invalid header name")
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return nil, http.StatusBadRequest, errors.New("invalid header value")
			}
		}
	}
	req.RemoteAddr = c.remote
	// "100-continue" is answered on the body's first read (requestBody); any other
	// expectation cannot be met.
	if expect, ok := req.Header["Expect"]; ok && !(len(expect) == 1 && strings.EqualFold(expect[0], "100-continue")) {
		return nil, http.StatusExpectationFailed, errors.New("unsupported Expect")
	}
	return req, 0, nil
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, net.ErrClosed)
}

// refuse answers a request that could not be read, as net/http does, and the connection
// closes.
func (c *conn) refuse(status int, err error) {
	body := http.StatusText(status)
	if status == http.StatusBadRequest {
		body += ": " + err.Error()
	}
	c.bw.WriteString("HTTP/1.1 ")
	c.bw.WriteString(statusLine(status))
	c.bw.WriteString("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")
	c.bw.WriteString(body)
	c.bw.Flush()
}

// handle runs the handler on req and reports whether the connection can take another request.
func (c *conn) handle(req *http.Request) (keep bool) {
	var body *requestBody
	if req.Body != nil && req.Body != http.NoBody {
		body = &requestBody{rc: req.Body, c: c}
		body.expectContinue = req.ProtoAtLeast(1, 1) && req.ContentLength != 0 &&
			strings.EqualFold(req.Header.Get("Expect"), "100-continue")
		req.Body = body
	}
	w := &c.w
	w.reset(c, req)
	if !c.callHandler(w, req) {
		return false
	}
	if !w.finish() {
		return false
	}
	if body != nil && !body.drain() {
		return false
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
// "100 Continue" when the client waits for it, and the end is remembered so the connection
// knows whether the next request starts where the body ended.
type requestBody struct {
	rc             io.ReadCloser
	c              *conn
	expectContinue bool // the client waits for 100 Continue before it sends the body
	continued      bool // 100 Continue was sent
	eof            bool
	err            error
}

func (b *requestBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
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

// Close stops the handler's reading; what is left is drained (or the connection closed)
// after the response.
func (b *requestBody) Close() error {
	if b.err == nil {
		b.err = http.ErrBodyReadAfterClose
	}
	return nil
}

// drain reads what the handler left of the body, up to maxDrain, and reports whether the
// connection is positioned at the next request.
func (b *requestBody) drain() bool {
	if b.eof {
		return true
	}
	if b.expectContinue && !b.continued {
		return false // the client has not sent the body and may never: start afresh
	}
	if b.err != nil && b.err != http.ErrBodyReadAfterClose {
		return false
	}
	n, err := io.CopyN(io.Discard, b.rc, maxDrain+1)
	return err == io.EOF && n <= maxDrain
}

// hostFields counts the Host fields of the request head at the start of b, and reports
// whether b holds the whole head (a line break, then an empty line).
func hostFields(b []byte) (n int, complete bool) {
	first := true
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return n, false
		}
		line := bytes.TrimSuffix(b[:i], []byte("\r"))
		b = b[i+1:]
		switch {
		case first:
			first = false
		case len(line) == 0:
			return n, true
		case len(line) >= 5 && bytes.EqualFold(line[:5], []byte("host:")):
			n++
		}
	}
	return n, false
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

func (l *limitedReader) stopRecording() []byte {
	l.recording = false
	return l.rec
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

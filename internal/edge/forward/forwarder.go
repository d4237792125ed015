package forward

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Config sets up a Forwarder. The zero value works.
type Config struct {
	// ViaToken names this edge in Via after the protocol version, on the request to the origin
	// and on the response: "1.1 <ViaToken>". CloudFront's is "<id>.cloudfront.net (CloudFront)".
	// Empty: no Via is added.
	ViaToken string
	// TLSConfig is the base for https origins (RootCAs, InsecureSkipVerify for local
	// development...); ServerName is set to the origin's host. nil: the system's roots.
	TLSConfig *tls.Config
	// MaxIdlePerOrigin bounds the idle connections kept per origin address (default 256).
	MaxIdlePerOrigin int
	// MaxHeaderBytes bounds an origin's response head (default DefaultMaxHeaderBytes).
	MaxHeaderBytes int
}

// Forwarder sends requests to origins and keeps their connections alive. It is safe for
// concurrent use; make one per process (or per edge) and share it.
type Forwarder struct {
	viaToken   string
	via11      string // "1.1 <token>", the common Via value, built once
	via11Value []string
	via20      string
	tlsConfig  *tls.Config
	maxIdle    int
	maxHead    int

	mu    sync.Mutex                        // serializes pool creation
	pools atomic.Pointer[map[poolKey]*pool] // copy-on-write: lookups take no lock
}

type poolKey struct {
	scheme, host string
	port         int
}

// New returns a Forwarder.
func New(cfg Config) *Forwarder {
	f := &Forwarder{
		viaToken:  cfg.ViaToken,
		tlsConfig: cfg.TLSConfig,
		maxIdle:   cfg.MaxIdlePerOrigin,
		maxHead:   cfg.MaxHeaderBytes,
	}
	if f.viaToken != "" {
		f.via11 = "1.1 " + f.viaToken
		f.via11Value = []string{f.via11}
		f.via20 = "2.0 " + f.viaToken
	}
	if f.maxIdle <= 0 {
		f.maxIdle = 256
	}
	if f.maxHead <= 0 {
		f.maxHead = DefaultMaxHeaderBytes
	}
	m := map[poolKey]*pool{}
	f.pools.Store(&m)
	return f
}

func (f *Forwarder) pool(o *Origin) *pool {
	k := poolKey{o.Scheme, o.Host, o.port()}
	if p := (*f.pools.Load())[k]; p != nil {
		return p
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	old := *f.pools.Load()
	if p := old[k]; p != nil {
		return p
	}
	p := &pool{dialer: dialer{addr: o.hostPort()}, maxIdle: f.maxIdle}
	if o.Scheme == "https" {
		cfg := &tls.Config{}
		if f.tlsConfig != nil {
			cfg = f.tlsConfig.Clone()
		}
		cfg.ServerName = o.Host
		cfg.NextProtos = []string{"http/1.1"}
		p.tlsConfig = cfg
	}
	m := make(map[poolKey]*pool, len(old)+1)
	for kk, v := range old {
		m[kk] = v
	}
	m[k] = p
	f.pools.Store(&m)
	return p
}

// CloseIdle closes the idle connections of every origin.
func (f *Forwarder) CloseIdle() {
	for _, p := range *f.pools.Load() {
		p.closeIdle(false)
	}
}

// Close closes idle connections and stops keeping new ones; connections in use are closed
// when their responses are.
func (f *Forwarder) Close() {
	for _, p := range *f.pools.Load() {
		p.closeIdle(true)
	}
}

// Forward sends r to o and writes the origin's response to w. mutate, when not nil, sees the
// response before anything is written, and only when the origin's status is below 400
// (viewer-response functions do not run on origin errors, spec §9.8); an error from it is
// returned as is and nothing is written. Errors are *Error unless mutate's.
func (f *Forwarder) Forward(w http.ResponseWriter, r *http.Request, o *Origin, mutate func(*Response) error) error {
	req := FromHTTP(r)
	resp, err := f.RoundTrip(&req, o)
	if err != nil {
		return err
	}
	if mutate != nil && resp.StatusCode < 400 {
		if err := mutate(resp); err != nil {
			resp.Close()
			return err
		}
	}
	return f.WriteResponse(w, resp)
}

// RoundTrip sends req to o and returns the response with its body still unread. The caller
// must Close the response (WriteResponse does). Errors are *Error.
func (f *Forwarder) RoundTrip(req *Request, o *Origin) (*Response, error) {
	if err := req.check(o); err != nil {
		return nil, newError(KindInvalidRequest, "check request", "", err)
	}
	ctx := req.Context
	if ctx == nil {
		ctx = context.Background()
	}
	p := f.pool(o)
	replayable := req.idempotent()
	timeoutTries := 1
	if req.retriesOnTimeout() {
		timeoutTries = o.attempts()
	}
	fresh := false // after a stale pooled connection, dial a new one
	for try := 1; ; {
		c, err := f.acquire(ctx, p, o, req, fresh)
		if err != nil {
			return nil, err
		}
		resp, op, nothingBack, err := f.exchange(ctx, c, p, req, o)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil || errors.Is(err, errCanceled) {
			return nil, newError(KindCanceled, op, p.addr, ctx.Err())
		}
		// A kept-alive connection the origin had already closed: send again on a new one.
		if c.reused && replayable && nothingBack {
			fresh = true
			continue
		}
		// CloudFront sends GET and HEAD again when the origin does not answer in time.
		if isTimeout(err) && try < timeoutTries {
			try++
			continue
		}
		return nil, exchangeError(op, p.addr, err)
	}
}

// acquire returns a pooled connection that still looks usable, or dials a new one with
// the origin's connection attempts.
func (f *Forwarder) acquire(ctx context.Context, p *pool, o *Origin, req *Request, fresh bool) (*conn, error) {
	if !fresh {
		for {
			c := p.get(time.Now())
			if c == nil {
				break
			}
			// Unasked bytes mean a confused connection; a request that cannot be replayed
			// is only sent on a connection the peek says is still open.
			if c.br.Buffered() > 0 || (!req.idempotent() && !c.alive(p.tlsConfig != nil)) {
				c.close()
				continue
			}
			return c, nil
		}
	}
	var last error
	for i := 0; i < o.attempts(); i++ {
		c, err := p.dial(ctx, o.connectTimeout())
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, newError(KindCanceled, "dial", p.addr, ctx.Err())
		}
		last = err
	}
	kind := KindConnect
	var te *tlsError
	switch {
	case isTimeout(last):
		kind = KindConnectTimeout
	case errors.As(last, &te):
		kind = KindTLS
	}
	return nil, newError(kind, "dial", p.addr, last)
}

// viewerBodyError wraps a failure to read the viewer's request body.
type viewerBodyError struct{ err error }

func (e *viewerBodyError) Error() string { return "reading viewer body: " + e.err.Error() }
func (e *viewerBodyError) Unwrap() error { return e.err }

// exchange writes the request and reads the response head on c. On failure c is closed and
// nothingBack says whether the origin may not have seen the request at all (so it can be
// sent again if replayable).
func (f *Forwarder) exchange(ctx context.Context, c *conn, p *pool, req *Request, o *Origin) (resp *Response, op string, nothingBack bool, err error) {
	c.begin(o.readTimeout())
	stop := c.watch(ctx)
	fail := func(e error) (*Response, string, bool, error) {
		if stop != nil {
			stop()
		}
		c.close()
		return nil, op, nothingBack, e
	}

	op = "write request"
	f.writeHead(c.bw, req, o)
	var werr error
	if req.Body != nil {
		c.streaming()
		werr = writeBody(c.bw, req.Body, req.ContentLength)
	}
	if werr == nil {
		werr = c.bw.Flush()
	}
	if werr != nil {
		var vb *viewerBodyError
		if errors.As(werr, &vb) || errors.Is(werr, errCanceled) {
			return fail(werr)
		}
		if req.Body == nil {
			nothingBack = true
			return fail(werr)
		}
		// The origin may have answered early (401, 413...) and stopped reading the body:
		// take its response if there is one, on a connection that will not be reused.
	}

	op = "read response"
	resp = &Response{ContentLength: -1, c: c, p: p, stop: stop, keepAliveFor: o.keepAliveTimeout()}
	// No runtime.Gosched before the read, though it would often save a failed read: a
	// yielding goroutine waits in the global run queue, which a busy P serves one time in
	// 61, and under load that made the p99 latency 7 ms instead of 2.5 ms for no CPU
	// saving measurable here (bench/edge, 32 connections).
	if err := readHead(c.br, resp, f.maxHead); err != nil {
		if werr != nil {
			return fail(werr)
		}
		nothingBack = c.br.Buffered() == 0 && (errors.Is(err, io.EOF) ||
			errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE))
		return fail(err)
	}
	if err := frame(resp, req.Method); err != nil {
		return fail(err)
	}
	if werr != nil {
		resp.keepAlive = false
	}
	c.streaming()
	resp.body.br = c.br
	resp.Body = &resp.body
	if f.viaToken != "" {
		f.addVia(resp.Header, req.ProtoMajor, req.ProtoMinor)
	}
	return resp, "", false, nil
}

// addVia appends this edge to the response's Via list, as one field value.
func (f *Forwarder) addVia(h http.Header, major, minor int) {
	var v string
	switch {
	case major <= 0 || major == 1 && minor == 1:
		v = f.via11
	case major == 2 && minor == 0:
		v = f.via20
	default:
		v = strconv.Itoa(major) + "." + strconv.Itoa(minor) + " " + f.viaToken
	}
	if old := h["Via"]; len(old) > 0 {
		v = strings.Join(old, ", ") + ", " + v
	} else if v == f.via11 {
		h["Via"] = f.via11Value // shared: never changed in place, an append copies
		return
	}
	h["Via"] = []string{v}
}

func exchangeError(op, addr string, err error) *Error {
	var pe protocolError
	var ie invalidError
	var vb *viewerBodyError
	switch {
	case errors.As(err, &vb):
		return newError(KindViewerBody, op, addr, err)
	case errors.As(err, &ie):
		return newError(KindInvalidRequest, op, addr, err)
	case errors.As(err, &pe):
		return newError(KindProtocol, op, addr, err)
	case isTimeout(err):
		return newError(KindResponseTimeout, op, addr, err)
	}
	return newError(KindOriginClosed, op, addr, err)
}

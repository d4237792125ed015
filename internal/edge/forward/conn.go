package forward

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync/atomic"
	"time"
)

const (
	readBufferSize  = 8 << 10
	writeBufferSize = 4 << 10
)

// conn is one connection to an origin. Only one request uses it at a time. The origin
// response timeout is a deadline, not a timer goroutine: one deadline covers writing the
// request head and waiting for the response head; while bodies stream, every read or write
// that goes to the network pushes it forward ("no byte for ReadTimeout").
type conn struct {
	nc  net.Conn // what we read and write: the TCP connection or the TLS one over it
	raw net.Conn // the TCP connection, for the liveness probe
	br  *bufio.Reader
	bw  *bufio.Writer

	timeout   time.Duration // read/write inactivity limit for the current request
	refresh   bool          // push the deadline on each network read/write (body phases)
	canceled  atomic.Bool   // set by the request context's AfterFunc
	idleSince time.Time     // when it went back to the pool
	idleUntil time.Time     // keep-alive deadline while idle
	reused    bool          // served a request before this one
	// beforeRead, when set, runs whenever the reader has to go to the network: a streamed
	// response flushes what it gave the viewer before it may block waiting for the origin.
	beforeRead func()
}

// errCanceled is returned by conn reads and writes after the request context ended.
var errCanceled = errors.New("request canceled")

// aLongTimeAgo is a deadline that makes blocked reads and writes return at once.
var aLongTimeAgo = time.Unix(1, 0)

func (c *conn) Read(p []byte) (int, error) {
	if c.beforeRead != nil {
		c.beforeRead()
	}
	if c.refresh {
		c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	}
	if c.canceled.Load() { // checked after the deadline is pushed: see cancel
		return 0, errCanceled
	}
	n, err := c.nc.Read(p)
	if err != nil && c.canceled.Load() {
		err = errCanceled
	}
	return n, err
}

func (c *conn) Write(p []byte) (int, error) {
	if c.refresh {
		c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
	}
	if c.canceled.Load() {
		return 0, errCanceled
	}
	n, err := c.nc.Write(p)
	if err != nil && c.canceled.Load() {
		err = errCanceled
	}
	return n, err
}

// begin starts a request on c: one deadline for sending the head and getting the answer.
func (c *conn) begin(timeout time.Duration) {
	c.timeout = timeout
	c.refresh = false
	c.nc.SetDeadline(time.Now().Add(timeout))
}

// streaming makes every network read and write push the deadline from now on.
func (c *conn) streaming() { c.refresh = true }

// cancel wakes any blocked read or write. It sets the flag before the deadline, and
// Read/Write push the deadline before checking the flag, so whichever runs second wins
// in the right direction.
func (c *conn) cancel() {
	c.canceled.Store(true)
	c.nc.SetDeadline(aLongTimeAgo)
}

// watch makes ctx's end cancel the connection until the returned stop is called.
func (c *conn) watch(ctx context.Context) (stop func() bool) {
	if ctx == nil || ctx.Done() == nil {
		return nil
	}
	return context.AfterFunc(ctx, c.cancel)
}

func (c *conn) close() { c.nc.Close() }

// alive peeks at an idle connection (see the platform's alive); the last request's
// deadline may have passed while it idled, and would fail the peek, so it is cleared.
func (c *conn) alive(isTLS bool) bool {
	c.raw.SetReadDeadline(time.Time{})
	return alive(c.raw, isTLS)
}

// dialer opens connections to one origin address.
type dialer struct {
	addr      string
	tlsConfig *tls.Config // nil for http
}

// dial connects once, with the TLS handshake inside the same timeout.
func (d *dialer) dial(ctx context.Context, timeout time.Duration) (*conn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var nd net.Dialer
	raw, err := nd.DialContext(ctx, "tcp", d.addr)
	if err != nil {
		return nil, err
	}
	c := &conn{nc: raw, raw: raw}
	if d.tlsConfig != nil {
		tc := tls.Client(raw, d.tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, &tlsError{err}
		}
		c.nc = tc
	}
	c.br = bufio.NewReaderSize(c, readBufferSize)
	c.bw = bufio.NewWriterSize(c, writeBufferSize)
	return c, nil
}

// tlsError marks a failed handshake so it maps to KindTLS (unless it was a timeout).
type tlsError struct{ err error }

func (e *tlsError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

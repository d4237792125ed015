package sdkhttp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/sdkhttp"
)

// These tests force the interleaving behind aws/aws-sdk-go-v2 #1825 and #2737 instead of
// waiting for it (it hits about one large-body call in a hundred): net/http's final
// length-check read of the request body is held back until the caller has got the
// response and closed the body, and the server sends the second half of its response only
// after that read.

// safety bounds a wait that only a broken test could exhaust; no timing is asserted.
const safety = 10 * time.Second

// bigBody is larger than net/http's 4 KiB write buffer, so the whole body is on the wire
// before the length-check read.
var bigBody = bytes.Repeat([]byte("b"), 16<<10)

// smithyBody mimics smithy-go's request body: after Close, Read reports a clean end but
// WriteTo reports io.EOF as an error.
type smithyBody struct {
	mu     sync.Mutex
	r      *bytes.Reader
	closed bool
}

func (b *smithyBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, io.EOF
	}
	return b.r.Read(p)
}

func (b *smithyBody) WriteTo(w io.Writer) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, io.EOF
	}
	return b.r.WriteTo(w)
}

func (b *smithyBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

// race holds the pieces of one forced interleaving.
type race struct {
	callerClosed chan struct{} // closed once the caller has closed the request body
	checkDone    chan struct{} // closed when net/http's length-check read has returned
	connClosed   chan struct{} // closed when the client closes its connection
	release      chan struct{} // closed to let the server send the rest of its response
	server       *httptest.Server
	transport    *http.Transport // the real transport, under gate
}

// newRace starts a server answering every request with status 201 and response, split in
// two around release.
func newRace(t *testing.T, response []byte) *race {
	t.Helper()
	r := &race{
		callerClosed: make(chan struct{}),
		checkDone:    make(chan struct{}),
		connClosed:   make(chan struct{}),
		release:      make(chan struct{}),
	}
	r.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(response)))
		w.WriteHeader(http.StatusCreated)
		half := len(response) / 2
		w.Write(response[:half])
		w.(http.Flusher).Flush()
		select {
		case <-r.release:
		case <-req.Context().Done():
			return
		}
		w.Write(response[half:])
	}))
	t.Cleanup(r.server.Close)
	var once sync.Once
	r.transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &trackedConn{Conn: c, closed: r.connClosed, once: &once}, nil
	}}
	t.Cleanup(r.transport.CloseIdleConnections)
	return r
}

// gate is the RoundTripper just above the real transport.
func (r *race) gate() http.RoundTripper { return gate{r} }

// wait blocks on ch for at most the safety bound.
func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(safety):
		t.Fatalf("gave up waiting: %s", what)
	}
}

type trackedConn struct {
	net.Conn
	closed chan struct{}
	once   *sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

type gate struct{ r *race }

func (g gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return g.r.transport.RoundTrip(req)
	}
	gb := &gatedBody{body: req.Body, left: req.ContentLength, r: g.r}
	out := req.Clone(req.Context())
	out.Body = gb
	if _, ok := req.Body.(io.WriterTo); ok {
		// Keep the fast path visible, as it is without the fix.
		out.Body = gatedWriterToBody{gb}
	}
	return g.r.transport.RoundTrip(out)
}

// gatedBody passes a request body through, holding back the read that follows the last
// declared byte (net/http's check for extra bytes) until the caller has closed the body.
type gatedBody struct {
	body io.ReadCloser
	left int64
	r    *race
	once sync.Once
}

func (b *gatedBody) Read(p []byte) (int, error) {
	if b.left > 0 {
		n, err := b.body.Read(p)
		b.left -= int64(n)
		return n, err
	}
	var n int
	var err error
	b.lengthCheck(func() { n, err = b.body.Read(p) })
	return n, err
}

func (b *gatedBody) lengthCheck(read func()) {
	select {
	case <-b.r.callerClosed:
	case <-time.After(safety): // a broken interleaving must not hang the test
	}
	read()
	b.once.Do(func() { close(b.r.checkDone) })
}

func (b *gatedBody) Close() error { return b.body.Close() }

type gatedWriterToBody struct{ *gatedBody }

func (b gatedWriterToBody) WriteTo(w io.Writer) (int64, error) {
	if b.left > 0 {
		return b.body.(io.WriterTo).WriteTo(w)
	}
	var n int64
	var err error
	b.lengthCheck(func() { n, err = b.body.(io.WriterTo).WriteTo(w) })
	return n, err
}

// roundTrip sends bigBody in a smithyBody through client, closes the body the way
// smithy-go does once the response has arrived, and returns the response body as read.
func (r *race) roundTrip(t *testing.T, client *http.Client, waitForClose bool) ([]byte, error) {
	t.Helper()
	body := &smithyBody{r: bytes.NewReader(bigBody)}
	req, err := http.NewRequest("POST", r.server.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(bigBody))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body.Close()
	close(r.callerClosed)
	wait(t, r.checkDone, "the length-check read")
	if waitForClose {
		wait(t, r.connClosed, "the client to close its connection")
	}
	close(r.release)
	return io.ReadAll(resp.Body)
}

// Without the fix the interleaving breaks the response: this proves the harness.
func TestInterleavingBreaksUnwrappedTransport(t *testing.T) {
	response := bytes.Repeat([]byte("r"), 32<<10)
	r := newRace(t, response)
	_, err := r.roundTrip(t, &http.Client{Transport: r.gate()}, true)
	if !errors.Is(err, net.ErrClosed) {
		t.Fatalf("reading the response: %v, want use of closed network connection", err)
	}
}

func TestInterleavingKeepsWrappedTransportWorking(t *testing.T) {
	response := bytes.Repeat([]byte("r"), 32<<10)
	r := newRace(t, response)
	got, err := r.roundTrip(t, &http.Client{Transport: sdkhttp.Transport(r.gate())}, false)
	if err != nil || !bytes.Equal(got, response) {
		t.Fatalf("reading the response: %d bytes, %v", len(got), err)
	}
}

package forward

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// originFor describes an httptest server as an Origin.
func originFor(t testing.TB, rawURL string) *Origin {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	o := &Origin{Scheme: u.Scheme, Host: u.Hostname(), Port: port}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// proxyServer runs a viewer-facing server that forwards everything to o with f, the way the
// edge will; via mutate it can stand in for a viewer-response function.
func proxyServer(t testing.TB, f *Forwarder, o *Origin, mutate func(*Response) error) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := f.Forward(w, r, o, mutate)
		if err == nil {
			return
		}
		if fe, ok := err.(*Error); ok {
			if fe.HeadersSent {
				panic(http.ErrAbortHandler)
			}
			w.Header().Set("X-Forward-Error", fe.Kind.String())
			http.Error(w, fe.Error(), fe.Status())
			return
		}
		http.Error(w, err.Error(), 503)
	}))
	t.Cleanup(s.Close)
	return s
}

// rawOrigin is a TCP origin whose every connection is handled by handle; it counts
// accepted connections.
type rawOrigin struct {
	ln    net.Listener
	mu    sync.Mutex
	conns int
	open  []net.Conn
	wg    sync.WaitGroup
}

func newRawOrigin(t testing.TB, handle func(c net.Conn, br *bufio.Reader)) *rawOrigin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ro := &rawOrigin{ln: ln}
	ro.wg.Add(1)
	go func() {
		defer ro.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			ro.mu.Lock()
			ro.conns++
			ro.open = append(ro.open, c)
			ro.mu.Unlock()
			ro.wg.Add(1)
			go func() {
				defer ro.wg.Done()
				defer c.Close()
				handle(c, bufio.NewReader(c))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		ro.mu.Lock()
		for _, c := range ro.open {
			c.Close()
		}
		ro.mu.Unlock()
		ro.wg.Wait()
	})
	return ro
}

func (ro *rawOrigin) origin() *Origin {
	a := ro.ln.Addr().(*net.TCPAddr)
	return &Origin{Scheme: "http", Host: "127.0.0.1", Port: a.Port, ReadTimeout: 5 * time.Second}
}

func (ro *rawOrigin) accepted() int {
	ro.mu.Lock()
	defer ro.mu.Unlock()
	return ro.conns
}

// readRequestHead reads one request head from br and returns its lines (without CRLF).
func readRequestHead(br *bufio.Reader) ([]string, error) {
	var lines []string
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return lines, err
		}
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			return lines, nil
		}
		lines = append(lines, l)
	}
}

// serveCanned answers every request on the connection with resp (raw bytes).
func serveCanned(resp string) func(net.Conn, *bufio.Reader) {
	return func(c net.Conn, br *bufio.Reader) {
		for {
			if _, err := readRequestHead(br); err != nil {
				return
			}
			if _, err := c.Write([]byte(resp)); err != nil {
				return
			}
		}
	}
}

// get sends a request through the forwarder directly (no viewer server) and reads it all.
func roundTripAll(t *testing.T, f *Forwarder, o *Origin, req Request) (*Response, string, error) {
	t.Helper()
	if req.Method == "" {
		req.Method = "GET"
	}
	if req.Path == "" {
		req.Path = "/"
	}
	resp, err := f.RoundTrip(&req, o)
	if err != nil {
		return nil, "", err
	}
	var sb strings.Builder
	buf := make([]byte, 1024)
	for {
		n, rerr := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if rerr != nil {
			if rerr.Error() != "EOF" {
				resp.Close()
				return resp, sb.String(), rerr
			}
			break
		}
	}
	resp.Close()
	return resp, sb.String(), nil
}

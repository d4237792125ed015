package forward

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmarks measure the
// forwarding path (and the in-process origin), not a viewer server.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) Flush()                      {}

func (d *discardWriter) reset() {
	clear(d.h)
	d.code = 0
}

const benchResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 64\r\n" +
	"Date: Tue, 24 Nov 2026 10:00:00 GMT\r\nETag: \"abc\"\r\nCache-Control: max-age=60\r\n\r\n" +
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

// serveCannedNoAlloc answers every request with resp without allocating per request, so
// the benchmarks' allocation counts are the forwarder's own.
func serveCannedNoAlloc(resp string) func(net.Conn, *bufio.Reader) {
	out := []byte(resp)
	return func(c net.Conn, br *bufio.Reader) {
		for {
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				if len(line) <= 2 {
					break
				}
			}
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}

func benchViewerRequest() *http.Request {
	r := httptest.NewRequest("GET", "http://d111.cloudfront.net/dir/index.html?x=1", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36")
	r.Header.Set("Accept", "text/html,application/xhtml+xml")
	r.Header.Set("Accept-Encoding", "gzip, deflate, br")
	r.Header.Set("Accept-Language", "en-US,en;q=0.9")
	r.Header.Set("Cookie", "session=abc123")
	return r
}

func BenchmarkForward(b *testing.B) {
	ro := newRawOrigin(b, serveCannedNoAlloc(benchResponse))
	o := ro.origin()
	f := New(Config{ViaToken: "d111.cloudfront.net (CloudFront)"})
	defer f.Close()
	r := benchViewerRequest()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.reset()
		if err := f.Forward(w, r, o, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForwardParallel(b *testing.B) {
	ro := newRawOrigin(b, serveCannedNoAlloc(benchResponse))
	o := ro.origin()
	f := New(Config{ViaToken: "d111.cloudfront.net (CloudFront)"})
	defer f.Close()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := benchViewerRequest()
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			w.reset()
			if err := f.Forward(w, r, o, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReverseProxyTuned is the alternative the forwarder was measured against:
// httputil.ReverseProxy over a net/http Transport tuned for one busy origin.
func BenchmarkReverseProxyTuned(b *testing.B) {
	ro := newRawOrigin(b, serveCannedNoAlloc(benchResponse))
	target := &url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(ro.origin().Port)}
	tr := &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}
	defer tr.CloseIdleConnections()
	bufs := &benchBufferPool{}
	rp := &httputil.ReverseProxy{
		Rewrite:    func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.SetXForwarded() },
		Transport:  tr,
		BufferPool: bufs,
	}
	r := benchViewerRequest()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.reset()
		rp.ServeHTTP(w, r)
		if w.code != 200 {
			b.Fatalf("status %d", w.code)
		}
	}
}

type benchBufferPool struct{ p sync.Pool }

func (bp *benchBufferPool) Get() []byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		return *b
	}
	return make([]byte, 32<<10)
}
func (bp *benchBufferPool) Put(b []byte) { bp.p.Put(&b) }

func BenchmarkParseHead(b *testing.B) {
	raw := []byte(benchResponse)
	src := bytes.NewReader(raw)
	br := bufio.NewReaderSize(src, readBufferSize)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		src.Reset(raw)
		br.Reset(src)
		resp := Response{ContentLength: -1}
		if err := readHead(br, &resp, DefaultMaxHeaderBytes); err != nil {
			b.Fatal(err)
		}
		if err := frame(&resp, "GET"); err != nil {
			b.Fatal(err)
		}
	}
}

package h1server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// One keep-alive connection, a small GET answered with a short body: this server, and
// net/http's for comparison (compare the two within one run).
func BenchmarkKeepAlive(b *testing.B) {
	addr, _ := start(b, smallAnswer)
	benchKeepAlive(b, addr)
}

func BenchmarkKeepAliveNetHTTP(b *testing.B) {
	ref := httptest.NewServer(smallAnswer)
	defer ref.Close()
	benchKeepAlive(b, strings.TrimPrefix(ref.URL, "http://"))
}

var smallAnswer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = []string{"text/plain"}
	h["Content-Length"] = []string{"5"}
	io.WriteString(w, "hello")
})

func benchKeepAlive(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	req := []byte("GET /path?q=1 HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
	buf := make([]byte, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// Command proxy is the benchmark's Go proxy in several modes, one per process:
//
//	reverseproxy        httputil.NewSingleHostReverseProxy with the default Transport (the bare baseline)
//	reverseproxy-tuned  httputil.ReverseProxy with a tuned Transport and pooled copy buffers
//	forward             internal/edge/forward, no function
//	forward-rewrite     forward + the append-index.html rewrite done in Go (NOT the edge: no JavaScript)
//	forward-headers     forward + the security headers added in Go (NOT the edge: no JavaScript)
//	direct              net/http answering by itself, no origin: the floor of any net/http-based edge
//
// The last two stand in for the edge's function cases until `localfront serve` runs them.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/localfront/localfront/internal/edge/forward"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to listen on (loopback)")
	originAddr := flag.String("origin", "127.0.0.1:8081", "origin host:port")
	mode := flag.String("mode", "forward", "reverseproxy | reverseproxy-tuned | forward | forward-rewrite | forward-headers | direct")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile here until SIGTERM")
	flag.Parse()
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}

	var h http.Handler
	switch *mode {
	case "reverseproxy":
		h = httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: *originAddr})
	case "reverseproxy-tuned":
		h = tunedReverseProxy(*originAddr)
	case "forward", "forward-rewrite", "forward-headers":
		h = forwardHandler(*originAddr, *mode)
	case "direct":
		body := []byte(strings.Repeat("x", 64))
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hd := w.Header()
			hd["Content-Type"] = []string{"text/html"}
			hd["Content-Length"] = []string{"64"}
			hd["X-Origin-Uri"] = []string{r.URL.Path}
			w.Write(body)
		})
	default:
		log.Fatalf("unknown mode %q", *mode)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 60 * time.Second}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		srv.Close()
	}()
	fmt.Fprintf(os.Stderr, "proxy %s listening on %s\n", *mode, ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		log.Print(err)
	}
}

type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() []byte  { return *(b.p.Get().(*[]byte)) }
func (b *bufferPool) Put(x []byte) { b.p.Put(&x) }

func tunedReverseProxy(originAddr string) http.Handler {
	target := &url.URL{Scheme: "http", Host: originAddr}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     5 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		WriteBufferSize:     4 << 10,
		ReadBufferSize:      8 << 10,
	}
	bp := &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
		},
		Transport:  tr,
		BufferPool: bp,
	}
}

func forwardHandler(originAddr, mode string) http.Handler {
	host, portStr, err := net.SplitHostPort(originAddr)
	if err != nil {
		log.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	origin := &forward.Origin{Scheme: "http", Host: host, Port: port}
	if err := origin.Validate(); err != nil {
		log.Fatal(err)
	}
	f := forward.New(forward.Config{ViaToken: "local.cloudfront.net (CloudFront)"})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := forward.FromHTTP(r)
		if mode == "forward-rewrite" {
			req.Path = appendIndexHTML(req.Path)
		}
		resp, err := f.RoundTrip(&req, origin)
		if err != nil {
			fe := err.(*forward.Error)
			http.Error(w, fe.Error(), fe.Status())
			return
		}
		if mode == "forward-headers" && resp.StatusCode < 400 {
			addSecurityHeaders(resp.Header)
		}
		if err := f.WriteResponse(w, resp); err != nil {
			if fe, ok := err.(*forward.Error); ok && fe.HeadersSent {
				panic(http.ErrAbortHandler)
			}
		}
	})
}

// appendIndexHTML is CloudFront's "add index.html to request URLs" example in Go.
func appendIndexHTML(uri string) string {
	if strings.HasSuffix(uri, "/") {
		return uri + "index.html"
	}
	if !strings.Contains(uri, ".") {
		return uri + "/index.html"
	}
	return uri
}

// addSecurityHeaders is CloudFront's "add security headers" example in Go.
func addSecurityHeaders(h http.Header) {
	h["Strict-Transport-Security"] = []string{"max-age=63072000; includeSubdomains; preload"}
	h["Content-Security-Policy"] = []string{"default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	h["X-Frame-Options"] = []string{"DENY"}
	h["X-Xss-Protection"] = []string{"1; mode=block"}
	h["Referrer-Policy"] = []string{"same-origin"}
}

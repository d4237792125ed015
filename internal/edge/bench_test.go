package edge

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/localfront/localfront/internal/benchfuncs"
	"github.com/localfront/localfront/internal/distributions"
)

// Edge round trips through a loopback listener to a loopback origin, per request: the
// client, the edge and the origin share the machine, so the figures compare cases rather than
// measure the edge alone (bench/edge/run.sh does that with pinned CPUs).

// The benchmarked programs, shared with the runtime benchmarks and bench/edge.
const (
	securityHeaders = benchfuncs.SecurityHeaders
	appendIndex     = benchfuncs.AppendIndex
)

// benchSetup publishes the given viewer-request and viewer-response functions (either may be
// "") and a distribution using them, in front of an origin with a small fixed answer.
func benchSetup(b *testing.B, vreq, vresp string, fo ...fixtureOptions) (*fixture, distributions.Distribution) {
	f := newFixture(b, fo...)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("0123456789012345678901234567890123456789012345678901234567890123"))
	})
	var req, resp string
	if vreq != "" {
		req = f.publish("vreq", js2, vreq)
	}
	if vresp != "" {
		resp = f.publish("vresp", js2, vresp)
	}
	d := f.distribution(req, resp)
	return f, d
}

func benchEdge(b *testing.B, vreq, vresp string) {
	f, d := benchSetup(b, vreq, vresp)
	r, err := http.NewRequest("GET", f.srv.URL+"/dir/", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Host = d.DomainName
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := f.client.Do(r)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}

func BenchmarkEdgeNoFunction(b *testing.B)      { benchEdge(b, "", "") }
func BenchmarkEdgeAppendIndex(b *testing.B)     { benchEdge(b, appendIndex, "") }
func BenchmarkEdgeSecurityHeaders(b *testing.B) { benchEdge(b, "", securityHeaders) }
func BenchmarkEdgeBoth(b *testing.B)            { benchEdge(b, appendIndex, securityHeaders) }

// The edge handler alone (the origin is still a loopback server): what one request costs
// the edge, without the client's share.
func benchHandler(b *testing.B, vreq, vresp string, fo ...fixtureOptions) {
	f, d := benchSetup(b, vreq, vresp, fo...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest("GET", "/dir/", nil)
		r.Host = d.DomainName
		r.Header.Set("User-Agent", "bench")
		r.Header.Set("Accept", "*/*")
		w := httptest.NewRecorder()
		f.edge.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func BenchmarkHandlerNoFunction(b *testing.B) { benchHandler(b, "", "") }

// With the access log on, as `localfront serve` has it by default (info level, text).
func BenchmarkHandlerNoFunctionAccessLog(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	benchHandler(b, "", "", fixtureOptions{edge: Options{Logger: log}})
}
func BenchmarkHandlerAppendIndex(b *testing.B)     { benchHandler(b, appendIndex, "") }
func BenchmarkHandlerSecurityHeaders(b *testing.B) { benchHandler(b, "", securityHeaders) }

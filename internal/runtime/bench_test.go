package runtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/localfront/localfront/internal/benchfuncs"
)

// The benchmarked programs (shared with the edge's benchmarks and bench/edge).
const (
	benchURLRewrite      = benchfuncs.AppendIndex
	benchSecurityHeaders = benchfuncs.SecurityHeaders
	benchCookieHMAC      = benchfuncs.CookieHMAC
)

func benchEvent() *Event {
	return &Event{
		Version: "1.0",
		Context: Context{DistributionDomainName: "d111111abcdef8.cloudfront.net", DistributionID: "EDFDVBD6EXAMPLE", EventType: EventViewerRequest, RequestID: "req-1"},
		Viewer:  Viewer{IP: "198.51.100.11"},
		Request: &Request{
			Method: "GET", URI: "/blog/",
			Querystring: Values{{Name: "lang", Value: Value{Value: "en"}}},
			Headers: Values{
				{Name: "host", Value: Value{Value: "www.example.com"}},
				{Name: "user-agent", Value: Value{Value: "Mozilla/5.0"}},
				{Name: "accept", Value: Value{Value: "text/html"}},
			},
			Cookies:        Values{{Name: "session", Value: Value{Value: "alice.1f0cf1c5a4fbb8b0c8e7fc5e1b9a7b2bfb0b5ec1a3a8e6c7a3c9f2c9d1e0b4a7"}}},
			RawQueryString: "lang=en", HasQuery: true,
		},
	}
}

func benchRun(b *testing.B, code string, ev *Event) {
	e, p := benchSetup(b, code, ev)
	ctx := context.Background()
	inv := Invocation{Untimed: true} // as the edge runs functions
	var r Result                     // reused, as the edge does
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if e.RunInto(ctx, p, ev, inv, &r); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}

// benchSetup compiles code and runs it once (the VM is then pooled, as on a busy edge).
func benchSetup(b *testing.B, code string, ev *Event) (*Engine, *Program) {
	b.Helper()
	e := NewEngine(Options{})
	p, err := e.Compile("bench", []byte(code), RuntimeJS2)
	if err != nil {
		b.Fatal(err)
	}
	var r Result
	if e.RunInto(context.Background(), p, ev, Invocation{Untimed: true}, &r); r.Err != nil {
		b.Fatal(r.Err)
	}
	return e, p
}

// benchRunCold is benchRun with the VM's memory pushed out of the TLBs and the L2 cache before
// each run, as on the edge under load, where the networking between two runs of a VM does that
// (docs/edge.md, "Function runs and pooled VMs"). What it adds over the warm figure is the
// cost of the memory a run touches, which warm benchmarks hide. Only the runs are timed, by
// two clock reads each (included), so the reported ns/op is a run's: StopTimer would read the
// memory statistics, stopping the world and flushing the allocator's caches every iteration.
func benchRunCold(b *testing.B, code string, ev *Event) {
	e, p := benchSetup(b, code, ev)
	ctx := context.Background()
	inv := Invocation{Untimed: true}
	var r Result
	coldLoop(b, nil, func() {
		if e.RunInto(ctx, p, ev, inv, &r); r.Err != nil {
			b.Fatal(r.Err)
		}
	})
}

// coldLoop times b.N calls of run, each after prepare (untimed; may be nil) and after pushing
// memory out of the TLBs and L2: a write to each page of 32 MB, more pages than the TLBs
// hold, and to each line of 2 MB, more than a core's L2 (1 MB on this machine class).
func coldLoop(b *testing.B, prepare, run func()) {
	buf := make([]byte, 32<<20)
	var ran time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if prepare != nil {
			prepare()
		}
		for j := 0; j < len(buf); j += 4096 {
			buf[j]++
		}
		for j := 0; j < 2<<20; j += 64 {
			buf[j]++
		}
		t0 := time.Now()
		run()
		ran += time.Since(t0)
	}
	b.ReportMetric(float64(ran.Nanoseconds())/float64(b.N), "ns/op")
}

const benchPassThrough = "function handler(event) { return event.request; }"

func BenchmarkURLRewrite(b *testing.B) { benchRun(b, benchURLRewrite, benchEvent()) }

// The cost of a run itself: a handler that returns the request untouched.
func BenchmarkPassThrough(b *testing.B) { benchRun(b, benchPassThrough, benchEvent()) }

func BenchmarkURLRewriteCold(b *testing.B)  { benchRunCold(b, benchURLRewrite, benchEvent()) }
func BenchmarkPassThroughCold(b *testing.B) { benchRunCold(b, benchPassThrough, benchEvent()) }

func BenchmarkSecurityHeaders(b *testing.B) {
	ev := benchEvent()
	ev.Context.EventType = EventViewerResponse
	ev.Response = &Response{StatusCode: 200, StatusDescription: "OK", Headers: Values{
		{Name: "content-type", Value: Value{Value: "text/html"}},
		{Name: "content-length", Value: Value{Value: "1024"}},
	}}
	benchRun(b, benchSecurityHeaders, ev)
}

func BenchmarkCookieHMAC(b *testing.B) { benchRun(b, benchCookieHMAC, benchEvent()) }

// BenchmarkCompile10KB compiles a 10 KB function (uncached).
func BenchmarkCompile10KB(b *testing.B) {
	code := tenKBFunction()
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Compile("bench", code, RuntimeJS2); err != nil {
			b.Fatal(err)
		}
	}
}

// tenKBFunction builds a realistic function of about 10 KB: a redirect table and helpers.
func tenKBFunction() []byte {
	var sb strings.Builder
	sb.WriteString("var redirects = {\n")
	for i := 0; sb.Len() < 8000; i++ {
		sb.WriteString("    '/old/path/number/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "': '/new/location/" + string(rune('a'+i%26)) + "',\n")
	}
	sb.WriteString("};\n")
	sb.WriteString(`function normalize(uri) {
    var out = uri.toLowerCase();
    while (out.length > 1 && out.endsWith('/')) { out = out.slice(0, -1); }
    return out;
}
function redirect(location) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: location } } };
}
function handler(event) {
    var request = event.request;
    var uri = normalize(request.uri);
    if (redirects[uri]) { return redirect(redirects[uri]); }
    if (uri.endsWith('/')) { request.uri += 'index.html'; }
    else if (!uri.includes('.')) { request.uri += '/index.html'; }
    return request;
}
`)
	for sb.Len() < 10200 {
		sb.WriteString("// padding comment to reach ten kilobytes of source text\n")
	}
	return []byte(sb.String())
}

// BenchmarkNewVM prepares a fresh VM for a program (what a run costs when no pooled VM is
// available).
func BenchmarkNewVM(b *testing.B) {
	p, err := Compile("bench", []byte(benchURLRewrite), RuntimeJS2)
	if err != nil {
		b.Fatal(err)
	}
	o := Options{}.withDefaults()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := newVMState(p, &o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun10KB runs the 10 KB function: every invocation re-evaluates its top-level
// redirect table (the price of starting each request from a clean state).
func BenchmarkRun10KB(b *testing.B) { benchRun(b, string(tenKBFunction()), benchEvent()) }

// A header loop and a redirect table: ordinary code that relies on the own-key and
// constant-variable rules (ownkeys.go) to run on pooled VMs (a fresh VM costs ~0.5 ms).
const benchHeaderLoop = `var table = {'/blog/': '/news/'};
function handler(event) {
    var request = event.request, headers = request.headers;
    for (var name in headers) { headers[name].value = headers[name].value.trim(); }
    var to = table[request.uri];
    if (to) { return {statusCode: 301, statusDescription: 'Moved', headers: {location: {value: to}}}; }
    return request;
}`

func BenchmarkHeaderLoopAndTable(b *testing.B) { benchRun(b, benchHeaderLoop, benchEvent()) }

// bareGojaURLRewrite is the floor under the URL rewrite benchmarks: the same handler on a
// bare goja VM with a plain object as its event (no bridge, no pooling, no watchdog, no
// read-back). What a benchmark and its bare twin differ by is LocalFront's share of a run;
// the rest is goja's. reset puts the URI back; call runs the handler.
func bareGojaURLRewrite(b *testing.B) (reset, call func()) {
	vm := goja.New()
	if _, err := vm.RunString(benchURLRewrite); err != nil {
		b.Fatal(err)
	}
	handler, ok := goja.AssertFunction(vm.Get("handler"))
	if !ok {
		b.Fatal("no handler")
	}
	req, ev := vm.NewObject(), vm.NewObject()
	if err := ev.Set("request", req); err != nil {
		b.Fatal(err)
	}
	reset = func() { _ = req.Set("uri", "/blog/") }
	call = func() {
		if _, err := handler(goja.Undefined(), ev); err != nil {
			b.Fatal(err)
		}
	}
	return reset, call
}

func BenchmarkBareGojaURLRewrite(b *testing.B) {
	reset, call := bareGojaURLRewrite(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		reset()
		call()
	}
}

func BenchmarkBareGojaURLRewriteCold(b *testing.B) {
	reset, call := bareGojaURLRewrite(b)
	coldLoop(b, reset, call)
}

package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/isolation holds programs written to carry state from one run to the next through
// shared objects (prototypes, built-ins, modules, per-VM functions), most of them found by an
// adversarial review of the pooled-VM rules (shared.go, computed.go, ownkeys.go). Each logs
// what a leak would change. Whether the static check sends a program to a fresh VM or lets it
// run on a pooled one, its later runs must log exactly what its first did.
func TestIsolationCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/isolation/*.js")
	if err != nil || len(files) < 20 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		e := NewEngine(Options{MaxConcurrent: 1})
		p, err := e.Compile(name, src, RuntimeJS2)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var first string
		for run := 0; run < 3; run++ {
			res := e.Run(context.Background(), p, requestEvent(), Invocation{})
			got := strings.Join(res.Logs, "|")
			if res.Err != nil {
				got += " error: " + res.Err.Message
			}
			if run == 0 {
				first = got
			} else if got != first {
				t.Errorf("%s (shared=%v): run %d logged %q, the first %q", name, p.shared, run+1, got, first)
				break
			}
		}
	}
}

// The event, request and response objects are made once per VM (bridge.reuse). No pooled
// program can change their prototype (that sends it to a fresh VM), but should one ever
// slip through, the next run still starts from the default prototypes: here the change is
// made from Go between runs.
func TestReusedEventObjectsStartClean(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("reuse", []byte(`function handler(event) {
		var r = event.request;
		console.log(typeof event.toString, typeof r.rawQueryString, r.x, Object.keys(r).join());
		r.x = 1;
		return r;
	}`), RuntimeJS2)
	if err != nil || p.shared {
		t.Fatalf("compile: %v, shared %v (the test needs a pooled program)", err, p.shared)
	}
	first := e.Run(context.Background(), p, requestEvent(), Invocation{})
	if first.Err != nil || len(first.Logs) != 1 || !strings.HasPrefix(first.Logs[0], "function function undefined method,uri") {
		t.Fatalf("first run: %+v %q", first.Err, first.Logs)
	}
	st := e.idle.get(p)
	if st == nil || st.bridge.evJS == nil || st.bridge.reqJS == nil {
		t.Fatal("no pooled VM with event objects after the first run")
	}
	ev, req := st.bridge.evJS, st.bridge.reqJS
	if err := ev.SetPrototype(nil); err != nil {
		t.Fatal(err)
	}
	if err := req.SetPrototype(nil); err != nil {
		t.Fatal(err)
	}
	e.idle.put(st)
	second := e.Run(context.Background(), p, requestEvent(), Invocation{})
	if second.Err != nil || strings.Join(second.Logs, "|") != strings.Join(first.Logs, "|") {
		t.Fatalf("second run logged %q (%v), the first %q", second.Logs, second.Err, first.Logs)
	}
	if st := e.idle.get(p); st == nil || st.bridge.evJS != ev || st.bridge.reqJS != req {
		t.Error("the event objects were not reused")
	}
}

// The event's collections (headers, cookies, querystring) are also made once per VM, and
// keep their overlay's room. Each run must see only its own event's entries, whatever the
// last run set, added or deleted, and get the same output as on a fresh engine; after a run
// the overlays hold nothing of it.
func TestReusedCollectionsStartClean(t *testing.T) {
	const code = `function handler(event) {
		var q = event.request.querystring, rh = event.request.headers, h = event.response.headers, c = event.response.cookies;
		console.log(Object.keys(q).join(), Object.keys(rh).join(), Object.keys(h).join(), Object.keys(c).join(), h['x-run'] === undefined);
		h['x-run'] = {value: event.request.uri};
		delete h['content-type'];
		c['n' + event.request.uri.length] = {value: 'v'};
		delete rh.accept;
		q.added = {value: '1'};
		return event.response;
	}`
	events := func() []*Event {
		a, b, c := responseEvent(), responseEvent(), responseEvent()
		b.Request.URI = "/second/page"
		b.Request.Headers = Values{{Name: "host", Value: Value{Value: "b.example"}}, {Name: "x-b", Value: Value{Value: "1"}}}
		b.Response.Headers = Values{{Name: "etag", Value: Value{Value: `"b"`}}, {Name: "content-type", Value: Value{Value: "text/plain"}}}
		b.Response.Cookies = nil
		c.Request.Querystring = nil
		return []*Event{a, b, c}
	}
	pooled := NewEngine(Options{MaxConcurrent: 1})
	p, err := pooled.Compile("colls", []byte(code), RuntimeJS2)
	if err != nil || p.shared {
		t.Fatalf("compile: %v, shared %v (the test needs a pooled program)", err, p.shared)
	}
	var res Result
	for i, ev := range events() {
		pooled.RunInto(context.Background(), p, ev, Invocation{}, &res)
		fresh := NewEngine(Options{})
		fp, err := fresh.Compile("colls", []byte(code), RuntimeJS2)
		if err != nil {
			t.Fatal(err)
		}
		want := fresh.Run(context.Background(), fp, events()[i], Invocation{})
		if res.Err != nil || want.Err != nil {
			t.Fatalf("run %d: %v / fresh %v", i+1, res.Err, want.Err)
		}
		if got, w := strings.Join(res.Logs, "|"), strings.Join(want.Logs, "|"); got != w {
			t.Errorf("run %d logged %q, on a fresh engine %q", i+1, got, w)
		}
		if got, w := res.OutputJSON(), want.OutputJSON(); got != w {
			t.Errorf("run %d returned %s, on a fresh engine %s", i+1, got, w)
		}
	}
	st := pooled.idle.get(p)
	if st == nil || st.colls.js[collRespHeaders] == nil || st.colls.vals[collRespHeaders].overlay == nil {
		t.Fatal("no pooled VM with reused collections after the runs")
	}
	for i := range st.colls.vals {
		v := &st.colls.vals[i]
		for _, e := range v.overlay[:cap(v.overlay)] {
			if len(v.overlay) != 0 || v.src != nil || v.b != nil || e.val != nil || e.name != "" {
				t.Fatalf("collection %d keeps what the last run left: %+v", i, v)
			}
		}
	}
}

// A job queued during the read-back (a getter of the returned object calling Promise.then)
// runs within its own run, never in the next run on the VM, where it would write through
// this run's objects into the next run's reused event objects and collections.
func TestReadBackJobsStayInTheirRun(t *testing.T) {
	const code = `function handler(event) {
		var r = event.request, h = event.response.headers;
		if (r.uri === '/first') {
			return { statusCode: 200, get headers() {
				Promise.resolve().then(function () {
					h['x-leak'] = {value: 'from run 1'};
					r.uri = '/leaked';
					console.log('job of run 1');
				});
				return {};
			} };
		}
		h['x-own'] = {value: r.uri};
		return event.response;
	}`
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("jobs", []byte(code), RuntimeJS2)
	if err != nil || p.shared {
		t.Fatalf("compile: %v, shared %v (the test needs a pooled program)", err, p.shared)
	}
	first := responseEvent()
	first.Request.URI = "/first"
	if res := e.Run(context.Background(), p, first, Invocation{}); res.Err != nil {
		t.Fatalf("first run: %v", res.Err)
	}
	second := responseEvent()
	second.Request.URI = "/second"
	res := e.Run(context.Background(), p, second, Invocation{})
	if res.Err != nil {
		t.Fatalf("second run: %v", res.Err)
	}
	out := res.OutputJSON()
	if strings.Contains(out, "leak") || !strings.Contains(out, `"x-own":{"value":"/second"}`) || len(res.Logs) != 0 {
		t.Errorf("the first run's job reached the second run: %s, logs %q", out, res.Logs)
	}
}

// RunInto reuses the caller's Result: each run starts from an empty one, whatever the last
// run left (a response, logs, an error), and its Request lives in the Result's own storage.
func TestRunIntoStartsFromAnEmptyResult(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("into", []byte(`function handler(event) {
		var r = event.request;
		if (r.uri === '/gen') { console.log('generated'); return {statusCode: 302, headers: {location: {value: '/x'}}}; }
		if (r.uri === '/bad') { throw new Error('bad'); }
		r.uri = r.uri + '/index.html';
		return r;
	}`), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	run := func(uri string) {
		ev := requestEvent()
		ev.Request.URI = uri
		e.RunInto(context.Background(), p, ev, Invocation{}, &res)
	}
	run("/gen")
	if res.Kind != KindResponse || res.Response == nil || res.Response.StatusCode != 302 || len(res.Logs) != 1 {
		t.Fatalf("generated: %+v", res)
	}
	run("/bad")
	if res.Err == nil || res.Kind != 0 || res.Request != nil || res.Response != nil || len(res.Logs) != 0 {
		t.Fatalf("error run kept the last run's result: %+v", res)
	}
	run("/a")
	if res.Err != nil || res.Kind != KindRequest || res.Response != nil || res.Request != &res.req || res.Request.URI != "/a/index.html" {
		t.Fatalf("rewrite: %+v", res)
	}
	if h, ok := res.Request.Headers.Get("accept"); !ok || h.Value != "*/*" || res.Request.Cookies == nil {
		t.Errorf("untouched collections not carried over: %+v", res.Request)
	}
}

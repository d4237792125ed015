package runtime

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

func TestStatelessClassification(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{`function handler(e) { return e.request; }`, true},
		{`'use strict'; var a = 'x', b = -1, c = true, d = null, f; let g = 2; const h = +3;
function handler(e) { return {statusCode: 200, headers: {a: {value: a}}, body: String(b) + c + d + f + g + h}; };`, true},
		{`var crypto = require('crypto'); function handler(e) { return crypto.createHash('sha1').update('a').digest('hex'); }`, true},
		{`import cf from 'cloudfront'; function handler(e) { cf.updateRequestOrigin({domainName: 'a.example.com'}); return e.request; }`, true},
		{`function handler(e) { if (typeof helper === 'function') { return helper(e, new Thing()); } } function helper(e, t) { return e.request; } function Thing() { this.n = 1; }`, true},
		{`var a = 1; function handler(e) { var o = {a}; return {value: a, o: o}; }`, true},
		{`function handler(e) { return [1].map(function helper(x) { return x; }); }`, true},
		// Top-level state or statements.
		{`var n = 0; function handler(e) { n++; return e.request; }`, false},
		{`var n = 0; function handler(e) { n += 1; return e.request; }`, false},
		{`var n = 0; function handler(e) { var n = 1; n++; return e.request; }`, false}, // shadowing is not worked out
		{`var o = {}; function handler(e) { return e.request; }`, false},
		{`var a = []; function handler(e) { return e.request; }`, false},
		{`var r = /x/g; function handler(e) { return e.request; }`, false},
		{`var t = Date.now(); function handler(e) { return e.request; }`, false},
		{"var s = `x`; function handler(e) { return e.request; }", false},
		{`var h = function (e) { return e.request; }; function handler(e) { return h(e); }`, false},
		{`console.log('load'); function handler(e) { return e.request; }`, false},
		{`if (true) { var x = 1; } function handler(e) { return e.request; }`, false},
		{`var a = 1; function handler(e) { for (a in e) {} return e.request; }`, false},
		{`import cf from 'cloudfront'; function handler(e) { cf = null; return e.request; }`, false},
		// Key value store handles: made once, used only as kvs.get/exists/meta(…).
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { return e.request; }`, true},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); async function handler(e) { if (await kvs.exists('a')) { e.request.uri = await kvs.get('a', {format: 'string'}); } await kvs.meta(); return e.request; }`, true},
		{`const cf = require('cloudfront'); const kvs = cf.kvs('a1b2'); async function handler(e) { return kvs.get(e.request.uri).then(v => e.request); }`, true},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { kvs.x = 1; return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { kvs['get']('a'); return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { var g = kvs.get; return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { kvs.get.call(kvs, 'a'); return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { return {kvs: kvs}; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { kvs.toString(); return e.request; }`, false},
		{`import cf from 'cloudfront'; var kvs = cf.kvs(); function handler(e) { kvs = null; return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs(); function handler(e) { var kvs = {}; kvs.x = 1; return e.request; }`, false},
		{`import cf from 'cloudfront'; const id = 'x'; const kvs = cf.kvs(id); function handler(e) { return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs('a', 'b'); function handler(e) { return e.request; }`, false},
		{`import qs from 'querystring'; const kvs = qs.kvs(); function handler(e) { return e.request; }`, false},
		{`const cf = require('crypto'); const kvs = cf.kvs(); function handler(e) { return e.request; }`, false},
		{`import cf from 'cloudfront'; const kvs = cf.kvs().get('a'); function handler(e) { return e.request; }`, false},
		// Function objects used as values.
		{`function handler(e) { handler.c = (handler.c || 0) + 1; return e.request; }`, false},
		{`function handler(e) { return helper(e); } function helper(e) { helper.x = 1; return e.request; }`, false},
		{`function handler(e) { var g = helper; return e.request; } function helper() {}`, false},
		{`function handler(e) { [1].forEach(helper); return e.request; } function helper() {}`, false},
		{`function handler(e) { return helper.call(null, e); } function helper(e) { return e.request; }`, false},
		{`function handler(e) { return {helper}; } function helper() {}`, false},
		{`function handler(e) { handler = null; }`, false},
		// require must be the global one, with a literal name.
		{`function require(n) { return {}; } var c = require('crypto'); function handler(e) { return e.request; }`, false},
		{`var n = 'crypto'; var c = require(n); function handler(e) { return e.request; }`, false},
	}
	for _, tc := range tests {
		p, err := Compile("t", []byte(tc.code), RuntimeJS2)
		if err != nil {
			t.Fatalf("%q: %v", tc.code, err)
		}
		if p.stateless != tc.want {
			t.Errorf("%q: stateless=%v, want %v", tc.code, p.stateless, tc.want)
		}
	}
}

// The syntax gate refuses destructuring today; the rule does not rely on it.
func TestStatelessDestructuringWrites(t *testing.T) {
	for code, want := range map[string]bool{
		`var a = 1; function handler(e) { var o = {a, b: a}; return o; }`:               true,
		`var [x] = [1]; function handler(e) { return e.request; }`:                      false,
		`var a = 1; function handler(e) { [a] = [2]; return e.request; }`:               false,
		`var a = 1; function handler(e) { [[a]] = [[2]]; return e.request; }`:           false,
		`var a = 1; function handler(e) { ({a} = {a: 2}); return e.request; }`:          false,
		`var a = 1; function handler(e) { ({a = 3} = {}); return e.request; }`:          false,
		`var a = 1; function handler(e) { ({k: a} = {k: 2}); return e.request; }`:       false,
		`var a = 1; function handler(e) { ({k: {j: a}} = {k: {}}); return e.request; }`: false,
		`var a = 1; function handler(e) { [...a] = [2]; return e.request; }`:            false,
		`var a = 1; function handler(e) { ({...a} = {}); return e.request; }`:           false,
		`var a = 1; function handler(e) { for (a of [1]) {} return e.request; }`:        false,
	} {
		prg, err := parser.ParseFile(nil, "t", code, 0)
		if err != nil {
			t.Fatalf("%q: %v", code, err)
		}
		if got, _ := statelessTopLevel(prg, nil); got != want {
			t.Errorf("%q: stateless=%v, want %v", code, got, want)
		}
	}
}

// The benchmark functions (and the edge's) make their top level once per VM.
func TestBenchmarkFunctionsAreStateless(t *testing.T) {
	for name, code := range map[string]string{
		"url-rewrite": benchURLRewrite, "security-headers": benchSecurityHeaders, "cookie-hmac": benchCookieHMAC,
	} {
		for _, rt := range []string{RuntimeJS1, RuntimeJS2} {
			p, err := Compile(name, []byte(code), rt)
			if err != nil {
				t.Fatalf("%s %s: %v", name, rt, err)
			}
			if !p.stateless || p.shared {
				t.Errorf("%s (%s): stateless=%v shared=%v", name, rt, p.stateless, p.shared)
			}
		}
	}
	if p, _ := Compile("table", tenKBFunction(), RuntimeJS2); p.stateless {
		t.Error("the redirect table (a top-level object) was taken as stateless")
	}
}

// runEach runs p n times on one engine (one pooled VM) with the invocations inv(i).
func runEach(t *testing.T, e *Engine, p *Program, n int, inv func(i int) Invocation) []*Result {
	t.Helper()
	var out []*Result
	for i := 0; i < n; i++ {
		out = append(out, e.Run(context.Background(), p, requestEvent(), inv(i)))
	}
	return out
}

func TestStateStillDoesNotCarryOver(t *testing.T) {
	for _, code := range []string{
		`var n = 0; function handler(e) { n++; console.log(String(n)); return e.request; }`,
		`function handler(e) { handler.c = (handler.c || 0) + 1; console.log(String(handler.c)); return e.request; }`,
		`function handler(e) { return count(e); } function count(e) { count.c = (count.c || 0) + 1; console.log(String(count.c)); return e.request; }`,
	} {
		e := NewEngine(Options{MaxConcurrent: 1})
		p, err := e.Compile("t", []byte(code), RuntimeJS2)
		if err != nil {
			t.Fatal(err)
		}
		if p.stateless {
			t.Errorf("%q taken as stateless", code)
		}
		for i, res := range runEach(t, e, p, 3, func(int) Invocation { return Invocation{} }) {
			if res.Err != nil || !reflect.DeepEqual(res.Logs, []string{"1"}) {
				t.Errorf("%q run %d: %v %q", code, i, res.Err, res.Logs)
			}
		}
		if e.idle.len() != 1 {
			t.Errorf("%q: the VM was not pooled", code)
		}
	}
}

// A stateless program's pooled VM keeps the handler of its first run, and calls it again.
func TestStatelessProgramReusesItsHandler(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("t", []byte(benchURLRewrite), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range runEach(t, e, p, 3, func(int) Invocation { return Invocation{} }) {
		if res.Err != nil || res.Request == nil || res.Request.URI != "/index.html" {
			t.Fatalf("run %d: %+v", i, res)
		}
	}
	st := e.idle.get(p)
	if st == nil || st.handler == nil {
		t.Fatal("the pooled VM kept no handler")
	}
}

// Date, Math.random, cf.kvs() and the origin helpers follow each invocation on a reused handler.
func TestStatelessHandlerSeesEachInvocation(t *testing.T) {
	code := `import cf from 'cloudfront';
async function handler(e) {
  console.log(new Date().toISOString() + ' ' + (Date.now() === new Date().getTime()));
  console.log(String(Math.random()));
  try { console.log(await cf.kvs().get('k')); } catch (err) { console.log('kvs: ' + err.message); }
  cf.updateRequestOrigin({domainName: e.request.uri.slice(1) + '.example.com'});
  return e.request;
}`
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	if !p.stateless {
		t.Fatal("not stateless")
	}
	base := time.Date(2023, 7, 1, 12, 0, 0, 0, time.UTC)
	stores := []KVSReader{mapKVS{keys: map[string]string{"k": "first"}}, mapKVS{keys: map[string]string{"k": "second"}}, nil, nil}
	changes := make([]*OriginChanges, 4)
	var res []*Result
	for i := range 4 {
		ev := requestEvent()
		ev.Request.URI = "/o" + string(rune('0'+i))
		changes[i] = &OriginChanges{}
		now := base.Add(time.Duration(i) * time.Second)
		if i == 3 {
			now = base // the same clock as the first run: the same random sequence
		}
		res = append(res, e.Run(context.Background(), p, ev, Invocation{Now: now, KVS: stores[i], OriginChanges: changes[i]}))
	}
	for i, r := range res {
		if r.Err != nil || len(r.Logs) != 3 {
			t.Fatalf("run %d: %v %q", i, r.Err, r.Logs)
		}
		want := base.Add(time.Duration(i)*time.Second).Format("2006-01-02T15:04:05.000Z") + " true"
		if i == 3 {
			want = "2023-07-01T12:00:00.000Z true"
		}
		if r.Logs[0] != want {
			t.Errorf("run %d clock: %q, want %q", i, r.Logs[0], want)
		}
		wantKVS := map[int]string{0: "first", 1: "second", 2: "kvs: " + msgNoKVS, 3: "kvs: " + msgNoKVS}[i]
		if r.Logs[2] != wantKVS {
			t.Errorf("run %d kvs: %q, want %q", i, r.Logs[2], wantKVS)
		}
		if st := changes[i].Steps; len(st) != 1 || st[0].Update.DomainName != "o"+string(rune('0'+i))+".example.com" {
			t.Errorf("run %d origin changes: %+v", i, changes[i])
		}
	}
	if res[0].Logs[1] == res[1].Logs[1] || res[0].Logs[1] != res[3].Logs[1] {
		t.Errorf("random does not follow the invocation's clock: %q %q %q", res[0].Logs[1], res[1].Logs[1], res[3].Logs[1])
	}
	if st := e.idle.get(p); st == nil || st.handler == nil {
		t.Error("the runs did not take the reuse path")
	}
}

// Load failures of a program the rule accepts are still reported on every run, and a
// handler that throws leaves the VM usable.
func TestStatelessErrorsAreReportedEachRun(t *testing.T) {
	if _, err := Compile("t", []byte(`function helper() {}`), RuntimeJS2); err == nil || err.Error() != `ReferenceError: "handler" is not defined` {
		t.Errorf("missing handler: %v", err)
	}
	if _, err := Compile("t", []byte(`function handler(e) { return e.request; `), RuntimeJS2); err == nil || !strings.HasPrefix(err.Error(), "SyntaxError: ") {
		t.Errorf("syntax error: %v", err)
	}
	for code, want := range map[string]string{
		`var handler = 5;`: "TypeError: handler is not a function",
		`var m = require('nope'); function handler(e) { return e.request; }`:                                    `Error: Cannot find module "nope"`,
		`function handler(e) { if (e.request.uri === '/boom') { throw new Error('boom'); } return e.request; }`: "",
	} {
		e := NewEngine(Options{MaxConcurrent: 1})
		p, err := e.Compile("t", []byte(code), RuntimeJS2)
		if err != nil {
			t.Fatal(err)
		}
		if !p.stateless {
			t.Errorf("%q not stateless", code)
		}
		for i := range 3 {
			ev := requestEvent()
			if i == 1 {
				ev.Request.URI = "/boom"
			}
			res := e.Run(context.Background(), p, ev, Invocation{})
			got := ""
			if res.Err != nil {
				got = res.Err.Message
			}
			w := want
			if want == "" && i == 1 {
				w = "Error: boom"
			}
			if !strings.HasPrefix(got, w) || (w == "" && got != "") {
				t.Errorf("%q run %d: %q, want %q", code, i, got, w)
			}
		}
	}
}

// Top-level cf.kvs() handles are made once per VM and store, read each invocation's
// snapshot, and are made again (with cf.kvs()'s checks) when the invocation's store differs.
func TestStatelessKVSHandles(t *testing.T) {
	code := `import cf from 'cloudfront';
const kvs = cf.kvs('store-a');
async function handler(e) {
  console.log(await kvs.get('k'));
  return e.request;
}`
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	if !p.stateless || !p.kvsHandles {
		t.Fatalf("stateless=%v kvsHandles=%v", p.stateless, p.kvsHandles)
	}
	a1 := mapKVS{id: "store-a", keys: map[string]string{"k": "a1"}}
	a2 := mapKVS{id: "store-a", keys: map[string]string{"k": "a2"}}
	b := mapKVS{id: "store-b", keys: map[string]string{"k": "b"}}
	standalone := mapKVS{keys: map[string]string{"k": "file"}} // localfront test --kvs: no id
	steps := []struct {
		store KVSReader
		log   string // the value read, or the error
		fresh bool   // the handles were made again for this run
	}{
		{a1, "a1", true},
		{a2, "a2", false}, // a newer snapshot of the same store: the same handles
		{nil, "Error: " + msgNoKVS, true},
		{b, "Error: " + fmt.Sprintf(msgKVSNotThis, "store-a"), true},
		{a1, "a1", false}, // the failed runs kept the handles made for store-a
		{standalone, "file", true},
		{a2, "a2", true},
	}
	for i, s := range steps {
		// Wrap the pooled handler: if the next run reuses it, the wrapper counts the call.
		reused := 0
		if st := e.idle.get(p); st != nil {
			if h := st.handler; h != nil {
				st.handler = func(this goja.Value, args ...goja.Value) (goja.Value, error) {
					reused++
					return h(this, args...)
				}
			}
			e.idle.put(st)
		}
		res := e.Run(context.Background(), p, requestEvent(), Invocation{KVS: s.store})
		got := ""
		if res.Err != nil {
			got = res.Err.Message
		} else if len(res.Logs) == 1 {
			got = res.Logs[0]
		}
		if got != s.log {
			t.Errorf("run %d: %q, want %q", i, got, s.log)
		}
		if fresh := reused == 0; fresh != s.fresh {
			t.Errorf("run %d: handles made again = %v, want %v", i, fresh, s.fresh)
		}
	}
}

package runtime

import (
	"context"
	"strings"
	"testing"
)

// A computed key can reach a prototype: the program must not see an earlier run's change.
func TestComputedPrototypeKeyDoesNotLeakBetweenRuns(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	code := `var P = ''['__pro' + 'to__']; P.count = (P.count || 0) + 1;
function handler(e) { console.log(String(P.count)); return e.request; }`
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		res := e.Run(context.Background(), p, requestEvent(), Invocation{})
		if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != "1" {
			t.Fatalf("run %d: %v %q (state of an earlier run leaked)", i, res.Err, res.Logs)
		}
	}
}

func TestComputedMemberClassification(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		// Escapes to shared objects.
		{`var P = ''['__pro' + 'to__']; P.count = 1; function handler(e) {}`, true},
		{`function handler(e) { var k = 'constructor'; var C = e[k]; C.x = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; e.request[k].x = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; e.request[k][k] = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; f(e[k]); } function f(o) { o.x = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; var o = e[k] || {}; o.x = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; var o = e[k] || {}; }`, false}, // kept, never used
		{`function handler(e) { var k = '__proto__'; return e[k] || {}; }`, false},  // the runtime only copies the result
		{`function handler(e) { var k = '__proto__'; var o = {p: e[k]}; o.p.x = 1; }`, true},
		{`function handler(e) { var k = '__proto__'; var o = {p: e[k]}; keep(o); } function keep(v) { v.p.x = 1; }`, true},
		{`function handler(e) { var k = 'constructor'; e[k].keys.x = 1; }`, true},
		{`function handler(e) { var k = 'getPrototypeOf'; Object[k]('').x = 1; }`, true},
		{`function handler(e) { var P = Object['getPrototypeOf'](''); P.x = 1; }`, true},
		{`function handler(e) { var P = Object.getPrototypeOf(''); P.x = 1; }`, true},
		{`function handler(e) { var P = ''.constructor.prototype; P.x = 1; }`, true},
		{`function handler(e) { var k = 'x'; globalThis[k] = 1; }`, true},
		{`function handler(e) { var g = globalThis['Ma' + 'th']; g.x = 1; }`, true},
		{`function handler(e) { var k = 'valueOf'; var o = e[k](); }`, true},
		// Followed into and out of the program's functions, and out of literals.
		{`var t = {}; function handler(e) { return use(t[e.request.uri]); } function use(v) { v.x = 1; }`, true},
		{`var t = {}; function handler(e) { keep(t[e.request.uri]); } var kept; function keep(v) { kept = v; }`, true},
		{`var t = {}; function handler(e) { var r = wrap(t[e.request.uri]); r.v.x = 1; } function wrap(v) { return {v: v}; }`, true},
		{`var t = {}; function handler(e) { var r = wrap(t[e.request.uri]); } function wrap(v) { return {v: v}; }`, false},
		{`var t = {}; function handler(e) { return wrap(t[e.request.uri]).v; } function wrap(v) { return {v: v}; }`, true},
		{`var t = {}; function handler(e) { return f(t[e.request.uri]); } function f(v) { var v = 1; return v; }`, true},
		{`var t = {}; function handler(e) { return f(t[e.request.uri]); } function f(v) { return arguments[0]; }`, true},
		{`var t = {}; function handler(e) { return f(t[e.request.uri]); } function f(v) { return v; } var g = f;`, true},
		{`var t = {}; function handler(e) { return f(t[e.request.uri]); } function f(v) { return f(v); }`, true},
		{`var t = {}; function handler(e) { return [t[e.request.uri]][0]; }`, true},
		{`var t = {}; function handler(e) { function handler(x) { return x; } return handler(t[e.request.uri]).x = 1; }`, true},
		{`var t = {}; function handler(e) { return t[e.request.uri]; } function again(e) { handler(e).x = 1; }`, true},
		{`var t = {}; function handler(e) { return {statusCode: 302, headers: {location: {value: t[e.request.uri]}}}; }`, false},
		{`var t = {}; function handler(e) { return t[e.request.uri] ? go(t[e.request.uri]) : e.request; } function go(l) { return {statusCode: 301, headers: {location: {value: l}}}; }`, false},
		// Members named like a built-in's method or object may be that shared object.
		{`function handler(e) { var t = ''.trim; t.x = 1; }`, true},
		{`function handler(e) { f(({}).hasOwnProperty); } function f(h) { h.x = 1; }`, true},
		{`function handler(e) { var m = Math.valueOf(); m.x = 1; }`, true},
		{`function handler(e) { var k = e.request.cookies.keys; k.x = 1; }`, true},
		{`function handler(e) { var k = e.request.cookies.keys; }`, false},
		{`function handler(e) { var h = e.request.headers; if (Object.prototype.hasOwnProperty.call(h, 'host') && h.host.value) { return Math.max.apply(null, [1, 2]); } }`, false},
		{`function handler(e) { return e.request.uri.split('/').map(function (s) { return s.trim(); }).join('/'); }`, false},
		// Computed members used up on the spot stay on pooled VMs.
		{`function handler(e) { var h = e.request.headers, n = 'x-a'; h[n] = {value: 'b'}; delete h[n]; return e.request; }`, false},
		{`function handler(e) { var q = e.request.querystring; for (var k in q) { if (q[k] && q[k].value === 'a' && typeof q[k] === 'object') {} } }`, false},
		{`function handler(e) { var c = e.request.cookies; for (var k in c) { console.log(k + '=' + c[k].value + c[k].value.length); } }`, false},
		{`function handler(e) { var parts = e.request.uri.split('/'); for (var i = 0; i < parts.length; i++) { var s = parts[i].trim().toLowerCase(); } }`, false},
		{"function handler(e) { var m = {a: 1}, k = 'a'; var n = m[k] + 1; var s = `${m[k]}`; m[k]++; return !m[k] ? 1 : 2; }", false},
		// A value kept in a variable declared once and never written is followed through
		// every use of the name (ownkeys.go).
		{`function handler(e) { var map = {DE: '/de'}; var t = map[e.request.uri]; if (t) { return {statusCode: 302, headers: {location: {value: t + e.request.uri}}}; } return e.request; }`, false},
		{`var r = {'/a': '/b'}; function handler(e) { var to = r[e.request.uri]; if (to) { return {statusCode: 301, headers: {location: {value: to}}}; } return e.request; }`, false},
		{`function handler(e) { var q = e.request.querystring; var v = q[e.request.uri]; return v && v.value; }`, false},
		{`function handler(e) { var t = e[e.request.uri]; t.x = 1; }`, true},
		{`function handler(e) { var t = e[e.request.uri]; var u = t; u.x = 1; }`, true},
		{`function handler(e) { var t = e[e.request.uri]; keep(t); } function keep(v) { v.x = 1; }`, true},
		{`function handler(e) { var t = e[e.request.uri]; t = {}; t.x = 1; }`, true}, // written again
		{`function handler(e) { var t = e[e.request.uri]; var t; t.x = 1; }`, true},  // declared twice
		{`function handler(e) { var t = e[e.request.uri]; function g() { return t; } g().x = 1; }`, true},
		{`function handler(e) { var t = e[e.request.uri]; return [t]; } function f(e) { handler(e)[0].x = 1; }`, true},
		{`function handler(e) { var t = e[e.request.uri]; return {v: t}; }`, false}, // copied out by the runtime
		// o[k] in the body of for (k in o), o the event or below it or a literal: own values.
		{`function handler(e) { var h = e.request.headers; for (var n in h) { h[n].value = h[n].value.toLowerCase(); } return e.request; }`, false},
		{`function handler(e) { var q = e.request.querystring; for (const k in q) { var v = q[k]; e.request.headers['x-q-' + k] = {value: v.value}; } return e.request; }`, false},
		{`var add = {'x-frame-options': 'DENY'}; function handler(e) { var h = e.response.headers; for (var k in add) { h[k] = {value: add[k]}; } return e.response; }`, false},
		{`function handler(e) { for (var k in e) { e[k].x = 1; } }`, false},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { n = '__proto__'; h[n].x = 1; } }`, true},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { h[n].x = 1; } n = 'constructor'; h[n].x = 1; }`, true},
		{`function handler(e) { var h = e.request.headers; var fs = []; for (var n in h) { fs.push(function () { h[n].x = 1; }); } }`, true},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { delete h[n]; h[n].x = 1; } }`, true},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { for (n in e) {} h[n].x = 1; } }`, true},
		{`function handler(e) { var o = e[e.request.uri]; for (var k in o) { o[k].x = 1; } }`, true},
		{`function handler(e) { var o = JSON.parse('{}'); for (var k in o) { o[k].x = 1; } }`, true},
		{`var c = require('crypto'); function handler(e) { for (var k in c) { c[k].x = 1; } }`, true},
		{`function handler(e) { e = globalThis; for (var k in e) { e[k].x = 1; } }`, true},
		{`function handler(e) { var h = e.request.headers; h = globalThis; for (var k in h) { h[k].x = 1; } }`, true},
		{`function handler(e) { var o = {}; for (var k in o) { o[k].x = 1; } var o = e; }`, true},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { e.request.cookies[n].x = 1; } }`, true},
		{`function handler(e) { var h = e.request.headers; for (var n in h) { Reflect.deleteProperty(h, n); h[n].x = 1; } }`, true},
		// Object.keys(o), read only by index and length, gives own keys of o too.
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); for (var i = 0; i < ks.length; i++) { var v = q[ks[i]]; if (v.multiValue) { v.value = v.multiValue[0].value; delete v.multiValue; } } return e.request; }`, false},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); ks[0] = '__proto__'; q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); ks.push('constructor'); q[ks[1]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); f(ks); q[ks[0]].x = 1; } function f(a) {}`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); delete q.toString; q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); delete q['constructor']; q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); delete q[ks[1]]; q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(q); delete q.a; q[ks[0]].x = 1; }`, false}, // uncovers nothing shared
		{`function handler(e) { var q = e[e.request.uri]; var ks = Object.keys(q); q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var q = e.request.querystring; var ks = Object.keys(e); q[ks[0]].x = 1; }`, true},
		{`function handler(e) { var Object = {keys: function () { return ['__proto__']; }}; var q = e.request.querystring; var ks = Object.keys(q); q[ks[0]].x = 1; }`, true},
	}
	for _, tc := range tests {
		p, err := Compile("t", []byte(tc.code), RuntimeJS2)
		if err != nil {
			t.Fatalf("%q: %v", tc.code, err)
		}
		if p.shared != tc.want {
			t.Errorf("%q: shared=%v, want %v", tc.code, p.shared, tc.want)
		}
	}
}

// The benchmark functions keep running on pooled VMs.
func TestBenchmarkFunctionsArePooled(t *testing.T) {
	for name, code := range map[string]string{
		"url-rewrite": benchURLRewrite, "security-headers": benchSecurityHeaders, "cookie-hmac": benchCookieHMAC,
		"redirect-table-10KB": string(tenKBFunction()),
	} {
		for _, rt := range []string{RuntimeJS1, RuntimeJS2} {
			p, err := Compile(name, []byte(code), rt)
			if err != nil {
				t.Fatalf("%s %s: %v", name, rt, err)
			}
			if p.shared {
				t.Errorf("%s (%s) would run on fresh VMs", name, rt)
			}
		}
	}
}

// safeReads claims no shared object holds an object under those names: check every object
// reachable from the globals and modules of both runtimes.
func TestSafeReadsHoldNoSharedObject(t *testing.T) {
	var names []string
	for n := range safeReads {
		names = append(names, "'"+n+"'")
	}
	walk := `var seen = [], bad = [], names = [` + strings.Join(names, ",") + `];
function visit(o, path) {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.indexOf(o) >= 0) { return; }
  seen.push(o);
  var keys = Object.getOwnPropertyNames(o);
  for (var i = 0; i < keys.length; i++) {
    var d = Object.getOwnPropertyDescriptor(o, keys[i]), v;
    if (d.get) { try { v = d.get.call(o); } catch (err) { continue; } } else { v = d.value; }
    if (names.indexOf(keys[i]) >= 0 && v !== null && (typeof v === 'object' || typeof v === 'function')) { bad.push(path + '.' + keys[i]); }
    visit(v, path + '.' + keys[i]);
  }
  visit(Object.getPrototypeOf(o), path + '.__proto__');
}
visit(globalThis, 'globalThis');
MODULES
function handler(e) { console.log(bad.join(' ') || 'none'); return e.request; }`
	for rt, mods := range map[string]string{
		RuntimeJS1: `visit(require('crypto'), 'crypto'); visit(require('querystring'), 'querystring');`,
		RuntimeJS2: `visit(require('crypto'), 'crypto'); visit(require('querystring'), 'querystring'); visit(require('buffer'), 'buffer'); visit(cf, 'cf');`,
	} {
		code := strings.Replace(walk, "MODULES", mods, 1)
		if rt == RuntimeJS2 {
			code = "import cf from 'cloudfront';\n" + code
		}
		res := runCode(t, NewEngine(Options{}), rt, code, requestEvent())
		if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != "none" {
			t.Errorf("%s: %v %q", rt, res.Err, res.Logs)
		}
	}
}

// Each route to a shared object changes it on every run; no run may see another's change.
func TestEscapeRoutesDoNotLeakBetweenRuns(t *testing.T) {
	routes := []string{
		`var P = ''['__pro' + 'to__'];`,
		`var P = Object.getPrototypeOf('');`,
		`var P = Object['getPrototype' + 'Of']('');`,
		`var P = Object['getPrototypeOf']('');`,
		`var P = false || String.prototype;`,
		`var P = ''.constructor.prototype;`,
		`var P = globalThis['Ma' + 'th'];`,
		`var k = 'constructor', P = {}[k];`,
		`var P = (function () { return this; })() || globalThis;`,
		`function pick(o, k) { return o[k]; } var P = pick(pick('', 'constructor'), 'prototype');`,
		`var P = ''.trim;`,
		`var P = ({}).hasOwnProperty;`,
		`var P = Math.valueOf();`,
		`var P = require('crypto').createHash;`,
	}
	for _, route := range routes {
		code := route + ` P.count = (P.count || 0) + 1;
function handler(e) { console.log(String(P.count)); return e.request; }`
		e := NewEngine(Options{MaxConcurrent: 1})
		p, err := e.Compile("t", []byte(code), RuntimeJS2)
		if err != nil {
			t.Fatalf("%s: %v", route, err)
		}
		for i := 0; i < 3; i++ {
			res := e.Run(context.Background(), p, requestEvent(), Invocation{})
			if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != "1" {
				t.Errorf("%s run %d: %v %q", route, i, res.Err, res.Logs)
				break
			}
		}
	}
}

func TestSharedNames(t *testing.T) {
	names := sharedNames()
	if names == nil {
		t.Fatal("the names could not be listed")
	}
	for _, n := range []string{"trim", "hasOwnProperty", "log", "createHash", "get", "prototype", "Math", "from", "next", "update", "digest", "rawQueryString"} {
		if !names[n] {
			t.Errorf("%q missing", n)
		}
	}
	// Names of the event's fields must stay out, or ordinary functions lose pooled VMs.
	for _, n := range []string{"value", "length", "headers", "uri", "querystring", "cookies", "request", "response", "statusCode", "multiValue"} {
		if names[n] {
			t.Errorf("%q is listed", n)
		}
	}
}

// Keys a viewer controls may be named like prototype properties: iterating the event's
// headers, query and cookies with for-in and writing through o[k] (a pooled program) must
// reach the event's own entries, never Object.prototype, and leave nothing for the next run.
func TestOwnKeyLoopsWithHostileNames(t *testing.T) {
	code := `function handler(event) {
  var r = event.request, h = r.headers, q = r.querystring, c = r.cookies;
  console.log(String(({}).value) + ' ' + String(({}).tag) + ' ' + String(({}).seen));
  var ks = Object.keys(c);
  for (var i = 0; i < ks.length; i++) { c[ks[i]].seen = 1; }
  for (var n in h) { h[n].value = h[n].value.toUpperCase(); h[n].tag = 1; }
  for (var k in q) { q[k].value = 'q-' + q[k].value; }
  for (var m in c) { c[m].value = 'c-' + c[m].value; }
  return r;
}`
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	if p.shared {
		t.Fatal("the program is not pooled: the test would not test anything")
	}
	hostile := []string{"__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"}
	for run := 0; run < 3; run++ {
		ev := requestEvent()
		for _, name := range hostile {
			ev.Request.Headers = append(ev.Request.Headers, Field{Name: name, Value: Value{Value: "h"}})
			ev.Request.Querystring = append(ev.Request.Querystring, Field{Name: name, Value: Value{Value: "v"}})
			ev.Request.Cookies = append(ev.Request.Cookies, Field{Name: name, Value: Value{Value: "w"}})
		}
		res := e.Run(context.Background(), p, ev, Invocation{})
		if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != "undefined undefined undefined" {
			t.Fatalf("run %d: %v %q (a prototype was changed)", run, res.Err, res.Logs)
		}
		for _, name := range hostile {
			if got, _ := res.Request.Headers.Get(name); got.Value != "H" {
				t.Errorf("run %d: header %s = %q", run, name, got.Value)
			}
			if got, _ := res.Request.Querystring.Get(name); got.Value != "q-v" {
				t.Errorf("run %d: query %s = %q", run, name, got.Value)
			}
			if got, _ := res.Request.Cookies.Get(name); got.Value != "c-w" {
				t.Errorf("run %d: cookie %s = %q", run, name, got.Value)
			}
		}
	}
}

func TestHeaderLoopBenchmarkIsPooled(t *testing.T) {
	if p, err := Compile("t", []byte(benchHeaderLoop), RuntimeJS2); err != nil || p.shared {
		t.Fatalf("BenchmarkHeaderLoopAndTable would measure fresh VMs: %v", err)
	}
}

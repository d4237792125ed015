package runtime

import (
	"context"
	"fmt"
	"reflect"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestStateDoesNotLeakBetweenInvocations(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	code := `var count = 0;
let seen = [];
const cache = {};
function handler(e) {
  count++; seen.push(e.request.uri); cache[e.request.uri] = true;
  console.log(count + ' ' + seen.length + ' ' + Object.keys(cache).length);
  return e.request;
}`
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ev := requestEvent()
		ev.Request.URI = fmt.Sprintf("/%d", i)
		res := e.Run(context.Background(), p, ev, Invocation{})
		if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != "1 1 1" {
			t.Fatalf("run %d: %v %q", i, res.Err, res.Logs)
		}
	}
	if e.idle.len() != 1 {
		t.Errorf("the VM was not pooled (idle %d)", e.idle.len())
	}
}

func TestProgramsThatTouchSharedObjectsGetFreshVMs(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1})
	code := `function handler(e) {
  console.log(String(String.prototype.marker) + ' ' + String(globalThis.counter));
  String.prototype.marker = 'set';
  globalThis.counter = (globalThis.counter || 0) + 1;
  return e.request;
}`
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	if !p.shared {
		t.Fatal("not classified as touching shared objects")
	}
	for i := 0; i < 3; i++ {
		res := e.Run(context.Background(), p, requestEvent(), Invocation{})
		if res.Err != nil || res.Logs[0] != "undefined undefined" {
			t.Fatalf("run %d saw state of an earlier run: %v %q", i, res.Err, res.Logs)
		}
	}
	if e.idle.len() != 0 {
		t.Error("a VM of a shared-touching program was pooled")
	}
}

func TestTouchesSharedClassification(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{`function handler(e) { return e.request; }`, false},
		{`var c = require('crypto'); function handler(e) { c.createHash('sha1'); Math.max(1, 2); JSON.parse('1'); e.request.headers.a = {value: 'b'}; return e.request; }`, false},
		{`function handler(e) { var a = [1].map(String).filter(Boolean); if (e instanceof Error) {} return typeof Buffer; }`, false},
		{`function handler(e) { var o = {n: 0, inc: function () { this.n++; } }; o.inc(); new Date(); return e.request; }`, false},
		{`function handler(e) { var o = {}; return Object.prototype.hasOwnProperty.call(o, 'a') || o.constructor === Object || 'x' in Math; }`, false},
		{`String.prototype.x = 1; function handler(e) {}`, true},
		{`function handler(e) { var o = {}; o.constructor.prototype.x = 1; }`, true},
		{`function handler(e) { Object.assign(String.prototype, {}); }`, true},
		{`function handler(e) { var p = String.prototype; p.x = 1; }`, true},
		{`function handler(e) { Math.random = function () { return 1; }; }`, true},
		{`function handler(e) { delete JSON.parse; }`, true},
		{`function handler(e) { globalThis.x = 1; }`, true},
		{`function handler(e) { var m = Math; m.x = 1; }`, true},
		{`var c = require('crypto'); function handler(e) { c.createHash = null; }`, true},
		{`import cf from 'cloudfront'; function handler(e) { cf.x = 1; }`, true},
		{`function handler(e) { [].constructor.x = 1; }`, true},
		{`function handler(e) { ''.__proto__.x = 1; }`, true},
		{`function handler(e) { Object.getPrototypeOf('').x = 1; }`, true},
		{`function handler(e) { Object.defineProperty(Array, 'x', {value: 1}); }`, true},
		{`function handler(e) { (function () {}).call.x = 1; }`, true},
		{`function handler(e) { Math = {}; }`, true},
		{`function handler(e) { var l = console.log; l.x = 1; }`, true},
		{`function handler(e) { f(Math); } function f(o) {}`, true},
		{`function handler(e) { var o = {m: Math}; }`, true},
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

func TestFrozenClockAndSeededRandom(t *testing.T) {
	e := NewEngine(Options{})
	code := `function handler(e) {
  var a = Date.now();
  for (var i = 0; i < 20000; i++) {}
  console.log(a === Date.now() && a === new Date().getTime() ? new Date().toISOString() : 'moved');
  console.log(String(Math.random()));
  return e.request;
}`
	now := time.Date(2021, 5, 3, 10, 0, 0, 0, time.UTC)
	p, _ := e.Compile("t", []byte(code), RuntimeJS1)
	r1 := e.Run(context.Background(), p, requestEvent(), Invocation{Now: now})
	r2 := e.Run(context.Background(), p, requestEvent(), Invocation{Now: now})
	r3 := e.Run(context.Background(), p, requestEvent(), Invocation{Now: now.Add(time.Millisecond)})
	if r1.Err != nil || r1.Logs[0] != "2021-05-03T10:00:00.000Z" {
		t.Fatalf("%v %q", r1.Err, r1.Logs)
	}
	if r1.Logs[1] != r2.Logs[1] {
		t.Errorf("same invocation time, different random: %q %q", r1.Logs[1], r2.Logs[1])
	}
	if r1.Logs[1] == r3.Logs[1] {
		t.Errorf("different invocation time, same random %q", r1.Logs[1])
	}
}

// Without an invocation time, Date is the clock at the function's first question, frozen for
// the rest of the run, and Math.random is seeded from it; an untimed run reports no duration
// and is still stopped when it runs away.
func TestUntimedRunsAndTheLazyClock(t *testing.T) {
	e := NewEngine(Options{WallTimeout: 10 * time.Second}) // the loop below takes tens of ms under -race
	p, _ := e.Compile("t", []byte(`function handler(e) {
  var a = Date.now();
  for (var i = 0; i < 20000; i++) {}
  console.log(a === Date.now() ? String(a) : 'moved', String(Math.random()));
  return e.request;
}`), RuntimeJS2)
	before := time.Now().UnixMilli()
	r1 := e.Run(context.Background(), p, requestEvent(), Invocation{Untimed: true})
	time.Sleep(2 * time.Millisecond)
	r2 := e.Run(context.Background(), p, requestEvent(), Invocation{Untimed: true})
	after := time.Now().UnixMilli()
	if r1.Err != nil || r2.Err != nil || len(r1.Logs) != 1 || len(r2.Logs) != 1 {
		t.Fatalf("%v %v %q %q", r1.Err, r2.Err, r1.Logs, r2.Logs)
	}
	f1, f2 := strings.Fields(r1.Logs[0]), strings.Fields(r2.Logs[0])
	t1, err1 := strconv.ParseInt(f1[0], 10, 64)
	t2, err2 := strconv.ParseInt(f2[0], 10, 64)
	if err1 != nil || err2 != nil || t1 < before || t2 > after || t2 <= t1 {
		t.Errorf("clock %q then %q, want frozen times within [%d, %d], the second later", f1[0], f2[0], before, after)
	}
	if f1[1] == f2[1] {
		t.Errorf("two invocations at different times drew the same random number %s", f1[1])
	}
	if r1.Duration != 0 || r1.ComputeUtilization != 0 {
		t.Errorf("untimed run reports duration %v, utilization %d", r1.Duration, r1.ComputeUtilization)
	}

	fast := NewEngine(Options{WallTimeout: 30 * time.Millisecond})
	loop, _ := fast.Compile("loop", []byte(`function handler(e) { for (;;) {} }`), RuntimeJS2)
	res := fast.Run(context.Background(), loop, requestEvent(), Invocation{Untimed: true})
	if res.Err == nil || res.Err.Kind != ErrTimeout {
		t.Fatalf("untimed runaway loop: %+v", res.Err)
	}
}

func TestConsoleFormatting(t *testing.T) {
	e := NewEngine(Options{})
	// Each line below was printed by njs 0.7.9 for the same code (TestConsoleAgainstNJS).
	for _, tc := range consoleCases {
		res := runCode(t, e, RuntimeJS2, "function handler(e) { "+tc.code+"; return e.request; }", requestEvent())
		if res.Err != nil {
			t.Fatalf("%s: %v", tc.code, res.Err)
		}
		if len(res.Logs) != 1 || res.Logs[0] != tc.want {
			t.Errorf("%s: got %q, want %q", tc.code, res.Logs, tc.want)
		}
	}
}

var consoleCases = []struct{ code, want string }{
	{`console.log('a', 'b')`, "a b"},
	{`console.log({a: 1, b: 'x', c: [1, 2, {d: null}]})`, "{a:1,b:'x',c:[1,2,{d:null}]}"},
	{`console.log([1, 'a', undefined])`, "[1,'a',undefined]"},
	{`console.log(undefined)`, "undefined"},
	{`console.log(null, 1.5, true)`, "null 1.5 true"},
	{`console.log(function f() {})`, "[Function: f]"},
	{`console.log(new Error('boom'))`, "Error: boom"},
	{`console.log({s: "it's", t: 'a\nb\tc\\d'})`, `{s:'it's',t:'a\nb\tc\\d'}`},
	{`console.log({e: new TypeError('x')})`, "{e:TypeError: x}"},
	{`console.log(new Date(0))`, "1970-01-01T00:00:00.000Z"},
	{`console.log(/re/g)`, "/re/g"},
	{`console.log({}, [])`, "{} []"},
	{`console.log({'a-b': 1})`, "{a-b:1}"},
	{`var o = {}; o.self = o; console.log(o)`, "{self:[Circular]}"},
	{`console.log(NaN, -0, 1e21, [-0])`, "NaN -0 1e+21 [-0]"},
	{`console.log([, 1])`, "[<empty>,1]"},
	{`var a = []; a[100] = 1; console.log(a)`, "[<100 empty items>,1]"},
	{`console.log(new Uint8Array([1, 2]))`, "Uint8Array [1,2]"},
	{`console.log(new Number(1), new Boolean(true), new String('ab'))`, "[Number: 1] [Boolean: true] [String: 'ab']"},
	{`console.log(Promise.resolve(1))`, "Promise {}"},
	{`console.log({u: undefined, n: null, x: NaN, i: Infinity})`, "{u:undefined,n:null,x:NaN,i:Infinity}"},
	{`console.log(1e-7, 123.456)`, "1e-7 123.456"},
	{`console.log(Object.create(null))`, "{}"},
	{`function F() { this.a = 1; } console.log(new F())`, "{a:1}"},
	{`console.log(Symbol('s'))`, "Symbol(s)"},
	{`console.log({f: function () {}})`, "{f:[Function: f]}"},
}

func TestConsoleAgainstNJS(t *testing.T) {
	requireNJS(t)
	for _, tc := range consoleCases {
		out := strings.TrimRight(runNJS(t, tc.code), "\n")
		if out != tc.want {
			t.Errorf("%s: njs prints %q, table says %q", tc.code, out, tc.want)
		}
	}
}

func TestLogsAreCappedAt10KB(t *testing.T) {
	// 100,000 calls take tens of milliseconds, close to the default wall limit on a loaded
	// or race-instrumented machine: this test is about the log cap, not about time.
	e := NewEngine(Options{WallTimeout: time.Minute})
	res := runCode(t, e, RuntimeJS2, `function handler(e) {
  for (var i = 0; i < 1000; i++) console.log('line ' + i + ' ' + 'x'.repeat(50));
  for (var j = 0; j < 100000; j++) console.log();
  return e.request;
}`, requestEvent())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	total := 0
	for _, l := range res.Logs {
		total += len(l) + 1
	}
	if total > MaxLogBytes || total < MaxLogBytes-100 {
		t.Errorf("logs take %d bytes, want close to but not above %d", total, MaxLogBytes)
	}
	if !strings.HasPrefix(res.Logs[0], "line 0 ") {
		t.Errorf("first line %q", res.Logs[0])
	}
	big := runCode(t, e, RuntimeJS2, `function handler(e) { var a = []; for (var i = 0; i < 5000; i++) a.push('é'); console.log(a); console.log('after'); return e.request; }`, requestEvent())
	if len(big.Logs) != 1 || len(big.Logs[0]) > MaxLogBytes {
		t.Errorf("one huge line: %d lines, first %d bytes", len(big.Logs), len(big.Logs[0]))
	}
}

func TestRunawayLoopIsStopped(t *testing.T) {
	e := NewEngine(Options{WallTimeout: 30 * time.Millisecond})
	p, _ := e.Compile("t", []byte(`function handler(e) { for (;;) {} }`), RuntimeJS2)
	res := e.Run(context.Background(), p, requestEvent(), Invocation{})
	if res.Err == nil || res.Err.Kind != ErrTimeout || res.Err.Message != msgTimeout || res.ComputeUtilization != 100 {
		t.Fatalf("%+v", res)
	}
	// The engine is still usable, and the stopped VM was not pooled.
	res = runCode(t, e, RuntimeJS2, `function handler(e) { return e.request; }`, requestEvent())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
}

func TestDeepRecursionIsBounded(t *testing.T) {
	e := NewEngine(Options{MaxCallDepth: 200})
	res := runCode(t, e, RuntimeJS2, `function handler(e) { function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } console.log(f(150)); return f(100000); }`, requestEvent())
	if res.Err == nil || res.Err.Message != msgStackOverflow || len(res.Logs) != 1 || res.Logs[0] != "150" {
		t.Fatalf("%+v", res)
	}
}

// TestMemoryBombsAreStopped runs functions that grow without bound and checks they are
// stopped with a memory error while the process heap stays bounded.
func TestMemoryBombsAreStopped(t *testing.T) {
	const budget = 16 << 20
	e := NewEngine(Options{MaxAllocBytes: budget, WallTimeout: 20 * time.Second})
	for _, code := range []string{
		`function handler(e) { var a = []; for (;;) a.push('xxxxxxxxxxxxxxxx' + a.length); }`,
		`function handler(e) { var s = 'x'; for (;;) s += s; }`,
		`function handler(e) { var o = {}; for (var i = 0; ; i++) o['k' + i] = {v: i}; }`,
	} {
		goruntime.GC()
		var before goruntime.MemStats
		goruntime.ReadMemStats(&before)
		peak := &peakHeap{}
		stop := peak.watch()
		res := runCode(t, e, RuntimeJS2, code, requestEvent())
		stop()
		if res.Err == nil || res.Err.Kind != ErrMemory || res.Err.Message != msgMemory {
			t.Fatalf("%s: %+v", code, res.Err)
		}
		growth := int64(peak.max.Load()) - int64(before.HeapAlloc)
		// The run is stopped within a tick of crossing the budget; one more doubling of a
		// string may be in flight, so allow a few budgets but nothing unbounded.
		t.Logf("%s: stopped; peak heap growth %d MiB (budget %d MiB)", code, growth>>20, budget>>20)
		if growth > 8*budget {
			t.Errorf("%s: heap grew by %d MiB with a %d MiB budget", code, growth>>20, budget>>20)
		}
	}
}

// peakHeap samples HeapAlloc while a run is in progress.
type peakHeap struct{ max atomic.Uint64 }

func (p *peakHeap) watch() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms goruntime.MemStats
		for {
			goruntime.ReadMemStats(&ms)
			if ms.HeapAlloc > p.max.Load() {
				p.max.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func TestConcurrencyIsBounded(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 2, WallTimeout: 10 * time.Second})
	p, _ := e.Compile("t", []byte(`function handler(e) { var x = 0; for (var i = 0; i < 20000; i++) x += i; return e.request; }`), RuntimeJS2)
	var running, maxRunning atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.Run(context.Background(), p, requestEvent(), Invocation{})
			if res.Err != nil {
				t.Error(res.Err)
			}
		}()
	}
	// Sample how many runs hold a slot at once: never more than MaxConcurrent.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		select {
		case <-done:
			if maxRunning.Load() > 2 {
				t.Errorf("%d runs at once", maxRunning.Load())
			}
			return
		default:
			running.Store(int32(len(e.sem)))
			if running.Load() > maxRunning.Load() {
				maxRunning.Store(running.Load())
			}
			goruntime.Gosched()
		}
	}
}

func TestQueuedRunHonoursContext(t *testing.T) {
	e := NewEngine(Options{MaxConcurrent: 1, WallTimeout: 5 * time.Second})
	slow, _ := e.Compile("slow", []byte(`function handler(e) { for (;;) {} }`), RuntimeJS2)
	fast, _ := e.Compile("fast", []byte(`function handler(e) { return e.request; }`), RuntimeJS2)
	ctxSlow, cancelSlow := context.WithCancel(context.Background())
	started := make(chan *Result)
	go func() { started <- e.Run(ctxSlow, slow, requestEvent(), Invocation{}) }()
	for len(e.sem) == 0 {
		goruntime.Gosched()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res := e.Run(ctx, fast, requestEvent(), Invocation{})
	if res.Err == nil || res.Err.Kind != ErrCanceled {
		t.Errorf("queued run: %+v", res.Err)
	}
	cancelSlow()
	if r := <-started; r.Err == nil || r.Err.Kind != ErrCanceled {
		t.Errorf("canceled running run: %+v", r.Err)
	}
}

func TestComputeUtilization(t *testing.T) {
	e := NewEngine(Options{Budget: time.Millisecond})
	for _, tc := range []struct {
		d    time.Duration
		want int
	}{{0, 0}, {4 * time.Microsecond, 0}, {5 * time.Microsecond, 1}, {210 * time.Microsecond, 21}, {time.Millisecond, 100}, {time.Second, 100}} {
		if got := e.utilization(tc.d); got != tc.want {
			t.Errorf("utilization(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func TestIdleVMsAreBounded(t *testing.T) {
	e := NewEngine(Options{MaxIdleVMs: 2, MaxConcurrent: 1})
	for i := 0; i < 4; i++ {
		res := runCode(t, e, RuntimeJS2, fmt.Sprintf("function handler(e) { return e.request; } // %d", i), requestEvent())
		if res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	if n := e.idle.len(); n != 2 {
		t.Errorf("%d idle VMs, want 2", n)
	}
}

func TestRunRejectsMissingInputs(t *testing.T) {
	e := NewEngine(Options{})
	p, _ := e.Compile("t", []byte(handlerSuffix), RuntimeJS2)
	if res := e.Run(context.Background(), p, &Event{}, Invocation{}); res.Err == nil {
		t.Error("event without request accepted")
	}
	ev := requestEvent()
	ev.Context.EventType = EventViewerResponse
	if res := e.Run(context.Background(), p, ev, Invocation{}); res.Err == nil {
		t.Error("viewer-response event without response accepted")
	}
	if res := e.Run(context.Background(), nil, requestEvent(), Invocation{}); res.Err == nil {
		t.Error("nil program accepted")
	}
}

func TestHandlerMustBeAFunction(t *testing.T) {
	e := NewEngine(Options{})
	res := runCode(t, e, RuntimeJS2, `var handler = 5;`, requestEvent())
	if res.Err == nil || res.Err.Message != "TypeError: handler is not a function" {
		t.Fatalf("%+v", res.Err)
	}
	res = runCode(t, e, RuntimeJS2, `console.log('top'); throw new Error('at load'); function handler(e) { return e.request; }`, requestEvent())
	if res.Err == nil || res.Err.Message != "Error: at load" || !reflect.DeepEqual(res.Logs, []string{"top"}) {
		t.Fatalf("%+v %q", res.Err, res.Logs)
	}
}

package runtime

import (
	"context"
	"fmt"
	"reflect"
	goruntime "runtime"
	"time"

	"github.com/dop251/goja"
)

// Options configures an Engine. Zero values take the defaults below.
type Options struct {
	// MaxConcurrent bounds the JS runs executing at once (default GOMAXPROCS); further runs
	// queue until a slot frees or their context ends, so a slow function cannot take every core.
	MaxConcurrent int
	// Budget is the run time reported as 100 % ComputeUtilization (default DefaultBudget).
	Budget time.Duration
	// WallTimeout stops a run that has not finished after this long (default DefaultWallTimeout).
	WallTimeout time.Duration
	// MaxAllocBytes stops a run that allocates more than this (default DefaultMaxAllocBytes).
	MaxAllocBytes uint64
	// MaxCallDepth bounds JS recursion (default DefaultMaxCallDepth).
	MaxCallDepth int
	// Limits bounds single built-in calls (repeat, padStart, Array(n)…); zero = jsenv defaults.
	Limits EnvLimits
	// CacheSize is how many compiled programs Engine.Compile keeps (default DefaultCacheSize).
	CacheSize int
	// MaxIdleVMs is how many prepared VMs wait for reuse, over all programs (default
	// DefaultMaxIdleVMs).
	MaxIdleVMs int
}

// Defaults.
//
// DefaultBudget: CloudFront's budget behind ComputeUtilization is not published; community
// measurements put it near 1 ms of njs CPU (spec §8, §14 Q12). goja ran 2.5–9× slower than
// njs 0.7.9 on the same machine for string, object and arithmetic loops (about 4–5× for the
// string and object work functions do), so 5 ms of goja time is taken as the same 100 %.
// DefaultWallTimeout is 20 budgets: generous enough that a loaded machine does not kill a
// legitimate function, short enough that a runaway loop releases its core quickly.
// DefaultMaxAllocBytes is 32 MiB: CloudFront gives a function 2 MB (§7); goja values are
// several times larger than njs's, and garbage counts too, so 16× leaves room for any
// function that fits CloudFront while stopping unbounded growth early.
// DefaultMaxCallDepth: njs 0.7.9 stops `function f(){f()}` after about 400 frames; 1024
// frames keep recursion bounded without refusing anything njs runs.
const (
	DefaultBudget        = 5 * time.Millisecond
	DefaultWallTimeout   = 100 * time.Millisecond
	DefaultMaxAllocBytes = 32 << 20
	DefaultMaxCallDepth  = 1024
	DefaultCacheSize     = 256
	DefaultMaxIdleVMs    = 64
)

func (o Options) withDefaults() Options {
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = goruntime.GOMAXPROCS(0)
	}
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	if o.WallTimeout <= 0 {
		o.WallTimeout = DefaultWallTimeout
	}
	if o.MaxAllocBytes == 0 {
		o.MaxAllocBytes = DefaultMaxAllocBytes
	}
	if o.MaxCallDepth <= 0 {
		o.MaxCallDepth = DefaultMaxCallDepth
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.MaxIdleVMs <= 0 {
		o.MaxIdleVMs = DefaultMaxIdleVMs
	}
	return o
}

// Engine compiles and runs CloudFront functions. It is safe for concurrent use; the edge,
// TestFunction and `localfront test` all run functions through it.
type Engine struct {
	opts  Options
	sem   chan struct{}
	watch *watchdog
	cache *programCache
	idle  *idleVMs
}

// NewEngine builds an Engine.
func NewEngine(opts Options) *Engine {
	o := opts.withDefaults()
	return &Engine{
		opts:  o,
		sem:   make(chan struct{}, o.MaxConcurrent),
		watch: newWatchdog(o.WallTimeout, o.MaxAllocBytes),
		cache: newProgramCache(o.CacheSize),
		idle:  newIdleVMs(o.MaxIdleVMs),
	}
}

// Options returns the engine's options with defaults filled in.
func (e *Engine) Options() Options { return e.opts }

// Invocation is what one run needs besides the program and the event.
type Invocation struct {
	Now time.Time // Date's frozen clock and Math.random's seed; zero = the clock when first asked
	// Untimed: the caller does not need Result.Duration and ComputeUtilization (the edge), so
	// the run reads no clock of its own.
	Untimed bool
	KVS     KVSReader // what cf.kvs() reads (kvs.go); nil = no associated key value store
	// OriginChanges receives the cf.updateRequestOrigin / selectRequestOriginById /
	// createRequestOriginGroup calls of a viewer-request run (origin_helpers.go); nil = the
	// calls are checked but not recorded (TestFunction, viewer-response).
	OriginChanges *OriginChanges
}

// ResultKind says what the handler returned.
type ResultKind int

const (
	KindRequest  ResultKind = 1 // the request (viewer-request: continue to cache/origin)
	KindResponse ResultKind = 2 // a response (sent to the viewer)
)

func (k ResultKind) String() string {
	switch k {
	case KindRequest:
		return "request"
	case KindResponse:
		return "response"
	}
	return "none"
}

// Result is the outcome of one run. On success Kind and Request or Response are set; on
// failure Err is. Request/Response may share unmodified collections with the Event: treat
// both as read-only.
type Result struct {
	Kind               ResultKind
	Request            *Request
	Response           *Response
	Logs               []string // console.log lines, in order, within MaxLogBytes
	ComputeUtilization int      // run time as a percentage of the budget, 0–100
	Err                *ExecError
	Duration           time.Duration // run time, excluding the wait for a free slot

	// Storage for Request and Response, so a caller that keeps its Results (the edge keeps
	// them with the viewer's request) runs without allocating them.
	req  Request
	resp Response
}

// Run executes the program's handler on the event.
func (e *Engine) Run(ctx context.Context, p *Program, ev *Event, inv Invocation) *Result {
	res := &Result{}
	e.RunInto(ctx, p, ev, inv, res)
	return res
}

// RunInto is Run writing the outcome into res, which it resets first. res must not be in
// use by another run, nor hold the event's request or response (a chained run needs a
// Result of its own).
func (e *Engine) RunInto(ctx context.Context, p *Program, ev *Event, inv Invocation, res *Result) {
	*res = Result{}
	if p == nil || ev == nil || ev.Request == nil {
		res.Err = &ExecError{Kind: ErrException, Message: "InternalError: no program or no request to run"}
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if ev.Context.EventType == EventViewerResponse && ev.Response == nil {
		res.Err = &ExecError{Kind: ErrException, Message: "InternalError: a viewer-response event needs a response"}
		return
	}
	select {
	case e.sem <- struct{}{}:
	default:
		select {
		case e.sem <- struct{}{}:
		case <-ctx.Done():
			res.Err = &ExecError{Kind: ErrCanceled, Message: "InternalError: " + ctx.Err().Error()}
			return
		}
	}
	defer func() { <-e.sem }()

	st := e.idle.get(p)
	if st == nil {
		var err error
		if st, err = newVMState(p, &e.opts); err != nil {
			res.Err = &ExecError{Kind: ErrException, Message: "InternalError: " + err.Error()}
			return
		}
	}
	var start time.Time
	if !inv.Untimed {
		start = time.Now()
	}
	st.begin(inv.Now)
	b := &st.bridge
	*b = bridge{vm: st.vm, event: ev, reqProto: st.reqProto, objects: b.objects[:0],
		evJS: b.evJS, reqJS: b.reqJS, respJS: b.respJS, objectProto: b.objectProto,
		colls:  &st.colls,
		outReq: &res.req, outResp: &res.resp}
	st.cur = b
	st.origin = nil
	st.kvs = inv.KVS
	if ev.Context.EventType != EventViewerResponse {
		st.origin = inv.OriginChanges
	}

	run := &st.watched
	e.watch.watch(ctx, st.vm, start, run)
	res.Kind, res.Request, res.Response, res.Err = st.invoke(b)
	if !inv.Untimed {
		res.Duration = time.Since(start)
	}
	reason := e.watch.stop(run)
	st.vm.ClearInterrupt()

	reusable := true
	if res.Err != nil {
		res.Kind, res.Request, res.Response = 0, nil, nil
		if reason != reasonNone && res.Err.Kind == ErrException {
			res.Err = reasonError(reason)
		}
		switch res.Err.Kind {
		case ErrTimeout, ErrMemory, ErrCanceled:
			reusable = false // stopped mid-flight: do not trust its state
		}
		if res.Err.Message == msgStackOverflow {
			reusable = false
		}
	}
	res.ComputeUtilization = e.utilization(res.Duration)
	if res.Err != nil && res.Err.Kind == ErrTimeout {
		res.ComputeUtilization = 100
	}
	res.Logs = st.logs.lines
	st.logs.lines = nil
	st.cur, st.origin, st.kvs = nil, nil, nil
	clear(b.objects[:cap(b.objects)]) // let this run's objects go
	b.event = nil
	b.evObj, b.reqObj, b.respObj = eventObject{}, requestObject{}, responseObject{} // nor its data
	b.forgetColls()
	b.args[0] = nil
	b.outReq, b.outResp, b.ret, b.read = nil, nil, nil, readBack{}
	if reusable && !p.shared && !st.broken {
		e.idle.put(st)
	}
}

func (e *Engine) utilization(d time.Duration) int {
	u := int((d*100 + e.opts.Budget/2) / e.opts.Budget)
	if u > 100 {
		u = 100
	}
	return u
}

func reasonError(r watchReason) *ExecError {
	switch r {
	case reasonTimeout:
		return &ExecError{Kind: ErrTimeout, Message: msgTimeout}
	case reasonMemory:
		return &ExecError{Kind: ErrMemory, Message: msgMemory}
	default:
		return &ExecError{Kind: ErrCanceled, Message: "InternalError: the invocation was canceled"}
	}
}

// invoke runs the top-level code (once per VM for a stateless program) and the handler, and
// reads back what it returned.
func (st *vmState) invoke(b *bridge) (kind ResultKind, req *Request, resp *Response, xerr *ExecError) {
	defer func() {
		// Uncatchable goja errors raised during the read-back (an interrupt in a getter), or a
		// Go panic in a built-in: the VM may be mid-call, so it is not reused.
		if x := recover(); x != nil {
			st.broken = true
			if err, ok := x.(error); ok {
				xerr = st.execError(err)
				return
			}
			xerr = &ExecError{Kind: ErrException, Message: fmt.Sprintf("InternalError: %v", x)}
		}
	}()
	handler := st.handler
	if handler != nil && st.prog.kvsHandles && identityOf(st.kvs) != st.handlerStore {
		handler = nil // cf.kvs() would check another store now: make the handles again
	}
	if handler == nil {
		hv, err := st.wrapper(goja.Undefined(), st.imports...)
		if err != nil {
			return 0, nil, nil, st.execError(err)
		}
		var ok bool
		if handler, ok = goja.AssertFunction(hv); !ok {
			return 0, nil, nil, &ExecError{Kind: ErrException, Message: "TypeError: handler is not a function"}
		}
		if st.prog.stateless {
			st.handler = handler // its top level holds no state: later runs skip the re-run
			st.handlerStore = identityOf(st.kvs)
		}
	}
	b.args[0] = b.eventJS()
	ret, err := handler(goja.Undefined(), b.args[:]...) // goja copies the arguments onto its stack
	if err != nil {
		return 0, nil, nil, st.execError(err)
	}
	if b.handlerOf(ret) == nil { // the event's own request or response is no promise
		if ret, xerr = st.settle(ret); xerr != nil {
			return 0, nil, nil, xerr
		}
	}
	b.ret = ret
	if _, err := st.readBack(goja.Undefined()); err != nil {
		return 0, nil, nil, st.execError(err)
	}
	out := &b.read
	if out.err != nil {
		return 0, nil, nil, &ExecError{Kind: ErrInvalidOutput, Message: out.err.Error()}
	}
	return out.kind, out.req, out.resp, nil
}

// settle unwraps the promise an async handler returns. goja has run every pending job when
// the call returned, and the runtimes have no timers, so a promise still pending will never
// settle.
func (st *vmState) settle(v goja.Value) (goja.Value, *ExecError) {
	p, ok := asPromise(v)
	if !ok {
		return v, nil
	}
	switch p.State() {
	case goja.PromiseStateFulfilled:
		return st.settle(p.Result())
	case goja.PromiseStateRejected:
		return nil, &ExecError{Kind: ErrException, Message: exceptionText(st.vm, p.Result())}
	}
	return nil, &ExecError{Kind: ErrException, Message: msgUnsettled}
}

func (st *vmState) execError(err error) *ExecError {
	switch e := err.(type) {
	case *goja.Exception:
		return &ExecError{Kind: ErrException, Message: exceptionText(st.vm, e.Value())}
	case *goja.InterruptedError:
		if r, ok := e.Value().(watchReason); ok {
			return reasonError(r)
		}
		return &ExecError{Kind: ErrCanceled, Message: "InternalError: interrupted"}
	case *goja.StackOverflowError:
		return &ExecError{Kind: ErrException, Message: msgStackOverflow}
	}
	return &ExecError{Kind: ErrException, Message: "InternalError: " + err.Error()}
}

// Compile compiles code for a runtime through the engine's cache, keyed by runtime and the
// SHA-256 of the code, so each function version compiles once. Compile errors are cached too.
func (e *Engine) Compile(name string, code []byte, runtimeName string) (*Program, error) {
	return e.cache.compile(name, code, runtimeName)
}

var promiseType = reflect.TypeOf((*goja.Promise)(nil))

// asPromise returns the promise behind v. (goja's promises have class "Object"; their export
// type tells them apart without exporting anything else.)
func asPromise(v goja.Value) (*goja.Promise, bool) {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ExportType() != promiseType {
		return nil, false
	}
	p, ok := obj.Export().(*goja.Promise)
	return p, ok
}

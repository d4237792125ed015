package runtime

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dop251/goja"
)

// vmState is one goja VM prepared for one Program: environment set up, console and require
// installed, the code evaluated to its wrapper function. Between invocations it waits in the
// engine's idle list; each invocation calls the wrapper afresh (wrap.go), so top-level state
// does not carry over, unless the program's top level holds no state (stateless.go): then the
// handler the first run made is called again. Programs that may change shared objects are
// never given a reused VM (shared.go).
type vmState struct {
	vm      *goja.Runtime
	prog    *Program
	wrapper goja.Callable
	imports []goja.Value  // arguments of the wrapper: the imported modules
	handler goja.Callable // a stateless program's handler, made by the first run (stateless.go)
	// handlerStore is the store the handler's top-level cf.kvs() handles were made for
	handlerStore storeIdentity

	now     time.Time // Date's clock, frozen for the invocation (spec §10.3); zero until first read
	rng     rand.PCG  // Math.random, seeded from the invocation time on first use
	seeded  bool      // rng is seeded for this invocation
	logs    logSink
	modules map[string]goja.Value

	run       uint64         // invocations begun on this VM, counting this one
	broken    bool           // a run ended in a recovered panic: do not reuse
	cur       *bridge        // the running invocation's bridge
	origin    *OriginChanges // where the running invocation's origin helpers record
	kvs       KVSReader      // the running invocation's key value store (cf.kvs())
	kvsModule *kvsModule     // cf.kvs() of this VM, once the cloudfront module is made
	reqProto  *goja.Object   // prototype of event.request in 2.0 (rawQueryString)

	watched watchedRun  // the running invocation's registration with the watchdog
	idle    idleLinks   // places in the engine's idle lists (idle.go)
	bridge  bridge      // reused by each invocation: its object list keeps its capacity
	colls   collections // the bridge's collection objects, kept between invocations
	// readBack reads the bridge's return value into bridge.read. It is called as a function
	// from Go, not through vm.Try, so that goja runs the jobs the read-back queued (a getter
	// that calls Promise.then) when it returns: jobs left queued would run at the end of
	// the next call from Go, in the next run on this VM, still holding this run's objects.
	readBack goja.Callable
}

func newVMState(p *Program, o *Options) (*vmState, error) {
	vm := goja.New()
	st := &vmState{vm: vm, prog: p, modules: map[string]goja.Value{}}
	readBack, _ := goja.AssertFunction(vm.ToValue(func(goja.FunctionCall) goja.Value {
		b, out := &st.bridge, &st.bridge.read
		out.kind, out.req, out.resp, out.err = b.readResult(b.ret)
		return goja.Undefined()
	}))
	st.readBack = readBack
	vm.SetTimeSource(st.clock)
	vm.SetRandSource(st.random)
	vm.SetMaxCallStackSize(o.MaxCallDepth)
	if err := setupEnvironment(vm, p.version, o.Limits); err != nil {
		return nil, fmt.Errorf("runtime: setting up the %s environment: %w", p.Runtime, err)
	}

	console := vm.NewObject()
	if err := console.DefineDataProperty("log", vm.ToValue(consoleLog(vm, &st.logs)), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return nil, err
	}
	global := vm.GlobalObject()
	for name, val := range map[string]goja.Value{"console": console, "require": vm.ToValue(st.require)} {
		if err := global.DefineDataProperty(name, val, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}
	if err := installJSONParse(vm); err != nil {
		return nil, err
	}

	for _, im := range p.imports {
		m, ok := st.module(im.Module, true)
		if !ok {
			return nil, fmt.Errorf("runtime: module %q is not available in %s", im.Module, p.Runtime)
		}
		st.imports = append(st.imports, m)
	}

	if p.version == v2 {
		st.reqProto = vm.NewObject()
		raw := vm.ToValue(st.rawQueryString).(*goja.Object)
		_ = raw.DefineDataProperty("name", vm.ToValue("rawQueryString"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		if err := st.reqProto.DefineDataProperty("rawQueryString", raw, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
	}

	w, err := vm.RunProgram(p.code)
	if err != nil {
		return nil, fmt.Errorf("runtime: evaluating %s: %w", p.Name, err)
	}
	fn, ok := goja.AssertFunction(w)
	if !ok {
		return nil, fmt.Errorf("runtime: %s did not evaluate to its wrapper function", p.Name)
	}
	st.wrapper = fn

	return st, nil
}

// rawQueryString is request.rawQueryString() (2.0, spec §10.6): the query as the viewer sent
// it, without "?"; "" when the URL ends in "?"; undefined when it has no "?".
func (st *vmState) rawQueryString(call goja.FunctionCall) goja.Value {
	if st.cur != nil {
		if r, ok := st.cur.handlerOf(call.This).(*requestObject); ok && r.src.HasQuery {
			return st.vm.ToValue(r.src.RawQueryString)
		}
	}
	return goja.Undefined()
}

// begin prepares the VM for an invocation at time now; zero: the time the function first
// asks for (most never do, and a clock read is not free).
func (st *vmState) begin(now time.Time) {
	st.run++
	st.now = now
	st.seeded = false
	st.logs.reset()
}

// clock is Date's time source: frozen for the invocation.
func (st *vmState) clock() time.Time {
	if st.now.IsZero() {
		st.now = time.Now()
	}
	return st.now
}

func (st *vmState) random() float64 {
	if !st.seeded {
		seed := uint64(st.clock().UnixNano())
		st.rng.Seed(seed, seed^0x9e3779b97f4a7c15)
		st.seeded = true
	}
	return float64(st.rng.Uint64()>>11) / (1 << 53)
}

// module returns a built-in module; viaImport selects the import namespace, which also has
// 'cloudfront' (2.0). Modules are made once per VM.
func (st *vmState) module(name string, viaImport bool) (goja.Value, bool) {
	if m, ok := st.modules[name]; ok && (viaImport || name != "cloudfront") {
		return m, true
	}
	var m goja.Value
	var ok bool
	switch {
	case name == "cloudfront":
		if !viaImport || st.prog.version != v2 {
			return nil, false
		}
		cf, err := st.cloudfrontModule()
		if err != nil {
			return nil, false
		}
		m, ok = cf, true
	default:
		m, ok = builtinModule(st.vm, st.prog.version, name)
	}
	if ok {
		st.modules[name] = m
	}
	return m, ok
}

// require is the global require(name) of both runtimes (spec §10.4).
func (st *vmState) require(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	if m, ok := st.module(name, false); ok {
		return m
	}
	panic(newJSError(st.vm, "Error", `Cannot find module "`+name+`"`))
}

// cloudfrontModule is `import cf from 'cloudfront'` (2.0): the origin helpers
// (origin_helpers.go) and cf.kvs() (kvs.go).
func (st *vmState) cloudfrontModule() (goja.Value, error) {
	vm := st.vm
	cf := vm.NewObject()
	if err := st.installKVS(cf); err != nil {
		return nil, err
	}
	if err := InstallOriginHelpers(vm, cf, func() *OriginChanges { return st.origin }); err != nil {
		return nil, err
	}
	return cf, nil
}

// newJSError builds an error object of a built-in error type (Error, TypeError, …).
func newJSError(vm *goja.Runtime, ctorName, msg string) *goja.Object {
	ctor, ok := vm.Get(ctorName).(*goja.Object)
	if ok {
		if obj, err := vm.New(ctor, vm.ToValue(msg)); err == nil {
			return obj
		}
	}
	return vm.NewGoError(fmt.Errorf("%s", msg))
}

// installJSONParse wraps JSON.parse so its syntax errors read as njs's ("Unexpected token at
// position 5") instead of Go's encoding/json texts.
func installJSONParse(vm *goja.Runtime) error {
	jsonObj, ok := vm.Get("JSON").(*goja.Object)
	if !ok {
		return nil
	}
	orig, ok := goja.AssertFunction(jsonObj.Get("parse"))
	if !ok {
		return nil
	}
	syntaxError, _ := vm.Get("SyntaxError").(*goja.Object)
	parse := func(call goja.FunctionCall) goja.Value {
		res, err := orig(call.This, call.Arguments...)
		if err == nil {
			return res
		}
		if ex, ok := err.(*goja.Exception); ok && syntaxError != nil {
			if obj, ok := ex.Value().(*goja.Object); ok && obj.Get("constructor") == goja.Value(syntaxError) {
				msg := njsJSONError(call.Argument(0).String())
				if msg == "" {
					msg = "Unexpected token at position 0"
				}
				panic(newJSError(vm, "SyntaxError", msg))
			}
		}
		panic(err)
	}
	fn := vm.ToValue(parse).(*goja.Object)
	_ = fn.DefineDataProperty("name", vm.ToValue("parse"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = fn.DefineDataProperty("length", vm.ToValue(2), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return jsonObj.DefineDataProperty("parse", fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

package runtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// KVSReader is the key value store one run reads through cf.kvs() (spec §10.5): an
// immutable snapshot of the function's associated store, so a run never sees part of a
// write. *kvs.Snapshot implements it; pass it in Invocation.KVS or TestRequest.KVS.
type KVSReader interface {
	Get(key string) (value string, ok bool)
	KeyCount() int
	Created() time.Time
	LastUpdated() time.Time
	ID() string // the store id, "" when the snapshot has no store identity
}

// storeIdentity is what cf.kvs() checks of an invocation's store: whether there is one, and
// its id.
type storeIdentity struct {
	present bool
	id      string
}

func identityOf(r KVSReader) storeIdentity {
	if r == nil {
		return storeIdentity{}
	}
	return storeIdentity{present: true, id: r.ID()}
}

// Texts of the cf.kvs() failures. CloudFront's own are not published (spec §14 Q10).
const (
	msgNoKVS        = "no key value store is associated with this function"
	msgKeyNotFound  = `Key "%s" not found`
	msgKVSNotThis   = `key value store "%s" is not associated with this function`
	msgKVSBadFormat = `unknown format "%s"; expected "string", "json" or "bytes"`
)

// kvsModule implements cf.kvs() for one VM. The handle's methods live on one prototype per
// VM and each cf.kvs() call returns a fresh object, so assigning to a handle's properties
// stays in that invocation; a program that reaches the prototype itself (getPrototypeOf,
// __proto__) is one touchesShared flags, and it never runs on a reused VM (shared.go).
// The methods read the running invocation's reader (vmState.kvs), not one captured earlier.
type kvsModule struct {
	st         *vmState
	proto      *goja.Object
	parseJSON  goja.Callable // JSON.parse as installed (njs-style errors), taken before user code runs
	bufferFrom goja.Callable
	buffer     goja.Value
	// untouched(p): extensible and without own symbols (goja's Symbols() lists enumerable ones
	// only), one call into the VM; made from Object's functions before user code runs
	untouched    goja.Callable
	promiseProto *goja.Object
	settled      settledPromises
}

// settledPromises keeps, per VM, the promises that get (string format) and exists resolved
// with a primitive, to hand the same object out again in a later invocation. goja makes two
// resolving functions for every promise it creates, which is most of what a kvs.get costs
// (spec §10.5 has reads in the microsecond range). A promise fulfilled with a primitive is
// immutable to JavaScript except through its own properties, prototype and extensibility,
// so a kept promise is handed out only when it is still pristine — no own properties, the
// intrinsic prototype, extensible — and at most once per invocation: two calls in one run get
// two objects, as on CloudFront, and no run can see what another did. Nothing else of a run
// survives it (stateless.go, shared.go), so no program can tell a kept promise from a new one.
type settledPromises struct {
	byValue map[settledKey]*settledPromise
}

// settledKey is the primitive a promise is fulfilled with: a string, or a boolean.
type settledKey struct {
	boolean bool
	s       string // the string, or "true" / "false"
}

type settledPromise struct {
	promise *goja.Object
	run     uint64 // the invocation that was last handed it
}

// maxSettledPromises bounds the promises kept per VM; when full, the set starts over.
const maxSettledPromises = 256

// installKVS adds cf.kvs to the cloudfront module object cf.
func (st *vmState) installKVS(cf *goja.Object) error {
	vm := st.vm
	m := &kvsModule{st: st, proto: vm.NewObject()}
	st.kvsModule = m
	if jsonObj, ok := vm.Get("JSON").(*goja.Object); ok {
		m.parseJSON, _ = goja.AssertFunction(jsonObj.Get("parse"))
	}
	if buf, ok := vm.Get("Buffer").(*goja.Object); ok {
		m.buffer = buf
		m.bufferFrom, _ = goja.AssertFunction(buf.Get("from"))
	}
	if f, err := vm.RunString(untouchedSource); err == nil {
		m.untouched, _ = goja.AssertFunction(f)
	}
	if promiseCtor, ok := vm.Get("Promise").(*goja.Object); ok {
		m.promiseProto, _ = promiseCtor.Get("prototype").(*goja.Object)
	}
	if m.parseJSON == nil || m.bufferFrom == nil || m.untouched == nil || m.promiseProto == nil {
		return fmt.Errorf("runtime: cf.kvs needs JSON.parse, Buffer.from, Object.isExtensible, Object.getOwnPropertySymbols and Promise")
	}
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{"get": m.get, "exists": m.exists, "meta": m.meta} {
		if err := m.proto.DefineDataProperty(name, namedFunc(vm, name, fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return cf.DefineDataProperty("kvs", namedFunc(vm, "kvs", m.handle), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func namedFunc(vm *goja.Runtime, name string, fn func(goja.FunctionCall) goja.Value) *goja.Object {
	f := vm.ToValue(fn).(*goja.Object)
	_ = f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	return f
}

// handle is cf.kvs([id]). Without an associated store it throws. An id, when given, must
// name the associated store (its id or its ARN); a stand-alone snapshot (localfront test
// --kvs) has no id and accepts any.
func (m *kvsModule) handle(call goja.FunctionCall) goja.Value {
	vm := m.st.vm
	r := m.st.kvs
	if r == nil {
		panic(newJSError(vm, "Error", msgNoKVS))
	}
	if arg := call.Argument(0); !goja.IsUndefined(arg) && !goja.IsNull(arg) {
		id := arg.String()
		if want := r.ID(); want != "" && id != want && !strings.HasSuffix(id, ":key-value-store/"+want) {
			panic(newJSError(vm, "Error", fmt.Sprintf(msgKVSNotThis, id)))
		}
	}
	h := vm.NewObject()
	_ = h.SetPrototype(m.proto)
	return h
}

// fulfilled returns a promise fulfilled with the primitive k: a kept one when it may be
// handed out again (settledPromises), otherwise a new one, kept for later invocations.
func (m *kvsModule) fulfilled(k settledKey) goja.Value {
	sp := &m.settled
	run := m.st.run
	e, ok := sp.byValue[k]
	usable := ok && m.pristine(e.promise)
	if usable && e.run != run {
		e.run = run
		return e.promise
	}
	var v goja.Value
	if k.boolean {
		v = m.st.vm.ToValue(k.s == "true")
	} else {
		v = m.st.vm.ToValue(k.s)
	}
	p := m.settleWith(v, nil)
	if usable {
		return p // the kept one went to this run already; keep it for the next
	}
	if sp.byValue == nil || len(sp.byValue) >= maxSettledPromises {
		sp.byValue = map[settledKey]*settledPromise{}
	}
	if obj, ok := p.(*goja.Object); ok {
		sp.byValue[k] = &settledPromise{promise: obj, run: run}
	}
	return p
}

// pristine reports whether no code has changed the promise object p itself: its prototype,
// its own string-keyed properties (enumerable or not) and enumerable symbols are checked in
// Go. Non-enumerable properties need defineProperty(ies), which no pooled program calls
// (shared.go), and the VM runs no other program; a program that may freeze, seal or
// preventExtensions is checked in full, extensibility and every own symbol, in one call.
func (m *kvsModule) pristine(p *goja.Object) bool {
	if p.Prototype() != m.promiseProto || len(p.GetOwnPropertyNames()) > 0 || len(p.Symbols()) > 0 {
		return false
	}
	if !m.st.prog.mayFreeze {
		return true
	}
	ok, err := m.untouched(goja.Undefined(), p)
	return err == nil && ok.ToBoolean()
}

// untouchedSource evaluates to untouched(p); it closes over Object's functions as they are
// before any user code runs.
const untouchedSource = `(function (isExtensible, ownSymbols) {
  return function (p) { return isExtensible(p) && ownSymbols(p).length === 0; };
})(Object.isExtensible, Object.getOwnPropertySymbols)`

// settleWith returns a promise already resolved with value or rejected with reason; the
// handler's await continues when goja runs its job queue.
func (m *kvsModule) settleWith(value, reason goja.Value) goja.Value {
	p, resolve, reject := m.st.vm.NewPromise()
	if reason != nil {
		_ = reject(reason)
	} else {
		_ = resolve(value)
	}
	return m.st.vm.ToValue(p)
}

func (m *kvsModule) reader() (KVSReader, goja.Value) {
	if r := m.st.kvs; r != nil {
		return r, nil
	}
	return nil, newJSError(m.st.vm, "Error", msgNoKVS)
}

// get(key[, {format}]) resolves to the value as a string (default), parsed JSON or a
// Buffer of its UTF-8 bytes, and rejects when the key does not exist (spec §10.5).
func (m *kvsModule) get(call goja.FunctionCall) goja.Value {
	vm := m.st.vm
	r, fail := m.reader()
	if fail != nil {
		return m.settleWith(nil, fail)
	}
	key := call.Argument(0).String()
	format := "string"
	if opts, ok := call.Argument(1).(*goja.Object); ok {
		if f := opts.Get("format"); f != nil && !goja.IsUndefined(f) {
			format = f.String()
		}
	}
	value, ok := r.Get(key)
	if !ok {
		return m.settleWith(nil, newJSError(vm, "Error", fmt.Sprintf(msgKeyNotFound, key)))
	}
	switch format {
	case "string":
		return m.fulfilled(settledKey{s: value})
	case "json":
		return m.settleWith(m.call(m.parseJSON, goja.Undefined(), vm.ToValue(value)))
	case "bytes":
		return m.settleWith(m.call(m.bufferFrom, m.buffer, vm.ToValue(value)))
	}
	return m.settleWith(nil, newJSError(vm, "TypeError", fmt.Sprintf(msgKVSBadFormat, format)))
}

// call runs a captured built-in, turning a JS exception into the rejection reason.
func (m *kvsModule) call(fn goja.Callable, this goja.Value, arg goja.Value) (goja.Value, goja.Value) {
	v, err := fn(this, arg)
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			return nil, ex.Value()
		}
		panic(err) // an interrupt (timeout, memory): let the run end
	}
	return v, nil
}

// exists(key) resolves to whether the key exists.
func (m *kvsModule) exists(call goja.FunctionCall) goja.Value {
	r, fail := m.reader()
	if fail != nil {
		return m.settleWith(nil, fail)
	}
	_, ok := r.Get(call.Argument(0).String())
	return m.fulfilled(settledKey{boolean: true, s: strconv.FormatBool(ok)})
}

// meta() resolves to {creationDateTime, lastUpdatedDateTime, keyCount}, times in ISO 8601.
func (m *kvsModule) meta(goja.FunctionCall) goja.Value {
	vm := m.st.vm
	r, fail := m.reader()
	if fail != nil {
		return m.settleWith(nil, fail)
	}
	obj := vm.NewObject()
	_ = obj.Set("creationDateTime", isoTime(r.Created()))
	_ = obj.Set("lastUpdatedDateTime", isoTime(r.LastUpdated()))
	_ = obj.Set("keyCount", r.KeyCount())
	return m.settleWith(obj, nil)
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

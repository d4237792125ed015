package jsenv

import (
	"math"
	"reflect"

	"github.com/dop251/goja"
)

// env is the per-VM state behind the installed built-ins. Setup creates it and hides it on
// the global object under a private symbol so Module can find it again.
type env struct {
	vm  *goja.Runtime
	ver Version
	lim Limits

	// Original constructors, captured before any user code can replace the globals.
	errorCtor, rangeErrorCtor, typeErrorCtor *goja.Object
	uint8ArrayCtor, dataViewCtor             *goja.Object
	internalError                            *goja.Object // installed by Setup
	regExpCtor                               *goja.Object
	regExpExec                               goja.Value

	bufferCtor  *goja.Object          // 2.0: Buffer
	bufferProto *goja.Object          // 2.0: Buffer.prototype
	byteStrings *byteStringRegistry   // 1.0: strings produced as byte strings
	modules     map[string]goja.Value // built modules, one instance per VM
	ctorFactory goja.Callable         // see newCtor
	joining     []*goja.Object        // arrays whose join is converting its elements (guards.go)
}

var (
	reflectString = reflect.TypeOf("")
	reflectBool   = reflect.TypeOf(true)
	reflectInt    = reflect.TypeOf(int64(0))
	reflectFloat  = reflect.TypeOf(float64(0))
)

// envKey names the hidden global property that holds the env. A symbol keeps it out of
// Object.getOwnPropertyNames(globalThis); non-configurable so user code cannot remove it.
var envKey = goja.NewSymbol("")

func (e *env) attach() error {
	return e.vm.GlobalObject().DefineDataPropertySymbol(envKey, e.vm.ToValue(&envHandle{e}),
		goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// envHandle wraps env so the reflected JS object exposes nothing (no exported fields).
type envHandle struct{ e *env }

func envOf(vm *goja.Runtime) *env {
	v := vm.GlobalObject().GetSymbol(envKey)
	if v == nil {
		return nil
	}
	h, ok := v.Export().(*envHandle)
	if !ok {
		return nil
	}
	return h.e
}

// newFunc makes a native function with njs-like name and length properties.
func (e *env) newFunc(name string, length int, fn func(goja.FunctionCall) goja.Value) *goja.Object {
	f := e.vm.ToValue(fn).(*goja.Object)
	e.setNameLength(f, name, length)
	return f
}

// ctorFactorySrc builds constructors that, unlike goja's native ones, can tell a call
// from new (goja passes no new.target to native code): onCall gets the arguments of a
// plain call, onNew the fresh this, new.target and the arguments.
var ctorFactorySrc = goja.MustCompile("jsenv-ctor.js", `(function (onCall, onNew) {
	return function () {
		'use strict';
		if (new.target === undefined) { return onCall(...arguments); }
		var r = onNew(this, new.target, ...arguments);
		return r === undefined ? this : r;
	};
})`, true)

// newCtor makes a constructor named name. onCall handles a plain call; onNew handles new
// and returns the object to produce, or nil to produce this.
func (e *env) newCtor(name string, length int,
	onCall func(args []goja.Value) goja.Value,
	onNew func(this, newTarget *goja.Object, args []goja.Value) *goja.Object) *goja.Object {
	if e.ctorFactory == nil {
		f, err := e.vm.RunProgram(ctorFactorySrc)
		if err != nil {
			panic(err)
		}
		e.ctorFactory, _ = goja.AssertFunction(f)
	}
	callFn := func(c goja.FunctionCall) goja.Value { return onCall(c.Arguments) }
	newFn := func(c goja.FunctionCall) goja.Value {
		this, _ := c.Argument(0).(*goja.Object)
		nt, _ := c.Argument(1).(*goja.Object)
		var args []goja.Value
		if len(c.Arguments) > 2 {
			args = c.Arguments[2:]
		}
		if obj := onNew(this, nt, args); obj != nil {
			return obj
		}
		return goja.Undefined()
	}
	f, err := e.ctorFactory(goja.Undefined(), e.vm.ToValue(callFn), e.vm.ToValue(newFn))
	if err != nil {
		panic(err)
	}
	ctor := f.(*goja.Object)
	e.setNameLength(ctor, name, length)
	return ctor
}

// argAt returns args[i] or undefined.
func argAt(args []goja.Value, i int) goja.Value {
	if i < len(args) {
		return args[i]
	}
	return goja.Undefined()
}

func (e *env) setNameLength(f *goja.Object, name string, length int) {
	_ = f.DefineDataProperty("name", e.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = f.DefineDataProperty("length", e.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// method installs fn as a non-enumerable, writable, configurable method, as built-ins are.
func (e *env) method(obj *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) {
	_ = obj.DefineDataProperty(name, e.newFunc(name, length, fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// hidden defines a non-enumerable data property.
func hidden(obj *goja.Object, name string, v goja.Value) {
	_ = obj.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// throw raises a JS error of the given constructor with msg. It never returns.
func (e *env) throw(ctor *goja.Object, msg string) {
	obj, err := e.vm.New(ctor, e.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	panic(obj)
}

func (e *env) typeError(msg string)  { e.throw(e.typeErrorCtor, msg) }
func (e *env) rangeError(msg string) { e.throw(e.rangeErrorCtor, msg) }
func (e *env) plainError(msg string) { e.throw(e.errorCtor, msg) }

// call invokes a JS function and re-raises any exception in the calling native frame.
func call(fn goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := fn(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// arg returns the i-th argument or undefined.
func arg(c goja.FunctionCall, i int) goja.Value {
	if i < len(c.Arguments) {
		return c.Arguments[i]
	}
	return goja.Undefined()
}

func isNullish(v goja.Value) bool {
	return v == nil || goja.IsUndefined(v) || goja.IsNull(v)
}

func isString(v goja.Value) bool {
	_, ok := v.(goja.String)
	return ok
}

// toInteger is ECMAScript ToIntegerOrInfinity, clamped to int64.
func toInteger(v goja.Value) float64 {
	f := v.ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	return math.Trunc(f)
}

// clampInt converts an integer-valued float to int within [lo, hi].
func clampInt(f float64, lo, hi int) int {
	if f < float64(lo) {
		return lo
	}
	if f > float64(hi) {
		return hi
	}
	return int(f)
}

// relIndex resolves a relative (slice-style) index against length n.
func relIndex(v goja.Value, n int, dflt int) int {
	if v == nil || goja.IsUndefined(v) {
		return dflt
	}
	f := toInteger(v)
	if f < 0 {
		f += float64(n)
	}
	return clampInt(f, 0, n)
}

// typeName is the njs name of a value's type, used in njs's argument error texts.
func (e *env) typeName(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	switch v.ExportType() {
	case reflectBool:
		return "boolean"
	case reflectString:
		return "string"
	case reflectInt, reflectFloat:
		return "number"
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return "symbol"
	}
	if _, isFn := goja.AssertFunction(obj); isFn {
		return "function"
	}
	switch obj.ClassName() {
	case "Array":
		return "array"
	case "RegExp":
		return "regexp"
	case "Date":
		return "date"
	case "Error":
		return "error"
	}
	if obj.ExportType() == arrayBufferType {
		return "array buffer"
	}
	return "object"
}

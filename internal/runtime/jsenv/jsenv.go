// Package jsenv shapes the global environment of a goja VM into the cloudfront-js-1.0 or
// cloudfront-js-2.0 runtime (spec §10.3, §10.4, §10.7): it removes what the runtime lacks,
// adds the njs-specific pieces (1.0 byte strings, InternalError/MemoryError, 2.0 Buffer,
// TextEncoder/TextDecoder, atob/btoa), refuses eval and the Function constructor, guards
// built-ins that could allocate without bound, and builds the crypto, querystring and
// buffer modules. Semantics and error texts follow njs 0.7.9, the engine family CloudFront
// runs (§10.8); where njs 0.7.9 and the CloudFront docs differ, the docs win (the list is
// knownDiffs in njs_diff_test.go).
//
// Globals after Setup (string-keyed own properties of globalThis):
//
//	both: Array ArrayBuffer Boolean Date Error EvalError Float32Array Float64Array Function
//	      Infinity Int16Array Int32Array Int8Array InternalError JSON Math MemoryError NaN
//	      Number Object Promise RangeError ReferenceError RegExp String Symbol SyntaxError
//	      TypeError URIError Uint16Array Uint32Array Uint8Array Uint8ClampedArray
//	      decodeURI decodeURIComponent encodeURI encodeURIComponent eval globalThis
//	      isFinite isNaN parseFloat parseInt undefined
//	2.0 adds: AggregateError Buffer DataView TextDecoder TextEncoder atob btoa
//
// Not present in either (njs has none of them): Map Set WeakMap WeakSet Proxy Reflect
// BigInt BigInt64Array BigUint64Array escape unescape, timers, process, require, console
// (console, require and the cloudfront module belong to the runtime package). Symbol stays
// in 1.0 (njs 0.5 had it; only Symbol.for/keyFor are listed as 2.0 additions). eval stays
// as a function that throws, as in njs. Per-method removals are listed in shape.go.
//
// Setup replaces some built-ins by wrappers (guards.go, ctorguard.go, uri.go, noeval.go);
// the wrappers keep names, lengths, prototypes and instanceof relations of the originals.
package jsenv

import (
	"fmt"

	"github.com/dop251/goja"
)

// Version is the runtime generation: V1 = cloudfront-js-1.0, V2 = cloudfront-js-2.0.
type Version int

const (
	V1 Version = 1
	V2 Version = 2
)

// Limits bounds what a single built-in call may allocate. A zero (or negative) field takes
// its default. Going over throws a RangeError (njs's texts) before anything is allocated.
type Limits struct {
	MaxStringLength int // UTF-16 code units of a produced string; default DefaultMaxStringLength
	MaxArrayLength  int // elements of an array a built-in walks or builds; default DefaultMaxArrayLength
	MaxBufferBytes  int // bytes of an ArrayBuffer, typed array or Buffer; default DefaultMaxBufferBytes
}

// Defaults sized to CloudFront's 2 MB function memory (§7): nothing a function could hold
// in 2 MB is refused, and no single call can allocate much more than that.
const (
	DefaultMaxStringLength = 1 << 21 // 2 Mi code units
	DefaultMaxArrayLength  = 1 << 18 // 256 Ki elements (≥ 4 MiB of values in njs)
	DefaultMaxBufferBytes  = 2 << 20 // 2 MiB
)

func (l Limits) withDefaults() Limits {
	if l.MaxStringLength <= 0 {
		l.MaxStringLength = DefaultMaxStringLength
	}
	if l.MaxArrayLength <= 0 {
		l.MaxArrayLength = DefaultMaxArrayLength
	}
	if l.MaxBufferBytes <= 0 {
		l.MaxBufferBytes = DefaultMaxBufferBytes
	}
	return l
}

// Setup prepares the globals of a fresh goja VM for the runtime version. Call it once per
// VM, before any user code runs; calling it twice on one VM is an error.
func Setup(vm *goja.Runtime, v Version, lim Limits) error {
	if v != V1 && v != V2 {
		return fmt.Errorf("jsenv: unknown runtime version %d", v)
	}
	if envOf(vm) != nil {
		return fmt.Errorf("jsenv: VM already set up")
	}
	e := &env{vm: vm, ver: v, lim: lim.withDefaults(), modules: map[string]goja.Value{}}
	global := vm.GlobalObject()
	for _, c := range []struct {
		dst  **goja.Object
		name string
	}{
		{&e.errorCtor, "Error"}, {&e.rangeErrorCtor, "RangeError"}, {&e.typeErrorCtor, "TypeError"},
		{&e.uint8ArrayCtor, "Uint8Array"}, {&e.dataViewCtor, "DataView"}, {&e.regExpCtor, "RegExp"},
	} {
		obj, ok := global.Get(c.name).(*goja.Object)
		if !ok {
			return fmt.Errorf("jsenv: goja has no %s", c.name)
		}
		*c.dst = obj
	}

	e.regExpExec = e.regExpCtor.Get("prototype").(*goja.Object).Get("exec")
	if err := e.removeProps(removedBoth); err != nil {
		return err
	}
	if v == V1 {
		if err := e.removeProps(removedV1); err != nil {
			return err
		}
	}
	if err := e.installErrorTypes(); err != nil {
		return err
	}
	if err := e.disableDynamicCode(); err != nil {
		return err
	}
	if err := e.installGuards(); err != nil {
		return err
	}
	e.installURIFunctions()
	if v == V1 {
		e.installByteStrings()
	} else {
		hidden(global, "Buffer", e.installBuffer())
		e.installTextCodecs()
		e.installBase64()
	}
	return e.attach()
}

// Module returns the built-in module for require/import: "crypto" and "querystring" in
// both runtimes, "buffer" in 2.0. It returns false for any other name, for a version that
// does not match the one given to Setup, or for a VM Setup has not prepared. Repeated calls
// on one VM return the same object.
func Module(vm *goja.Runtime, v Version, name string) (goja.Value, bool) {
	e := envOf(vm)
	if e == nil || e.ver != v {
		return nil, false
	}
	if m, ok := e.modules[name]; ok {
		return m, true
	}
	var m goja.Value
	switch {
	case name == "crypto":
		m = e.newCryptoModule()
	case name == "querystring":
		m = e.newQueryStringModule()
	case name == "buffer" && v == V2:
		m = e.newBufferModule()
	default:
		return nil, false
	}
	e.modules[name] = m
	return m, true
}

// newBufferModule is require('buffer'): the Buffer constructor plus size constants, which
// report this runtime's limits.
func (e *env) newBufferModule() *goja.Object {
	vm := e.vm
	mod := vm.NewObject()
	_ = mod.Set("Buffer", e.bufferCtor)
	constants := vm.NewObject()
	_ = constants.Set("MAX_LENGTH", e.lim.MaxBufferBytes)
	_ = constants.Set("MAX_STRING_LENGTH", e.lim.MaxStringLength)
	_ = mod.Set("constants", constants)
	_ = mod.Set("kMaxLength", e.lim.MaxBufferBytes)
	return mod
}

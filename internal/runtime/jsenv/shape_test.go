package jsenv

import (
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// One entry per row of the spec's built-ins table (§10.3), plus §10.4 Buffer and §10.7:
// each listed name must be present exactly in the runtimes the table allows.
type builtinRow struct {
	row    string
	names  []string // property paths; "%TA%" is the shared typed-array parent
	v1, v2 bool
}

var builtinRows = []builtinRow{
	{"Object", []string{"Object.create", "Object.defineProperties", "Object.defineProperty", "Object.freeze",
		"Object.getOwnPropertyDescriptor", "Object.getOwnPropertyNames", "Object.getPrototypeOf", "Object.isExtensible",
		"Object.isFrozen", "Object.isSealed", "Object.keys", "Object.preventExtensions", "Object.seal", "Object.assign",
		"Object.is", "Object.setPrototypeOf", "Object.entries", "Object.values", "Object.prototype.hasOwnProperty",
		"Object.prototype.isPrototypeOf", "Object.prototype.propertyIsEnumerable", "Object.prototype.toString",
		"Object.prototype.valueOf"}, true, true},
	{"Object 2.0", []string{"Object.getOwnPropertyDescriptors"}, false, true},
	{"String", []string{"String.fromCharCode", "String.fromCodePoint", "String.prototype.charAt", "String.prototype.concat",
		"String.prototype.indexOf", "String.prototype.lastIndexOf", "String.prototype.match", "String.prototype.replace",
		"String.prototype.search", "String.prototype.slice", "String.prototype.split", "String.prototype.substr",
		"String.prototype.substring", "String.prototype.toLowerCase", "String.prototype.trim", "String.prototype.toUpperCase",
		"String.prototype.codePointAt", "String.prototype.endsWith", "String.prototype.includes", "String.prototype.repeat",
		"String.prototype.startsWith", "String.prototype.padStart", "String.prototype.padEnd", "String.prototype.trimStart",
		"String.prototype.trimEnd"}, true, true},
	{"String 1.0 byte strings", []string{"String.bytesFrom", "String.prototype.fromBytes", "String.prototype.fromUTF8",
		"String.prototype.toBytes", "String.prototype.toUTF8"}, true, false},
	{"String 2.0", []string{"String.prototype.replaceAll"}, false, true},
	{"Number", []string{"Number.isFinite", "Number.isInteger", "Number.isNaN", "Number.isSafeInteger", "Number.parseFloat",
		"Number.parseInt", "Number.prototype.toExponential", "Number.prototype.toFixed", "Number.prototype.toPrecision",
		"Number.EPSILON", "Number.MAX_SAFE_INTEGER", "Number.MAX_VALUE", "Number.MIN_SAFE_INTEGER", "Number.MIN_VALUE",
		"Number.NEGATIVE_INFINITY", "Number.NaN", "Number.POSITIVE_INFINITY"}, true, true},
	{"Math", []string{"Math.abs", "Math.acos", "Math.asin", "Math.atan", "Math.atan2", "Math.ceil", "Math.cos", "Math.exp",
		"Math.floor", "Math.log", "Math.max", "Math.min", "Math.pow", "Math.random", "Math.round", "Math.sin", "Math.sqrt",
		"Math.tan", "Math.acosh", "Math.asinh", "Math.atanh", "Math.cbrt", "Math.clz32", "Math.cosh", "Math.expm1",
		"Math.fround", "Math.hypot", "Math.imul", "Math.log10", "Math.log1p", "Math.log2", "Math.sign", "Math.sinh",
		"Math.tanh", "Math.trunc", "Math.E", "Math.LN10", "Math.LN2", "Math.LOG10E", "Math.LOG2E", "Math.PI",
		"Math.SQRT1_2", "Math.SQRT2"}, true, true},
	{"Date", []string{"Date.now", "Date.parse", "Date.UTC", "Date.prototype.getTime", "Date.prototype.toISOString",
		"Date.prototype.getUTCFullYear", "Date.prototype.toUTCString"}, true, true},
	{"Function", []string{"Function.prototype.apply", "Function.prototype.bind", "Function.prototype.call"}, true, true},
	{"JSON", []string{"JSON.parse", "JSON.stringify"}, true, true},
	{"Array", []string{"Array.isArray", "Array.of", "Array.prototype.concat", "Array.prototype.every", "Array.prototype.filter",
		"Array.prototype.forEach", "Array.prototype.indexOf", "Array.prototype.join", "Array.prototype.lastIndexOf",
		"Array.prototype.map", "Array.prototype.pop", "Array.prototype.push", "Array.prototype.reduce",
		"Array.prototype.reduceRight", "Array.prototype.reverse", "Array.prototype.shift", "Array.prototype.slice",
		"Array.prototype.some", "Array.prototype.sort", "Array.prototype.splice", "Array.prototype.unshift",
		"Array.prototype.copyWithin", "Array.prototype.fill", "Array.prototype.find", "Array.prototype.findIndex",
		"Array.prototype.includes"}, true, true},
	{"Typed arrays", []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
		"Uint32Array", "Float32Array", "Float64Array", "%TA%.prototype.copyWithin", "%TA%.prototype.fill",
		"%TA%.prototype.join", "%TA%.prototype.set", "%TA%.prototype.slice", "%TA%.prototype.subarray",
		"%TA%.prototype.toString"}, true, true},
	{"Typed arrays 2.0", []string{"%TA%.from", "%TA%.of", "%TA%.prototype.every", "%TA%.prototype.filter",
		"%TA%.prototype.find", "%TA%.prototype.findIndex", "%TA%.prototype.forEach", "%TA%.prototype.includes",
		"%TA%.prototype.indexOf", "%TA%.prototype.lastIndexOf", "%TA%.prototype.map", "%TA%.prototype.reduce",
		"%TA%.prototype.reduceRight", "%TA%.prototype.reverse", "%TA%.prototype.some", "%TA%.prototype.sort"}, false, true},
	{"ArrayBuffer", []string{"ArrayBuffer.isView", "ArrayBuffer.prototype.slice"}, true, true},
	{"Promise", []string{"Promise.reject", "Promise.resolve", "Promise.prototype.then", "Promise.prototype.catch",
		"Promise.prototype.finally"}, true, true},
	{"Promise 2.0", []string{"Promise.all", "Promise.allSettled", "Promise.any", "Promise.race"}, false, true},
	{"DataView", []string{"DataView", "DataView.prototype.getInt8", "DataView.prototype.getInt16", "DataView.prototype.getInt32",
		"DataView.prototype.getUint8", "DataView.prototype.getUint16", "DataView.prototype.getUint32",
		"DataView.prototype.getFloat32", "DataView.prototype.getFloat64", "DataView.prototype.setInt8",
		"DataView.prototype.setInt16", "DataView.prototype.setInt32", "DataView.prototype.setUint8",
		"DataView.prototype.setUint16", "DataView.prototype.setUint32", "DataView.prototype.setFloat32",
		"DataView.prototype.setFloat64"}, false, true},
	{"Symbol 2.0", []string{"Symbol.for", "Symbol.keyFor"}, false, true},
	{"TextEncoder/TextDecoder", []string{"TextEncoder", "TextEncoder.prototype.encode", "TextEncoder.prototype.encodeInto",
		"TextDecoder", "TextDecoder.prototype.decode"}, false, true},
	{"Errors", []string{"Error", "EvalError", "InternalError", "MemoryError", "RangeError", "ReferenceError", "SyntaxError",
		"TypeError", "URIError"}, true, true},
	{"Globals", []string{"globalThis", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "isFinite",
		"isNaN", "parseFloat", "parseInt", "NaN", "Infinity"}, true, true},
	{"Globals 2.0", []string{"atob", "btoa"}, false, true},
	{"Buffer (§10.4)", []string{"Buffer", "Buffer.alloc", "Buffer.allocUnsafe", "Buffer.byteLength", "Buffer.compare",
		"Buffer.concat", "Buffer.from", "Buffer.isBuffer", "Buffer.isEncoding", "Buffer.prototype.compare",
		"Buffer.prototype.copy", "Buffer.prototype.equals", "Buffer.prototype.fill", "Buffer.prototype.includes",
		"Buffer.prototype.indexOf", "Buffer.prototype.lastIndexOf", "Buffer.prototype.readInt8", "Buffer.prototype.readIntBE",
		"Buffer.prototype.readInt16BE", "Buffer.prototype.readInt32BE", "Buffer.prototype.readIntLE",
		"Buffer.prototype.readInt16LE", "Buffer.prototype.readInt32LE", "Buffer.prototype.readUInt8",
		"Buffer.prototype.readUIntBE", "Buffer.prototype.readUInt16BE", "Buffer.prototype.readUInt32BE",
		"Buffer.prototype.readUIntLE", "Buffer.prototype.readUInt16LE", "Buffer.prototype.readUInt32LE",
		"Buffer.prototype.readDoubleBE", "Buffer.prototype.readDoubleLE", "Buffer.prototype.readFloatBE",
		"Buffer.prototype.readFloatLE", "Buffer.prototype.subarray", "Buffer.prototype.swap16", "Buffer.prototype.swap32",
		"Buffer.prototype.swap64", "Buffer.prototype.toJSON", "Buffer.prototype.toString", "Buffer.prototype.write",
		"Buffer.prototype.writeInt8", "Buffer.prototype.writeIntBE", "Buffer.prototype.writeInt16BE",
		"Buffer.prototype.writeInt32BE", "Buffer.prototype.writeIntLE", "Buffer.prototype.writeInt16LE",
		"Buffer.prototype.writeInt32LE", "Buffer.prototype.writeUInt8", "Buffer.prototype.writeUIntBE",
		"Buffer.prototype.writeUInt16BE", "Buffer.prototype.writeUInt32BE", "Buffer.prototype.writeUIntLE",
		"Buffer.prototype.writeUInt16LE", "Buffer.prototype.writeUInt32LE", "Buffer.prototype.writeDoubleBE",
		"Buffer.prototype.writeDoubleLE", "Buffer.prototype.writeFloatBE", "Buffer.prototype.writeFloatLE"}, false, true},
	// Not in either runtime: njs has none of these (decided in shape.go), §10.7 refuses the rest.
	{"absent", []string{"Map", "Set", "WeakMap", "WeakSet", "Proxy", "Reflect", "BigInt", "BigInt64Array", "escape",
		"unescape", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "process", "require", "module", "exports",
		"Array.from", "Object.fromEntries", "String.raw", "String.prototype.at", "String.prototype.localeCompare",
		"String.prototype.normalize", "String.prototype.matchAll", "Array.prototype.flat", "Array.prototype.at",
		"%TA%.prototype.at"}, false, false},
}

// present reports whether a property path resolves to something other than undefined.
func present(t *testing.T, vm *goja.Runtime, path string) bool {
	t.Helper()
	expr := strings.Replace(path, "%TA%", "Object.getPrototypeOf(Uint8Array)", 1)
	parts := strings.Split(expr, ".")
	// typeof on the first segment so a missing global is not a ReferenceError.
	js := "typeof " + parts[0] + " !== 'undefined'"
	for i := 1; i < len(parts); i++ {
		js = "(" + js + ") && typeof " + strings.Join(parts[:i+1], ".") + " !== 'undefined'"
	}
	v, err := vm.RunString(js)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v.ToBoolean()
}

func TestBuiltinsTable(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		vm := goja.New()
		if err := Setup(vm, v, Limits{}); err != nil {
			t.Fatal(err)
		}
		for _, row := range builtinRows {
			want := row.v1
			if v == V2 {
				want = row.v2
			}
			for _, name := range row.names {
				if got := present(t, vm, name); got != want {
					t.Errorf("v%d %s: %s present=%v, want %v", v, row.row, name, got, want)
				}
			}
		}
	}
}

// Dynamic code is refused in both runtimes with njs's texts (§10.7), by every route.
func TestNoDynamicCode(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		tv := newTestVM(t, v)
		for code, want := range map[string]string{
			`eval('1')`:                         "THROW InternalError: Not implemented",
			`(0, eval)('1')`:                    "THROW InternalError: Not implemented",
			`new Function('return 1')`:          `THROW TypeError: function constructor is disabled in "safe" mode`,
			`Function('return 1')`:              `THROW TypeError: function constructor is disabled in "safe" mode`,
			`(function () {}).constructor('1')`: `THROW TypeError: function constructor is disabled in "safe" mode`,
			`Object.getPrototypeOf(function* () {}).constructor('yield 1')`: `THROW TypeError: function constructor is disabled in "safe" mode`,
			`Object.getPrototypeOf(async function () {}).constructor('1')`:  `THROW TypeError: function constructor is disabled in "safe" mode`,
			`(function () {}) instanceof Function`:                          "true",
			`Function.prototype === Object.getPrototypeOf(function () {})`:  "true",
			`typeof Function.prototype.call`:                                "function",
		} {
			if got := tv.eval(code); got != want {
				t.Errorf("v%d %s = %q, want %q", v, code, got, want)
			}
		}
	}
}

func TestSetupErrors(t *testing.T) {
	vm := goja.New()
	if err := Setup(vm, Version(3), Limits{}); err == nil {
		t.Error("Setup accepted version 3")
	}
	if err := Setup(vm, V2, Limits{}); err != nil {
		t.Fatal(err)
	}
	if err := Setup(vm, V2, Limits{}); err == nil {
		t.Error("second Setup on the same VM succeeded")
	}
	if _, ok := Module(vm, V1, "crypto"); ok {
		t.Error("Module with a version other than Setup's succeeded")
	}
	if _, ok := Module(goja.New(), V2, "crypto"); ok {
		t.Error("Module on a VM without Setup succeeded")
	}
	for _, name := range []string{"fs", "cloudfront", "", "Crypto"} {
		if _, ok := Module(vm, V2, name); ok {
			t.Errorf("Module(%q) succeeded", name)
		}
	}
	a, ok1 := Module(vm, V2, "crypto")
	b, ok2 := Module(vm, V2, "crypto")
	if !ok1 || !ok2 || a != b {
		t.Error("Module(crypto) is not one cached object")
	}
	if _, ok := Module(vm, V2, "buffer"); !ok {
		t.Error("no buffer module in 2.0")
	}
	vm1 := goja.New()
	if err := Setup(vm1, V1, Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := Module(vm1, V1, "buffer"); ok {
		t.Error("buffer module in 1.0")
	}
	if _, ok := Module(vm1, V1, "querystring"); !ok {
		t.Error("no querystring module in 1.0")
	}
}

// The globals each runtime ends up with, as documented in the package comment.
func TestGlobalNames(t *testing.T) {
	both := "Array ArrayBuffer Boolean Date Error EvalError Float32Array Float64Array Function Infinity " +
		"Int16Array Int32Array Int8Array InternalError JSON Math MemoryError NaN Number Object Promise " +
		"RangeError ReferenceError RegExp String Symbol SyntaxError TypeError URIError Uint16Array " +
		"Uint32Array Uint8Array Uint8ClampedArray decodeURI decodeURIComponent encodeURI " +
		"encodeURIComponent eval globalThis isFinite isNaN parseFloat parseInt undefined"
	want := map[Version]string{
		V1: both,
		V2: both + " AggregateError Buffer DataView TextDecoder TextEncoder atob btoa",
	}
	for v, names := range want {
		vm := goja.New()
		if err := Setup(vm, v, Limits{}); err != nil {
			t.Fatal(err)
		}
		got, err := vm.RunString(`Object.getOwnPropertyNames(globalThis).sort().join(' ')`)
		if err != nil {
			t.Fatal(err)
		}
		w := strings.Fields(names)
		sort.Strings(w)
		if got.String() != strings.Join(w, " ") {
			t.Errorf("v%d globals:\n got %s\nwant %s", v, got, strings.Join(w, " "))
		}
	}
}

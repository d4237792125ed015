package jsenv

import (
	"runtime"
	"strings"
	"testing"
)

// Each bomb must throw before allocating: the bytes allocated while it runs (TotalAlloc,
// which counts memory even if it is freed again) stay far below what the call asked for.
func TestMemoryBombsThrowBeforeAllocating(t *testing.T) {
	const budget = 16 << 20 // every bomb below asks for 256 MiB or more
	bombs := []struct {
		name string
		v    Version // 0 = both
		code string
		want string // prefix of the thrown "Name: message"
	}{
		{"repeat", 0, `'x'.repeat(1 << 28)`, "RangeError: invalid string length"},
		{"repeat.wide", 0, `'xy'.repeat(2 ** 30)`, "RangeError: invalid string length"},
		{"padStart", 0, `'x'.padStart(1 << 28)`, "RangeError: invalid string length"},
		{"padEnd", 0, `'x'.padEnd(1 << 28, 'ab')`, "RangeError: invalid string length"},
		{"concat", 0, `(function () { var s = 'x'.repeat(1 << 20); return s.concat(s, s, s); })()`, "RangeError: invalid string length"},
		{"replace", 0, `'x'.repeat(1 << 20).replace(/x/g, 'y'.repeat(1000))`, "RangeError: invalid string length"},
		{"replaceAll.string", V2, `'x'.repeat(1 << 20).replaceAll('x', 'y'.repeat(1000))`, "RangeError: invalid string length"},
		{"array.ctor", 0, `new Array(1 << 30)`, "RangeError: Invalid array length"},
		{"array.call", 0, `Array(1 << 30)`, "RangeError: Invalid array length"},
		{"array.length.join", 0, `(function () { var a = []; a.length = 1 << 30; return a.join('x'); })()`, "RangeError: Invalid array length"},
		{"array.length.fill", 0, `(function () { var a = []; a.length = 1 << 30; return a.fill(0); })()`, "RangeError: Invalid array length"},
		{"array.length.map", 0, `(function () { var a = []; a.length = 2 ** 32 - 1; return a.map(function (x) { return x; }); })()`, "RangeError: Invalid array length"},
		{"array.length.indexOf", 0, `(function () { var a = []; a.length = 2 ** 32 - 1; return a.indexOf(1); })()`, "RangeError: Invalid array length"},
		{"array.generic.join", 0, `Array.prototype.join.call({length: 2 ** 40}, 'x')`, "RangeError: Invalid array length"},
		{"array.join.elements", 0, `(function () { var s = 'x'.repeat(1 << 20); return [s, s, s, s].join(''); })()`, "RangeError: invalid string length"},
		{"array.join.separator", 0, `new Array(1000).join('x'.repeat(1 << 20))`, "RangeError: invalid string length"},
		{"array.concat", 0, `(function () { var a = []; a.length = 1 << 30; return [].concat(a, a); })()`, "RangeError: Invalid array length"},
		{"apply", 0, `Math.max.apply(null, {length: 1 << 30})`, "InternalError: argument list is too long"},
		{"json.stringify", 0, `(function () { var a = []; a.length = 1 << 30; return JSON.stringify(a); })()`, "RangeError: Invalid array length"},
		{"arraybuffer", 0, `new ArrayBuffer(1 << 30)`, "RangeError: Invalid array length"},
		{"uint8array", 0, `new Uint8Array(1 << 30)`, "RangeError: Invalid array length"},
		{"float64array", 0, `new Float64Array(1 << 25)`, "RangeError: Invalid array length"},
		{"typed.arraylike", 0, `new Int32Array({length: 1 << 28})`, "RangeError: Invalid array length"},
		{"typed.from.typed", 0, `new Float64Array(new Uint8Array(1 << 20))`, "RangeError: Invalid array length"},
		{"typed.from", V2, `Uint8Array.from({length: 1 << 30})`, "RangeError: Invalid array length"},
		{"typed.join", 0, `new Uint8Array(1 << 20).join('x'.repeat(100))`, "RangeError: invalid string length"},
		{"buffer.alloc", V2, `Buffer.alloc(1 << 30)`, "RangeError: invalid size"},
		{"buffer.allocUnsafe", V2, `Buffer.allocUnsafe(1 << 30)`, "RangeError: invalid size"},
		{"buffer.concat", V2, `Buffer.concat([Buffer.alloc(1)], 1 << 30)`, "RangeError: Invalid array length"},
		{"buffer.from.arraylike", V2, `Buffer.from({length: 1 << 30})`, "RangeError: Invalid array length"},
		{"bytesFrom.arraylike", V1, `String.bytesFrom({length: 1 << 30})`, "RangeError: invalid string length"},
		// One big string referenced many times: each output is 300 MiB or more.
		{"json.stringify.refs", 0, `(function () { var s = 'x'.repeat(1 << 20), a = []; for (var i = 0; i < 300; i++) { a.push(s); } return JSON.stringify(a); })()`, "RangeError: invalid string length"},
		{"json.stringify.object", 0, `(function () { var s = 'x'.repeat(1 << 20), o = {}; for (var i = 0; i < 300; i++) { o['k' + i] = s; } return JSON.stringify(o); })()`, "RangeError: invalid string length"},
		{"json.stringify.replacer", 0, `(function () { var s = 'x'.repeat(1 << 20), a = []; for (var i = 0; i < 300; i++) { a.push(1); } return JSON.stringify(a, function (k, v) { return typeof v === 'number' ? s : v; }); })()`, "RangeError: invalid string length"},
		{"json.stringify.stringobject", 0, `(function () { var s = new String('x'.repeat(1 << 20)), a = []; for (var i = 0; i < 300; i++) { a.push(s); } return JSON.stringify(a); })()`, "RangeError: invalid string length"},
		// Indentation: 58 MiB of mostly spaces for 2 000 copies of a 29-level-deep array.
		{"json.stringify.indent", 0, `(function () { var x = [], a = []; for (var i = 0; i < 100; i++) { x.push(0); } for (var d = 0; d < 28; d++) { x = [x]; } for (var j = 0; j < 2000; j++) { a.push(x); } return JSON.stringify(a, null, 10); })()`, "RangeError: invalid string length"},
		{"array.join.nested", 0, `(function () { var s = 'x'.repeat(1 << 20), a = []; for (var i = 0; i < 300; i++) { a.push([s]); } return a.join(''); })()`, "RangeError: invalid string length"},
		{"array.join.toString", 0, `(function () { var s = 'x'.repeat(1 << 20), o = {toString: function () { return s; }}, a = []; for (var i = 0; i < 300; i++) { a.push(o); } return a.join(); })()`, "RangeError: invalid string length"},
		{"array.toString.nested", 0, `(function () { var s = 'x'.repeat(1 << 20), a = []; for (var i = 0; i < 300; i++) { a.push([s]); } return String(a); })()`, "RangeError: invalid string length"},
	}
	for _, b := range bombs {
		for _, v := range []Version{V1, V2} {
			if b.v != 0 && b.v != v {
				continue
			}
			t.Run(b.name+"/v"+itoa(int(v)), func(t *testing.T) {
				tv := newTestVM(t, v)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				got := tv.eval(b.code)
				runtime.ReadMemStats(&after)
				if !strings.HasPrefix(got, "THROW "+b.want) {
					t.Fatalf("%s: got %q, want a throw of %q", b.code, got, b.want)
				}
				if grew := after.TotalAlloc - before.TotalAlloc; grew > budget {
					t.Fatalf("%s allocated %d MiB before throwing", b.code, grew>>20)
				}
			})
		}
	}
}

// Sizes a CloudFront function can really use still work under the default limits.
func TestGuardsAllowOrdinarySizes(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		tv := newTestVM(t, v)
		cases := map[string]string{
			`'x'.repeat(1 << 20).length`:                                 "1048576",
			`'ab'.repeat(0)`:                                             "",
			`'x'.padStart(1000, '-').length`:                             "1000",
			`'x'.padEnd(1 << 30, '')`:                                    "x",
			`'a'.concat('b', 'c')`:                                       "abc",
			`Array(1000).join('ab').length`:                              "1998",
			`[1, 'a', null, undefined, 2.5].join('|')`:                   "1|a|||2.5",
			`new Array(5).length`:                                        "5",
			`new Array('5').length`:                                      "1",
			`Array(3).fill(7).join()`:                                    "7,7,7",
			`new Uint8Array(1 << 20).length`:                             "1048576",
			`new ArrayBuffer(2 << 20).byteLength`:                        "2097152",
			`Math.max.apply(null, [1, 9, 3])`:                            "9",
			`JSON.stringify([1, [2]])`:                                   "[1,[2]]",
			`'aaa'.replace(/a/g, 'bb')`:                                  "bbbbbb",
			`'x'.repeat(1 << 20).replace(/y/g, 'z'.repeat(1000)).length`: "1048576",
			`[] instanceof Array && new Array(2) instanceof Array`:       "true",
			`Array.isArray(Array(2)) && [].constructor === Array`:        "true",
			`new Uint8Array(2) instanceof Uint8Array && Object.getPrototypeOf(Uint8Array) === Object.getPrototypeOf(Int8Array)`: "true",
			`Uint8Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT`:                                                     "9",
			`new Uint8Array([1, 2, 3]).subarray(1) instanceof Uint8Array`:                                                       "true",
			`[1, 2, 3].map(function (x) { return x * 2; }).constructor === Array`:                                               "true",
			`Array.of(1, 2).length`: "2",
		}
		for code, want := range cases {
			if got := tv.eval(code); got != want {
				t.Errorf("v%d %s = %q, want %q", v, code, got, want)
			}
		}
	}
}

// The JSON.stringify and join guards keep the built-ins' results: replacers, property lists,
// indentation, toJSON, conversions done once, cycles, and njs's nesting limits.
func TestStringifyAndJoinGuardsKeepSemantics(t *testing.T) {
	cases := []struct{ code, want string }{
		{`JSON.stringify({a: [1, 'b'], c: {d: null}}, null, 2)`, "{\n  \"a\": [\n    1,\n    \"b\"\n  ],\n  \"c\": {\n    \"d\": null\n  }\n}"},
		{`JSON.stringify({a: 1, b: 2, c: {a: 3}}, ['a', 'c'])`, `{"a":1,"c":{"a":3}}`},
		{`JSON.stringify({a: 1, b: 'x'}, function (k, v) { return v === 1 ? undefined : v; })`, `{"b":"x"}`},
		{`JSON.stringify([new String('s'), {toJSON: function () { return 't'; }}])`, `["s","t"]`},
		{`JSON.stringify('x'.repeat(1 << 20)).length`, "1048578"},
		{`JSON.stringify(undefined) === undefined`, "true"},
		{`(function () { var x = [1]; for (var i = 0; i < 30; i++) { x = {a: x}; } return JSON.stringify(x).length; })()`, "183"},
		{`(function () { var x = [1]; for (var i = 0; i < 31; i++) { x = [x]; } try { return JSON.stringify(x); } catch (e) { return e.name + ': ' + e.message; } })()`, "TypeError: Nested too deep or a cyclic structure"},
		{`(function () { var n = 0, o = {toString: function () { n++; return 'o'; }}; return [o, [1, [2, o]], null].join('-') + n; })()`, "o-1,2,o-2"},
		{`Array.prototype.join.call({length: 2, 0: [1, 2], 1: 'x'}, ';')`, "1,2;x"},
		{`(function () { var a = [1]; a.push(a, [a]); return a.join('-') + '|' + String(a); })()`, "1--|1,,"},
		{`(function () { var x = [1]; for (var i = 0; i < 5000; i++) { x = [x]; } try { return String(x); } catch (e) { return e.name + ': ' + e.message; } })()`, "RangeError: Maximum call stack size exceeded"},
	}
	for _, v := range []Version{V1, V2} {
		tv := newTestVM(t, v)
		for _, c := range cases {
			if got := tv.eval(c.code); got != c.want {
				t.Errorf("v%d %s = %q, want %q", v, c.code, got, c.want)
			}
		}
	}
}

func TestGuardsFollowLimits(t *testing.T) {
	vmA := newTestVMWithLimits(t, V2, Limits{MaxStringLength: 100, MaxArrayLength: 10, MaxBufferBytes: 64})
	cases := map[string]string{
		`'x'.repeat(100).length`:       "100",
		`'x'.repeat(101)`:              "THROW RangeError: invalid string length",
		`new Array(10).length`:         "10",
		`new Array(11)`:                "THROW RangeError: Invalid array length",
		`Buffer.alloc(64).length`:      "64",
		`Buffer.alloc(65)`:             "THROW RangeError: invalid size",
		`new Uint16Array(33)`:          "THROW RangeError: Invalid array length",
		`require('buffer').kMaxLength`: "64",
	}
	for code, want := range cases {
		if got := vmA.eval(code); got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
}

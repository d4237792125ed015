package jsenv

import (
	"testing"

	"github.com/dop251/goja"
)

func TestQueryStringBasics(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		tv := newTestVM(t, v)
		for code, want := range map[string]string{
			`JSON.stringify(require('querystring').parse('a=1&a=2&b=%20x+y'))`:                                            `{"a":["1","2"],"b":" x y"}`,
			`Object.getPrototypeOf(require('querystring').parse('a=1')) === null`:                                         "true",
			`require('querystring').parse('__proto__=x').__proto__`:                                                       "x",
			`require('querystring').stringify({a: ['1', '2'], b: ''})`:                                                    "a=1&a=2&b=",
			`require('querystring').decode === require('querystring').parse`:                                              "false",
			`require('querystring').unescape('%E4%BD%A0%FF')`:                                                             "你\ufffd",
			`require('querystring').escape('你 ~')`:                                                                        "%E4%BD%A0%20~",
			`(function () { var p = require('querystring').parse; try { p('a=1'); } catch (e) { return String(e); } })()`: "TypeError: QueryString.unescape is not a function",
		} {
			if got := tv.eval(code); got != want {
				t.Errorf("v%d %s = %q, want %q", v, code, got, want)
			}
		}
	}
}

// maxKeys defaults to 1000 segments; 0 lifts the limit.
func TestQueryStringMaxKeys(t *testing.T) {
	tv := newTestVM(t, V2)
	got := tv.eval(`(function () {
		var q = require('querystring'), parts = [];
		for (var i = 0; i < 1500; i++) { parts.push('k' + i + '=' + i); }
		var s = parts.join('&');
		return [Object.keys(q.parse(s)).length, Object.keys(q.parse(s, null, null, {maxKeys: 0})).length,
			Object.keys(q.parse(s, null, null, {maxKeys: 10})).length].join();
	})()`)
	if got != "1000,1500,10" {
		t.Errorf("maxKeys: %s", got)
	}
}

// Any input parses without a Go panic, and what parse returns can be stringified.
func FuzzQueryStringParse(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a&&b=%zz", "%E4%BD&=%", "__proto__=1&constructor=2", "a=1;b=2", "+++&&&==="} {
		f.Add(s, "&", "=")
	}
	tv := newTestVM(f, V2)
	qs, _ := Module(tv.vm, V2, "querystring")
	parse, _ := goja.AssertFunction(qs.(*goja.Object).Get("parse"))
	stringify, _ := goja.AssertFunction(qs.(*goja.Object).Get("stringify"))
	f.Fuzz(func(t *testing.T, s, sep, eq string) {
		obj, err := parse(qs, tv.vm.ToValue(s), tv.vm.ToValue(sep), tv.vm.ToValue(eq))
		if err != nil {
			t.Fatalf("parse(%q, %q, %q): %v", s, sep, eq, err)
		}
		if _, err := stringify(qs, obj, tv.vm.ToValue(sep), tv.vm.ToValue(eq)); err != nil {
			t.Fatalf("stringify(parse(%q)): %v", s, err)
		}
	})
}

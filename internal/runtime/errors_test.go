package runtime

import (
	"context"
	"strings"
	"testing"
	"time"
)

// njsErrorCases: a handler body and the error text njs 0.7.9 prints for it. sameAsNJS=false
// marks a known divergence, asserted as LocalFront's own text.
var njsErrorCases = []struct {
	name, body, want string
	sameAsNJS        bool
}{
	{"property of undefined", `var h = {}; return h.x.value;`, `TypeError: cannot get property "value" of undefined`, true},
	{"property of undefined, nested", `var a = {}; a.b.c();`, `TypeError: cannot get property "c" of undefined`, true},
	{"property of undefined by index", `var a; return a[0];`, `TypeError: cannot get property "0" of undefined`, true},
	{"property of null (goja cannot tell null from undefined)", `var n = null; return n.x;`, `TypeError: cannot get property "x" of undefined`, false},
	{"not defined", `return x;`, `ReferenceError: "x" is not defined`, true},
	{"missing method", `var a = {}; a.f();`, `TypeError: (intermediate value)["f"] is not a function`, true},
	{"method of a number", `var a = 1; a.b();`, `TypeError: (intermediate value)["b"] is not a function`, true},
	{"number called", `var a = 1; a();`, `TypeError: number is not a function`, true},
	{"undefined called", `var u; u();`, `TypeError: undefined is not a function`, true},
	{"string called", `var s = "x"; s();`, `TypeError: string is not a function`, true},
	{"object called", `var o = {}; o();`, `TypeError: object is not a function`, true},
	{"not a constructor", `new Math.max();`, `TypeError: function is not a constructor`, true},
	{"property set on undefined", `var u; u.x = 1;`, `TypeError: property set on primitive undefined type`, true},
	{"not extensible", `var o = Object.freeze({}); o.a = 1;`, `TypeError: Cannot add property "a", object is not extensible`, true},
	{"read-only", `var o = {}; Object.defineProperty(o, "a", {value: 1}); o.a = 2;`, `TypeError: Cannot assign to read-only property "a" of object`, true},
	{"delete non-configurable", `delete Object.prototype;`, `TypeError: Cannot delete property "prototype" of function`, true},
	{"malformed URI", `decodeURIComponent("%");`, `URIError: malformed URI`, true},
	{"toFixed digits", `(1).toFixed(200);`, `RangeError: digits argument must be between 0 and 100`, true},
	{"symbol to string", `return Symbol() + "";`, `TypeError: Cannot convert a Symbol value to a string`, true},
	{"JSON unexpected token", `JSON.parse("{a}");`, `SyntaxError: Unexpected token at position 1`, true},
	{"JSON end of input", `JSON.parse("");`, `SyntaxError: Unexpected end of input at position 0`, true},
	{"JSON trailing comma", `JSON.parse("[1,]");`, `SyntaxError: Trailing comma at position 2`, true},
	{"JSON bad escape", `JSON.parse('"\\x"');`, `SyntaxError: Unknown escape char at position 2`, true},
	{"JSON trailing data", `JSON.parse('{"a":1}}');`, `SyntaxError: Unexpected token at position 7`, true},
	{"thrown Error", `throw new Error("boom");`, `Error: boom`, true},
	{"thrown TypeError", `throw new TypeError("boom");`, `TypeError: boom`, true},
	{"renamed error", `var e = new Error("m"); e.name = "Custom"; throw e;`, `Custom: m`, true},
	{"error without message", `throw new RangeError();`, `RangeError`, true},
	{"thrown string", `throw "plain";`, `plain`, true},
	{"thrown object", `throw {a: 1};`, `[object Object]`, true},
	{"thrown array", `throw [1, 2];`, `1,2`, true},
	{"thrown null", `throw null;`, `null`, true},
	{"thrown undefined", `throw undefined;`, `undefined`, true},
	{"recursion", `function f() { f(); } f();`, `RangeError: Maximum call stack size exceeded`, true},
}

func TestErrorTextsMatchNJS(t *testing.T) {
	e := NewEngine(Options{})
	for _, tc := range njsErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			res := runCode(t, e, RuntimeJS2, "function handler(event) { "+tc.body+" }", requestEvent())
			if res.Err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if res.Err.Kind != ErrException {
				t.Errorf("kind %v, want exception", res.Err.Kind)
			}
			if res.Err.Message != tc.want {
				t.Errorf("got %q, want %q", res.Err.Message, tc.want)
			}
			if got := res.Err.FunctionErrorMessage(); got != FunctionErrorPrefix+tc.want {
				t.Errorf("FunctionErrorMessage %q", got)
			}
		})
	}
}

// TestErrorTableAgainstNJS checks the expected texts above against the njs binary.
func TestErrorTableAgainstNJS(t *testing.T) {
	requireNJS(t)
	for _, tc := range njsErrorCases {
		out := runNJS(t, "function h() { "+tc.body+" } h()")
		lines := strings.Split(out, "\n")
		got := ""
		for i, l := range lines {
			if l == "Thrown:" && i+1 < len(lines) {
				got = lines[i+1]
				break
			}
		}
		if tc.sameAsNJS && got != tc.want {
			t.Errorf("%s: njs says %q, table says %q", tc.name, got, tc.want)
		}
		if !tc.sameAsNJS && got == tc.want {
			t.Errorf("%s: marked as a divergence but njs agrees (%q)", tc.name, got)
		}
	}
}

func TestNJSJSONErrorLocator(t *testing.T) {
	// Cases observed with njs 0.7.9 (see njsJSONError).
	cases := map[string]string{
		`{"a":}`: "Unexpected token at position 5", `[1 2]`: "Unexpected token at position 3",
		`{"a" 1}`: "Unexpected token at position 5", `"abc`: "Unexpected end of input at position 4",
		`{a:1}`: "Unexpected token at position 1", `-`: "Unexpected number at position 0",
		`nul`: "Unexpected token at position 0", `[`: "Unexpected end of input at position 1",
		`{"a":1,}`: "Trailing comma at position 6", `  `: "Unexpected end of input at position 2",
		`"\u00"`: "Invalid Unicode escape sequence at position 5", "\"a\nb\"": "Forbidden source char at position 2",
		`1e`: "Unexpected token at position 1", `+1`: "Unexpected number at position 0",
		`true x`: "Unexpected token at position 5", `{"a"`: "Unexpected token at position 4",
		`{"a":1`: "Unexpected end of input at position 6", `-x`: "Unexpected number at position 1",
		`[,1]`: "Unexpected number at position 1", `{"a":[}`: "Unexpected token at position 6",
		`{"a":1,,}`: "Unexpected token at position 7", `{"a":1}`: "", `[1,{"b":[true,null,-1.5e3]}]`: "",
	}
	for in, want := range cases {
		if got := njsJSONError(in); got != want {
			t.Errorf("njsJSONError(%q) = %q, want %q", in, got, want)
		}
	}
}

// runCode compiles and runs code once on a fixed clock.
func runCode(t testing.TB, e *Engine, runtime, code string, ev *Event) *Result {
	t.Helper()
	p, err := e.Compile("test", []byte(code), runtime)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return e.Run(context.Background(), p, ev, Invocation{Now: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)})
}

func requestEvent() *Event {
	return &Event{
		Version: "1.0",
		Context: Context{DistributionDomainName: "d111111abcdef8.cloudfront.net", DistributionID: "EDFDVBD6EXAMPLE", EventType: EventViewerRequest, RequestID: "rid"},
		Viewer:  Viewer{IP: "198.51.100.11"},
		Request: &Request{
			Method: "GET", URI: "/index.html",
			Querystring:    Values{{Name: "a", Value: Value{Value: "1"}}, {Name: "b", Value: Value{Value: "x", MultiValue: []MultiValueItem{{Value: "x"}, {Value: "y"}}}}},
			Headers:        Values{{Name: "host", Value: Value{Value: "example.com"}}, {Name: "accept", Value: Value{Value: "*/*"}}},
			Cookies:        Values{{Name: "id", Value: Value{Value: "42"}}},
			RawQueryString: "a=1&b=x&b=y", HasQuery: true,
		},
	}
}

func responseEvent() *Event {
	ev := requestEvent()
	ev.Context.EventType = EventViewerResponse
	ev.Response = &Response{
		StatusCode: 200, StatusDescription: "OK",
		Headers: Values{{Name: "content-type", Value: Value{Value: "text/html"}}},
		Cookies: Values{{Name: "sid", Value: Value{Value: "s1", Attributes: "Secure; Path=/"}}},
	}
	return ev
}

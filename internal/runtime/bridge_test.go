package runtime

import (
	"reflect"
	"strings"
	"testing"
)

// The bridged event must behave like the plain object njs would hand the function.
func TestBridgePlainObjectSemantics(t *testing.T) {
	e := NewEngine(Options{})
	tests := []struct{ name, body, wantLog string }{
		{"Object.keys of request", `console.log(Object.keys(e.request).join())`, "method,uri,querystring,headers,cookies"},
		{"Object.keys of event", `console.log(Object.keys(e).join())`, "version,context,viewer,request"},
		{"Object.keys of headers", `console.log(Object.keys(e.request.headers).join())`, "host,accept"},
		{"in", `console.log(('host' in e.request.headers) + ' ' + ('nope' in e.request.headers) + ' ' + ('uri' in e.request))`, "true false true"},
		{"hasOwnProperty", `console.log(e.request.headers.hasOwnProperty('host') + ' ' + e.request.hasOwnProperty('rawQueryString'))`, "true false"},
		{"delete", `delete e.request.headers.host; console.log(Object.keys(e.request.headers).join() + ' ' + e.request.headers.host)`, "accept undefined"},
		{"for-in", `var k = []; for (var n in e.request.headers) k.push(n); console.log(k.join())`, "host,accept"},
		{"JSON.stringify", `console.log(JSON.stringify(e.request))`, `{"method":"GET","uri":"/index.html","querystring":{"a":{"value":"1"},"b":{"value":"x","multiValue":[{"value":"x"},{"value":"y"}]}},"headers":{"host":{"value":"example.com"},"accept":{"value":"*/*"}},"cookies":{"id":{"value":"42"}}}`},
		{"JSON.stringify of context", `console.log(JSON.stringify(e.context) + JSON.stringify(e.viewer))`, `{"distributionDomainName":"d111111abcdef8.cloudfront.net","distributionId":"EDFDVBD6EXAMPLE","eventType":"viewer-request","requestId":"rid"}{"ip":"198.51.100.11"}`},
		{"assignment to value", `e.request.headers.host.value = 'x.test'; console.log(e.request.headers.host.value)`, "x.test"},
		{"new property", `e.request.headers['x-a'] = {value: '1'}; console.log(Object.keys(e.request.headers).join())`, "host,accept,x-a"},
		{"delete then re-add moves to the end", `delete e.request.headers.host; e.request.headers.host = {value: 'h'}; console.log(Object.keys(e.request.headers).join())`, "accept,host"},
		{"replace whole object", `e.request.headers = {only: {value: '1'}}; console.log(Object.keys(e.request.headers).join())`, "only"},
		{"extra request property", `e.request.extra = 1; console.log(Object.keys(e.request).join() + ' ' + e.request.extra)`, "method,uri,querystring,headers,cookies,extra 1"},
		{"Object.assign copy", `var c = Object.assign({}, e.request.headers); console.log(Object.keys(c).join() + ' ' + c.host.value)`, "host,accept example.com"},
		{"same object on every read", `console.log(e.request.headers === e.request.headers && e.request.headers.host === e.request.headers.host)`, "true"},
		{"typeof and instanceof", `console.log(typeof e.request.headers + ' ' + (e.request.headers instanceof Object))`, "object true"},
		{"multiValue is an array", `console.log(Array.isArray(e.request.querystring.b.multiValue) + ' ' + e.request.querystring.b.multiValue.length)`, "true 2"},
		{"rawQueryString (2.0)", `console.log(e.request.rawQueryString())`, "a=1&b=x&b=y"},
		{"console.log of headers", `console.log(e.request.headers)`, "{host:{value:'example.com'},accept:{value:'*/*'}}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCode(t, e, RuntimeJS2, "function handler(e) { "+tc.body+"; return e.request; }", requestEvent())
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if len(res.Logs) != 1 || res.Logs[0] != tc.wantLog {
				t.Errorf("logs %q, want %q", res.Logs, tc.wantLog)
			}
		})
	}
}

func TestRawQueryStringIsUndefinedWithoutQuery(t *testing.T) {
	e := NewEngine(Options{})
	ev := requestEvent()
	ev.Request.Querystring, ev.Request.RawQueryString, ev.Request.HasQuery = nil, "", false
	res := runCode(t, e, RuntimeJS2, `function handler(e) { console.log(typeof e.request.rawQueryString()); return e.request; }`, ev)
	if res.Err != nil || res.Logs[0] != "undefined" {
		t.Fatalf("%v %q", res.Err, res.Logs)
	}
	res = runCode(t, e, RuntimeJS1, `function handler(e) { console.log(typeof e.request.rawQueryString); return e.request; }`, ev)
	if res.Err != nil || res.Logs[0] != "undefined" {
		t.Fatalf("1.0 has rawQueryString: %v %q", res.Err, res.Logs)
	}
}

// TestBridgeWriteBack checks what the handler's changes become in Go (spec §9.2–§9.4).
func TestBridgeWriteBack(t *testing.T) {
	e := NewEngine(Options{})
	tests := []struct {
		name, body string
		check      func(t *testing.T, r *Request)
	}{
		{"untouched request shares the Go data", ``, func(t *testing.T, r *Request) {
			want := requestEvent().Request
			if !reflect.DeepEqual(r, want) {
				t.Errorf("got %+v", r)
			}
		}},
		{"uri", `e.request.uri = '/new'`, func(t *testing.T, r *Request) {
			if r.URI != "/new" {
				t.Error(r.URI)
			}
		}},
		{"header value", `e.request.headers.host.value = 'h2'`, func(t *testing.T, r *Request) {
			if v, _ := r.Headers.Get("host"); v.Value != "h2" || r.Headers[0].Name != "host" {
				t.Errorf("%+v", r.Headers)
			}
		}},
		{"header deleted", `delete e.request.headers.accept`, func(t *testing.T, r *Request) {
			if _, ok := r.Headers.Get("accept"); ok || len(r.Headers) != 1 {
				t.Errorf("%+v", r.Headers)
			}
		}},
		{"changed value replaces the first occurrence only", `e.request.querystring.b.value = 'z'`, func(t *testing.T, r *Request) {
			v, _ := r.Querystring.Get("b")
			if v.Value != "z" || !reflect.DeepEqual(v.MultiValue, []MultiValueItem{{Value: "z"}, {Value: "y"}}) {
				t.Errorf("%+v", v)
			}
			if r.RawQueryString != "a=1&b=z&b=y" || !r.HasQuery {
				t.Errorf("raw %q", r.RawQueryString)
			}
		}},
		{"changed multiValue wins over value", `var b = e.request.querystring.b; b.value = 'ignored'; b.multiValue = [{value: 'p'}, {value: 'q'}, {value: 'r'}]`, func(t *testing.T, r *Request) {
			v, _ := r.Querystring.Get("b")
			if v.Value != "p" || len(v.MultiValue) != 3 || v.MultiValue[2].Value != "r" {
				t.Errorf("%+v", v)
			}
		}},
		{"multiValue changed in place", `e.request.querystring.b.multiValue.push({value: 'w'})`, func(t *testing.T, r *Request) {
			v, _ := r.Querystring.Get("b")
			if len(v.MultiValue) != 3 || v.MultiValue[2].Value != "w" || v.Value != "x" {
				t.Errorf("%+v", v)
			}
		}},
		{"emptied multiValue removes the name", `e.request.querystring.b.multiValue = []`, func(t *testing.T, r *Request) {
			if _, ok := r.Querystring.Get("b"); ok {
				t.Errorf("%+v", r.Querystring)
			}
		}},
		{"new value with multiValue", `e.request.headers['x-m'] = {value: 'a', multiValue: [{value: 'a'}, {value: 'b'}]}`, func(t *testing.T, r *Request) {
			v, _ := r.Headers.Get("x-m")
			if len(v.MultiValue) != 2 || r.Headers[2].Name != "x-m" {
				t.Errorf("%+v", r.Headers)
			}
		}},
		{"querystring as a raw string", `e.request.querystring = 'x=1&y&x=2'`, func(t *testing.T, r *Request) {
			if r.RawQueryString != "x=1&y&x=2" || !r.HasQuery {
				t.Errorf("raw %q", r.RawQueryString)
			}
			x, _ := r.Querystring.Get("x")
			y, _ := r.Querystring.Get("y")
			if len(x.MultiValue) != 2 || y.Value != "" || len(r.Querystring) != 2 {
				t.Errorf("%+v", r.Querystring)
			}
		}},
		{"querystring rebuilt from the object", `e.request.querystring = {q: {value: 'a%20b'}, flag: {value: ''}}`, func(t *testing.T, r *Request) {
			if r.RawQueryString != "q=a%20b&flag" {
				t.Errorf("raw %q", r.RawQueryString)
			}
		}},
		{"querystring emptied", `e.request.querystring = {}`, func(t *testing.T, r *Request) {
			if r.HasQuery || r.RawQueryString != "" {
				t.Errorf("%+v", r)
			}
		}},
		{"querystring read but untouched keeps raw", `var n = Object.keys(e.request.querystring).length`, func(t *testing.T, r *Request) {
			if r.RawQueryString != "a=1&b=x&b=y" {
				t.Errorf("raw %q", r.RawQueryString)
			}
		}},
		{"headers replaced", `e.request.headers = {a: {value: '1'}}`, func(t *testing.T, r *Request) {
			if len(r.Headers) != 1 || r.Headers[0].Name != "a" {
				t.Errorf("%+v", r.Headers)
			}
		}},
		{"cookies deleted entirely", `delete e.request.cookies`, func(t *testing.T, r *Request) {
			if len(r.Cookies) != 0 {
				t.Errorf("%+v", r.Cookies)
			}
		}},
		{"a new request object", `return {method: 'GET', uri: '/x', headers: e.request.headers, querystring: 'k=v'}`, func(t *testing.T, r *Request) {
			if r.URI != "/x" || len(r.Headers) != 2 || r.RawQueryString != "k=v" || len(r.Cookies) != 0 {
				t.Errorf("%+v", r)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCode(t, e, RuntimeJS2, "function handler(e) { "+tc.body+"; return e.request; }", requestEvent())
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if res.Kind != KindRequest {
				t.Fatalf("kind %v", res.Kind)
			}
			tc.check(t, res.Request)
		})
	}
}

func TestBridgeResponses(t *testing.T) {
	e := NewEngine(Options{})
	t.Run("generated by a viewer-request function", func(t *testing.T) {
		res := runCode(t, e, RuntimeJS2, `function handler(e) { return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: 'https://example.com/'}}, cookies: {s: {value: 'v', attributes: 'Secure'}}, body: 'moved'}; }`, requestEvent())
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		r := res.Response
		if res.Kind != KindResponse || r.StatusCode != 302 || r.StatusDescription != "Found" || r.Body == nil || r.Body.Data != "moved" || r.Body.Encoding != BodyText {
			t.Fatalf("%+v", r)
		}
		if c, _ := r.Cookies.Get("s"); c.Attributes != "Secure" {
			t.Errorf("cookie %+v", c)
		}
		want := `{"response":{"headers":{"location":{"value":"https://example.com/"}},"statusDescription":"Found","cookies":{"s":{"value":"v","attributes":"Secure"}},"statusCode":302,"body":{"encoding":"text","data":"moved"}}}`
		if got := res.OutputJSON(); got != want {
			t.Errorf("OutputJSON\n got %s\nwant %s", got, want)
		}
	})
	t.Run("viewer-response modifies the response", func(t *testing.T) {
		res := runCode(t, e, RuntimeJS2, `function handler(e) { var r = e.response; r.headers['x-f'] = {value: '1'}; r.statusCode = 201; r.cookies.sid.attributes += '; HttpOnly'; r.body = {encoding: 'base64', data: 'aGk='}; return r; }`, responseEvent())
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		r := res.Response
		c, _ := r.Cookies.Get("sid")
		if r.StatusCode != 201 || r.StatusDescription != "OK" || len(r.Headers) != 2 || c.Attributes != "Secure; Path=/; HttpOnly" || r.Body.Encoding != BodyBase64 {
			t.Fatalf("%+v %+v", r, c)
		}
	})
	t.Run("viewer-response untouched", func(t *testing.T) {
		res := runCode(t, e, RuntimeJS2, `function handler(e) { return e.response; }`, responseEvent())
		if res.Err != nil || !reflect.DeepEqual(res.Response, responseEvent().Response) {
			t.Fatalf("%v %+v", res.Err, res.Response)
		}
		if !strings.Contains(res.OutputJSON(), `"cookies":{"sid":{"value":"s1","attributes":"Secure; Path=/"}}`) {
			t.Error(res.OutputJSON())
		}
	})
}

// TestInvalidOutputs: what a handler may not return, and the messages (spec §14 Q15).
func TestInvalidOutputs(t *testing.T) {
	e := NewEngine(Options{})
	tests := []struct {
		name, body string
		viewerResp bool
		want       string
	}{
		{"undefined", `return;`, false, "FunctionValidationError: the handler returned undefined; it must return the request or a response object"},
		{"null", `return null;`, false, "the handler returned null"},
		{"string", `return 'x';`, false, "the handler returned a string"},
		{"number", `return 1;`, false, "the handler returned a number"},
		{"array", `return [];`, false, "the handler returned an array"},
		{"function", `return function () {};`, false, "the handler returned a function"},
		{"headers object", `return e.request.headers;`, false, "returned a headers, cookies or querystring object"},
		{"string statusCode", `return {statusCode: '200'};`, false, "response.statusCode must be a number, not a string"},
		{"fractional statusCode", `return {statusCode: 200.5};`, false, "response.statusCode must be an integer from 100 to 599, not 200.5"},
		{"statusCode out of range", `return {statusCode: 99};`, false, "from 100 to 599"},
		{"header value not an object", `e.request.headers.host = 'h'; return e.request;`, false, `request.headers["host"] must be an object with a string "value", not a string`},
		{"header value number", `e.request.headers['x-n'] = {value: 5}; return e.request;`, false, `request.headers["x-n"].value must be a string, not a number`},
		{"multiValue not an array", `e.request.headers.host.multiValue = 'x'; return e.request;`, false, `request.headers["host"].multiValue must be an array, not a string`},
		{"multiValue item", `e.request.headers.host.multiValue = [1]; return e.request;`, false, `request.headers["host"].multiValue[0] must be an object`},
		{"headers not an object", `e.request.headers = 'x'; return e.request;`, false, "request.headers must be an object, not a string"},
		{"uri not a string", `e.request.uri = 5; return e.request;`, false, "request.uri must be a string, not a number"},
		{"uri without slash", `e.request.uri = 'x'; return e.request;`, false, `request.uri must start with "/"`},
		{"new request without uri", `return {method: 'GET'};`, false, "request.uri is missing"},
		{"bad body encoding", `return {statusCode: 200, body: {encoding: 'hex', data: 'aa'}};`, false, `response.body.encoding must be "text" or "base64", not "hex"`},
		{"bad base64 body", `return {statusCode: 200, body: {encoding: 'base64', data: '***'}};`, false, "response.body.data is not valid base64"},
		{"body number", `return {statusCode: 200, body: 5};`, false, "response.body must be a string or an object"},
		{"request from a viewer-response function", `return e.request;`, true, "a viewer-response function must return the response object, not the request"},
		{"plain object from a viewer-response function", `return {uri: '/'};`, true, "must return a response object with a statusCode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := requestEvent()
			if tc.viewerResp {
				ev = responseEvent()
			}
			res := runCode(t, e, RuntimeJS2, "function handler(e) { "+tc.body+" }", ev)
			if res.Err == nil {
				t.Fatalf("accepted: %+v %+v", res.Request, res.Response)
			}
			if res.Err.Kind != ErrInvalidOutput || !strings.Contains(res.Err.Message, tc.want) {
				t.Errorf("got %v %q, want invalid-output containing %q", res.Err.Kind, res.Err.Message, tc.want)
			}
			if res.OutputJSON() != "" {
				t.Error("output on failure")
			}
		})
	}
}

func TestAsyncHandlers(t *testing.T) {
	e := NewEngine(Options{})
	res := runCode(t, e, RuntimeJS2, `async function handler(e) { var v = await Promise.resolve('/async'); e.request.uri = v; return e.request; }`, requestEvent())
	if res.Err != nil || res.Request.URI != "/async" {
		t.Fatalf("%v %+v", res.Err, res.Request)
	}
	res = runCode(t, e, RuntimeJS2, `async function handler(e) { await null; throw new TypeError('late'); }`, requestEvent())
	if res.Err == nil || res.Err.Message != "TypeError: late" {
		t.Fatalf("%v", res.Err)
	}
	res = runCode(t, e, RuntimeJS2, `function handler(e) { return new Promise(function () {}); }`, requestEvent())
	if res.Err == nil || res.Err.Message != msgUnsettled {
		t.Fatalf("%v", res.Err)
	}
	res = runCode(t, e, RuntimeJS1, `function handler(e) { return Promise.resolve(e.request); }`, requestEvent())
	if res.Err != nil || res.Kind != KindRequest {
		t.Fatalf("1.0 promise: %v", res.Err)
	}
}

func TestImportsAndRequire(t *testing.T) {
	e := NewEngine(Options{})
	res := runCode(t, e, RuntimeJS2, `import cf from 'cloudfront';
import crypto from 'crypto';
var qs = require('querystring');
function handler(e) {
  console.log(typeof cf.kvs + ' ' + typeof crypto.createHash + ' ' + typeof qs.parse + ' ' + (require('crypto') === crypto));
  try { cf.kvs(); } catch (err) { console.log(String(err)); }
  try { require('fs'); } catch (err) { console.log(String(err)); }
  return e.request;
}`, requestEvent())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{"function function function true", "Error: no key value store is associated with this function", `Error: Cannot find module "fs"`}
	if !reflect.DeepEqual(res.Logs, want) {
		t.Errorf("logs %q", res.Logs)
	}
	res = runCode(t, e, RuntimeJS1, `var c = require('crypto'); function handler(e) { console.log(typeof c.createHmac); try { require('cloudfront') } catch (x) { console.log(x.message) } return e.request; }`, requestEvent())
	if res.Err != nil || !reflect.DeepEqual(res.Logs, []string{"function", `Cannot find module "cloudfront"`}) {
		t.Fatalf("%v %q", res.Err, res.Logs)
	}
}

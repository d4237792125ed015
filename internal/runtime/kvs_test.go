package runtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/localfront/localfront/internal/kvs"
)

// mapKVS is a KVSReader over a map, for tests that swap stores between runs.
type mapKVS struct {
	id   string
	keys map[string]string
}

func (m mapKVS) Get(k string) (string, bool) { v, ok := m.keys[k]; return v, ok }
func (m mapKVS) KeyCount() int               { return len(m.keys) }
func (m mapKVS) Created() time.Time          { return time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC) }
func (m mapKVS) LastUpdated() time.Time      { return time.Date(2024, 2, 3, 4, 5, 6, 7e6, time.UTC) }
func (m mapKVS) ID() string                  { return m.id }

var _ KVSReader = (*kvs.Snapshot)(nil)

// runKVS runs a cloudfront-js-2.0 function body against reader and returns the logs or the
// error message.
func runKVS(t *testing.T, e *Engine, reader KVSReader, code string) TestOutcome {
	t.Helper()
	out, err := e.Test(context.Background(), TestRequest{Code: []byte(code), Runtime: RuntimeJS2, Event: []byte(testerEvent), KVS: reader})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const kvsProbe = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
    console.log(await kvs.get('greeting'));
    console.log(typeof await kvs.get('greeting', {format: 'string'}));
    const obj = await kvs.get('config', {format: 'json'});
    console.log(obj.mode + ' ' + obj.limits[1]);
    const bytes = await kvs.get('greeting', {format: 'bytes'});
    console.log((bytes instanceof Uint8Array) + ' ' + Buffer.isBuffer(bytes) + ' ' + bytes.length + ' ' + bytes[0]);
    console.log(await kvs.exists('greeting') + ' ' + await kvs.exists('nope'));
    try {
        await kvs.get('nope');
        console.log('no rejection');
    } catch (err) {
        console.log((err instanceof Error) + ' ' + err);
    }
    const m = await kvs.meta();
    console.log(m.creationDateTime + ' ' + m.lastUpdatedDateTime + ' ' + m.keyCount);
    return event.request;
}`

func TestKVSGetExistsMeta(t *testing.T) {
	e := NewEngine(Options{})
	reader := mapKVS{keys: map[string]string{"greeting": "héllo", "config": `{"mode":"on","limits":[1,2]}`}}
	out := runKVS(t, e, reader, kvsProbe)
	want := []string{
		"héllo",
		"string",
		"on 2",
		"true true 6 104",
		"true false",
		`true Error: Key "nope" not found`,
		"2024-01-02T03:04:05.006Z 2024-02-03T04:05:06.007Z 2",
	}
	if out.ErrorMessage != "" || strings.Join(out.Logs, "\n") != strings.Join(want, "\n") {
		t.Fatalf("error %q\nlogs:\n%s\nwant:\n%s", out.ErrorMessage, strings.Join(out.Logs, "\n"), strings.Join(want, "\n"))
	}
}

// A real snapshot (the import format, as `localfront test --kvs` loads it) works the same.
func TestKVSWithSnapshotFromImport(t *testing.T) {
	sn, err := kvs.SnapshotFromImport([]byte(`{"data":[{"key":"greeting","value":"héllo"},{"key":"config","value":"{\"mode\":\"on\",\"limits\":[1,2]}"}]}`),
		"", time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out := runKVS(t, NewEngine(Options{}), sn, kvsProbe)
	if out.ErrorMessage != "" || len(out.Logs) != 7 || out.Logs[6] != "2024-01-02T03:04:05.006Z 2024-01-02T03:04:05.006Z 2" {
		t.Fatalf("%+v", out)
	}
}

func TestKVSFailures(t *testing.T) {
	e := NewEngine(Options{})
	reader := mapKVS{id: "a1b2c3d4-0000-4000-8000-000000000001", keys: map[string]string{"bad": "{not json", "k": "v"}}
	cases := []struct {
		name   string
		reader KVSReader
		code   string
		errMsg string // FunctionErrorMessage without the prefix; "" = success
		logs   string
	}{
		{"no association", nil, `import cf from 'cloudfront'; const h = cf.kvs(); function handler(e) { return e.request; }`,
			"Error: " + msgNoKVS, ""},
		{"uncaught missing key", reader, `import cf from 'cloudfront'; async function handler(e) { await cf.kvs().get('missing'); return e.request; }`,
			`Error: Key "missing" not found`, ""},
		{"bad json", reader, `import cf from 'cloudfront'; async function handler(e) { try { await cf.kvs().get('bad', {format: 'json'}); } catch (x) { console.log(x.name); } return e.request; }`,
			"", "SyntaxError"},
		{"unknown format", reader, `import cf from 'cloudfront'; async function handler(e) { await cf.kvs().get('k', {format: 'xml'}); return e.request; }`,
			`TypeError: unknown format "xml"; expected "string", "json" or "bytes"`, ""},
		{"id of the store", reader, `import cf from 'cloudfront'; async function handler(e) { console.log(await cf.kvs('a1b2c3d4-0000-4000-8000-000000000001').get('k')); return e.request; }`,
			"", "v"},
		{"ARN of the store", reader, `import cf from 'cloudfront'; async function handler(e) { console.log(await cf.kvs('arn:aws:cloudfront::123456789012:key-value-store/a1b2c3d4-0000-4000-8000-000000000001').exists('k')); return e.request; }`,
			"", "true"},
		{"another store", reader, `import cf from 'cloudfront'; const h = cf.kvs('ffffffff-0000-4000-8000-000000000001'); function handler(e) { return e.request; }`,
			`Error: key value store "ffffffff-0000-4000-8000-000000000001" is not associated with this function`, ""},
		{"require has no cloudfront", reader, `var cf = require('cloudfront'); function handler(e) { return e.request; }`,
			`Error: Cannot find module "cloudfront"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runKVS(t, e, c.reader, c.code)
			gotErr := strings.TrimPrefix(out.ErrorMessage, FunctionErrorPrefix)
			if gotErr != c.errMsg || strings.Join(out.Logs, "\n") != c.logs {
				t.Errorf("error %q logs %q; want error %q logs %q", gotErr, out.Logs, c.errMsg, c.logs)
			}
		})
	}
}

// Runs on one reused VM read the store each invocation is given: a write between two
// invocations is seen by the second, and what one run does to its handle does not reach
// the next.
func TestKVSSnapshotPerInvocation(t *testing.T) {
	e := NewEngine(Options{})
	code := `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
    console.log(await kvs.get('v'));
    kvs.get = function () { return 'hijacked'; };
    return event.request;
}`
	for _, v := range []string{"one", "two", "three"} {
		out := runKVS(t, e, mapKVS{keys: map[string]string{"v": v}}, code)
		if out.ErrorMessage != "" || len(out.Logs) != 1 || out.Logs[0] != v {
			t.Fatalf("run with %s: %+v", v, out)
		}
	}
	// A program that changes the handles' shared prototype runs on fresh VMs only, so the
	// change does not reach the next invocation.
	tamper := `import cf from 'cloudfront';
async function handler(event) {
    const h = cf.kvs();
    console.log(await h.get('v'));
    Object.getPrototypeOf(h).get = function () { return 'hijacked'; };
    return event.request;
}`
	for _, v := range []string{"one", "two"} {
		out := runKVS(t, e, mapKVS{keys: map[string]string{"v": v}}, tamper)
		if out.ErrorMessage != "" || len(out.Logs) != 1 || out.Logs[0] != v {
			t.Fatalf("tampering run with %s: %+v", v, out)
		}
	}
	// Without a store the same program fails at cf.kvs().
	out := runKVS(t, e, nil, code)
	if !strings.HasSuffix(out.ErrorMessage, msgNoKVS) {
		t.Errorf("without a store: %+v", out)
	}
}

// cloudfront-js-1.0 has no cloudfront module, even with a store.
func TestKVSNotInRuntime1(t *testing.T) {
	out, err := NewEngine(Options{}).Test(context.Background(), TestRequest{
		Code:    []byte(`var cf = require('cloudfront'); function handler(e) { return e.request; }`),
		Runtime: RuntimeJS1, Event: []byte(testerEvent), KVS: mapKVS{},
	})
	if err != nil || !strings.HasSuffix(out.ErrorMessage, `Error: Cannot find module "cloudfront"`) {
		t.Errorf("%v %+v", err, out)
	}
}

// kvs.get and kvs.exists hand a kept promise to a later run only while no code has touched
// it, and never twice in one run: no function can tell it from a new one.
func TestKVSKeptPromisesStayInvisible(t *testing.T) {
	code := `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  const step = event.request.uri;
  const a = kvs.get('k'), b = kvs.get('k'), e1 = kvs.exists('k'), e2 = kvs.exists('k');
  console.log([a !== b, e1 !== e2, Object.getOwnPropertyNames(a).length, Object.getOwnPropertySymbols(a).length,
    a instanceof Promise, Object.isExtensible(a), Object.isExtensible(e1),
    await a, await b, await e1, await e2].join(' '));
  if (step === '/tag') { a.tag = 1; e1.tag = 1; }
  if (step === '/symbol') { a[Symbol.iterator] = 1; }
  if (step === '/seal') { Object.preventExtensions(a); }
  if (step === '/freeze') { Object.freeze(a); Object.freeze(e1); }
  return event.request;
}`
	e := NewEngine(Options{MaxConcurrent: 1})
	p, err := e.Compile("t", []byte(code), RuntimeJS2)
	if err != nil {
		t.Fatal(err)
	}
	if p.shared || !p.stateless {
		t.Fatalf("shared=%v stateless=%v: the test needs the reuse path", p.shared, p.stateless)
	}
	store := mapKVS{keys: map[string]string{"k": "v"}}
	const clean = "true true 0 0 true true true v v true true"
	kept := func() *goja.Object {
		st := e.idle.get(p)
		if st == nil || st.kvsModule == nil {
			t.Fatal("no pooled VM with cf.kvs")
		}
		defer e.idle.put(st)
		if sp := st.kvsModule.settled.byValue[settledKey{s: "v"}]; sp != nil {
			return sp.promise
		}
		return nil
	}
	var prev *goja.Object
	for i, step := range []struct {
		uri   string
		fresh bool // the run must not have been handed the previous run's promise
	}{
		{"/plain", true}, {"/plain", false}, {"/tag", false}, {"/plain", true},
		{"/symbol", false}, {"/plain", true}, {"/seal", false}, {"/plain", true},
		{"/freeze", false}, {"/plain", true}, {"/plain", false},
		{"/hidden-symbol", false}, {"/plain", true}, // changed from Go below: no JS route is left open
		{"/hidden-name", false}, {"/plain", true},
	} {
		ev := requestEvent()
		ev.Request.URI = step.uri
		res := e.Run(context.Background(), p, ev, Invocation{KVS: store})
		if res.Err != nil || len(res.Logs) != 1 || res.Logs[0] != clean {
			t.Fatalf("run %d (%s): %v %q, want %q", i, step.uri, res.Err, res.Logs, clean)
		}
		got := kept()
		if got == nil {
			t.Fatalf("run %d: no kept promise", i)
		}
		if fresh := got != prev; fresh != step.fresh {
			t.Errorf("run %d (%s): new promise = %v, want %v", i, step.uri, fresh, step.fresh)
		}
		prev = got
		// Non-enumerable own properties, which only defineProperty makes (and programs that
		// call it never run on a reused VM): the check must see them all the same.
		switch step.uri {
		case "/hidden-symbol":
			if err := got.DefineDataPropertySymbol(goja.SymIterator, got, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
				t.Fatal(err)
			}
		case "/hidden-name":
			if err := got.DefineDataProperty("hidden", got, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The other ways to change an object mark the program as touching shared state: it
	// never runs on a reused VM, so nothing it did can reach another run.
	for _, c := range []string{
		`import cf from 'cloudfront'; async function handler(e) { Object.defineProperty(cf.kvs().get('k'), 'h', {value: 1}); return e.request; }`,
		`import cf from 'cloudfront'; async function handler(e) { Object.setPrototypeOf(cf.kvs().get('k'), null); return e.request; }`,
	} {
		if p, err := Compile("t", []byte(c), RuntimeJS2); err != nil || !p.shared {
			t.Errorf("%s: shared=%v %v", c, p != nil && p.shared, err)
		}
	}
}

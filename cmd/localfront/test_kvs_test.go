package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const kvsFunction = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
    const request = event.request;
    const meta = await kvs.meta();
    console.log(meta.keyCount + ' ' + meta.lastUpdatedDateTime);
    try {
        request.uri = await kvs.get(request.uri);
    } catch (err) {
        console.log(String(err));
    }
    return request;
}`

func TestTestCommandWithKVS(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"fn.js":      kvsFunction,
		"event.json": testCmdEvent,
		"store.json": `{"data":[{"key":"/docs/","value":"/docs/index.html"},{"key":"other","value":"x"}]}`,
	})
	store := filepath.Join(dir, "store.json")
	mod := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := os.Chtimes(store, mod, mod); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, filepath.Join(dir, "fn.js"), "--event", filepath.Join(dir, "event.json"), "--kvs", store)
	if code != exitRan {
		t.Fatalf("exit %d: %s %+v", code, stderr, out)
	}
	r := out.TestResult
	if len(r.FunctionExecutionLogs) != 1 || r.FunctionExecutionLogs[0] != "2 2024-05-06T07:08:09.000Z" ||
		!strings.Contains(r.FunctionOutput, `"uri":"/docs/index.html"`) {
		t.Errorf("%+v", r)
	}

	// A key that is missing rejects get(), which the function catches.
	if err := os.WriteFile(store, []byte(`{"data":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, filepath.Join(dir, "fn.js"), "--event", filepath.Join(dir, "event.json"), "--kvs", store)
	if code != exitRan || len(out.TestResult.FunctionExecutionLogs) != 2 || out.TestResult.FunctionExecutionLogs[1] != `Error: Key "/docs/" not found` {
		t.Errorf("exit %d %+v", code, out.TestResult)
	}

	// Without --kvs the function has no store and fails at cf.kvs().
	code, out, _ = runCmd(t, filepath.Join(dir, "fn.js"), "--event", filepath.Join(dir, "event.json"))
	if code != exitFail || !strings.Contains(out.TestResult.FunctionErrorMessage, "no key value store is associated") {
		t.Errorf("without --kvs: exit %d %+v", code, out.TestResult)
	}
}

func TestTestCommandKVSErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"fn.js":      kvsFunction,
		"event.json": testCmdEvent,
		"dup.json":   `{"data":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}`,
		"bad.json":   `{"data":`,
		"ok.json":    `{"data":[]}`,
	})
	fn, ev := filepath.Join(dir, "fn.js"), filepath.Join(dir, "event.json")
	for name, args := range map[string][]string{
		"missing file":   {"--kvs", filepath.Join(dir, "nope.json")},
		"directory":      {"--kvs", dir},
		"duplicate keys": {"--kvs", filepath.Join(dir, "dup.json")},
		"broken json":    {"--kvs", filepath.Join(dir, "bad.json")},
		"runtime 1.0":    {"--kvs", filepath.Join(dir, "ok.json"), "--runtime", "cloudfront-js-1.0"},
	} {
		code, _, stderr := runCmd(t, append([]string{fn, "--event", ev}, args...)...)
		if code != exitUsage || !strings.Contains(stderr, "--kvs") {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
}

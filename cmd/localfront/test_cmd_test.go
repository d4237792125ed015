package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testCmdEvent = `{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"1.2.3.4"},
"request":{"method":"GET","uri":"/docs/","querystring":{},"headers":{"host":{"value":"example.com"}},"cookies":{}}}`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type testCmdOutput struct {
	TestResult struct {
		FunctionSummary struct {
			Name           string
			Status         string
			FunctionConfig struct {
				Comment string
				Runtime string
			}
			FunctionMetadata struct {
				FunctionARN string
				Stage       string
			}
		}
		ComputeUtilization    string
		FunctionExecutionLogs []string
		FunctionErrorMessage  string
		FunctionOutput        string
	}
}

func runCmd(t *testing.T, args ...string) (int, testCmdOutput, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runTestCommand(args, &stdout, &stderr)
	var out testCmdOutput
	if stdout.Len() > 0 && code != exitUsage {
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
		}
	}
	return code, out, stderr.String()
}

func TestTestCommandRunsAFunction(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"url-rewrite.js": `function handler(event) { var r = event.request; console.log('uri ' + r.uri); if (r.uri.endsWith('/')) r.uri += 'index.html'; return r; }`,
		"event.json":     testCmdEvent,
	})
	code, out, stderr := runCmd(t, filepath.Join(dir, "url-rewrite.js"), "--event", filepath.Join(dir, "event.json"), "--now", "2024-01-02T03:04:05Z")
	if code != exitRan {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	r := out.TestResult
	if r.FunctionErrorMessage != "" || r.FunctionSummary.Name != "url-rewrite" || r.FunctionSummary.Status != "UNPUBLISHED" || r.FunctionSummary.FunctionConfig.Runtime != "cloudfront-js-2.0" ||
		r.FunctionSummary.FunctionMetadata.Stage != "DEVELOPMENT" || r.FunctionSummary.FunctionMetadata.FunctionARN != "arn:aws:cloudfront::000000000000:function/url-rewrite" {
		t.Errorf("%+v", r)
	}
	if len(r.FunctionExecutionLogs) != 1 || r.FunctionExecutionLogs[0] != "uri /docs/" {
		t.Errorf("logs %q", r.FunctionExecutionLogs)
	}
	if !strings.Contains(r.FunctionOutput, `"uri":"/docs/index.html"`) || !strings.HasPrefix(r.FunctionOutput, `{"request":`) {
		t.Errorf("output %s", r.FunctionOutput)
	}
	if r.ComputeUtilization == "" {
		t.Error("no ComputeUtilization")
	}
}

func TestTestCommandFlagsAfterOrBeforeTheFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"f.js":       `var c = require('crypto'); function handler(e) { return e.request; }`,
		"event.json": testCmdEvent,
	})
	code, out, stderr := runCmd(t, "--runtime", "cloudfront-js-1.0", "--stage", "LIVE", "--event", filepath.Join(dir, "event.json"), filepath.Join(dir, "f.js"))
	if code != exitRan || out.TestResult.FunctionSummary.FunctionConfig.Runtime != "cloudfront-js-1.0" || out.TestResult.FunctionSummary.FunctionMetadata.Stage != "LIVE" ||
		out.TestResult.FunctionSummary.Status != "UNASSOCIATED" {
		t.Fatalf("exit %d %+v %s", code, out, stderr)
	}
}

func TestTestCommandReportsFunctionFailures(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"throws.js":  `function handler(event) { return event.request.headers.nope.value; }`,
		"syntax.js":  `let a = 1; function handler(e) { return e.request; }`,
		"event.json": testCmdEvent,
	})
	code, out, _ := runCmd(t, filepath.Join(dir, "throws.js"), "--event", filepath.Join(dir, "event.json"))
	want := `The CloudFront function associated with the CloudFront distribution is invalid or could not run. TypeError: cannot get property "value" of undefined`
	if code != exitFail || out.TestResult.FunctionErrorMessage != want || out.TestResult.FunctionOutput != "" {
		t.Errorf("exit %d %+v", code, out.TestResult)
	}
	code, out, _ = runCmd(t, filepath.Join(dir, "syntax.js"), "--event", filepath.Join(dir, "event.json"), "--runtime", "cloudfront-js-1.0")
	if code != exitFail || !strings.Contains(out.TestResult.FunctionErrorMessage, "SyntaxError: let declarations are not supported by cloudfront-js-1.0 in 1:1") {
		t.Errorf("exit %d %+v", code, out.TestResult)
	}
	if out.TestResult.FunctionExecutionLogs == nil {
		t.Error("FunctionExecutionLogs should be [] not null")
	}
}

func TestTestCommandUsageErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"f.js":     `function handler(e) { return e.request; }`,
		"ok.json":  testCmdEvent,
		"bad.json": `{"request":`,
		"big.js":   strings.Repeat("// padding\n", 1000) + `function handler(e) { return e.request; }`,
	})
	f, ok := filepath.Join(dir, "f.js"), filepath.Join(dir, "ok.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "expected exactly one FUNCTION.js"},
		{"no event", []string{f}, "--event is required"},
		{"two files", []string{f, f, "--event", ok}, "expected exactly one FUNCTION.js, got 2"},
		{"bad runtime", []string{f, "--event", ok, "--runtime", "nodejs"}, "--runtime must be"},
		{"bad stage", []string{f, "--event", ok, "--stage", "PROD"}, "--stage must be"},
		{"bad now", []string{f, "--event", ok, "--now", "yesterday"}, "--now"},
		{"unknown flag", []string{f, "--event", ok, "--verbose"}, "flag provided but not defined"},
		{"missing code file", []string{filepath.Join(dir, "nope.js"), "--event", ok}, "no such file"},
		{"missing event file", []string{f, "--event", filepath.Join(dir, "nope.json")}, "no such file"},
		{"malformed event", []string{f, "--event", filepath.Join(dir, "bad.json")}, "InvalidArgument: The event object is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runTestCommand(tc.args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), "usage: localfront test") {
				t.Errorf("exit %d, stderr %q, want %q", code, stderr.String(), tc.want)
			}
		})
	}
	// An oversized function still runs, with a warning.
	var stdout, stderr bytes.Buffer
	if code := runTestCommand([]string{filepath.Join(dir, "big.js"), "--event", ok}, &stdout, &stderr); code != exitRan || !strings.Contains(stderr.String(), "CloudFront refuses functions over 10240 bytes") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	stdout.Reset()
	if code := runTestCommand([]string{"-h"}, &stdout, &stderr); code != exitRan || !strings.Contains(stdout.String(), "usage: localfront test") {
		t.Errorf("-h: exit %d", code)
	}
}

func TestFunctionNameFromPath(t *testing.T) {
	for in, want := range map[string]string{
		"/x/url-rewrite.js": "url-rewrite", "a b.c.js": "a-b-c", ".js": "function",
		strings.Repeat("n", 80) + ".js": strings.Repeat("n", 64),
	} {
		if got := functionNameFromPath(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

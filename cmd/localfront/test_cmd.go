package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
)

// Exit codes of `localfront test`.
const (
	exitRan   = 0 // the function ran and returned a valid request or response
	exitFail  = 1 // the function failed (FunctionErrorMessage is set)
	exitUsage = 2 // bad flags, unreadable files or a malformed event
)

const testUsage = `usage: localfront test FUNCTION.js --event EVENT.json [--runtime cloudfront-js-2.0|cloudfront-js-1.0] [--stage DEVELOPMENT|LIVE] [--now RFC3339] [--kvs STORE.json]

Runs FUNCTION.js against the event object in EVENT.json (spec §9.1) and prints the result
shaped like the output of "aws cloudfront test-function". With --kvs, cf.kvs() reads the
keys of STORE.json, a file in the key value store import format
{"data":[{"key":"k","value":"v"}, ...]} (cloudfront-js-2.0 only). Exit status: 0 when the
function ran, 1 when it failed, 2 on usage errors.
`

// runTestCommand implements `localfront test`. args excludes the sub-command name.
func runTestCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("localfront test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	eventPath := fs.String("event", "", "path of the JSON event object")
	runtimeName := fs.String("runtime", runtime.RuntimeJS2, runtime.RuntimeJS1+" or "+runtime.RuntimeJS2)
	stage := fs.String("stage", "DEVELOPMENT", "DEVELOPMENT or LIVE (reported in FunctionSummary)")
	nowText := fs.String("now", "", "frozen invocation time, RFC 3339 (default: the current time)")
	kvsPath := fs.String("kvs", "", "key value store file in the import format, read by cf.kvs()")

	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "localfront test: "+format+"\n\n", a...)
		io.WriteString(stderr, testUsage)
		return exitUsage
	}

	// The function path may come before, between or after the flags.
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				io.WriteString(stdout, testUsage)
				return exitRan
			}
			return usage("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) != 1 {
		return usage("expected exactly one FUNCTION.js, got %d", len(positional))
	}
	if *eventPath == "" {
		return usage("--event is required")
	}
	if *runtimeName != runtime.RuntimeJS1 && *runtimeName != runtime.RuntimeJS2 {
		return usage("--runtime must be %s or %s, not %q", runtime.RuntimeJS1, runtime.RuntimeJS2, *runtimeName)
	}
	if *stage != "DEVELOPMENT" && *stage != "LIVE" {
		return usage("--stage must be DEVELOPMENT or LIVE, not %q", *stage)
	}
	var now time.Time
	if *nowText != "" {
		t, err := time.Parse(time.RFC3339Nano, *nowText)
		if err != nil {
			return usage("--now: %v", err)
		}
		now = t
	}

	codePath := positional[0]
	code, err := os.ReadFile(codePath)
	if err != nil {
		return usage("%v", err)
	}
	info, err := os.Stat(codePath)
	if err != nil {
		return usage("%v", err)
	}
	event, err := os.ReadFile(*eventPath)
	if err != nil {
		return usage("%v", err)
	}
	var store runtime.KVSReader
	if *kvsPath != "" {
		if *runtimeName != runtime.RuntimeJS2 {
			return usage("--kvs needs --runtime %s: key value stores are not available in %s", runtime.RuntimeJS2, *runtimeName)
		}
		sn, err := loadKVSFile(*kvsPath)
		if err != nil {
			return usage("--kvs %s: %v", *kvsPath, err)
		}
		store = sn
	}
	// CloudFront's size quota (spec §7): the CLI warns, it does not refuse, so a user can
	// still try an oversized function locally.
	if len(code) > functions.DefaultMaxCodeSize {
		fmt.Fprintf(stderr, "localfront test: warning: %s is %d bytes; CloudFront refuses functions over %d bytes\n",
			codePath, len(code), functions.DefaultMaxCodeSize)
	}

	engine := runtime.NewEngine(runtime.Options{})
	out, err := engine.Test(context.Background(), runtime.TestRequest{
		Code: code, Runtime: *runtimeName, Event: event, Now: now, KVS: store,
	})
	if err != nil {
		if ae := apierror.As(err); ae != nil {
			return usage("%s: %s", ae.Code, ae.Message)
		}
		fmt.Fprintf(stderr, "localfront test: %v\n", err)
		return exitFail
	}

	name := functionNameFromPath(codePath)
	modified := info.ModTime().UTC().Format("2006-01-02T15:04:05.000000-07:00")
	result := testCommandOutput{}
	// A local file was never published; asking for LIVE pretends it was (spec §2.3).
	status := "UNPUBLISHED"
	if *stage == "LIVE" {
		status = "UNASSOCIATED"
	}
	result.TestResult.FunctionSummary = testFunctionSummary{
		Name:   name,
		Status: status,
		FunctionConfig: testFunctionConfig{
			Comment: "",
			Runtime: *runtimeName,
		},
		FunctionMetadata: testFunctionMetadata{
			FunctionARN:      "arn:aws:cloudfront::000000000000:function/" + name,
			Stage:            *stage,
			CreatedTime:      modified,
			LastModifiedTime: modified,
		},
	}
	result.TestResult.ComputeUtilization = fmt.Sprint(out.ComputeUtilization)
	result.TestResult.FunctionExecutionLogs = out.Logs
	if result.TestResult.FunctionExecutionLogs == nil {
		result.TestResult.FunctionExecutionLogs = []string{}
	}
	result.TestResult.FunctionErrorMessage = out.ErrorMessage
	result.TestResult.FunctionOutput = out.Output

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ") // the AWS CLI's JSON output indentation
	if err := enc.Encode(result); err != nil {
		fmt.Fprintf(stderr, "localfront test: %v\n", err)
		return exitFail
	}
	if out.ErrorMessage != "" {
		return exitFail
	}
	return exitRan
}

// testCommandOutput mirrors `aws cloudfront test-function` JSON output.
type testCommandOutput struct {
	TestResult struct {
		FunctionSummary       testFunctionSummary
		ComputeUtilization    string
		FunctionExecutionLogs []string
		FunctionErrorMessage  string
		FunctionOutput        string
	}
}

type testFunctionSummary struct {
	Name             string
	Status           string
	FunctionConfig   testFunctionConfig
	FunctionMetadata testFunctionMetadata
}

type testFunctionConfig struct {
	Comment string
	Runtime string
}

type testFunctionMetadata struct {
	FunctionARN      string
	Stage            string
	CreatedTime      string
	LastModifiedTime string
}

// functionNameFromPath derives a valid function name ([a-zA-Z0-9-_]{1,64}, spec §7) from the
// file name, for the FunctionSummary.
func functionNameFromPath(path string) string {
	base := filepath.Base(path)
	return functions.NameFrom(strings.TrimSuffix(base, filepath.Ext(base)))
}

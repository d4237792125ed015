package runtime

import "time"

// TestRequest asks for one run of a function against a JSON test event, as TestFunction
// and `localfront test` do.
type TestRequest struct {
	Code    []byte
	Runtime string    // "cloudfront-js-1.0" or "cloudfront-js-2.0"
	Event   []byte    // the event object as JSON (spec §9.1)
	Now     time.Time // the frozen clock of the invocation; zero means time.Now()
	KVS     KVSReader // the associated key value store's snapshot for cf.kvs(); nil = none
}

// TestOutcome is the result of one test run, in TestResult's terms (spec §8).
type TestOutcome struct {
	ComputeUtilization int      // 0–100
	Logs               []string // console.log lines, in order
	ErrorMessage       string   // "" on success; CloudFront's text on failure
	Output             string   // {"request":…} or {"response":…} as JSON; "" on failure
}

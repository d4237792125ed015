package cfapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

const viewerRequestEvent = `{
  "version": "1.0",
  "context": {"eventType": "viewer-request"},
  "viewer": {"ip": "198.51.100.11"},
  "request": {
    "method": "GET",
    "uri": "/docs/",
    "querystring": {"q": {"value": "1"}},
    "headers": {"host": {"value": "www.example.com"}},
    "cookies": {}
  }
}`

// TestTestFunctionThroughSDK runs real JavaScript through TestFunction and checks the
// TestResult the SDK parses: logs in order, the output object, the error message of a
// failing function, and ComputeUtilization as a number-like string.
func TestTestFunctionThroughSDK(t *testing.T) {
	s := newStack(t, stackOptions{})
	ctx := context.Background()
	create := func(name, code string) string {
		out, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
			Name: aws.String(name), FunctionConfig: js2("test"), FunctionCode: []byte(code),
		})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.ETag)
	}

	etag := create("rewrite", `function handler(event) {
    var request = event.request;
    console.log('uri ' + request.uri);
    console.log('second line');
    if (request.uri.endsWith('/')) request.uri += 'index.html';
    request.headers['x-rewritten'] = { value: 'yes' };
    return request;
}`)
	res, err := s.CF.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("rewrite"), IfMatch: aws.String(etag), EventObject: []byte(viewerRequestEvent)})
	if err != nil {
		t.Fatal(err)
	}
	r := res.TestResult
	if got := r.FunctionExecutionLogs; len(got) != 2 || got[0] != "uri /docs/" || got[1] != "second line" {
		t.Errorf("logs %q", got)
	}
	if aws.ToString(r.FunctionErrorMessage) != "" {
		t.Errorf("error message %q on success", aws.ToString(r.FunctionErrorMessage))
	}
	if cu, err := strconv.Atoi(aws.ToString(r.ComputeUtilization)); err != nil || cu < 0 || cu > 100 {
		t.Errorf("ComputeUtilization %q", aws.ToString(r.ComputeUtilization))
	}
	var output struct {
		Request struct {
			URI     string                       `json:"uri"`
			Headers map[string]map[string]string `json:"headers"`
		} `json:"request"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(r.FunctionOutput)), &output); err != nil {
		t.Fatalf("FunctionOutput %q: %v", aws.ToString(r.FunctionOutput), err)
	}
	if output.Request.URI != "/docs/index.html" || output.Request.Headers["x-rewritten"]["value"] != "yes" {
		t.Errorf("output %+v", output)
	}
	if aws.ToString(r.FunctionSummary.Name) != "rewrite" || r.FunctionSummary.FunctionMetadata.Stage != types.FunctionStageDevelopment {
		t.Errorf("summary %+v", r.FunctionSummary)
	}

	etag = create("thrower", `function handler(event) { console.log('before'); throw new Error('no way'); }`)
	res, err = s.CF.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("thrower"), IfMatch: aws.String(etag), EventObject: []byte(viewerRequestEvent)})
	if err != nil {
		t.Fatal(err)
	}
	if msg := aws.ToString(res.TestResult.FunctionErrorMessage); !strings.Contains(msg, "no way") {
		t.Errorf("error message %q", msg)
	}
	if aws.ToString(res.TestResult.FunctionOutput) != "" || len(res.TestResult.FunctionExecutionLogs) != 1 {
		t.Errorf("failed run: output %q logs %q", aws.ToString(res.TestResult.FunctionOutput), res.TestResult.FunctionExecutionLogs)
	}

	// The LIVE stage is testable once published; a malformed event is the caller's error.
	_, err = s.CF.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("thrower"), IfMatch: aws.String(etag), Stage: types.FunctionStageLive, EventObject: []byte(viewerRequestEvent)})
	wantAPIError(t, err, "NoSuchFunctionExists", 404)
	_, err = s.CF.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("thrower"), IfMatch: aws.String(etag), EventObject: []byte("{not json")})
	wantAPIError(t, err, "InvalidArgument", 400)
	var typed *types.InvalidArgument
	if !errors.As(err, &typed) {
		t.Errorf("want *types.InvalidArgument, got %T", err)
	}
}

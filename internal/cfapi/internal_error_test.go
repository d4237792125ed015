package cfapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/functions"
)

// failing is a service whose DescribeFunction fails with err.
type failing struct {
	cfapi.FunctionService
	err error
}

func (f failing) Describe(context.Context, string, string, functions.Stage) (functions.Summary, error) {
	return functions.Summary{}, f.err
}

// Internal failures reach the client as a generic InternalError; the details, the request
// id and the operation go to the error log.
func TestInternalErrorDetailsAreLoggedNotSent(t *testing.T) {
	for _, err := range []error{
		apierror.InternalError("Internal error: open /var/lib/secret.db: permission denied"),
		apierror.InternalServerException("Internal error: open /var/lib/secret.db: permission denied"),
		errors.New("open /var/lib/secret.db: permission denied"),
	} {
		srv, logs := newAPI(t, func(s cfapi.FunctionService) cfapi.FunctionService { return failing{s, err} }, cfapi.Options{})
		resp, body := get(t, srv, "/2020-05-31/function/x/describe", nil)
		m := envelopeRE.FindStringSubmatch(body)
		if resp.StatusCode != 500 || m == nil || m[1] != "Receiver" || m[2] != "InternalError" {
			t.Fatalf("%v: %d %s", err, resp.StatusCode, body)
		}
		if strings.Contains(body, "secret") || !strings.Contains(body, "<Message>"+apierror.InternalMessage+"</Message>") {
			t.Errorf("%v: the client saw %s", err, body)
		}
		rid := resp.Header.Get("x-amzn-RequestId")
		var logged map[string]any
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var e map[string]any
			if json.Unmarshal([]byte(line), &e) == nil && e["msg"] == "internal error" {
				logged = e
			}
		}
		if logged == nil || logged["request_id"] != rid || logged["op"] != "DescribeFunction" ||
			!strings.Contains(logged["error"].(string), "/var/lib/secret.db") {
			t.Errorf("%v: error log %v (request id %s)", err, logged, rid)
		}
	}
}

// Other server-side errors CloudFront documents keep their message.
func TestDocumentedFaultsKeepTheirMessage(t *testing.T) {
	err := apierror.TestFunctionFailed("The function failed to run.")
	srv, _ := newAPI(t, func(s cfapi.FunctionService) cfapi.FunctionService { return failing{s, err} }, cfapi.Options{})
	resp, body := get(t, srv, "/2020-05-31/function/x/describe", nil)
	if resp.StatusCode != 500 || !strings.Contains(body, "<Code>TestFunctionFailed</Code><Message>The function failed to run.</Message>") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

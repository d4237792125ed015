package runtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// tester mirrors functions.Tester (which imports this package, so it cannot be named here).
type tester interface {
	Test(ctx context.Context, req TestRequest) (TestOutcome, error)
}

var _ tester = (*Engine)(nil)

const testerEvent = `{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"1.2.3.4"},"request":{"method":"GET","uri":"/","querystring":{},"headers":{"host":{"value":"example.com"}},"cookies":{}}}`

func TestEngineTest(t *testing.T) {
	e := NewEngine(Options{})
	ctx := context.Background()
	out, err := e.Test(ctx, TestRequest{
		Code:    []byte(`function handler(event) { console.log(new Date().toISOString()); event.request.uri = '/index.html'; return event.request; }`),
		Runtime: RuntimeJS2, Event: []byte(testerEvent), Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.ErrorMessage != "" || out.Output != `{"request":{"headers":{"host":{"value":"example.com"}},"method":"GET","querystring":{},"uri":"/index.html","cookies":{}}}` ||
		len(out.Logs) != 1 || out.Logs[0] != "2024-01-02T03:04:05.000Z" || out.ComputeUtilization < 0 || out.ComputeUtilization > 100 {
		t.Errorf("%+v", out)
	}

	out, err = e.Test(ctx, TestRequest{Code: []byte(`const x = 1; function handler(e) { return e.request; }`), Runtime: RuntimeJS1, Event: []byte(testerEvent)})
	if err != nil || out.Output != "" || out.ErrorMessage != FunctionErrorPrefix+"SyntaxError: const declarations are not supported by cloudfront-js-1.0 in 1:1" || out.Logs == nil {
		t.Errorf("compile error: %v %+v", err, out)
	}

	out, err = e.Test(ctx, TestRequest{Code: []byte(`function handler(e) { console.log('before'); null.x; }`), Runtime: RuntimeJS2, Event: []byte(testerEvent)})
	if err != nil || out.Output != "" || !strings.HasPrefix(out.ErrorMessage, FunctionErrorPrefix+"TypeError: cannot get property") || len(out.Logs) != 1 {
		t.Errorf("exception: %v %+v", err, out)
	}

	for _, bad := range []string{`{`, `{"request":{}}`, strings.Repeat(" ", MaxEventSize+1)} {
		_, err = e.Test(ctx, TestRequest{Code: []byte(handlerSuffix), Runtime: RuntimeJS2, Event: []byte(bad)})
		if ae := apierror.As(err); ae == nil || ae.Code != "InvalidArgument" || ae.Status != 400 || !strings.HasPrefix(ae.Message, "The event object is not valid: ") {
			t.Errorf("event %.20q: %v", bad, err)
		}
	}
	if _, err = e.Test(ctx, TestRequest{Code: []byte(handlerSuffix), Runtime: "python", Event: []byte(testerEvent)}); apierror.As(err) == nil {
		t.Errorf("unknown runtime: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	slow := NewEngine(Options{MaxConcurrent: 1})
	slow.sem <- struct{}{} // every slot busy: the test must give up when its context ends
	if _, err = slow.Test(canceled, TestRequest{Code: []byte(handlerSuffix), Runtime: RuntimeJS2, Event: []byte(testerEvent)}); err != context.Canceled {
		t.Errorf("canceled: %v", err)
	}
}

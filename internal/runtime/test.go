package runtime

import (
	"context"
	"errors"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// Test runs one function against a JSON test event, as TestFunction and `localfront test` do
// (functions.Tester). A malformed or oversized event is an *apierror.Error (InvalidArgument);
// code that does not compile and functions that fail are reported in the outcome's
// ErrorMessage, like CloudFront's console, not as errors. CreateFunction/UpdateFunction do not
// compile code (spec §3.1, §14 Q7), so this is where syntax errors first show.
func (e *Engine) Test(ctx context.Context, req TestRequest) (TestOutcome, error) {
	ev, err := ParseEventJSON(req.Event)
	if err != nil {
		return TestOutcome{}, apierror.InvalidArgument("The event object is not valid: %s", err.Error())
	}
	prog, err := e.Compile("function", req.Code, req.Runtime)
	if err != nil {
		var ce *CompileError
		if errors.As(err, &ce) {
			return TestOutcome{Logs: []string{}, ErrorMessage: FunctionErrorPrefix + ce.Message}, nil
		}
		return TestOutcome{}, apierror.InvalidArgument("%s", err.Error())
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	res := e.Run(ctx, prog, ev, Invocation{Now: now, KVS: req.KVS})
	if res.Err != nil && res.Err.Kind == ErrCanceled && ctx.Err() != nil {
		return TestOutcome{}, ctx.Err()
	}
	out := TestOutcome{
		ComputeUtilization: res.ComputeUtilization,
		Logs:               res.Logs,
		Output:             res.OutputJSON(),
	}
	if out.Logs == nil {
		out.Logs = []string{}
	}
	if res.Err != nil {
		out.ErrorMessage = res.Err.FunctionErrorMessage()
	}
	return out, nil
}

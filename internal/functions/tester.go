package functions

import (
	"context"

	"github.com/localfront/localfront/internal/runtime"
)

// Tester runs a function's code against a test event. *runtime.Engine implements it; a
// malformed event is reported as an *apierror.Error (InvalidArgument).
type Tester interface {
	Test(ctx context.Context, req runtime.TestRequest) (runtime.TestOutcome, error)
}

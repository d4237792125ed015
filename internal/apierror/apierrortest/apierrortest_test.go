package apierrortest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
)

// recorder stands in for a *testing.T so the failures Want reports can be observed.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(string, ...any) {
	r.failed = true
	panic(r) // like runtime.Goexit in a real test: nothing after Fatalf runs
}

func fails(err error, code string, status int) (failed bool) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
		failed = r.failed
	}()
	Want(r, err, code, status)
	return false
}

func TestWant(t *testing.T) {
	e := apierror.New("NoSuchFunctionExists", 404, "gone")
	if got := Want(t, fmt.Errorf("wrapped: %w", e), "NoSuchFunctionExists", 404); got != e {
		t.Errorf("Want returned %v, want the wrapped error", got)
	}
	for _, c := range []struct {
		err    error
		code   string
		status int
	}{
		{nil, "NoSuchFunctionExists", 404},
		{errors.New("plain"), "NoSuchFunctionExists", 404},
		{e, "InvalidArgument", 404},
		{e, "NoSuchFunctionExists", 400},
	} {
		if !fails(c.err, c.code, c.status) {
			t.Errorf("Want(%v, %s, %d) did not fail", c.err, c.code, c.status)
		}
	}
}

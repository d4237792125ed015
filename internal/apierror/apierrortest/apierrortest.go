// Package apierrortest holds the test assertion the services' tests share about
// *apierror.Error values. Only tests import it.
package apierrortest

import (
	"testing"

	"github.com/localfront/localfront/internal/apierror"
)

// Want fails t unless err is (or wraps) an *apierror.Error with the code and status,
// and returns that error for further checks of its message.
func Want(t testing.TB, err error, code string, status int) *apierror.Error {
	t.Helper()
	e := apierror.As(err)
	if e == nil {
		t.Fatalf("got error %v (%T), want %s (%d)", err, err, code, status)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("got %s (%d) %q, want %s (%d)", e.Code, e.Status, e.Message, code, status)
	}
	return e
}

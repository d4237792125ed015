package apierror

import "testing"

func TestInternal(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want bool
	}{
		{InternalError("store: disk full"), true},
		{InternalServerException("store: disk full"), true},
		{TestFunctionFailed("The function failed."), false}, // documented, keeps its message
		{InvalidArgument("x"), false},
		{New("InternalError", 400, "not a fault"), false},
	} {
		if got := tc.e.Internal(); got != tc.want {
			t.Errorf("%v: Internal() = %v", tc.e, got)
		}
	}
}

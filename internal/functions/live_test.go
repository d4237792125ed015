package functions

import "testing"

func TestLiveFunctionExists(t *testing.T) {
	e := newEnv(t, Options{})
	created := e.create(t, "fn")
	check := func(arn string, want bool) {
		t.Helper()
		got, err := e.svc.LiveFunctionExists(ctx, acct, arn)
		if err != nil || got != want {
			t.Errorf("LiveFunctionExists(%q) = %v, %v; want %v", arn, got, err, want)
		}
	}
	check(created.ARN, false) // DEVELOPMENT only
	if _, err := e.svc.Publish(ctx, acct, "fn", created.ETag); err != nil {
		t.Fatal(err)
	}
	check(created.ARN, true)
	check(FunctionARN("999999999999", "fn"), false) // another account's ARN
	check(FunctionARN(acct, "missing"), false)
	check("arn:aws:cloudfront::"+acct+":key-value-store/x", false)
	check("not an arn", false)
}

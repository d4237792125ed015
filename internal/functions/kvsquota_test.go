package functions

import (
	"fmt"
	"strings"
	"testing"
)

// At most MaxFunctionsPerKVS functions may use one store; either stage counts, the
// function being updated does not count against itself, and other stores are unaffected.
func TestFunctionsPerKVSQuota(t *testing.T) {
	other := strings.Replace(kvsARN, "54947df8", "00000000", 1)
	e := newEnv(t, Options{})
	js2 := func(arns ...string) Config { return Config{Runtime: RuntimeJS2, KeyValueStoreARNs: arns} }
	for i := range MaxFunctionsPerKVS {
		if _, err := e.svc.Create(ctx, acct, CreateInput{Name: fmt.Sprintf("f%d", i), Config: js2(kvsARN), Code: code1}); err != nil {
			t.Fatalf("function %d: %v", i, err)
		}
	}
	_, err := e.svc.Create(ctx, acct, CreateInput{Name: "eleventh", Config: js2(kvsARN), Code: code1})
	wantCode(t, err, "InvalidArgument", 400)
	if err != nil && !strings.Contains(err.Error(), "maximum number of functions (10)") {
		t.Errorf("message: %v", err)
	}
	// Another store, and no store at all, are still fine.
	if _, err := e.svc.Create(ctx, acct, CreateInput{Name: "other", Config: js2(other), Code: code1}); err != nil {
		t.Fatal(err)
	}
	// An associated function can be updated, keeping its association.
	if _, err := e.svc.Update(ctx, acct, "f0", "ETVPDKIKX0DER", js2(kvsARN), code1); err != nil {
		t.Fatalf("update of an associated function: %v", err)
	}
	// Moving "other" onto the full store fails.
	_, err = e.svc.Update(ctx, acct, "other", "ETVPDKIKX0DER", js2(kvsARN), code1)
	wantCode(t, err, "InvalidArgument", 400)

	// f1 drops the store from DEVELOPMENT after publishing: LIVE still holds a place.
	e.publish(t, "f1")
	if _, err := e.svc.Update(ctx, acct, "f1", "ETVPDKIKX0DER", js2(), code1); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Update(ctx, acct, "other", "ETVPDKIKX0DER", js2(kvsARN), code1)
	wantCode(t, err, "InvalidArgument", 400)

	// Deleting f2 frees a place.
	if err := e.svc.Delete(ctx, acct, "f2", "ETVPDKIKX0DER"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Update(ctx, acct, "other", "ETVPDKIKX0DER", js2(kvsARN), code1); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
}

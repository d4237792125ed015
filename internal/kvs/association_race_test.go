package kvs_test

import (
	"context"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const raceAccount = "123456789012"

const raceCode = "import cf from 'cloudfront'; async function handler(event) { return event.request; }"

// usageThenAssociate and existsThenDelete run a step between a service's check made outside
// its write transaction and that transaction, as another client could.
type usageThenAssociate struct {
	*functions.Service // KeyValueStoreInUseTx comes from the real service
	between            func()
}

func (u usageThenAssociate) KeyValueStoreInUse(ctx context.Context, account, arn string) (bool, error) {
	used, err := u.Service.KeyValueStoreInUse(ctx, account, arn)
	u.between()
	return used, err
}

type existsThenDelete struct {
	*kvs.Service // KeyValueStoreExistsTx comes from the real service
	between      func()
}

func (e existsThenDelete) KeyValueStoreExists(ctx context.Context, account, arn string) (bool, error) {
	ok, err := e.Service.KeyValueStoreExists(ctx, account, arn)
	e.between()
	return ok, err
}

// A store is never deleted while a function is being associated with it, nor a function
// associated with a store being deleted: both services check again inside their own write
// transaction of the shared store.
func TestAssociationAndStoreDeleteDoNotRace(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kv := kvs.New(db, kvs.Options{})
	var between func()
	fn := functions.New(db, runtime.NewEngine(runtime.Options{}), functions.Options{
		KVS: existsThenDelete{Service: kv, between: func() { between() }},
	})
	kv.SetUsageChecker(usageThenAssociate{Service: fn, between: func() { between() }})

	// Deleting a store while a function is associated with it in between the checks.
	st, err := kv.Create(ctx, raceAccount, kvs.CreateInput{Name: "config"})
	if err != nil {
		t.Fatal(err)
	}
	between = func() {
		between = func() {}
		if _, err := fn.Create(ctx, raceAccount, functions.CreateInput{Name: "reader", Code: []byte(raceCode),
			Config: functions.Config{Comment: "", Runtime: "cloudfront-js-2.0", KeyValueStoreARNs: []string{st.ARN}}}); err != nil {
			t.Fatalf("associating: %v", err)
		}
	}
	err = kv.Delete(ctx, raceAccount, "config", st.ETag)
	if e := apierror.As(err); e == nil || e.Code != "CannotDeleteEntityWhileInUse" {
		t.Fatalf("delete with a function associated in between: %v", err)
	}

	// Associating a function with a store deleted in between the checks.
	other, err := kv.Create(ctx, raceAccount, kvs.CreateInput{Name: "doomed"})
	if err != nil {
		t.Fatal(err)
	}
	between = func() {
		between = func() {}
		if err := kv.Delete(ctx, raceAccount, "doomed", other.ETag); err != nil {
			t.Fatalf("deleting: %v", err)
		}
	}
	_, err = fn.Create(ctx, raceAccount, functions.CreateInput{Name: "orphan", Code: []byte(raceCode),
		Config: functions.Config{Comment: "", Runtime: "cloudfront-js-2.0", KeyValueStoreARNs: []string{other.ARN}}})
	if e := apierror.As(err); e == nil || e.Code != "InvalidArgument" {
		t.Fatalf("associating with a store deleted in between: %v", err)
	}
	if _, err := fn.Describe(ctx, raceAccount, "orphan", functions.Development); err == nil {
		t.Fatal("the function was created with a deleted store")
	}
}

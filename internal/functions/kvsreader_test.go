package functions

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/runtime"
)

type fakeReader struct{ arn string }

func (fakeReader) Get(string) (string, bool) { return "", false }
func (fakeReader) KeyCount() int             { return 0 }
func (fakeReader) Created() time.Time        { return time.Time{} }
func (fakeReader) LastUpdated() time.Time    { return time.Time{} }
func (fakeReader) ID() string                { return "" }

type fakeReaders struct {
	asked []string
	err   error
}

func (f *fakeReaders) KVSReader(_ context.Context, arn string) (runtime.KVSReader, error) {
	f.asked = append(f.asked, arn)
	if f.err != nil {
		return nil, f.err
	}
	return fakeReader{arn: arn}, nil
}

// TestFunction gives the runtime the snapshot of the tested stage's associated store.
func TestTestPassesTheAssociatedStore(t *testing.T) {
	readers := &fakeReaders{}
	e := newEnv(t, Options{KVSReaders: readers})
	other := strings.Replace(kvsARN, "54947df8", "00000000", 1)
	js2 := func(arns ...string) Config { return Config{Runtime: RuntimeJS2, KeyValueStoreARNs: arns} }
	if _, err := e.svc.Create(ctx, acct, CreateInput{Name: "f", Config: js2(kvsARN), Code: code1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Test(ctx, acct, "f", "ETVPDKIKX0DER", TestInput{Event: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if r, ok := e.tester.last.KVS.(fakeReader); !ok || r.arn != kvsARN {
		t.Fatalf("tester got KVS %#v", e.tester.last.KVS)
	}
	// LIVE keeps the published association while DEVELOPMENT moves to another store.
	e.publish(t, "f")
	if _, err := e.svc.Update(ctx, acct, "f", "ETVPDKIKX0DER", js2(other), code1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Test(ctx, acct, "f", "E3UN6WX5RRO2AG", TestInput{Stage: Live, Event: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.tester.last.KVS.(fakeReader); r.arn != kvsARN {
		t.Errorf("LIVE test read %s", r.arn)
	}
	if _, err := e.svc.Test(ctx, acct, "f", "E3UN6WX5RRO2AG", TestInput{Event: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.tester.last.KVS.(fakeReader); r.arn != other {
		t.Errorf("DEVELOPMENT test read %s", r.arn)
	}
	// Without an association there is no reader; a failing source fails the test call.
	if _, err := e.svc.Create(ctx, acct, CreateInput{Name: "plain", Config: js2(), Code: code1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Test(ctx, acct, "plain", "ETVPDKIKX0DER", TestInput{Event: []byte("{}")}); err != nil || e.tester.last.KVS != nil {
		t.Errorf("unassociated: %v, KVS %#v", err, e.tester.last.KVS)
	}
	readers.err = errors.New("store unavailable")
	_, err := e.svc.Test(ctx, acct, "f", "E3UN6WX5RRO2AG", TestInput{Event: []byte("{}")})
	wantCode(t, err, "InternalError", 500)
}

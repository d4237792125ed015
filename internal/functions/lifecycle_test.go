package functions

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/runtime"
)

func TestLifecycleStagesETagsStatus(t *testing.T) {
	clock := newClock()
	e := newEnv(t, Options{Clock: clock.Now})
	arn := FunctionARN(acct, "fn")

	created, err := e.svc.Create(ctx, acct, CreateInput{Name: "fn", Config: cfg1(), Code: code1})
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Name: "fn", Status: StatusUnpublished, Config: cfg1(), ARN: arn, Stage: Development,
		CreatedTime: created.CreatedTime, LastModifiedTime: created.CreatedTime, ETag: "ETVPDKIKX0DER"}
	if !reflect.DeepEqual(created, want) {
		t.Fatalf("Create =\n%+v\nwant\n%+v", created, want)
	}
	if ct := created.CreatedTime; ct.Location() != time.UTC || ct.Nanosecond()%int(time.Millisecond) != 0 {
		t.Fatalf("CreatedTime %v is not UTC milliseconds", ct)
	}
	if d, err := e.svc.Describe(ctx, acct, "fn", Development); err != nil || !reflect.DeepEqual(d, created) {
		t.Fatalf("Describe = %+v, %v", d, err)
	}
	_, err = e.svc.Describe(ctx, acct, "fn", Live)
	wantCode(t, err, "NoSuchFunctionExists", 404)
	_, _, err = e.svc.GetCode(ctx, acct, "fn", Live)
	wantCode(t, err, "NoSuchFunctionExists", 404)
	_, err = e.svc.Describe(ctx, acct, "fn", "STAGING")
	wantCode(t, err, "InvalidArgument", 400)
	_, err = e.svc.Describe(ctx, acct, "nope", "")
	wantCode(t, err, "NoSuchFunctionExists", 404)

	// Publish: LIVE takes the DEVELOPMENT ETag, which stays (terraform acceptance tests).
	live, err := e.svc.Publish(ctx, acct, "fn", "ETVPDKIKX0DER")
	if err != nil {
		t.Fatal(err)
	}
	if live.Stage != Live || live.ETag != "ETVPDKIKX0DER" || live.Status != StatusUnassociated || live.Config.Comment != "first" {
		t.Fatalf("Publish = %+v", live)
	}
	dev, _ := e.svc.Describe(ctx, acct, "fn", "")
	if dev.ETag != "ETVPDKIKX0DER" || dev.Status != StatusUnassociated {
		t.Fatalf("DEVELOPMENT after publish = %+v", dev)
	}
	// §14 Q4: nothing new to publish → PreconditionFailed.
	_, err = e.svc.Publish(ctx, acct, "fn", "ETVPDKIKX0DER")
	wantCode(t, err, "PreconditionFailed", 412)

	// Update: new DEVELOPMENT version and ETag, config replaced wholesale, LIVE untouched.
	code2 := []byte("function handler(event) { return event.response; }")
	cfg2 := Config{Comment: "", Runtime: RuntimeJS2, KeyValueStoreARNs: []string{kvsARN}}
	upd, err := e.svc.Update(ctx, acct, "fn", "ETVPDKIKX0DER", cfg2, code2)
	if err != nil {
		t.Fatal(err)
	}
	if upd.ETag != "E3UN6WX5RRO2AG" || !reflect.DeepEqual(upd.Config, cfg2) || upd.Status != StatusUnpublished ||
		!upd.CreatedTime.Equal(created.CreatedTime) || !upd.LastModifiedTime.After(created.LastModifiedTime) {
		t.Fatalf("Update = %+v", upd)
	}
	liveNow, _ := e.svc.Describe(ctx, acct, "fn", Live)
	if liveNow.ETag != "ETVPDKIKX0DER" || liveNow.Config.Runtime != RuntimeJS1 || liveNow.Status != StatusUnpublished {
		t.Fatalf("LIVE after update = %+v", liveNow)
	}
	if c, etag, _ := e.svc.GetCode(ctx, acct, "fn", Live); !bytes.Equal(c, code1) || etag != "ETVPDKIKX0DER" {
		t.Fatalf("LIVE code after update = %q %s", c, etag)
	}
	if c, etag, _ := e.svc.GetCode(ctx, acct, "fn", ""); !bytes.Equal(c, code2) || etag != "E3UN6WX5RRO2AG" {
		t.Fatalf("DEVELOPMENT code after update = %q %s", c, etag)
	}
	// The old ETag is now stale for everything.
	_, err = e.svc.Publish(ctx, acct, "fn", "ETVPDKIKX0DER")
	wantCode(t, err, "PreconditionFailed", 412)

	// Second publish copies code and config; LIVE keeps its first CreatedTime.
	e.assoc.set(arn, true)
	live2, err := e.svc.Publish(ctx, acct, "fn", "E3UN6WX5RRO2AG")
	if err != nil {
		t.Fatal(err)
	}
	if live2.ETag != "E3UN6WX5RRO2AG" || !reflect.DeepEqual(live2.Config, cfg2) || live2.Status != StatusDeployed ||
		!live2.CreatedTime.Equal(live.CreatedTime) || !live2.LastModifiedTime.After(live.LastModifiedTime) {
		t.Fatalf("second Publish = %+v (first %+v)", live2, live)
	}
	if c, _, _ := e.svc.GetCode(ctx, acct, "fn", Live); !bytes.Equal(c, code2) {
		t.Fatalf("LIVE code after second publish = %q", c)
	}
	if d, _ := e.svc.Describe(ctx, acct, "fn", ""); d.Status != StatusDeployed {
		t.Fatalf("DEVELOPMENT status of an associated function = %s", d.Status)
	}
	upd3, _ := e.svc.Update(ctx, acct, "fn", "E3UN6WX5RRO2AG", cfg1(), code1)
	if upd3.ETag != "E1F83G8C2ARO7P" {
		t.Fatalf("third version ETag = %s", upd3.ETag)
	}

	// In use → FunctionInUse, nothing deleted.
	err = e.svc.Delete(ctx, acct, "fn", upd3.ETag)
	wantCode(t, err, "FunctionInUse", 409)
	e.assoc.set(arn, false)
	err = e.svc.Delete(ctx, acct, "fn", "E3UN6WX5RRO2AG")
	wantCode(t, err, "PreconditionFailed", 412)
	if err := e.svc.Delete(ctx, acct, "fn", upd3.ETag); err != nil {
		t.Fatal(err)
	}
	for _, st := range []Stage{Development, Live} {
		_, err = e.svc.Describe(ctx, acct, "fn", st)
		wantCode(t, err, "NoSuchFunctionExists", 404)
	}
	// The name is free again and starts over at version 1.
	if s := e.create(t, "fn"); s.ETag != "ETVPDKIKX0DER" {
		t.Fatalf("re-created ETag = %s", s.ETag)
	}
	if c, _, _ := e.svc.GetCode(ctx, acct, "fn", ""); !bytes.Equal(c, code1) {
		t.Fatal("re-created function has stale code")
	}
	_, _, err = e.svc.GetCode(ctx, acct, "fn", Live)
	wantCode(t, err, "NoSuchFunctionExists", 404)
}

func TestConditionalErrors(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(t, "fn")
	e.tester.out.Output = "{}"
	type op func(ifMatch string) error
	ops := map[string]op{
		"Update":  func(m string) error { _, err := e.svc.Update(ctx, acct, "fn", m, cfg1(), code1); return err },
		"Publish": func(m string) error { _, err := e.svc.Publish(ctx, acct, "fn", m); return err },
		"Test":    func(m string) error { _, err := e.svc.Test(ctx, acct, "fn", m, TestInput{}); return err },
		"Delete":  func(m string) error { return e.svc.Delete(ctx, acct, "fn", m) },
	}
	missing := map[string]op{
		"Update":  func(m string) error { _, err := e.svc.Update(ctx, acct, "nope", m, cfg1(), code1); return err },
		"Publish": func(m string) error { _, err := e.svc.Publish(ctx, acct, "nope", m); return err },
		"Test":    func(m string) error { _, err := e.svc.Test(ctx, acct, "nope", m, TestInput{}); return err },
		"Delete":  func(m string) error { return e.svc.Delete(ctx, acct, "nope", m) },
	}
	for name, f := range ops {
		t.Run(name, func(t *testing.T) {
			wantCode(t, f(""), "InvalidIfMatchVersion", 400)
			wantCode(t, f(`"ETVPDKIKX0DER"`), "InvalidIfMatchVersion", 400)
			wantCode(t, f("etvpdkikx0der"), "InvalidIfMatchVersion", 400)
			wantCode(t, f("E3UN6WX5RRO2AG"), "PreconditionFailed", 412)
			wantCode(t, missing[name]("ETVPDKIKX0DER"), "NoSuchFunctionExists", 404)
			if d, _ := e.svc.Describe(ctx, acct, "fn", ""); d.ETag != "ETVPDKIKX0DER" {
				t.Fatalf("a failed %s changed the ETag to %s", name, d.ETag)
			}
		})
	}
}

// Of N concurrent writers holding the same ETag exactly one wins; the rest get 412.
// Updates and publishes race separately: a publish keeps the DEVELOPMENT ETag, so one
// of each may rightly succeed together.
func TestOptimisticConcurrency(t *testing.T) {
	for name, mk := range map[string]func(testing.TB, Options) *env{"memory": newEnv, "file": newFileEnv} {
		for _, op := range []string{"update", "publish"} {
			t.Run(name+"/"+op, func(t *testing.T) {
				e := mk(t, Options{})
				e.create(t, "fn")
				const n = 20
				var wg sync.WaitGroup
				errs := make([]error, n)
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if op == "publish" {
							_, errs[i] = e.svc.Publish(ctx, acct, "fn", "ETVPDKIKX0DER")
							return
						}
						c := cfg1()
						c.Comment = strings.Repeat("x", i)
						_, errs[i] = e.svc.Update(ctx, acct, "fn", "ETVPDKIKX0DER", c, code1)
					}()
				}
				wg.Wait()
				wins := 0
				for _, err := range errs {
					if err == nil {
						wins++
						continue
					}
					wantCode(t, err, "PreconditionFailed", 412)
				}
				if wins != 1 {
					t.Fatalf("%d writers won, want exactly 1", wins)
				}
				want := "ETVPDKIKX0DER"
				if op == "update" {
					want = "E3UN6WX5RRO2AG"
				}
				if d, _ := e.svc.Describe(ctx, acct, "fn", ""); d.ETag != want {
					t.Fatalf("ETag after the race = %s, want %s", d.ETag, want)
				}
			})
		}
	}
}

func TestTestFunction(t *testing.T) {
	clock := newClock()
	e := newEnv(t, Options{Clock: clock.Now})
	e.create(t, "fn")
	e.publish(t, "fn")
	code2 := []byte("function handler(e) { return e.response; }")
	if _, err := e.svc.Update(ctx, acct, "fn", "ETVPDKIKX0DER", Config{Comment: "v2", Runtime: RuntimeJS2}, code2); err != nil {
		t.Fatal(err)
	}
	e.tester.out.ComputeUtilization = 21
	e.tester.out.Logs = []string{"a", "b"}
	e.tester.out.Output = `{"request":{}}`
	event := []byte(`{"version":"1.0"}`)

	res, err := e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: event})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.tester.last.Code, code2) || e.tester.last.Runtime != RuntimeJS2 || !bytes.Equal(e.tester.last.Event, event) || e.tester.last.Now.IsZero() {
		t.Fatalf("tester got %+v", e.tester.last)
	}
	if res.Summary.Stage != Development || res.Summary.ETag != "E3UN6WX5RRO2AG" || res.ComputeUtilization != 21 ||
		!reflect.DeepEqual(res.Logs, []string{"a", "b"}) || res.Output != `{"request":{}}` || res.ErrorMessage != "" {
		t.Fatalf("result = %+v", res)
	}

	// LIVE runs the published code; either the DEVELOPMENT or the LIVE ETag is accepted.
	for _, etag := range []string{"E3UN6WX5RRO2AG", "ETVPDKIKX0DER"} {
		res, err = e.svc.Test(ctx, acct, "fn", etag, TestInput{Stage: Live, Event: event})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(e.tester.last.Code, code1) || e.tester.last.Runtime != RuntimeJS1 || res.Summary.Stage != Live || res.Summary.Status != StatusUnpublished {
			t.Fatalf("LIVE test: tester got %+v, result %+v", e.tester.last, res)
		}
	}
	// The LIVE ETag does not pass for DEVELOPMENT.
	_, err = e.svc.Test(ctx, acct, "fn", "ETVPDKIKX0DER", TestInput{Event: event})
	wantCode(t, err, "PreconditionFailed", 412)
	_, err = e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Stage: "PROD"})
	wantCode(t, err, "InvalidArgument", 400)
	_, err = e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: make([]byte, 40961)})
	wantCode(t, err, "InvalidArgument", 400)

	// A JS failure is a successful call carrying the message.
	e.tester.out = runtime.TestOutcome{ErrorMessage: "TypeError: boom"}
	res, err = e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: event})
	if err != nil || res.ErrorMessage != "TypeError: boom" || res.Output != "" {
		t.Fatalf("failing function: %+v, %v", res, err)
	}
	// The tester's API errors pass through; other errors are TestFunctionFailed (500).
	e.tester.err = apierror.InvalidArgument("The event object is not valid JSON.")
	_, err = e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: []byte("{")})
	wantCode(t, err, "InvalidArgument", 400)
	e.tester.err = errors.New("engine crashed")
	_, err = e.svc.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: event})
	wantCode(t, err, "TestFunctionFailed", 500)

	// Without a runtime, Test is a service fault.
	db := New(e.svc.st, nil, Options{})
	_, err = db.Test(ctx, acct, "fn", "E3UN6WX5RRO2AG", TestInput{Event: event})
	wantCode(t, err, "TestFunctionFailed", 500)
}

func TestCheckerFailuresAreInternalErrors(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(t, "fn")
	e.publish(t, "fn")
	e.assoc.err = errors.New("distributions unavailable")
	_, err := e.svc.Describe(ctx, acct, "fn", "")
	wantCode(t, err, "InternalError", 500)
	err = e.svc.Delete(ctx, acct, "fn", "ETVPDKIKX0DER")
	wantCode(t, err, "InternalError", 500)
	e.assoc.err = nil
	if _, err := e.svc.Describe(ctx, acct, "fn", ""); err != nil {
		t.Fatal(err)
	}
}

// kvsFake knows one store.
type kvsFake struct{ arn string }

func (k kvsFake) KeyValueStoreExists(_ context.Context, _ string, arn string) (bool, error) {
	return arn == k.arn, nil
}

func TestKVSAssociations(t *testing.T) {
	other := strings.Replace(kvsARN, "54947df8", "00000000", 1)
	e := newEnv(t, Options{KVS: kvsFake{kvsARN}})
	js2 := func(arns ...string) Config { return Config{Runtime: RuntimeJS2, KeyValueStoreARNs: arns} }
	_, err := e.svc.Create(ctx, acct, CreateInput{Name: "k", Config: js2(other), Code: code1})
	wantCode(t, err, "InvalidArgument", 400)
	if _, err := e.svc.Create(ctx, acct, CreateInput{Name: "k", Config: js2(kvsARN), Code: code1}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Update(ctx, acct, "k", "ETVPDKIKX0DER", js2(other), code1)
	wantCode(t, err, "InvalidArgument", 400)

	for arn, want := range map[string]bool{kvsARN: true, other: false} {
		if got, err := e.svc.KeyValueStoreInUse(ctx, acct, arn); got != want || err != nil {
			t.Errorf("KeyValueStoreInUse(%s) = %v, %v", arn, got, err)
		}
	}
	// Published, then removed from DEVELOPMENT: LIVE still uses it.
	e.publish(t, "k")
	if _, err := e.svc.Update(ctx, acct, "k", "ETVPDKIKX0DER", js2(), code1); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.KeyValueStoreInUse(ctx, acct, kvsARN); !got {
		t.Error("KVS used by LIVE reported unused")
	}
	if got, _ := e.svc.KeyValueStoreInUse(ctx, "444455556666", kvsARN); got {
		t.Error("KVS in use by another account's function")
	}
}

func TestGetReturnsSummaryAndCode(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(t, "fn")
	sum, code, err := e.svc.Get(ctx, acct, "fn", "")
	if err != nil || sum.ETag != "ETVPDKIKX0DER" || !bytes.Equal(code, code1) {
		t.Fatalf("Get = %+v, %q, %v", sum, code, err)
	}
}

func TestCancelledContext(t *testing.T) {
	e := newEnv(t, Options{})
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := e.svc.Create(c, acct, CreateInput{Name: "fn", Config: cfg1(), Code: code1})
	wantCode(t, err, "InternalError", 500)
	_, err = e.svc.Describe(ctx, acct, "fn", "")
	wantCode(t, err, "NoSuchFunctionExists", 404)
}

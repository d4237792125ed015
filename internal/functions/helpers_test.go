package functions

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror/apierrortest"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const acct = "111122223333"

var ctx = context.Background()

// fakeClock advances by one second and a bit on every reading, so each write gets a
// distinct, sub-millisecond-carrying time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 3600))}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second + 1234567*time.Nanosecond)
	return c.t
}

// fakeTester records the request and answers with a canned outcome.
type fakeTester struct {
	mu   sync.Mutex
	last runtime.TestRequest
	out  runtime.TestOutcome
	err  error
}

func (f *fakeTester) Test(_ context.Context, req runtime.TestRequest) (runtime.TestOutcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = req
	return f.out, f.err
}

// fakeAssociations says which function ARNs are in use.
type fakeAssociations struct {
	mu    sync.Mutex
	inUse map[string]bool
	err   error
}

func (f *fakeAssociations) FunctionInUse(_ context.Context, _ string, arn string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inUse[arn], f.err
}

func (f *fakeAssociations) set(arn string, v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.inUse == nil {
		f.inUse = map[string]bool{}
	}
	f.inUse[arn] = v
}

type env struct {
	svc    *Service
	tester *fakeTester
	assoc  *fakeAssociations
}

// newEnv builds a Service over a real in-memory SQLite store.
func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	db, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return envOn(db, opts)
}

// newFileEnv builds a Service over a real file-backed SQLite store (separate reader pool).
func newFileEnv(t testing.TB, opts Options) *env {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "lf.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return envOn(db, opts)
}

func envOn(db *sqlite.DB, opts Options) *env {
	e := &env{tester: &fakeTester{}, assoc: &fakeAssociations{}}
	if opts.Clock == nil {
		opts.Clock = newClock().Now
	}
	if opts.Associations == nil {
		opts.Associations = e.assoc
	}
	e.svc = New(db, e.tester, opts)
	return e
}

var code1 = []byte("function handler(event) { return event.request; }")

func cfg1() Config { return Config{Comment: "first", Runtime: RuntimeJS1} }

func (e *env) create(t testing.TB, name string) Summary {
	t.Helper()
	s, err := e.svc.Create(ctx, acct, CreateInput{Name: name, Config: cfg1(), Code: code1})
	if err != nil {
		t.Fatalf("Create(%s): %v", name, err)
	}
	return s
}

func (e *env) publish(t testing.TB, name string) Summary {
	t.Helper()
	d, err := e.svc.Describe(ctx, acct, name, "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.svc.Publish(ctx, acct, name, d.ETag)
	if err != nil {
		t.Fatalf("Publish(%s): %v", name, err)
	}
	return s
}

// wantCode asserts err is an *apierror.Error with the code and status.
func wantCode(t testing.TB, err error, code string, status int) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	apierrortest.Want(t, err, code, status)
}

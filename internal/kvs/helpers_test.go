package kvs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/apierror/apierrortest"
	"github.com/localfront/localfront/internal/store"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const acct = "123456789012"

// testClock advances one second per reading, so every timestamp is distinct.
type testClock struct{ n atomic.Int64 }

func (c *testClock) Now() time.Time {
	return time.Date(2024, 8, 6, 22, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * time.Second)
}

// sequentialIDs returns UUID-shaped ids 00000000-0000-4000-8000-000000000001, …
func sequentialIDs() func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

func openMemory(t testing.TB) store.Store {
	t.Helper()
	db, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newTestService(t testing.TB, opts Options) *Service {
	t.Helper()
	return newServiceOn(t, openMemory(t), opts)
}

func newServiceOn(t testing.TB, st store.Store, opts Options) *Service {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = (&testClock{}).Now
	}
	if opts.NewID == nil {
		opts.NewID = sequentialIDs()
	}
	s := New(st, opts)
	t.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(t testing.TB, s *Service, name string) Store {
	t.Helper()
	st, err := s.Create(context.Background(), acct, CreateInput{Name: name})
	if err != nil {
		t.Fatalf("Create(%s): %v", name, err)
	}
	return st
}

// wantCode fails unless err is an *apierror.Error with code and its model status.
var wantCode = apierrortest.Want

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var errBoom = errors.New("boom")

type storeReadTx = store.ReadTx

func apiErr(err error) *apierror.Error { return apierror.As(err) }

func openFile(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

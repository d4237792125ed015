package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/store"
)

const kind store.Kind = "thing"

// openers runs each test against a file database and an in-memory one.
func openers(t *testing.T) map[string]func(t *testing.T) *DB {
	return map[string]func(t *testing.T) *DB{
		"file": func(t *testing.T) *DB {
			db, err := Open(filepath.Join(t.TempDir(), "data.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		"memory": func(t *testing.T) *DB {
			db, err := OpenMemory()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
	}
}

func forEach(t *testing.T, test func(t *testing.T, db *DB)) {
	for name, open := range openers(t) {
		t.Run(name, func(t *testing.T) { test(t, open(t)) })
	}
}

func put(t *testing.T, db *DB, account, key, value string) {
	t.Helper()
	if err := db.Update(context.Background(), func(tx store.Tx) error {
		return tx.Put(kind, account, key, []byte(value))
	}); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, db *DB, account, key string) (string, error) {
	t.Helper()
	var v []byte
	err := db.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		v, err = tx.Get(kind, account, key)
		return err
	})
	return string(v), err
}

func TestCRUD(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		if _, err := get(t, db, "a", "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("get missing: err = %v, want ErrNotFound", err)
		}
		put(t, db, "a", "k", "v1")
		if v, err := get(t, db, "a", "k"); err != nil || v != "v1" {
			t.Fatalf("get = %q, %v", v, err)
		}
		put(t, db, "a", "k", "v2")
		if v, _ := get(t, db, "a", "k"); v != "v2" {
			t.Fatalf("after replace: %q", v)
		}
		// Same key under another account or kind is a different document.
		if _, err := get(t, db, "b", "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account: %v", err)
		}
		if err := db.View(context.Background(), func(tx store.ReadTx) error {
			_, err := tx.Get("other", "a", "k")
			return err
		}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other kind: %v", err)
		}
		// Binary values and empty values round-trip.
		bin := string([]byte{0, 1, 2, 0xff, 0})
		put(t, db, "a", "bin", bin)
		put(t, db, "a", "empty", "")
		if v, err := get(t, db, "a", "bin"); err != nil || v != bin {
			t.Fatalf("binary = %q, %v", v, err)
		}
		if v, err := get(t, db, "a", "empty"); err != nil || v != "" {
			t.Fatalf("empty = %q, %v", v, err)
		}
		if err := db.Update(context.Background(), func(tx store.Tx) error {
			if err := tx.Delete(kind, "a", "k"); err != nil {
				return err
			}
			return tx.Delete(kind, "a", "never-existed")
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := get(t, db, "a", "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if err := db.Update(context.Background(), func(tx store.Tx) error {
			return tx.Put(kind, "a", "", []byte("x"))
		}); err == nil {
			t.Fatal("empty key accepted")
		}
	})
}

func keys(docs []store.Doc) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, d.Key)
	}
	return out
}

func TestListCountDeleteAll(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		// Inserted out of order; "B" < "a" < "a-" < "b" in byte order.
		for _, k := range []string{"b", "a-", "B", "a", "é", "z"} {
			put(t, db, "acct", k, "v"+k)
		}
		put(t, db, "other", "c", "x")
		cases := []struct {
			after string
			limit int
			want  string
		}{
			{"", 0, "[B a a- b z é]"},
			{"", 2, "[B a]"},
			{"a", 2, "[a- b]"},
			{"a-", -1, "[b z é]"},
			{"az", 0, "[b z é]"},
			{"é", 0, "[]"},
		}
		err := db.View(context.Background(), func(tx store.ReadTx) error {
			for _, c := range cases {
				docs, err := tx.List(kind, "acct", c.after, c.limit)
				if err != nil {
					return err
				}
				if got := fmt.Sprint(keys(docs)); got != c.want {
					t.Errorf("List(after=%q, limit=%d) = %s, want %s", c.after, c.limit, got, c.want)
				}
				for _, d := range docs {
					if string(d.Value) != "v"+d.Key {
						t.Errorf("value of %q = %q", d.Key, d.Value)
					}
				}
			}
			n, err := tx.Count(kind, "acct")
			if n != 6 || err != nil {
				t.Errorf("Count = %d, %v; want 6", n, err)
			}
			n, err = tx.Count(kind, "nobody")
			if n != 0 || err != nil {
				t.Errorf("Count(empty) = %d, %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(context.Background(), func(tx store.Tx) error {
			return tx.DeleteAll(kind, "acct")
		}); err != nil {
			t.Fatal(err)
		}
		db.View(context.Background(), func(tx store.ReadTx) error {
			if n, _ := tx.Count(kind, "acct"); n != 0 {
				t.Errorf("after DeleteAll: Count = %d", n)
			}
			if n, _ := tx.Count(kind, "other"); n != 1 {
				t.Errorf("DeleteAll touched another account: Count = %d", n)
			}
			return nil
		})
	})
}

func TestRollbackOnError(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		put(t, db, "a", "keep", "old")
		sentinel := errors.New("boom")
		err := db.Update(context.Background(), func(tx store.Tx) error {
			tx.Put(kind, "a", "keep", []byte("new"))
			tx.Put(kind, "a", "added", []byte("x"))
			tx.DeleteAll(kind, "a")
			return sentinel
		})
		if err != sentinel {
			t.Fatalf("Update returned %v, want the fn's error unchanged", err)
		}
		if v, _ := get(t, db, "a", "keep"); v != "old" {
			t.Fatalf("keep = %q after rollback", v)
		}
		if _, err := get(t, db, "a", "added"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("added survived rollback: %v", err)
		}
		// A panic inside fn also rolls back and leaves the store usable.
		func() {
			defer func() { recover() }()
			db.Update(context.Background(), func(tx store.Tx) error {
				tx.Put(kind, "a", "keep", []byte("panic"))
				panic("fn panicked")
			})
		}()
		if v, err := get(t, db, "a", "keep"); v != "old" || err != nil {
			t.Fatalf("keep = %q, %v after panic", v, err)
		}
	})
}

func TestViewSeesOneSnapshotAndOwnWrites(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		err := db.Update(context.Background(), func(tx store.Tx) error {
			if err := tx.Put(kind, "a", "k", []byte("v")); err != nil {
				return err
			}
			v, err := tx.Get(kind, "a", "k")
			if string(v) != "v" || err != nil {
				t.Errorf("read own write: %q, %v", v, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	// File mode only: a reader's snapshot is unaffected by a commit made meanwhile.
	db := openers(t)["file"](t)
	put(t, db, "a", "k", "before")
	err := db.View(context.Background(), func(tx store.ReadTx) error {
		if v, _ := tx.Get(kind, "a", "k"); string(v) != "before" {
			t.Errorf("first read %q", v)
		}
		put(t, db, "a", "k", "after") // commits while the snapshot is open
		if v, _ := tx.Get(kind, "a", "k"); string(v) != "before" {
			t.Errorf("snapshot changed under the reader: %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := get(t, db, "a", "k"); v != "after" {
		t.Fatalf("new view = %q", v)
	}
}

func TestDurableAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub dir?#", "data.db")
	if _, err := Open(path); err == nil {
		t.Fatal("Open succeeded although the directory does not exist")
	}
	path = filepath.Join(t.TempDir(), "odd ?name#.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	put(t, db, "a", "k", "durable")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(context.Background(), func(store.Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("Update after Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := get(t, db, "a", "k"); v != "durable" || err != nil {
		t.Fatalf("after reopen: %q, %v", v, err)
	}
}

func TestMemoryDatabasesArePrivate(t *testing.T) {
	a, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	put(t, a, "x", "k", "v")
	if _, err := get(t, b, "x", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second memory store sees the first's data: %v", err)
	}
}

// TestConcurrentUpdatesSerializable: N read-modify-write transactions on one counter
// must give exactly N, which only holds if no two interleave.
func TestConcurrentUpdatesSerializable(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		const n = 50
		put(t, db, "a", "counter", "0")
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Update(context.Background(), func(tx store.Tx) error {
					v, err := tx.Get(kind, "a", "counter")
					if err != nil {
						return err
					}
					i, err := strconv.Atoi(string(v))
					if err != nil {
						return err
					}
					return tx.Put(kind, "a", "counter", []byte(strconv.Itoa(i+1)))
				})
			}()
			// Readers run alongside and must always see a whole number.
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := get(t, db, "a", "counter")
				if _, perr := strconv.Atoi(v); err != nil || perr != nil {
					errs <- fmt.Errorf("reader saw %q, %v", v, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if v, _ := get(t, db, "a", "counter"); v != strconv.Itoa(n) {
			t.Fatalf("counter = %s, want %d", v, n)
		}
	})
}

func TestContextCancellation(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		ran := false
		err := db.Update(canceled, func(store.Tx) error { ran = true; return nil })
		if !errors.Is(err, context.Canceled) || ran {
			t.Fatalf("Update(canceled) = %v, ran = %v", err, ran)
		}
		err = db.View(canceled, func(store.ReadTx) error { ran = true; return nil })
		if !errors.Is(err, context.Canceled) || ran {
			t.Fatalf("View(canceled) = %v, ran = %v", err, ran)
		}

		// Cancelled in the middle of fn: the write is not committed.
		ctx, cancel := context.WithCancel(context.Background())
		err = db.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put(kind, "a", "k", []byte("v")); err != nil {
				return err
			}
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Update cancelled mid-way = %v", err)
		}
		if _, err := get(t, db, "a", "k"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("cancelled write was committed: %v", err)
		}

		// Waiting for the writer ends when the context does.
		hold := make(chan struct{})
		holding := make(chan struct{})
		go db.Update(context.Background(), func(store.Tx) error {
			close(holding)
			<-hold
			return nil
		})
		<-holding
		ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err = db.Update(ctx, func(store.Tx) error { return nil })
		close(hold)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Update waiting for the writer = %v", err)
		}
	})
}

func TestTxUnusableAfterFn(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		var leaked store.Tx
		db.Update(context.Background(), func(tx store.Tx) error { leaked = tx; return nil })
		if err := leaked.Put(kind, "a", "k", []byte("v")); err == nil {
			t.Fatal("Put on a finished transaction succeeded")
		}
	})
}

func TestCloseWaitsForRunningTransactions(t *testing.T) {
	forEach(t, func(t *testing.T, db *DB) {
		inside := make(chan struct{})
		release := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- db.Update(context.Background(), func(tx store.Tx) error {
				close(inside)
				<-release
				return tx.Put(kind, "a", "k", []byte("v"))
			})
		}()
		<-inside
		closed := make(chan error, 1)
		go func() { closed <- db.Close() }()
		select {
		case <-closed:
			t.Fatal("Close returned while a transaction was running")
		case <-time.After(20 * time.Millisecond):
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("running Update failed: %v", err)
		}
		if err := <-closed; err != nil {
			t.Fatalf("Close: %v", err)
		}
	})
}

func BenchmarkDurableUpdate(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 600)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := db.Update(ctx, func(tx store.Tx) error {
			return tx.Put(kind, "a", strconv.Itoa(i%100), value)
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkView(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	db.Update(ctx, func(tx store.Tx) error { return tx.Put(kind, "a", "k", make([]byte, 600)) })
	for b.Loop() {
		if err := db.View(ctx, func(tx store.ReadTx) error {
			_, err := tx.Get(kind, "a", "k")
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFilePragmas(t *testing.T) {
	db := openers(t)["file"](t)
	for _, c := range []struct {
		pool   *sql.DB
		pragma string
		want   string
	}{
		{db.write, "journal_mode", "wal"},
		{db.write, "synchronous", "2"}, // FULL
		{db.write, "busy_timeout", busyTimeoutMS},
		{db.read, "journal_mode", "wal"},
		{db.read, "query_only", "1"},
	} {
		var got string
		if err := c.pool.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
}

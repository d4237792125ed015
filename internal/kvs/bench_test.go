package kvs

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkSnapshotGet(b *testing.B) { benchSnapshotGet(b, false) }

// With recent writes held in the snapshot's overlay (a second map lookup on a miss).
func BenchmarkSnapshotGetOverlay(b *testing.B) { benchSnapshotGet(b, true) }

func benchSnapshotGet(b *testing.B, overlay bool) {
	s := newTestService(b, Options{})
	ctx := context.Background()
	arn := seededStore(b, s, "bench", 1000)
	sn, err := s.Snapshot(ctx, arn)
	if err != nil {
		b.Fatal(err)
	}
	if overlay {
		if _, err := s.PutKey(ctx, acct, arn, sn.ETag(), "other", "x"); err != nil {
			b.Fatal(err)
		}
		if sn, _ = s.Snapshot(ctx, arn); len(sn.overlay) == 0 {
			b.Fatal("no overlay")
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sn, err := s.Snapshot(ctx, arn)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := sn.Get("key00500"); !ok {
			b.Fatal("missing")
		}
	}
}

// seededStore creates a store holding n keys of 100-byte values.
func seededStore(b testing.TB, s *Service, name string, n int) string {
	ctx := context.Background()
	arn := mustCreate(b, s, name).ARN
	etag := "KVTVPDKIKX0DER"
	for i := 0; i < n; i += MaxBatchKeys {
		var puts []KeyValue
		for j := i; j < min(n, i+MaxBatchKeys); j++ {
			puts = append(puts, KeyValue{fmt.Sprintf("key%05d", j), strings.Repeat("v", 100)})
		}
		w, err := s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts})
		if err != nil {
			b.Fatal(err)
		}
		etag = w.ETag
	}
	return arn
}

func durableService(b *testing.B) *Service {
	db := openFile(b, filepath.Join(b.TempDir(), "bench.db"))
	b.Cleanup(func() { db.Close() })
	return newServiceOn(b, db, Options{})
}

func benchWrites(b *testing.B, keys int, batch int, loaded bool) {
	s := durableService(b)
	ctx := context.Background()
	arn := seededStore(b, s, "w", keys)
	d, err := s.DescribeData(ctx, acct, arn)
	if err != nil {
		b.Fatal(err)
	}
	if loaded { // a function has read the store, so each write also refreshes the snapshot
		if _, err := s.Snapshot(ctx, arn); err != nil {
			b.Fatal(err)
		}
	}
	etag := d.ETag
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var w WriteResult
		if batch == 1 {
			w, err = s.PutKey(ctx, acct, arn, etag, fmt.Sprintf("key%05d", i%keys), "value")
		} else {
			puts := make([]KeyValue, batch)
			for j := range puts {
				puts[j] = KeyValue{fmt.Sprintf("key%05d", (i*batch+j)%keys), "value"}
			}
			w, err = s.UpdateKeys(ctx, acct, arn, etag, UpdateKeysInput{Puts: puts})
		}
		if err != nil {
			b.Fatal(err)
		}
		etag = w.ETag
	}
}

func BenchmarkDurablePutKey(b *testing.B)                  { benchWrites(b, 1000, 1, false) }
func BenchmarkDurableUpdateKeys50(b *testing.B)            { benchWrites(b, 1000, 50, false) }
func BenchmarkDurablePutKeySnapshot1k(b *testing.B)        { benchWrites(b, 1000, 1, true) }
func BenchmarkDurablePutKeySnapshot10k(b *testing.B)       { benchWrites(b, 10000, 1, true) }
func BenchmarkDurableUpdateKeys50Snapshot10k(b *testing.B) { benchWrites(b, 10000, 50, true) }

func BenchmarkSnapshotLoad10k(b *testing.B) {
	s := newTestService(b, Options{})
	ctx := context.Background()
	arn := seededStore(b, s, "load", 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.snapshots.Delete(arn)
		if _, err := s.Snapshot(ctx, arn); err != nil {
			b.Fatal(err)
		}
	}
}

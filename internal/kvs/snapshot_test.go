package kvs

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

func TestSnapshotFollowsWrites(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	st := mustCreate(t, s, "snap")
	sn0, err := s.Snapshot(ctx, st.ARN)
	noErr(t, err)
	if sn0.ARN() != st.ARN || sn0.ETag() != "KVTVPDKIKX0DER" || sn0.Meta().KeyCount != 0 || !sn0.Meta().Created.Equal(st.LastModified) {
		t.Fatalf("fresh snapshot: %+v", sn0.Meta())
	}
	w, err := s.UpdateKeys(ctx, acct, st.ARN, sn0.ETag(), UpdateKeysInput{Puts: []KeyValue{{"a", "1"}, {"b", "2"}}})
	noErr(t, err)
	sn1, err := s.Snapshot(ctx, st.ARN)
	noErr(t, err)
	if sn1.ETag() != w.ETag || sn1.Meta().KeyCount != 2 || !sn1.Meta().LastUpdated.After(sn0.Meta().LastUpdated) {
		t.Fatalf("after write: %s %+v", sn1.ETag(), sn1.Meta())
	}
	if v, ok := sn1.Get("b"); !ok || v != "2" {
		t.Fatalf("Get(b) = %q %v", v, ok)
	}
	// The older snapshot is immutable.
	if _, ok := sn0.Get("a"); ok || sn0.Meta().KeyCount != 0 {
		t.Fatal("an old snapshot changed")
	}
	w, err = s.DeleteKey(ctx, acct, st.ARN, w.ETag, "a")
	noErr(t, err)
	sn2, _ := s.Snapshot(ctx, st.ARN)
	if _, ok := sn2.Get("a"); ok || sn2.Meta().KeyCount != 1 {
		t.Fatal("delete not visible")
	}
	if _, ok := sn1.Get("a"); !ok {
		t.Fatal("delete leaked into an old snapshot")
	}
	// A failed write changes nothing.
	_, err = s.PutKey(ctx, acct, st.ARN, "KVSTALE", "c", "3")
	wantCode(t, err, "ConflictException", 409)
	if sn3, _ := s.Snapshot(ctx, st.ARN); sn3 != sn2 {
		t.Fatal("a rejected write replaced the snapshot")
	}
	_, err = s.Snapshot(ctx, "arn:aws:cloudfront::123456789012:key-value-store/nope")
	wantCode(t, err, "ResourceNotFoundException", 404)
	if _, ok := s.snapshots.Load("arn:aws:cloudfront::123456789012:key-value-store/nope"); ok {
		t.Fatal("a missing store left a cache entry")
	}
}

// A reader never sees part of a batch: every UpdateKeys sets all 50 keys to the same
// value, so any snapshot must hold 50 equal values, never decreasing over time.
func TestSnapshotNeverShowsPartialBatch(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "batch").ARN
	batch := func(n int) []KeyValue {
		var puts []KeyValue
		for i := 0; i < MaxBatchKeys; i++ {
			puts = append(puts, KeyValue{fmt.Sprintf("k%02d", i), strconv.Itoa(n)})
		}
		return puts
	}
	w, err := s.UpdateKeys(ctx, acct, arn, "KVTVPDKIKX0DER", UpdateKeysInput{Puts: batch(0)})
	noErr(t, err)

	var stop atomic.Bool
	var wg sync.WaitGroup
	var checks atomic.Int64
	errs := make(chan error, 4)
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func(evict bool) {
			defer wg.Done()
			last := -1
			for !stop.Load() {
				if evict { // exercise the loader racing with writers
					s.snapshots.Delete(arn)
				}
				sn, err := s.Snapshot(ctx, arn)
				if err != nil {
					errs <- err
					return
				}
				first, _ := sn.Get("k00")
				for i := 1; i < MaxBatchKeys; i++ {
					if v, _ := sn.Get(fmt.Sprintf("k%02d", i)); v != first {
						errs <- fmt.Errorf("partial batch: k00=%s k%02d=%s", first, i, v)
						return
					}
				}
				n, _ := strconv.Atoi(first)
				if n < last {
					errs <- fmt.Errorf("went back from %d to %d", last, n)
					return
				}
				last = n
				checks.Add(1)
			}
		}(r == 2)
	}
	const rounds = 150
	for n := 1; n <= rounds; n++ {
		w, err = s.UpdateKeys(ctx, acct, arn, w.ETag, UpdateKeysInput{Puts: batch(n)})
		noErr(t, err)
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	sn, err := s.Snapshot(ctx, arn)
	noErr(t, err)
	if v, _ := sn.Get("k49"); v != strconv.Itoa(rounds) || sn.ETag() != w.ETag {
		t.Fatalf("final snapshot at %s (%s), want %d (%s)", v, sn.ETag(), rounds, w.ETag)
	}
	if checks.Load() == 0 {
		t.Fatal("readers checked nothing")
	}
}

// Parallel UpdateKeys with the same ETag: exactly one wins, the rest get ConflictException.
func TestConcurrentWritersOneWins(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	arn := mustCreate(t, s, "race").ARN
	const n = 16
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, results[i] = s.UpdateKeys(ctx, acct, arn, "KVTVPDKIKX0DER", UpdateKeysInput{Puts: []KeyValue{{fmt.Sprint("w", i), "x"}}})
		}(i)
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		if err == nil {
			wins++
		} else {
			wantCode(t, err, "ConflictException", 409)
		}
	}
	d, err := s.DescribeData(ctx, acct, arn)
	noErr(t, err)
	if wins != 1 || d.ItemCount != 1 || d.ETag != "KV3UN6WX5RRO2AG" {
		t.Fatalf("%d winners, %+v", wins, d)
	}
}

// Snapshot.next against a plain map model, through overlay growth and folds.
func TestSnapshotOverlayModel(t *testing.T) {
	model := map[string]string{}
	sn := &Snapshot{base: map[string]string{}}
	var history []*Snapshot
	var models []map[string]string
	rnd := uint64(1)
	next := func(n int) int { rnd = rnd*6364136223846793005 + 1442695040888963407; return int(rnd>>33) % n }
	for v := int64(1); v <= 3000; v++ {
		var changes []change
		for i, n := 0, 1+next(60); i < n; i++ {
			k := fmt.Sprint("k", next(400))
			c := change{key: k, value: fmt.Sprint(v), del: next(4) == 0}
			changes = append(changes, c)
			apply(model, c.key, c.value, c.del)
		}
		sn = sn.next(&record{DataVersion: v, ItemCount: len(model)}, changes)
		if v%97 == 0 {
			history = append(history, sn)
			models = append(models, maps.Clone(model))
		}
	}
	check := func(sn *Snapshot, model map[string]string) {
		for i := 0; i < 400; i++ {
			k := fmt.Sprint("k", i)
			got, ok := sn.Get(k)
			want, wok := model[k]
			if got != want || ok != wok {
				t.Fatalf("v%d %s: got %q %v, want %q %v", sn.version, k, got, ok, want, wok)
			}
		}
		if len(sn.overlay) > maxOverlay {
			t.Fatalf("overlay of %d entries", len(sn.overlay))
		}
	}
	check(sn, model)
	for i := range history { // older snapshots were not changed by later writes
		check(history[i], models[i])
	}
}

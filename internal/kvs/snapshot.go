package kvs

import (
	"context"
	"maps"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Meta is what cf.kvs().meta() reports about a store.
type Meta struct {
	Created     time.Time
	LastUpdated time.Time // last committed change of the keys
	KeyCount    int
}

// Snapshot is an immutable view of one store's keys at one data-plane version. A function
// run reads from a single Snapshot, so it sees a consistent store and never a part of a
// batch. Snapshots are shared between goroutines and must not be modified.
//
// A write derives the next snapshot copy-on-write without copying the whole store: recent
// changes sit in a small overlay over a shared base map, and the overlay is folded into a
// new base once it outgrows an eighth of the base (at least 64, at most 1024 entries), so
// a write costs O(overlay) plus an amortised share of the occasional full copy.
type Snapshot struct {
	arn     string
	version int64
	base    map[string]string
	overlay map[string]overlayEntry // nil when empty
	meta    Meta
}

type overlayEntry struct {
	value   string
	deleted bool
}

// Get returns the value of key.
func (sn *Snapshot) Get(key string) (string, bool) {
	if sn.overlay != nil {
		if e, ok := sn.overlay[key]; ok {
			if e.deleted {
				return "", false
			}
			return e.value, true
		}
	}
	v, ok := sn.base[key]
	return v, ok
}

// Meta returns the store's metadata at this version.
func (sn *Snapshot) Meta() Meta { return sn.meta }

// ARN returns the store's ARN.
func (sn *Snapshot) ARN() string { return sn.arn }

// ETag returns the data-plane ETag this snapshot reflects.
func (sn *Snapshot) ETag() string { return dataETag(sn.version) }

// snapState holds the current snapshot of one store (nil until loaded or after it was
// invalidated). latest is the highest data version this process has committed, so that a
// loader that read an older version never installs it over a newer write.
type snapState struct {
	mu     sync.Mutex
	snap   atomic.Pointer[Snapshot]
	latest int64 // guarded by mu
}

// Snapshot returns the current view of the store arn, loading it from the store on first
// use; after that it is kept fresh in-process by every committed write (copy-on-write),
// so the common call is a map lookup and an atomic load. A store that does not exist is
// ResourceNotFoundException. Writes by other processes sharing the database are not seen.
func (s *Service) Snapshot(ctx context.Context, arn string) (*Snapshot, error) {
	if v, ok := s.snapshots.Load(arn); ok {
		if sn := v.(*snapState).snap.Load(); sn != nil {
			return sn, nil
		}
	}
	return s.loadSnapshot(ctx, arn)
}

func (s *Service) loadSnapshot(ctx context.Context, arn string) (*Snapshot, error) {
	v, _ := s.snapshots.LoadOrStore(arn, &snapState{})
	st := v.(*snapState)
	for {
		var sn *Snapshot
		err := s.st.View(ctx, func(tx store.ReadTx) error {
			rec, err := getByARN(tx, arn)
			if err != nil || rec == nil {
				return err
			}
			account, _, _ := ParseARN(arn)
			docs, err := tx.List(keyKind(rec.ID), account, "", 0)
			if err != nil {
				return err
			}
			keys := make(map[string]string, len(docs))
			for _, d := range docs {
				keys[d.Key] = string(d.Value)
			}
			sn = &Snapshot{arn: arn, version: rec.DataVersion, base: keys, meta: metaOf(rec)}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if sn == nil {
			s.snapshots.CompareAndDelete(arn, st)
			return nil, apierror.ResourceNotFoundException("The key value store %s does not exist.", arn)
		}
		st.mu.Lock()
		if cur := st.snap.Load(); cur != nil && cur.version >= sn.version {
			st.mu.Unlock()
			return cur, nil
		}
		if sn.version >= st.latest {
			st.snap.Store(sn)
			st.mu.Unlock()
			return sn, nil
		}
		st.mu.Unlock()
		// A write committed while we were reading: read again.
	}
}

// committed brings a loaded snapshot up to date after rec's write. With the changes of
// exactly the next version it derives the new snapshot by copy-on-write; otherwise
// (changes nil, or versions out of step) it drops the snapshot for a reload.
func (s *Service) committed(rec *record, changes []change) {
	v, ok := s.snapshots.Load(rec.ARN)
	if !ok {
		return
	}
	st := v.(*snapState)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.latest = max(st.latest, rec.DataVersion)
	cur := st.snap.Load()
	switch {
	case cur == nil || cur.version >= rec.DataVersion:
	case changes != nil && cur.version == rec.DataVersion-1:
		st.snap.Store(cur.next(rec, changes))
	default:
		st.snap.Store(nil)
	}
}

// forgetSnapshot drops a deleted store's snapshot; loaders still running see latest at
// its maximum, never install, and read again (finding the store gone).
func (s *Service) forgetSnapshot(arn string) {
	v, ok := s.snapshots.Load(arn)
	if !ok {
		return
	}
	st := v.(*snapState)
	st.mu.Lock()
	st.latest = math.MaxInt64
	st.snap.Store(nil)
	st.mu.Unlock()
	s.snapshots.CompareAndDelete(arn, st)
}

// next returns the snapshot after changes, which take sn's version to rec's.
func (sn *Snapshot) next(rec *record, changes []change) *Snapshot {
	out := &Snapshot{arn: sn.arn, version: rec.DataVersion, base: sn.base, meta: metaOf(rec)}
	if len(sn.overlay)+len(changes) <= min(maxOverlay, max(minOverlay, len(sn.base)/8)) {
		out.overlay = make(map[string]overlayEntry, len(sn.overlay)+len(changes))
		maps.Copy(out.overlay, sn.overlay)
		for _, c := range changes {
			out.overlay[c.key] = overlayEntry{value: c.value, deleted: c.del}
		}
		return out
	}
	out.base = maps.Clone(sn.base)
	if out.base == nil {
		out.base = map[string]string{}
	}
	for k, e := range sn.overlay {
		apply(out.base, k, e.value, e.deleted)
	}
	for _, c := range changes {
		apply(out.base, c.key, c.value, c.del)
	}
	return out
}

// Overlay bounds: small stores do not fold on every write; large ones never copy a big
// overlay on each write.
const (
	minOverlay = 64
	maxOverlay = 1024
)

func apply(m map[string]string, key, value string, del bool) {
	if del {
		delete(m, key)
	} else {
		m[key] = value
	}
}

func metaOf(rec *record) Meta {
	return Meta{Created: rec.Created, LastUpdated: rec.DataModified, KeyCount: rec.ItemCount}
}

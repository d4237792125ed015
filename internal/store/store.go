// Package store is LocalFront's persistence: a small transactional document store.
//
// Every resource (a function, a key value store, a distribution, a set of tags) is one
// document: an opaque value (the owning service's JSON encoding) under (Kind, Account, Key).
// Services hold the domain logic; the store only guarantees that everything inside one
// Update call commits atomically and durably, or not at all, and that concurrent Update
// calls behave as if run one after another (serializable). Implementations: sqlite (the
// embedded default) and, later, postgres.
package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Tx.Get when no document exists under the key.
var ErrNotFound = errors.New("store: not found")

// Kind names a collection of documents, e.g. "function", "kvs", "kvs-key:<id>".
type Kind string

// Doc is one stored document.
type Doc struct {
	Key   string
	Value []byte
}

// Store is the transactional document store.
type Store interface {
	// Update runs fn in a read-write transaction. If fn returns an error nothing is
	// written and Update returns that error unchanged. Update calls are serializable.
	// When Update returns nil the writes are durable.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Close waits for running transactions and closes the store cleanly.
	Close() error
}

// ReadTx reads documents.
type ReadTx interface {
	// Get returns the value under (kind, account, key), or ErrNotFound.
	Get(kind Kind, account, key string) ([]byte, error)
	// List returns up to limit documents of (kind, account) whose keys are > after,
	// in ascending byte order of key. limit <= 0 means no limit.
	List(kind Kind, account, after string, limit int) ([]Doc, error)
	// Count returns how many documents (kind, account) holds.
	Count(kind Kind, account string) (int, error)
}

// Tx reads and writes documents.
type Tx interface {
	ReadTx
	// Put creates or replaces the value under (kind, account, key).
	Put(kind Kind, account, key string, value []byte) error
	// Delete removes the document; deleting a missing document is not an error.
	Delete(kind Kind, account, key string) error
	// DeleteAll removes every document of (kind, account).
	DeleteAll(kind Kind, account string) error
}

// Package sqlite implements store.Store on embedded SQLite (modernc.org/sqlite, no cgo).
//
// A file database runs in WAL mode with synchronous=FULL, so a commit is on disk when
// Update returns. Writes go through one connection whose transactions start with
// BEGIN IMMEDIATE, which makes Update calls serializable; reads use a separate pool of
// connections, each View seeing one WAL snapshot and never blocking on the writer.
//
// An in-memory database (OpenMemory) cannot use WAL, so there one connection serves
// both reads and writes and View waits for a running Update.
//
// Never call Update or View from inside another transaction's fn: the nested call waits
// for a connection the outer one holds (always so in memory mode, for Update in both).
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/localfront/localfront/internal/store"
)

// ErrClosed is returned by Update and View after Close.
var ErrClosed = errors.New("store: closed")

// busyTimeoutMS bounds how long a connection waits for a lock held by another process
// (for example a second localfront opening the same file).
const busyTimeoutMS = "5000"

const schema = `CREATE TABLE IF NOT EXISTS documents (
	kind    TEXT NOT NULL,
	account TEXT NOT NULL,
	key     TEXT NOT NULL,
	value   BLOB NOT NULL,
	PRIMARY KEY (kind, account, key)
) WITHOUT ROWID`

// DB is a SQLite-backed store.Store.
type DB struct {
	write *sql.DB // exactly one connection; BEGIN IMMEDIATE
	read  *sql.DB // snapshot readers; the same pool as write in memory mode

	anchor   *sql.Conn // memory mode: keeps the shared in-memory database alive
	anchorDB *sql.DB

	wst, rst *statements

	mu      sync.Mutex
	closed  bool
	running sync.WaitGroup
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database file at path.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// A file: URI keeps characters such as '?' or '#' in the path from being read as
	// DSN syntax; SQLite decodes the escapes.
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	common := "_busy_timeout=" + busyTimeoutMS + "&_txlock=immediate"

	write, err := sql.Open("sqlite", uri+"?"+common+"&_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	limitToOne(write)
	if err := initSchema(write); err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", uri+"?"+common+"&_query_only=1")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)

	db := &DB{write: write, read: read}
	if err := db.prepare(); err != nil {
		db.closeAll()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// OpenMemory opens a new, empty in-memory database private to this DB.
func OpenMemory() (*DB, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// A uniquely named shared-cache database: every connection of this DB (and only
	// those) sees it, and it lives while the anchor connection is open.
	dsn := "file:localfront-" + hex.EncodeToString(b[:]) + "?mode=memory&cache=shared&_txlock=immediate&_busy_timeout=" + busyTimeoutMS

	anchorDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open memory: %w", err)
	}
	anchor, err := anchorDB.Conn(context.Background())
	if err != nil {
		anchorDB.Close()
		return nil, fmt.Errorf("store: open memory: %w", err)
	}
	rw, err := sql.Open("sqlite", dsn)
	if err != nil {
		anchor.Close()
		anchorDB.Close()
		return nil, fmt.Errorf("store: open memory: %w", err)
	}
	limitToOne(rw)
	db := &DB{write: rw, read: rw, anchor: anchor, anchorDB: anchorDB}
	if err := initSchema(rw); err != nil {
		db.closeAll()
		return nil, fmt.Errorf("store: open memory: %w", err)
	}
	if err := db.prepare(); err != nil {
		db.closeAll()
		return nil, fmt.Errorf("store: open memory: %w", err)
	}
	return db, nil
}

func limitToOne(db *sql.DB) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
}

func initSchema(db *sql.DB) error {
	_, err := db.Exec(schema)
	return err
}

func (db *DB) prepare() error {
	var err error
	if db.wst, err = prepareStatements(db.write); err != nil {
		return err
	}
	if db.read == db.write {
		db.rst = db.wst
		return nil
	}
	db.rst, err = prepareStatements(db.read)
	return err
}

// enter registers a transaction unless the store is closed.
func (db *DB) enter() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return ErrClosed
	}
	db.running.Add(1)
	return nil
}

// Update runs fn in a serializable read-write transaction (see store.Store).
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) (err error) {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.running.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return dbError(ctx, "begin", err)
	}
	t := &tx{readTx: readTx{ctx: ctx, sqlTx: sqlTx, st: db.wst}}
	committed := false
	defer func() {
		t.closed = true
		if !committed {
			sqlTx.Rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	t.closed = true
	if err := sqlTx.Commit(); err != nil {
		return dbError(ctx, "commit", err)
	}
	committed = true
	return nil
}

// View runs fn in a read-only transaction over one consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(store.ReadTx) error) error {
	if err := db.enter(); err != nil {
		return err
	}
	defer db.running.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return dbError(ctx, "begin", err)
	}
	t := &readTx{ctx: ctx, sqlTx: sqlTx, st: db.rst}
	defer func() {
		t.closed = true
		sqlTx.Rollback()
	}()
	return fn(t)
}

// Close waits for running transactions, then closes every connection. Later calls
// to Update or View return ErrClosed; closing twice is harmless.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	db.mu.Unlock()
	db.running.Wait()
	return db.closeAll()
}

func (db *DB) closeAll() error {
	var errs []error
	for _, st := range []*statements{db.rst, db.wst} {
		if st != nil {
			st.close()
		}
	}
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if db.anchor != nil {
		errs = append(errs, db.anchor.Close())
	}
	if db.anchorDB != nil {
		errs = append(errs, db.anchorDB.Close())
	}
	return errors.Join(errs...)
}

// dbError reports a database failure, preferring the context's error when the
// failure was caused by cancellation.
func dbError(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("store: %s: %w", op, cerr)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

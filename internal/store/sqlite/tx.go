package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/localfront/localfront/internal/store"
)

// errTxDone is returned when a Tx is used after its fn returned.
var errTxDone = errors.New("store: transaction already finished")

// errEmptyKey rejects the empty key: List's "keys > after" could never return it.
var errEmptyKey = errors.New("store: empty key")

// statements are prepared once per pool and bound to each transaction on use.
type statements struct {
	get, list, count, put, del, delAll *sql.Stmt
}

func prepareStatements(db *sql.DB) (*statements, error) {
	st := &statements{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.get, `SELECT value FROM documents WHERE kind = ? AND account = ? AND key = ?`},
		{&st.list, `SELECT key, value FROM documents WHERE kind = ? AND account = ? AND key > ? ORDER BY key LIMIT ?`},
		{&st.count, `SELECT count(*) FROM documents WHERE kind = ? AND account = ?`},
		{&st.put, `INSERT INTO documents (kind, account, key, value) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, account, key) DO UPDATE SET value = excluded.value`},
		{&st.del, `DELETE FROM documents WHERE kind = ? AND account = ? AND key = ?`},
		{&st.delAll, `DELETE FROM documents WHERE kind = ? AND account = ?`},
	} {
		s, err := db.Prepare(p.query)
		if err != nil {
			st.close()
			return nil, err
		}
		*p.dst = s
	}
	return st, nil
}

func (st *statements) close() {
	for _, s := range []*sql.Stmt{st.get, st.list, st.count, st.put, st.del, st.delAll} {
		if s != nil {
			s.Close()
		}
	}
}

// readTx implements store.ReadTx over one SQL transaction.
type readTx struct {
	ctx    context.Context
	sqlTx  *sql.Tx
	st     *statements
	closed bool
}

func (t *readTx) stmt(s *sql.Stmt) (*sql.Stmt, error) {
	if t.closed {
		return nil, errTxDone
	}
	return t.sqlTx.StmtContext(t.ctx, s), nil
}

func (t *readTx) fail(op string, err error) error { return dbError(t.ctx, op, err) }

func (t *readTx) Get(kind store.Kind, account, key string) ([]byte, error) {
	s, err := t.stmt(t.st.get)
	if err != nil {
		return nil, err
	}
	var v []byte
	err = s.QueryRowContext(t.ctx, string(kind), account, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, t.fail("get", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (t *readTx) List(kind store.Kind, account, after string, limit int) ([]store.Doc, error) {
	s, err := t.stmt(t.st.list)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.QueryContext(t.ctx, string(kind), account, after, limit)
	if err != nil {
		return nil, t.fail("list", err)
	}
	defer rows.Close()
	var docs []store.Doc
	for rows.Next() {
		var d store.Doc
		if err := rows.Scan(&d.Key, &d.Value); err != nil {
			return nil, t.fail("list", err)
		}
		if d.Value == nil {
			d.Value = []byte{}
		}
		docs = append(docs, d)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail("list", err)
	}
	return docs, nil
}

func (t *readTx) Count(kind store.Kind, account string) (int, error) {
	s, err := t.stmt(t.st.count)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.QueryRowContext(t.ctx, string(kind), account).Scan(&n); err != nil {
		return 0, t.fail("count", err)
	}
	return n, nil
}

// tx implements store.Tx.
type tx struct {
	readTx
}

func (t *tx) Put(kind store.Kind, account, key string, value []byte) error {
	if key == "" {
		return errEmptyKey
	}
	s, err := t.stmt(t.st.put)
	if err != nil {
		return err
	}
	if value == nil {
		value = []byte{} // the column is NOT NULL; nil and empty mean the same here
	}
	if _, err := s.ExecContext(t.ctx, string(kind), account, key, value); err != nil {
		return t.fail(fmt.Sprintf("put %s/%s", kind, key), err)
	}
	return nil
}

func (t *tx) Delete(kind store.Kind, account, key string) error {
	s, err := t.stmt(t.st.del)
	if err != nil {
		return err
	}
	if _, err := s.ExecContext(t.ctx, string(kind), account, key); err != nil {
		return t.fail("delete", err)
	}
	return nil
}

func (t *tx) DeleteAll(kind store.Kind, account string) error {
	s, err := t.stmt(t.st.delAll)
	if err != nil {
		return err
	}
	if _, err := s.ExecContext(t.ctx, string(kind), account); err != nil {
		return t.fail("delete all", err)
	}
	return nil
}

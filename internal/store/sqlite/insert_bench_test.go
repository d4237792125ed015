package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/localfront/localfront/internal/store"
)

// BenchmarkDurableInsert writes a new 300-byte document and a new 2 KB one per commit,
// as CreateFunction does, so the database and WAL keep growing.
func BenchmarkDurableInsert(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	meta, code := make([]byte, 300), make([]byte, 2048)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if err := db.Update(ctx, func(tx store.Tx) error {
			if err := tx.Put(kind, "a", strconv.Itoa(i), meta); err != nil {
				return err
			}
			return tx.Put("code", "a", strconv.Itoa(i), code)
		}); err != nil {
			b.Fatal(err)
		}
	}
}

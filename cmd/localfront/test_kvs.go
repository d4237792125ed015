package main

import (
	"fmt"
	"io"
	"os"

	"github.com/localfront/localfront/internal/kvs"
)

// loadKVSFile reads a key value store for `localfront test --kvs`: the import format, with
// the limits of an import (5 MB, keys ≤ 512 bytes, values ≤ 1 KB, no duplicate keys). The
// file's modification time is the store's creation and last-update time in meta().
func loadKVSFile(path string) (*kvs.Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, kvs.MaxStoreBytes+1))
	if err != nil {
		return nil, err
	}
	return kvs.SnapshotFromImport(data, "", info.ModTime())
}

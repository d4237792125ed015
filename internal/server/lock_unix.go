//go:build unix

package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDataDir takes an exclusive lock on the data directory so that two servers never
// write the same database. The kernel drops the lock when the process dies.
func lockDataDir(dir string) (unlock func() error, err error) {
	path := filepath.Join(dir, "localfront.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("server: lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("server: data directory %s is in use by another localfront process", dir)
		}
		return nil, fmt.Errorf("server: lock %s: %w", path, err)
	}
	return f.Close, nil
}

//go:build !unix

package server

// lockDataDir is a no-op where flock is unavailable; SQLite's own locking still keeps the
// database consistent.
func lockDataDir(dir string) (func() error, error) { return func() error { return nil }, nil }

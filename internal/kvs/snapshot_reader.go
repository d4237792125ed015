package kvs

import (
	"fmt"
	"time"
)

// SnapshotFromImport builds a stand-alone snapshot from data in the import format
// ({"data":[{"key":…,"value":…}]}, spec §4), with the same parser and limits as an
// import. It serves `localfront test --kvs FILE.json`, which runs a function against a
// store without a server. arn may be "" (no store identity); modified becomes both
// timestamps of meta().
func SnapshotFromImport(data []byte, arn string, modified time.Time) (*Snapshot, error) {
	if len(data) > MaxStoreBytes {
		return nil, fmt.Errorf("the key value store file is %d bytes, more than the %d-byte limit", len(data), MaxStoreBytes)
	}
	items, err := parseImport(data)
	if err != nil {
		return nil, err
	}
	keys := make(map[string]string, len(items))
	var size int64
	for _, kv := range items {
		keys[kv.Key] = kv.Value
		size += entrySize(kv.Key, kv.Value)
	}
	if size > MaxStoreBytes {
		return nil, fmt.Errorf("the keys and values add up to %d bytes, more than a store's %d-byte limit", size, MaxStoreBytes)
	}
	modified = modified.UTC().Truncate(time.Millisecond)
	return &Snapshot{
		arn:     arn,
		version: 1,
		base:    keys,
		meta:    Meta{Created: modified, LastUpdated: modified, KeyCount: len(keys)},
	}, nil
}

// ID returns the store id from the snapshot's ARN, or "" for a stand-alone snapshot.
func (sn *Snapshot) ID() string {
	_, id, err := ParseARN(sn.arn)
	if err != nil {
		return ""
	}
	return id
}

// The methods below make *Snapshot the reader cf.kvs() uses (runtime.KVSReader) without
// either package importing the other.

// KeyCount returns the number of keys.
func (sn *Snapshot) KeyCount() int { return sn.meta.KeyCount }

// Created returns when the store was created.
func (sn *Snapshot) Created() time.Time { return sn.meta.Created }

// LastUpdated returns when the store's keys last changed (its creation before any change).
func (sn *Snapshot) LastUpdated() time.Time { return sn.meta.LastUpdated }

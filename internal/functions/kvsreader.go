package functions

import (
	"context"

	"github.com/localfront/localfront/internal/runtime"
)

// KVSReaderSource gives a run the current snapshot of a key value store, which cf.kvs()
// reads. The server adapts the KVS service to it (kvs.Service.Snapshot).
type KVSReaderSource interface {
	KVSReader(ctx context.Context, kvsARN string) (runtime.KVSReader, error)
}

// kvsReader returns the snapshot of the store cfg is associated with, or nil when it has
// none (cf.kvs() then fails as on CloudFront) or no source is configured. A run reads one
// snapshot throughout, so writes made meanwhile show in the next run, never half in this one.
func (s *Service) kvsReader(ctx context.Context, cfg Config) (runtime.KVSReader, error) {
	if s.opts.KVSReaders == nil || len(cfg.KeyValueStoreARNs) == 0 {
		return nil, nil
	}
	return s.opts.KVSReaders.KVSReader(ctx, cfg.KeyValueStoreARNs[0])
}

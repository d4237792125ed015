package kvs

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/localfront/localfront/internal/store"
)

// UsageChecker reports whether a key value store is associated with any function.
// *functions.Service implements it. Service calls it outside any store transaction.
type UsageChecker interface {
	KeyValueStoreInUse(ctx context.Context, account, arn string) (bool, error)
}

// TxUsageChecker may also be implemented by a UsageChecker whose functions live in the same
// store (*functions.Service does). Delete then asks again inside its own transaction, so a
// function cannot be associated with the store while it is being deleted.
type TxUsageChecker interface {
	KeyValueStoreInUseTx(tx store.ReadTx, account, arn string) (bool, error)
}

// FetchFunc reads an import source location (see ImportSource), returning at most limit
// bytes; a longer source is an error.
type FetchFunc func(ctx context.Context, location string, limit int64) ([]byte, error)

// Options configures a Service. Zero values select the defaults.
type Options struct {
	StoresPerAccount     int              // default 50
	Clock                func() time.Time // default time.Now
	NewID                func() string    // store ids; default random UUIDs
	Usage                UsageChecker     // nil: a store is never in use
	Fetch                FetchFunc        // import reader; default FetchLocation
	MaxConcurrentImports int              // default 2; further imports wait their turn
	ImportTimeout        time.Duration    // per import, fetch included; default 2 minutes
	Import               ImportPolicy     // what imports may read; default anything
	Log                  *slog.Logger     // default slog.Default()
}

// Service is the key value store domain service.
type Service struct {
	st   store.Store
	opts Options

	usage atomic.Pointer[UsageChecker]

	// instance tells this process's imports from those of an earlier run.
	instance string

	// snapshots maps an ARN to its *snapState (see snapshot.go).
	snapshots sync.Map

	importCtx    context.Context
	stopImports  context.CancelFunc
	importSlots  chan struct{}
	importsAlive sync.WaitGroup
}

// New returns a Service over st.
func New(st store.Store, opts Options) *Service {
	if opts.StoresPerAccount <= 0 {
		opts.StoresPerAccount = DefaultStoresPerAccount
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.NewID == nil {
		opts.NewID = func() string { return uuid.NewString() }
	}
	if opts.Fetch == nil {
		opts.Fetch = FetchLocation
	}
	if opts.MaxConcurrentImports <= 0 {
		opts.MaxConcurrentImports = 2
	}
	if opts.ImportTimeout <= 0 {
		opts.ImportTimeout = 2 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Service{
		st:          st,
		opts:        opts,
		instance:    uuid.NewString(),
		importSlots: make(chan struct{}, opts.MaxConcurrentImports),
	}
	s.importCtx, s.stopImports = context.WithCancel(context.Background())
	if opts.Usage != nil {
		s.SetUsageChecker(opts.Usage)
	}
	return s
}

// SetUsageChecker installs the in-use check DeleteKeyValueStore consults; it exists because
// the functions service (the checker) is usually built after this one. nil removes it.
func (s *Service) SetUsageChecker(u UsageChecker) {
	if u == nil {
		s.usage.Store(nil)
		return
	}
	s.usage.Store(&u)
}

// Close cancels running imports (their stores end IMPORT_FAILED) and waits for them.
// It does not close the underlying store.
func (s *Service) Close() error {
	s.stopImports()
	s.importsAlive.Wait()
	return nil
}

// now is the service clock, truncated to milliseconds as CloudFront reports times.
func (s *Service) now() time.Time { return s.opts.Clock().UTC().Truncate(time.Millisecond) }

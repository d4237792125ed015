package functions

import (
	"context"
	"errors"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/store"
)

// Defaults (spec §7).
const (
	DefaultAccountQuota = 100
	DefaultMaxCodeSize  = 10240
)

// AssociationChecker reports whether a function is associated with a distribution's
// cache behavior. Distributions implement it; a nil checker means "never in use".
type AssociationChecker interface {
	FunctionInUse(ctx context.Context, account, functionARN string) (bool, error)
}

// TxAssociationChecker may also be implemented by an AssociationChecker whose
// associations live in the same store. Delete then asks inside its own transaction,
// so a distribution cannot start using a function while it is being deleted.
type TxAssociationChecker interface {
	FunctionInUseTx(tx store.ReadTx, account, functionARN string) (bool, error)
}

// KVSChecker reports whether a key value store exists in the account. The KVS service
// implements it; a nil checker accepts every well-formed ARN of the caller's account.
type KVSChecker interface {
	KeyValueStoreExists(ctx context.Context, account, kvsARN string) (bool, error)
}

// TxKVSChecker may also be implemented by a KVSChecker whose stores live in the same store.
// Create and Update then check again inside their own transaction, so a function cannot be
// associated with a key value store that is being deleted.
type TxKVSChecker interface {
	KeyValueStoreExistsTx(tx store.ReadTx, account, kvsARN string) (bool, error)
}

// Options configures a Service. Zero values select the defaults.
type Options struct {
	AccountQuota int              // functions per account; default 100
	MaxCodeSize  int              // bytes of code; default 10240
	Clock        func() time.Time // default time.Now
	Associations AssociationChecker
	KVS          KVSChecker
	KVSReaders   KVSReaderSource // what TestFunction's cf.kvs() reads; nil = no store data
}

// Service is the function lifecycle. It is safe for concurrent use; all state lives in
// the store, and every check-then-write happens inside one store transaction.
type Service struct {
	st     store.Store
	tester Tester
	opts   Options
}

// New returns a Service over st. tester runs TestFunction; it may be nil, in which case
// Test fails with an internal error.
func New(st store.Store, tester Tester, opts Options) *Service {
	if opts.AccountQuota <= 0 {
		opts.AccountQuota = DefaultAccountQuota
	}
	if opts.MaxCodeSize <= 0 {
		opts.MaxCodeSize = DefaultMaxCodeSize
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Service{st: st, tester: tester, opts: opts}
}

// apiError turns any failure into an *apierror.Error: API errors pass through, anything
// else (store or hook failures) becomes InternalError. Its message is for the server's log:
// the wire layers (cfapi, kvsapi) log it and send clients a generic one.
func apiError(err error) error {
	if err == nil {
		return nil
	}
	if e := apierror.As(err); e != nil {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return apierror.InternalError("The request was cancelled: %v", err)
	}
	return apierror.InternalError("Internal error: %v", err)
}

// checkIfMatch enforces the conditional-write rules (spec §1.5) against the current
// DEVELOPMENT ETag.
func checkIfMatch(ifMatch string, r *record) error {
	if !etag.WellFormed(ifMatch) {
		return apierror.InvalidIfMatchVersion()
	}
	if ifMatch != etag.ForVersion(r.Dev.Version) {
		return apierror.PreconditionFailed()
	}
	return nil
}

// status computes the function-wide Status, reported alike on both stages (spec §2.3):
// no LIVE, or a DEVELOPMENT version not yet published → UNPUBLISHED (§14 Q5: an update
// after publishing is "unpublished changes"); published and in use → DEPLOYED
// (deployment is instant here, so IN_PROGRESS never shows); published → UNASSOCIATED.
func (s *Service) status(ctx context.Context, account string, r *record) (string, error) {
	if !r.published() {
		return StatusUnpublished, nil
	}
	if s.opts.Associations == nil {
		return StatusUnassociated, nil
	}
	inUse, err := s.opts.Associations.FunctionInUse(ctx, account, FunctionARN(account, r.Name))
	if err != nil {
		return "", err
	}
	if inUse {
		return StatusDeployed, nil
	}
	return StatusUnassociated, nil
}

// checkKVS asks the KVS service whether the associated stores exist.
func (s *Service) checkKVS(ctx context.Context, account string, cfg Config) error {
	if s.opts.KVS == nil {
		return nil
	}
	return checkStores(cfg, func(arn string) (bool, error) { return s.opts.KVS.KeyValueStoreExists(ctx, account, arn) })
}

// checkKVSTx checks the associated stores again inside a write transaction, when the KVS
// service can (TxKVSChecker).
func (s *Service) checkKVSTx(tx store.ReadTx, account string, cfg Config) error {
	txc, ok := s.opts.KVS.(TxKVSChecker)
	if !ok {
		return nil
	}
	return checkStores(cfg, func(arn string) (bool, error) { return txc.KeyValueStoreExistsTx(tx, account, arn) })
}

func checkStores(cfg Config, exists func(arn string) (bool, error)) error {
	for _, arn := range cfg.KeyValueStoreARNs {
		ok, err := exists(arn)
		if err != nil {
			return err
		}
		if !ok {
			return apierror.InvalidArgument("The key value store %s does not exist.", arn)
		}
	}
	return nil
}

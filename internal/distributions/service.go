package distributions

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/store"
)

// FunctionResolver tells whether a function ARN names a function of the account that
// has a LIVE stage. The functions service implements it. It is called outside any store
// transaction.
type FunctionResolver interface {
	LiveFunctionExists(ctx context.Context, account, functionARN string) (bool, error)
}

// Options configures a Service. Zero values select the defaults.
type Options struct {
	EdgeDomain string           // suffix of distribution domain names; default DefaultEdgeDomain
	Clock      func() time.Time // default time.Now
	// Functions checks function associations; nil accepts every well-formed ARN of the
	// account.
	Functions FunctionResolver
	Limits    Limits
}

// Service manages distributions.
type Service struct {
	st   store.Store
	opts Options

	mu        sync.Mutex
	listeners []func(account, id string)
}

// New returns a Service over st.
func New(st store.Store, opts Options) *Service {
	if opts.EdgeDomain == "" {
		opts.EdgeDomain = DefaultEdgeDomain
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	opts.Limits = opts.Limits.withDefaults()
	return &Service{st: st, opts: opts}
}

// EdgeDomain is the suffix of distribution domain names.
func (s *Service) EdgeDomain() string { return s.opts.EdgeDomain }

// now is the modification time: UTC at the millisecond precision the API shows.
func (s *Service) now() time.Time { return s.opts.Clock().UTC().Truncate(time.Millisecond) }

// OnChange registers fn to be called after every committed change of a distribution
// (create, update, delete) and for every distribution using a function that was just
// published (FunctionPublished). Calls are synchronous, after the commit and before the
// API call returns, so an edge that rebuilds its routing in fn serves the change as soon
// as the client sees it; fn must therefore be quick and must not call back into a
// write method of the Service.
func (s *Service) OnChange(fn func(account, id string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

func (s *Service) notify(account, id string) {
	s.mu.Lock()
	ls := append([]func(string, string){}, s.listeners...)
	s.mu.Unlock()
	for _, fn := range ls {
		fn(account, id)
	}
}

// check validates a config before it is written: the static rules, then the functions it
// associates (outside any transaction: the resolver uses the store itself).
func (s *Service) check(ctx context.Context, account string, cfg *Config) error {
	if err := validateConfig(cfg, account, s.opts.EdgeDomain, s.opts.Limits); err != nil {
		return err
	}
	if s.opts.Functions == nil {
		return nil
	}
	for _, arn := range cfg.FunctionARNs() {
		ok, err := s.opts.Functions.LiveFunctionExists(ctx, account, arn)
		if err != nil {
			return err
		}
		if !ok {
			return errInvalidFunctionAssociation("The function %s does not exist or has not been published to the LIVE stage; only published functions can be associated with a distribution.", arn)
		}
	}
	return nil
}

// checkFunctionQuota fails when associating id with one of arns would exceed the number
// of distributions one function can be associated with.
func (s *Service) checkFunctionQuota(tx store.ReadTx, account, id string, arns []string) error {
	for _, arn := range arns {
		users, err := functionUsers(tx, account, arn)
		if err != nil {
			return err
		}
		n := 0
		for _, u := range users {
			if u != id {
				n++
			}
		}
		if n >= s.opts.Limits.DistributionsPerFunction {
			return errTooManyDistributionsWithFunctionAssociations(arn, s.opts.Limits.DistributionsPerFunction)
		}
	}
	return nil
}

// Create creates a distribution (CreateDistribution, 201).
func (s *Service) Create(ctx context.Context, account string, cfg Config) (Distribution, error) {
	if err := s.check(ctx, account, &cfg); err != nil {
		return Distribution{}, err
	}
	var rec *record
	err := s.st.Update(ctx, func(tx store.Tx) error {
		// CallerReference guards against replays: reusing one is always an error, even with
		// an identical config (model documentation; aws-sdk-go #2213).
		existing, err := tx.Get(kindCallerRef, account, cfg.CallerReference)
		if err == nil {
			return errDistributionAlreadyExists(string(existing))
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n, err := tx.Count(kindDistribution, account)
		if err != nil {
			return err
		}
		if n >= s.opts.Limits.Distributions {
			return errTooManyDistributions(s.opts.Limits.Distributions)
		}
		if err := s.checkFunctionQuota(tx, account, "", cfg.FunctionARNs()); err != nil {
			return err
		}
		id, err := freshID(tx)
		if err != nil {
			return err
		}
		rec = &record{ID: id, Version: 1, Modified: s.now(), Config: cfg}
		if err := reindexAliases(tx, account, id, nil, cfg.Aliases); err != nil {
			return err
		}
		if err := reindexFunctions(tx, account, id, nil, cfg.FunctionARNs()); err != nil {
			return err
		}
		if err := tx.Put(kindCallerRef, account, cfg.CallerReference, []byte(id)); err != nil {
			return err
		}
		if err := tx.Put(kindGlobalID, globalAccount, id, []byte(account)); err != nil {
			return err
		}
		return putRecord(tx, account, rec)
	})
	if err != nil {
		return Distribution{}, err
	}
	s.notify(account, rec.ID)
	return rec.distribution(account, s.opts.EdgeDomain), nil
}

// freshID draws distribution IDs until one is unused in every account.
func freshID(tx store.ReadTx) (string, error) {
	for range 16 {
		id := newID()
		_, err := tx.Get(kindGlobalID, globalAccount, id)
		if errors.Is(err, store.ErrNotFound) {
			return id, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("distributions: no unused ID after 16 draws")
}

// Get returns a distribution (GetDistribution).
func (s *Service) Get(ctx context.Context, account, id string) (Distribution, error) {
	var d Distribution
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		rec, err := getRecord(tx, account, id)
		if err != nil {
			return err
		}
		d = rec.distribution(account, s.opts.EdgeDomain)
		return nil
	})
	return d, err
}

// GetConfig returns a distribution's config and ETag (GetDistributionConfig).
func (s *Service) GetConfig(ctx context.Context, account, id string) (Config, string, error) {
	d, err := s.Get(ctx, account, id)
	if err != nil {
		return Config{}, "", err
	}
	return d.Config, d.ETag, nil
}

// checkIfMatch applies the conditional-write rules (spec §1.5).
func checkIfMatch(rec *record, ifMatch string) error {
	if !etag.WellFormed(ifMatch) {
		return apierror.InvalidIfMatchVersion()
	}
	if ifMatch != etag.ForVersion(rec.Version) {
		return apierror.PreconditionFailed()
	}
	return nil
}

// Update replaces a distribution's config (UpdateDistribution). ifMatch is the ETag of
// the current version. The whole config is replaced, nothing is merged.
func (s *Service) Update(ctx context.Context, account, id, ifMatch string, cfg Config) (Distribution, error) {
	var version int64
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		rec, err := getRecord(tx, account, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(rec, ifMatch); err != nil {
			return err
		}
		if cfg.CallerReference != rec.Config.CallerReference {
			return errIllegalUpdate("The CallerReference of a distribution cannot be changed (it is %q).", rec.Config.CallerReference)
		}
		version = rec.Version
		return nil
	})
	if err != nil {
		return Distribution{}, err
	}
	if err := s.check(ctx, account, &cfg); err != nil {
		return Distribution{}, err
	}
	var rec *record
	err = s.st.Update(ctx, func(tx store.Tx) error {
		old, err := getRecord(tx, account, id)
		if err != nil {
			return err
		}
		if old.Version != version { // changed while the config was being checked
			return apierror.PreconditionFailed()
		}
		newARNs := cfg.FunctionARNs()
		if err := s.checkFunctionQuota(tx, account, id, newARNs); err != nil {
			return err
		}
		if err := reindexAliases(tx, account, id, old.Config.Aliases, cfg.Aliases); err != nil {
			return err
		}
		if err := reindexFunctions(tx, account, id, old.Config.FunctionARNs(), newARNs); err != nil {
			return err
		}
		rec = &record{ID: id, Version: old.Version + 1, Modified: s.now(), Config: cfg}
		return putRecord(tx, account, rec)
	})
	if err != nil {
		return Distribution{}, err
	}
	s.notify(account, id)
	return rec.distribution(account, s.opts.EdgeDomain), nil
}

// Delete deletes a disabled distribution (DeleteDistribution, 204).
func (s *Service) Delete(ctx context.Context, account, id, ifMatch string) error {
	err := s.st.Update(ctx, func(tx store.Tx) error {
		rec, err := getRecord(tx, account, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(rec, ifMatch); err != nil {
			return err
		}
		if rec.Config.Enabled {
			return errDistributionNotDisabled()
		}
		if err := reindexAliases(tx, account, id, rec.Config.Aliases, nil); err != nil {
			return err
		}
		if err := reindexFunctions(tx, account, id, rec.Config.FunctionARNs(), nil); err != nil {
			return err
		}
		for _, del := range []struct {
			kind         store.Kind
			account, key string
		}{
			{kindCallerRef, account, rec.Config.CallerReference},
			{kindGlobalID, globalAccount, id},
			{kindDistribution, account, id},
		} {
			if err := tx.Delete(del.kind, del.account, del.key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.notify(account, id)
	return nil
}

// DefaultMaxItems is the page size of List when the caller gives none.
const DefaultMaxItems = 100

// List returns the account's distributions in ID order, starting after marker
// (ListDistributions). maxItems 0 means DefaultMaxItems.
func (s *Service) List(ctx context.Context, account, marker string, maxItems int) (ListOutput, error) {
	if maxItems < 0 {
		return ListOutput{}, apierror.InvalidArgument("The parameter MaxItems must be a positive number.")
	}
	if maxItems == 0 {
		maxItems = DefaultMaxItems
	}
	out := ListOutput{Marker: marker, MaxItems: maxItems}
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		docs, err := tx.List(kindDistribution, account, marker, maxItems+1)
		if err != nil {
			return err
		}
		if len(docs) > maxItems {
			docs = docs[:maxItems]
			out.IsTruncated = true
		}
		for _, doc := range docs {
			rec, err := decodeRecord(doc.Value)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, rec.distribution(account, s.opts.EdgeDomain))
		}
		if out.IsTruncated {
			out.NextMarker = out.Items[len(out.Items)-1].ID
		}
		return nil
	})
	if err != nil {
		return ListOutput{}, err
	}
	return out, nil
}

// All returns every distribution of every account, in ID order, for the edge's routing
// snapshot. The account of each is in its ARN (and AccountOf).
func (s *Service) All(ctx context.Context) ([]Distribution, error) {
	var out []Distribution
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		ids, err := tx.List(kindGlobalID, globalAccount, "", 0)
		if err != nil {
			return err
		}
		for _, doc := range ids {
			account := string(doc.Value)
			rec, err := getRecord(tx, account, doc.Key)
			if err != nil {
				return fmt.Errorf("distributions: index names %s/%s: %w", account, doc.Key, err)
			}
			out = append(out, rec.distribution(account, s.opts.EdgeDomain))
		}
		return nil
	})
	return out, err
}

// AccountOf returns the account a distribution belongs to, from its ARN.
func AccountOf(d Distribution) string {
	const prefix = "arn:aws:cloudfront::"
	rest := d.ARN[min(len(prefix), len(d.ARN)):]
	for i := 0; i < len(rest); i++ {
		if rest[i] == ':' {
			return rest[:i]
		}
	}
	return ""
}

package functions

import (
	"context"
	"errors"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/store"
)

// validateWrite checks what Create and Update share: config, code, KVS associations.
func (s *Service) validateWrite(ctx context.Context, account string, cfg Config, code []byte) error {
	if err := validateCode(code, s.opts.MaxCodeSize); err != nil {
		return err
	}
	if err := validateConfig(account, cfg); err != nil {
		return err
	}
	return s.checkKVS(ctx, account, cfg)
}

// Create is CreateFunction: a new function with only a DEVELOPMENT stage, version 1.
func (s *Service) Create(ctx context.Context, account string, in CreateInput) (Summary, error) {
	if err := validateName(in.Name); err != nil {
		return Summary{}, err
	}
	if err := s.validateWrite(ctx, account, in.Config, in.Code); err != nil {
		return Summary{}, apiError(err)
	}
	if err := ValidateTags(in.Tags); err != nil {
		return Summary{}, err
	}
	if len(in.Tags) > maxTagsPerResource {
		return Summary{}, apierror.InvalidTagging("A resource can have at most %d tags.", maxTagsPerResource)
	}
	now := s.now()
	r := &record{
		Name: in.Name,
		Dev: stageRecord{
			Version:  1,
			Config:   toStoredConfig(in.Config),
			Created:  now,
			Modified: now,
		},
	}
	r.setTags(in.Tags)
	err := s.st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Get(kindFunction, account, in.Name)
		if err == nil {
			return apierror.FunctionAlreadyExists(in.Name)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n, err := tx.Count(kindFunction, account)
		if err != nil {
			return err
		}
		if n >= s.opts.AccountQuota {
			return apierror.TooManyFunctions(s.opts.AccountQuota)
		}
		if err := checkFunctionsPerKVS(tx, account, in.Name, in.Config); err != nil {
			return err
		}
		if err := s.checkKVSTx(tx, account, in.Config); err != nil {
			return err
		}
		if err := saveRecord(tx, account, r); err != nil {
			return err
		}
		return tx.Put(kindCode, account, codeKey(in.Name, Development), in.Code)
	})
	if err != nil {
		return Summary{}, apiError(err)
	}
	return r.summary(account, Development, StatusUnpublished), nil
}

// Update is UpdateFunction: replaces the DEVELOPMENT config and code wholesale and bumps
// its version (new ETag). LIVE is untouched until the next Publish.
func (s *Service) Update(ctx context.Context, account, name, ifMatch string, cfg Config, code []byte) (Summary, error) {
	if err := validateName(name); err != nil {
		return Summary{}, err
	}
	if err := s.validateWrite(ctx, account, cfg, code); err != nil {
		return Summary{}, apiError(err)
	}
	r, err := s.updateRecord(ctx, account, name, ifMatch, func(tx store.Tx, r *record) error {
		if err := checkFunctionsPerKVS(tx, account, name, cfg); err != nil {
			return err
		}
		if err := s.checkKVSTx(tx, account, cfg); err != nil {
			return err
		}
		r.Dev.Version++
		r.Dev.Config = toStoredConfig(cfg)
		r.Dev.Modified = s.now()
		if err := saveRecord(tx, account, r); err != nil {
			return err
		}
		return tx.Put(kindCode, account, codeKey(name, Development), code)
	})
	if err != nil {
		return Summary{}, err
	}
	// A new DEVELOPMENT version is never published yet, so no association lookup is needed.
	return r.summary(account, Development, StatusUnpublished), nil
}

// Delete is DeleteFunction: removes both stages and the tags.
func (s *Service) Delete(ctx context.Context, account, name, ifMatch string) error {
	if err := validateName(name); err != nil {
		return err
	}
	// Also checked by updateRecord, but here before the association lookup.
	if !etag.WellFormed(ifMatch) {
		return apierror.InvalidIfMatchVersion()
	}
	// A checker that reads the store itself must not run inside our transaction (the
	// in-memory store has one connection); it is asked just before instead.
	txChecker, _ := s.opts.Associations.(TxAssociationChecker)
	if s.opts.Associations != nil && txChecker == nil {
		inUse, err := s.opts.Associations.FunctionInUse(ctx, account, FunctionARN(account, name))
		if err != nil {
			return apiError(err)
		}
		if inUse {
			return apierror.FunctionInUse(name)
		}
	}
	_, err := s.updateRecord(ctx, account, name, ifMatch, func(tx store.Tx, _ *record) error {
		if txChecker != nil {
			inUse, err := txChecker.FunctionInUseTx(tx, account, FunctionARN(account, name))
			if err != nil {
				return err
			}
			if inUse {
				return apierror.FunctionInUse(name)
			}
		}
		for _, k := range []string{codeKey(name, Development), codeKey(name, Live)} {
			if err := tx.Delete(kindCode, account, k); err != nil {
				return err
			}
		}
		return tx.Delete(kindFunction, account, name)
	})
	return err
}

// Publish is PublishFunction: copies the DEVELOPMENT code and config to LIVE, which takes
// over the DEVELOPMENT ETag; the DEVELOPMENT ETag does not change (spec §2.2). Returns the
// LIVE summary.
//
// Publishing a version that is already LIVE fails with PreconditionFailed, as CloudFront
// does (spec §14 Q4; terraform-provider-aws issue #49572).
func (s *Service) Publish(ctx context.Context, account, name, ifMatch string) (Summary, error) {
	if err := validateName(name); err != nil {
		return Summary{}, err
	}
	r, err := s.updateRecord(ctx, account, name, ifMatch, func(tx store.Tx, r *record) error {
		if r.published() {
			return apierror.PreconditionFailed()
		}
		now := s.now()
		created := now
		if r.Live != nil {
			created = r.Live.Created
		}
		r.Live = &stageRecord{
			Version:  r.Dev.Version,
			Config:   toStoredConfig(r.Dev.Config.config()),
			Created:  created,
			Modified: now,
		}
		code, err := loadCode(tx, account, name, Development)
		if err != nil {
			return err
		}
		if err := saveRecord(tx, account, r); err != nil {
			return err
		}
		return tx.Put(kindCode, account, codeKey(name, Live), code)
	})
	if err != nil {
		return Summary{}, err
	}
	status, err := s.status(ctx, account, r)
	if err != nil {
		return Summary{}, apiError(err)
	}
	return r.summary(account, Live, status), nil
}

// updateRecord is the conditional write that Update, Delete and Publish share: in one
// transaction it loads the function, checks If-Match against its DEVELOPMENT ETag (spec
// §1.5) and lets change modify it. A malformed If-Match fails before the transaction.
// It returns the record as change left it, and errors as *apierror.Error.
func (s *Service) updateRecord(ctx context.Context, account, name, ifMatch string, change func(tx store.Tx, r *record) error) (*record, error) {
	if !etag.WellFormed(ifMatch) {
		return nil, apierror.InvalidIfMatchVersion()
	}
	var r *record
	err := s.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if r, err = loadRecord(tx, account, name); err != nil {
			return err
		}
		if err := checkIfMatch(ifMatch, r); err != nil {
			return err
		}
		return change(tx, r)
	})
	return r, apiError(err)
}

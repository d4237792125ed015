package kvs

import (
	"context"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Control-plane operations (cloudfront 2020-05-31, spec §4). Stores are addressed by name.

// Create creates a store. Without an import it is READY at once; with one it is
// PROVISIONING until the import finishes (READY) or fails (IMPORT_FAILED, with a
// FailureReason), as CloudFront imports asynchronously.
func (s *Service) Create(ctx context.Context, account string, in CreateInput) (Store, error) {
	if !validName(in.Name) {
		return Store{}, nameError(in.Name)
	}
	if err := checkComment(in.Comment); err != nil {
		return Store{}, err
	}
	if len(tagMap(in.Tags)) > MaxTagsPerStore {
		return Store{}, apierror.InvalidTagging("A resource can have at most %d tags.", MaxTagsPerStore)
	}
	var location string
	if in.ImportSource != nil {
		loc, err := checkImportSource(*in.ImportSource, s.opts.Import)
		if err != nil {
			return Store{}, err
		}
		location = loc
		src := *in.ImportSource
		in.ImportSource = &src
	}

	now := s.now()
	id := s.opts.NewID()
	rec := &record{
		Name: in.Name, ID: id, ARN: FormatARN(account, id), Comment: in.Comment,
		Status: StatusReady, Created: now, LastModified: now, Version: 1,
		DataVersion: 1, DataModified: now, Tags: tagMap(in.Tags),
	}
	if in.ImportSource != nil {
		rec.Status = StatusProvisioning
		rec.Import = in.ImportSource
		rec.ImportRunner = s.instance
	}
	err := s.st.Update(ctx, func(tx store.Tx) error {
		existing, err := getByName(tx, account, in.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			return apierror.EntityAlreadyExists("A key value store named %s already exists.", in.Name)
		}
		n, err := tx.Count(kindStore, account)
		if err != nil {
			return err
		}
		if n >= s.opts.StoresPerAccount {
			return apierror.EntityLimitExceeded("You have reached the maximum number of key value stores (%d) for this account.", s.opts.StoresPerAccount)
		}
		if _, err := tx.Get(kindByID, account, id); err == nil {
			return apierror.InternalError("Key value store id %s is already in use.", id)
		}
		if err := putRecord(tx, account, rec); err != nil {
			return err
		}
		return tx.Put(kindByID, account, id, []byte(in.Name))
	})
	if err != nil {
		return Store{}, err
	}
	if rec.Import != nil {
		s.startImport(account, rec.Name, rec.ID, location)
	}
	return s.toStore(rec), nil
}

// Describe returns the store named name.
func (s *Service) Describe(ctx context.Context, account, name string) (Store, error) {
	rec, err := s.recordByName(ctx, account, name)
	if err != nil {
		return Store{}, err
	}
	return s.toStore(rec), nil
}

// List returns one page of the account's stores in ascending name order. The marker is
// the last name of the previous page, so concurrent creates and deletes never make a page
// repeat or skip a store that existed throughout.
func (s *Service) List(ctx context.Context, account string, in ListInput) (ListOutput, error) {
	if in.MaxItems < 0 {
		return ListOutput{}, apierror.InvalidArgument("MaxItems must not be negative.")
	}
	limit := in.MaxItems
	if limit == 0 {
		limit = DefaultListStoresItems
	}
	limit = min(limit, MaxListStoresItems)
	out := ListOutput{MaxItems: limit, Items: []Store{}}
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		after := in.Marker
		for {
			docs, err := tx.List(kindStore, account, after, 100)
			if err != nil {
				return err
			}
			for _, d := range docs {
				rec, err := decodeRecord(d.Value)
				if err != nil {
					return err
				}
				st := s.toStore(rec)
				if in.Status != "" && st.Status != in.Status {
					continue
				}
				if len(out.Items) == limit {
					out.NextMarker = out.Items[len(out.Items)-1].Name
					return nil
				}
				out.Items = append(out.Items, st)
			}
			if len(docs) < 100 {
				return nil
			}
			after = docs[len(docs)-1].Key
		}
	})
	if err != nil {
		return ListOutput{}, err
	}
	return out, nil
}

// Update changes a store's comment (the only mutable control-plane field).
func (s *Service) Update(ctx context.Context, account, name, ifMatch, comment string) (Store, error) {
	if ifMatch == "" {
		return Store{}, apierror.InvalidIfMatchVersion()
	}
	if err := checkComment(comment); err != nil {
		return Store{}, err
	}
	if !validName(name) {
		return Store{}, notFoundByName(name)
	}
	var out *record
	err := s.st.Update(ctx, func(tx store.Tx) error {
		rec, err := getByName(tx, account, name)
		if err != nil {
			return err
		}
		if rec == nil {
			return notFoundByName(name)
		}
		if ifMatch != controlETag(rec.Version) {
			return apierror.PreconditionFailed()
		}
		rec.Comment = comment
		rec.Version++
		rec.LastModified = s.now()
		out = rec
		return putRecord(tx, account, rec)
	})
	if err != nil {
		return Store{}, err
	}
	return s.toStore(out), nil
}

// Delete removes a store and all its keys. A store associated with a function (per the
// UsageChecker) cannot be deleted; a TxUsageChecker is asked again inside the delete
// transaction, so an association made in between is seen.
func (s *Service) Delete(ctx context.Context, account, name, ifMatch string) error {
	if ifMatch == "" {
		return apierror.InvalidIfMatchVersion()
	}
	rec, err := s.recordByName(ctx, account, name)
	if err != nil {
		return err
	}
	if ifMatch != controlETag(rec.Version) {
		return apierror.PreconditionFailed()
	}
	inUse := func(used bool, err error) error {
		if err == nil && used {
			return apierror.CannotDeleteEntityWhileInUse("Cannot delete key value store %s, it's associated with one or more functions.", name)
		}
		return err
	}
	u := s.usage.Load()
	if u != nil {
		if err := inUse((*u).KeyValueStoreInUse(ctx, account, rec.ARN)); err != nil {
			return err
		}
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		cur, err := getByName(tx, account, name)
		if err != nil {
			return err
		}
		if cur == nil {
			return notFoundByName(name)
		}
		if cur.ID != rec.ID || ifMatch != controlETag(cur.Version) {
			return apierror.PreconditionFailed()
		}
		if u != nil {
			if txu, ok := (*u).(TxUsageChecker); ok {
				if err := inUse(txu.KeyValueStoreInUseTx(tx, account, cur.ARN)); err != nil {
					return err
				}
			}
		}
		if err := tx.DeleteAll(keyKind(cur.ID), account); err != nil {
			return err
		}
		if err := tx.Delete(kindByID, account, cur.ID); err != nil {
			return err
		}
		return tx.Delete(kindStore, account, name)
	})
	if err != nil {
		return err
	}
	s.forgetSnapshot(rec.ARN)
	return nil
}

// Exists reports whether arn names an existing store of account.
func (s *Service) Exists(ctx context.Context, account, arn string) (bool, error) {
	var found bool
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		found, err = s.KeyValueStoreExistsTx(tx, account, arn)
		return err
	})
	return found, err
}

// KeyValueStoreExists is Exists under the name functions.KVSChecker uses.
func (s *Service) KeyValueStoreExists(ctx context.Context, account, arn string) (bool, error) {
	return s.Exists(ctx, account, arn)
}

// KeyValueStoreExistsTx is KeyValueStoreExists inside the caller's transaction of the same
// store (functions.TxKVSChecker).
func (s *Service) KeyValueStoreExistsTx(tx store.ReadTx, account, arn string) (bool, error) {
	if arnAccount, _, err := ParseARN(arn); err != nil || arnAccount != account {
		return false, nil
	}
	rec, err := getByARN(tx, arn)
	return rec != nil, err
}

// CheckAssociation validates a KeyValueStoreAssociations ARN for CreateFunction and
// UpdateFunction: it must name an existing store of account. Failures are InvalidArgument,
// the only fitting error those operations declare. Do not call it inside a store
// transaction (use CheckAssociationTx there).
func (s *Service) CheckAssociation(ctx context.Context, account, arn string) error {
	return s.st.View(ctx, func(tx store.ReadTx) error { return CheckAssociationTx(tx, account, arn) })
}

// CheckAssociationTx is CheckAssociation inside the caller's transaction.
func CheckAssociationTx(tx store.ReadTx, account, arn string) error {
	arnAccount, _, err := ParseARN(arn)
	if err != nil {
		return apierror.InvalidArgument("The key value store ARN %s is not valid.", arn)
	}
	if arnAccount != account {
		return apierror.InvalidArgument("The key value store %s does not exist.", arn)
	}
	rec, err := getByARN(tx, arn)
	if err != nil {
		return err
	}
	if rec == nil {
		return apierror.InvalidArgument("The key value store %s does not exist.", arn)
	}
	return nil
}

func (s *Service) recordByName(ctx context.Context, account, name string) (*record, error) {
	if !validName(name) {
		return nil, notFoundByName(name)
	}
	var rec *record
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		rec, err = getByName(tx, account, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, notFoundByName(name)
	}
	return rec, nil
}

func notFoundByName(name string) *apierror.Error {
	return apierror.EntityNotFound("The key value store %s does not exist.", name)
}

func checkComment(c string) *apierror.Error {
	if utf8.RuneCountInString(c) > MaxCommentLength {
		return apierror.InvalidArgument("The parameter Comment is too big.")
	}
	return nil
}

// status returns the status and failure reason to report. A PROVISIONING store whose
// import belongs to an earlier run of the server was interrupted and never finishes.
func (s *Service) status(rec *record) (string, string) {
	if rec.Status == StatusProvisioning && rec.Import != nil && rec.ImportRunner != s.instance {
		return StatusImportFailed, reasonInterrupted
	}
	return rec.Status, rec.FailureReason
}

func (s *Service) toStore(rec *record) Store {
	status, reason := s.status(rec)
	return Store{
		Name: rec.Name, ID: rec.ID, Comment: rec.Comment, ARN: rec.ARN, Status: status,
		LastModified: rec.LastModified, ETag: controlETag(rec.Version),
		Created: rec.Created, FailureReason: reason,
	}
}

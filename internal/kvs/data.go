package kvs

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Data-plane operations (cloudfront-keyvaluestore 2022-07-26, spec §5). Stores are
// addressed by ARN; errors use the data plane's codes only.

// DescribeData is the data plane's DescribeKeyValueStore.
func (s *Service) DescribeData(ctx context.Context, account, arn string) (Description, error) {
	var out Description
	err := s.viewData(ctx, account, arn, func(tx store.ReadTx, rec *record) error {
		status, reason := s.status(rec)
		out = Description{
			ARN: rec.ARN, ItemCount: rec.ItemCount, TotalSizeInBytes: rec.TotalSize,
			Created: rec.Created, LastModified: rec.DataModified, Status: status,
			FailureReason: reason, ETag: dataETag(rec.DataVersion),
		}
		return nil
	})
	return out, err
}

// GetKey returns one key's value with the store's counts.
func (s *Service) GetKey(ctx context.Context, account, arn, key string) (GetKeyOutput, error) {
	if err := checkKey(key); err != nil {
		return GetKeyOutput{}, err
	}
	var out GetKeyOutput
	err := s.viewData(ctx, account, arn, func(tx store.ReadTx, rec *record) error {
		v, err := tx.Get(keyKind(rec.ID), account, key)
		if errors.Is(err, store.ErrNotFound) {
			return keyNotFound(key)
		}
		if err != nil {
			return err
		}
		out = GetKeyOutput{Key: key, Value: string(v), ItemCount: rec.ItemCount, TotalSizeInBytes: rec.TotalSize}
		return nil
	})
	return out, err
}

// ListKeys returns one page of keys in ascending byte order. NextToken encodes the last
// key returned, so pages never repeat or skip a key that exists throughout the listing.
func (s *Service) ListKeys(ctx context.Context, account, arn string, in ListKeysInput) (ListKeysOutput, error) {
	limit := in.MaxResults
	if limit == 0 {
		limit = DefaultListKeysResults
	}
	if limit < 1 || limit > MaxListKeysResults {
		return ListKeysOutput{}, apierror.ValidationException("MaxResults must be between 1 and %d.", MaxListKeysResults)
	}
	after := ""
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || len(b) == 0 {
			return ListKeysOutput{}, apierror.ValidationException("NextToken is not valid.")
		}
		after = string(b)
	}
	out := ListKeysOutput{Items: []KeyValue{}}
	err := s.viewData(ctx, account, arn, func(tx store.ReadTx, rec *record) error {
		docs, err := tx.List(keyKind(rec.ID), account, after, limit+1)
		if err != nil {
			return err
		}
		more := len(docs) > limit
		if more {
			docs = docs[:limit]
		}
		for _, d := range docs {
			out.Items = append(out.Items, KeyValue{Key: d.Key, Value: string(d.Value)})
		}
		if more {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(docs[len(docs)-1].Key))
		}
		return nil
	})
	return out, err
}

// PutKey creates or replaces one key.
func (s *Service) PutKey(ctx context.Context, account, arn, ifMatch, key, value string) (WriteResult, error) {
	if err := s.checkWrite(account, arn, ifMatch); err != nil {
		return WriteResult{}, err
	}
	if err := checkKey(key); err != nil {
		return WriteResult{}, err
	}
	if err := checkValue(key, value); err != nil {
		return WriteResult{}, err
	}
	return s.write(ctx, account, arn, ifMatch, []change{{key: key, value: value}}, false)
}

// DeleteKey removes one key; a key that does not exist is ResourceNotFoundException.
func (s *Service) DeleteKey(ctx context.Context, account, arn, ifMatch, key string) (WriteResult, error) {
	if err := s.checkWrite(account, arn, ifMatch); err != nil {
		return WriteResult{}, err
	}
	if err := checkKey(key); err != nil {
		return WriteResult{}, err
	}
	return s.write(ctx, account, arn, ifMatch, []change{{key: key, del: true}}, true)
}

// UpdateKeys applies puts and deletes all or nothing. Deleting a key that does not
// exist is not an error here (the batch still succeeds); a key may appear only once in
// the batch. An empty batch changes nothing and keeps the ETag.
func (s *Service) UpdateKeys(ctx context.Context, account, arn, ifMatch string, in UpdateKeysInput) (WriteResult, error) {
	if err := s.checkWrite(account, arn, ifMatch); err != nil {
		return WriteResult{}, err
	}
	n := len(in.Puts) + len(in.Deletes)
	if n > MaxBatchKeys {
		return WriteResult{}, apierror.ServiceQuotaExceededException("UpdateKeys changes %d keys, more than the %d allowed in one request.", n, MaxBatchKeys)
	}
	seen := make(map[string]bool, n)
	changes := make([]change, 0, n)
	var size int64
	for _, p := range in.Puts {
		if err := checkKey(p.Key); err != nil {
			return WriteResult{}, err
		}
		if err := checkValue(p.Key, p.Value); err != nil {
			return WriteResult{}, err
		}
		if seen[p.Key] {
			return WriteResult{}, apierror.ValidationException("The key '%s' appears more than once in the request.", p.Key)
		}
		seen[p.Key] = true
		size += entrySize(p.Key, p.Value)
		changes = append(changes, change{key: p.Key, value: p.Value})
	}
	for _, k := range in.Deletes {
		if err := checkKey(k); err != nil {
			return WriteResult{}, err
		}
		if seen[k] {
			return WriteResult{}, apierror.ValidationException("The key '%s' appears more than once in the request.", k)
		}
		seen[k] = true
		size += int64(len(k))
		changes = append(changes, change{key: k, del: true})
	}
	if size > MaxBatchBytes {
		return WriteResult{}, apierror.ServiceQuotaExceededException("UpdateKeys carries %d bytes of keys and values, more than the %d allowed in one request.", size, MaxBatchBytes)
	}
	return s.write(ctx, account, arn, ifMatch, changes, false)
}

// change is one put or delete of a write.
type change struct {
	key, value string
	del        bool
}

// checkWrite validates what every data-plane write needs before touching the store.
func (s *Service) checkWrite(account, arn, ifMatch string) error {
	if err := checkCaller(account, arn); err != nil {
		return err
	}
	if ifMatch == "" {
		return apierror.ValidationException("The If-Match header is required: pass the store's current ETag from DescribeKeyValueStore.")
	}
	return nil
}

// write applies changes in one transaction, checking If-Match against the current
// data-plane ETag and bumping it. With strictDelete a missing key fails the write.
func (s *Service) write(ctx context.Context, account, arn, ifMatch string, changes []change, strictDelete bool) (WriteResult, error) {
	var rec *record
	err := s.st.Update(ctx, func(tx store.Tx) error {
		r, err := dataRecord(tx, arn)
		if err != nil {
			return err
		}
		if status, _ := s.status(r); status != StatusReady {
			return apierror.ConflictException("The key value store %s is not ready for writes (status %s).", arn, status)
		}
		// A stale If-Match yields ConflictException (spec §14 Q9: the model's only fitting error).
		if ifMatch != dataETag(r.DataVersion) {
			return apierror.ConflictException("The If-Match ETag %s does not match the key value store's current ETag.", ifMatch)
		}
		rec = r
		if len(changes) == 0 {
			return nil
		}
		kind := keyKind(r.ID)
		for _, c := range changes {
			old, err := tx.Get(kind, account, c.key)
			exists := err == nil
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if c.del {
				if !exists {
					if strictDelete {
						return keyNotFound(c.key)
					}
					continue
				}
				if err := tx.Delete(kind, account, c.key); err != nil {
					return err
				}
				r.ItemCount--
				r.TotalSize -= int64(len(c.key) + len(old))
				continue
			}
			if err := tx.Put(kind, account, c.key, []byte(c.value)); err != nil {
				return err
			}
			if exists {
				r.TotalSize -= int64(len(c.key) + len(old))
			} else {
				r.ItemCount++
			}
			r.TotalSize += entrySize(c.key, c.value)
		}
		if r.TotalSize > MaxStoreBytes {
			return apierror.ServiceQuotaExceededException("The key value store would hold %d bytes, more than its %d-byte limit.", r.TotalSize, MaxStoreBytes)
		}
		r.DataVersion++
		r.DataModified = s.now()
		return putRecord(tx, account, r)
	})
	if err != nil {
		return WriteResult{}, err
	}
	if len(changes) > 0 {
		s.committed(rec, changes)
	}
	return WriteResult{ETag: dataETag(rec.DataVersion), ItemCount: rec.ItemCount, TotalSizeInBytes: rec.TotalSize}, nil
}

// viewData runs fn with the record of arn after the caller checks.
func (s *Service) viewData(ctx context.Context, account, arn string, fn func(store.ReadTx, *record) error) error {
	if err := checkCaller(account, arn); err != nil {
		return err
	}
	return s.st.View(ctx, func(tx store.ReadTx) error {
		rec, err := dataRecord(tx, arn)
		if err != nil {
			return err
		}
		return fn(tx, rec)
	})
}

// checkCaller rejects malformed ARNs and stores of another account (AccessDenied, as IAM
// would deny a cross-account call).
func checkCaller(account, arn string) error {
	arnAccount, _, err := ParseARN(arn)
	if err != nil {
		return apierror.ValidationException("KvsARN '%s' is not a valid key value store ARN.", arn)
	}
	if arnAccount != account {
		return apierror.AccessDeniedException("Account %s is not authorized to access the key value store %s.", account, arn)
	}
	return nil
}

func dataRecord(tx store.ReadTx, arn string) (*record, error) {
	rec, err := getByARN(tx, arn)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, apierror.ResourceNotFoundException("The key value store %s does not exist.", arn)
	}
	return rec, nil
}

func keyNotFound(key string) *apierror.Error {
	return apierror.ResourceNotFoundException("The key '%s' does not exist.", key)
}

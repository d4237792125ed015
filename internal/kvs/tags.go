package kvs

import (
	"context"
	"maps"
	"slices"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Tag is one resource tag of a store (CreateKeyValueStore's Tags, TagResource).
type Tag struct {
	Key   string
	Value string
}

// MaxTagsPerStore is CloudFront's limit of tags on one resource.
const MaxTagsPerStore = 50

// Tags live in the store's record; changing them does not change the store's ETag (as for
// functions, tags are not part of the resource's versioned configuration). Tag keys and
// values are validated by the caller (the same rules as for every CloudFront resource);
// this service enforces the per-resource count.

// TagResource adds or replaces tags on the store arn.
func (s *Service) TagResource(ctx context.Context, account, arn string, tags []Tag) error {
	return s.updateTags(ctx, account, arn, func(rec *record) error {
		if rec.Tags == nil {
			rec.Tags = map[string]string{}
		}
		for _, t := range tags {
			rec.Tags[t.Key] = t.Value
		}
		if len(rec.Tags) > MaxTagsPerStore {
			return apierror.InvalidTagging("A resource can have at most %d tags.", MaxTagsPerStore)
		}
		return nil
	})
}

// UntagResource removes the tags with the given keys; unknown keys are ignored.
func (s *Service) UntagResource(ctx context.Context, account, arn string, keys []string) error {
	return s.updateTags(ctx, account, arn, func(rec *record) error {
		for _, k := range keys {
			delete(rec.Tags, k)
		}
		return nil
	})
}

// ListTags returns the store's tags sorted by key.
func (s *Service) ListTags(ctx context.Context, account, arn string) ([]Tag, error) {
	if err := checkTagged(account, arn); err != nil {
		return nil, err
	}
	var out []Tag
	err := s.st.View(ctx, func(tx store.ReadTx) error {
		rec, err := getByARN(tx, arn)
		if err != nil {
			return err
		}
		if rec == nil {
			return noSuchResource(arn)
		}
		out = sortedTags(rec.Tags)
		return nil
	})
	return out, err
}

func (s *Service) updateTags(ctx context.Context, account, arn string, change func(*record) error) error {
	if err := checkTagged(account, arn); err != nil {
		return err
	}
	return s.st.Update(ctx, func(tx store.Tx) error {
		rec, err := getByARN(tx, arn)
		if err != nil {
			return err
		}
		if rec == nil {
			return noSuchResource(arn)
		}
		if err := change(rec); err != nil {
			return err
		}
		return putRecord(tx, account, rec)
	})
}

// checkTagged rejects ARNs that are not stores of the caller's account as resources that
// do not exist, as the tagging operations report any ARN they cannot find.
func checkTagged(account, arn string) error {
	arnAccount, _, err := ParseARN(arn)
	if err != nil || arnAccount != account {
		return noSuchResource(arn)
	}
	return nil
}

func noSuchResource(arn string) error {
	return apierror.NoSuchResource("The specified resource does not exist: %s", arn)
}

func sortedTags(m map[string]string) []Tag {
	out := make([]Tag, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Tag{Key: k, Value: m[k]})
	}
	return out
}

func tagMap(tags []Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

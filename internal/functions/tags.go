package functions

import (
	"context"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/store"
)

// Tags live in the function's document; changing them does not change the function's
// version or ETag (tags are not published).

// TagResource adds or replaces tags on a function.
func (s *Service) TagResource(ctx context.Context, account, arn string, tags []Tag) error {
	if err := ValidateTags(tags); err != nil {
		return err
	}
	return s.updateTags(ctx, account, arn, func(r *record) error {
		r.setTags(tags)
		if len(r.Tags) > maxTagsPerResource {
			return apierror.InvalidTagging("A resource can have at most %d tags.", maxTagsPerResource)
		}
		return nil
	})
}

// UntagResource removes the tags with the given keys; unknown keys are ignored.
func (s *Service) UntagResource(ctx context.Context, account, arn string, keys []string) error {
	for _, k := range keys {
		if err := validateTagKey(k); err != nil {
			return err
		}
	}
	return s.updateTags(ctx, account, arn, func(r *record) error {
		r.removeTags(keys)
		return nil
	})
}

// ListTags returns a function's tags, sorted by key.
func (s *Service) ListTags(ctx context.Context, account, arn string) ([]Tag, error) {
	name, err := resourceName(account, arn)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	err = s.st.View(ctx, func(tx store.ReadTx) error {
		r, err := loadTagged(tx, account, name, arn)
		if err != nil {
			return err
		}
		tags = r.tags()
		return nil
	})
	return tags, apiError(err)
}

func (s *Service) updateTags(ctx context.Context, account, arn string, change func(*record) error) error {
	name, err := resourceName(account, arn)
	if err != nil {
		return err
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		r, err := loadTagged(tx, account, name, arn)
		if err != nil {
			return err
		}
		if err := change(r); err != nil {
			return err
		}
		return saveRecord(tx, account, r)
	})
	return apiError(err)
}

// resourceName resolves a tagging ARN to a function name of the caller's account. An ARN
// that is not a CloudFront ARN at all is InvalidArgument; any other ARN this service
// does not hold (another type, another account) is NoSuchResource.
func resourceName(account, arn string) (string, error) {
	if !resourceARNRE.MatchString(arn) {
		return "", apierror.InvalidArgument("The parameter Resource has an invalid value '%s'.", arn)
	}
	acct, name, ok := ParseFunctionARN(arn)
	if !ok || acct != account {
		return "", noSuchResource(arn)
	}
	return name, nil
}

func loadTagged(tx store.ReadTx, account, name, arn string) (*record, error) {
	r, err := loadRecord(tx, account, name)
	if isNoSuchFunction(err) {
		return nil, noSuchResource(arn)
	}
	return r, err
}

func noSuchResource(arn string) error {
	return apierror.NoSuchResource("The specified resource does not exist: %s", arn)
}

package cfapi

import (
	"context"
	"strings"

	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/kvs"
)

// resourceTagger is what the tagging operations need from the service owning a resource.
// *functions.Service implements it; key value stores go through kvsTagger.
type resourceTagger interface {
	TagResource(ctx context.Context, account, arn string, tags []functions.Tag) error
	UntagResource(ctx context.Context, account, arn string, keys []string) error
	ListTags(ctx context.Context, account, arn string) ([]functions.Tag, error)
}

// taggerFor picks the service that owns arn: key value store ARNs
// ("arn:aws:cloudfront::<account>:key-value-store/<id>") go to the KVS service when there
// is one; everything else to the functions service, which answers NoSuchResource for
// ARNs it does not hold.
func (a *API) taggerFor(arn string) resourceTagger {
	if a.opts.KVS != nil && strings.Contains(arn, ":key-value-store/") {
		return kvsTagger{a.opts.KVS}
	}
	return a.svc
}

// kvsTagger validates tags with the rules every CloudFront resource shares (those of
// functions) and stores them through the KVS service.
type kvsTagger struct{ svc KVSService }

func (k kvsTagger) TagResource(ctx context.Context, account, arn string, tags []functions.Tag) error {
	if err := functions.ValidateTags(tags); err != nil {
		return err
	}
	return k.svc.TagResource(ctx, account, arn, toKVSTags(tags))
}

func (k kvsTagger) UntagResource(ctx context.Context, account, arn string, keys []string) error {
	for _, key := range keys {
		if err := functions.ValidateTags([]functions.Tag{{Key: key}}); err != nil {
			return err
		}
	}
	return k.svc.UntagResource(ctx, account, arn, keys)
}

func (k kvsTagger) ListTags(ctx context.Context, account, arn string) ([]functions.Tag, error) {
	tags, err := k.svc.ListTags(ctx, account, arn)
	if err != nil {
		return nil, err
	}
	out := make([]functions.Tag, len(tags))
	for i, t := range tags {
		out[i] = functions.Tag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}

func toKVSTags(tags []functions.Tag) []kvs.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]kvs.Tag, len(tags))
	for i, t := range tags {
		out[i] = kvs.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

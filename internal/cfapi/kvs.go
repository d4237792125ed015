package cfapi

import (
	"context"
	"net/http"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/kvs"
)

// KVSService is the part of *kvs.Service the key value store operations call (the
// control plane of spec §4: stores addressed by name).
type KVSService interface {
	Create(ctx context.Context, account string, in kvs.CreateInput) (kvs.Store, error)
	Describe(ctx context.Context, account, name string) (kvs.Store, error)
	List(ctx context.Context, account string, in kvs.ListInput) (kvs.ListOutput, error)
	Update(ctx context.Context, account, name, ifMatch, comment string) (kvs.Store, error)
	Delete(ctx context.Context, account, name, ifMatch string) error
	TagResource(ctx context.Context, account, arn string, tags []kvs.Tag) error
	UntagResource(ctx context.Context, account, arn string, keys []string) error
	ListTags(ctx context.Context, account, arn string) ([]kvs.Tag, error)
}

// Key value store operation names, as the SDK model spells them.
const (
	opCreateKeyValueStore   = "CreateKeyValueStore"
	opDescribeKeyValueStore = "DescribeKeyValueStore"
	opListKeyValueStores    = "ListKeyValueStores"
	opUpdateKeyValueStore   = "UpdateKeyValueStore"
	opDeleteKeyValueStore   = "DeleteKeyValueStore"
)

var (
	kvsCollection = methods{http.MethodGet: opListKeyValueStores, http.MethodPost: opCreateKeyValueStore}
	kvsItem       = methods{http.MethodGet: opDescribeKeyValueStore, http.MethodPut: opUpdateKeyValueStore, http.MethodDelete: opDeleteKeyValueStore}
)

// matchKVSRoute matches /2020-05-31/key-value-store[/{Name}] (segs follow the API
// prefix). ok is false when the path is not a key value store path.
func matchKVSRoute(method, escapedPath string, segs []string) (r route, ok bool, err error) {
	if segs[0] != "key-value-store" {
		return route{}, false, nil
	}
	switch len(segs) {
	case 1:
		r, err = pick(method, escapedPath, kvsCollection, "")
		return r, true, err
	case 2:
		name, err := decodeSegment(segs[1], "key value store name")
		if err != nil {
			return route{}, true, err
		}
		r, err = pick(method, escapedPath, kvsItem, name)
		return r, true, err
	}
	return route{}, false, nil
}

// registerKVSOps adds the key value store operations. Without a KVS service they are
// answered UnsupportedOperation, like every CloudFront API LocalFront does not serve.
func (a *API) registerKVSOps() {
	a.registerOps(map[string]operationHandler{
		opCreateKeyValueStore:   a.createKeyValueStore,
		opDescribeKeyValueStore: a.describeKeyValueStore,
		opListKeyValueStores:    a.listKeyValueStores,
		opUpdateKeyValueStore:   a.updateKeyValueStore,
		opDeleteKeyValueStore:   a.deleteKeyValueStore,
	}, a.opts.KVS != nil, func(r *http.Request) error {
		return apierror.UnsupportedOperation("LocalFront was started without key value stores; %s %s is not available.", r.Method, r.URL.EscapedPath())
	})
}

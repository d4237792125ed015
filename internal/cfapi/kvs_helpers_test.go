package cfapi_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

// kvsStack is the control plane with key value stores: the functions service checks
// associations against the KVS service, and the KVS service asks the functions service
// whether a store is in use, as internal/server wires them.
type kvsStack struct {
	*stack
	KVS *kvs.Service
}

func newKVSStack(tb testing.TB, ko kvs.Options) *kvsStack {
	tb.Helper()
	st, err := sqlite.OpenMemory()
	if err != nil {
		tb.Fatal(err)
	}
	kv := kvs.New(st, ko)
	svc := functions.New(st, runtime.NewEngine(runtime.Options{}), functions.Options{KVS: kv})
	kv.SetUsageChecker(svc)
	api := cfapi.New(svc, cfapi.Options{KVS: kv})
	srv := httptest.NewServer(api)
	tb.Cleanup(func() {
		srv.Close()
		kv.Close()
		st.Close()
	})
	s := &stack{URL: srv.URL, HTTP: srv.Client(), Svc: svc, API: api, server: srv}
	s.CF = newClient(s.URL, s.HTTP, "AKIDEXAMPLE", "secret")
	return &kvsStack{stack: s, KVS: kv}
}

// createStore makes a store through the SDK.
func (s *kvsStack) createStore(t testing.TB, name string) *cloudfront.CreateKeyValueStoreOutput {
	t.Helper()
	out, err := s.CF.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateKeyValueStore %s: %v", name, err)
	}
	return out
}

// waitStatus polls DescribeKeyValueStore until the store leaves PROVISIONING.
func (s *kvsStack) waitStatus(t testing.TB, name string) *types.KeyValueStore {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := s.CF.DescribeKeyValueStore(context.Background(), &cloudfront.DescribeKeyValueStoreInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.KeyValueStore.Status) != kvs.StatusProvisioning {
			return out.KeyValueStore
		}
		if time.Now().After(deadline) {
			t.Fatalf("store %s still PROVISIONING after 10s", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// js2KVS is a cloudfront-js-2.0 config associated with the given stores.
func js2KVS(arns ...string) *types.FunctionConfig {
	cfg := &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20}
	if arns != nil {
		items := make([]types.KeyValueStoreAssociation, len(arns))
		for i, a := range arns {
			items[i] = types.KeyValueStoreAssociation{KeyValueStoreARN: aws.String(a)}
		}
		cfg.KeyValueStoreAssociations = &types.KeyValueStoreAssociations{Quantity: aws.Int32(int32(len(arns))), Items: items}
	}
	return cfg
}

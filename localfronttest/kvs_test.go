package localfronttest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	kvsdk "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"

	"github.com/localfront/localfront/localfronttest"
)

// KVSConfig reaches the data plane (SigV4A) with credentials configured.
func TestKVSConfig(t *testing.T) {
	lf := localfronttest.Start(t, localfronttest.Options{
		Credentials: []localfronttest.Credential{{AccessKeyID: "AKIDTEST", SecretAccessKey: "s3cret", AccountID: "444455556666"}},
	})
	ctx := context.Background()
	st, err := cloudfront.NewFromConfig(lf.AWSConfig()).CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	kv := kvsdk.NewFromConfig(lf.KVSConfig())
	d, err := kv.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: st.KeyValueStore.ARN})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: st.KeyValueStore.ARN, IfMatch: d.ETag, Key: aws.String("k"), Value: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	got, err := kv.GetKey(ctx, &kvsdk.GetKeyInput{KvsARN: st.KeyValueStore.ARN, Key: aws.String("k")})
	if err != nil || aws.ToString(got.Value) != "v" {
		t.Fatalf("GetKey: %v %v", got, err)
	}
}

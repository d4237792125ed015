package server_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	kvsdk "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	kvstypes "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"

	"github.com/localfront/localfront/internal/server"
)

// kvsClient is the real data-plane SDK client (SigV4A) pointed at the test server. The
// SDK turns the endpoint http://localhost:PORT into http://<account>.localhost:PORT,
// which does not resolve here, so its dialer connects to the listener whatever the name
// (the README's "custom DialContext" fix).
func kvsClient(hs *httptest.Server, key, secret string) *kvsdk.Client {
	addr := hs.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	return kvsdk.New(kvsdk.Options{
		BaseEndpoint:     aws.String("http://localhost:" + port),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		HTTPClient:       &http.Client{Transport: transport},
		RetryMaxAttempts: 1,
	})
}

// kvsProxyClient reaches the server the way boto3 and the CLI are told to in the README:
// as an HTTP proxy, so requests arrive in absolute form
// ("PUT http://123456789012.localhost:PORT/key-value-stores/… HTTP/1.1").
func kvsProxyClient(hs *httptest.Server, key, secret string) *kvsdk.Client {
	proxy, _ := url.Parse(hs.URL)
	_, port, _ := net.SplitHostPort(hs.Listener.Addr().String())
	return kvsdk.New(kvsdk.Options{
		BaseEndpoint:     aws.String("http://localhost:" + port),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		HTTPClient:       &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}},
		RetryMaxAttempts: 1,
	})
}

func createStore(t *testing.T, cf *cloudfront.Client, name string) string {
	t.Helper()
	out, err := cf.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.KeyValueStore.ARN)
}

// With credentials configured, the control plane (SigV4) and the data plane (SigV4A)
// on the same listener both act for the signer's account, directly and through the
// proxy route, and the wiring between the KVS and functions services holds.
func TestKVSOverOneListenerWithCredentials(t *testing.T) {
	srv, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	ctx := context.Background()
	alice := client(hs, "AKIDALICE", "alice-secret")
	arn := createStore(t, alice, "config")
	if !strings.HasPrefix(arn, "arn:aws:cloudfront::111111111111:key-value-store/") {
		t.Fatalf("ARN %s", arn)
	}

	for name, dp := range map[string]*kvsdk.Client{
		"dialer": kvsClient(hs, "AKIDALICE", "alice-secret"),
		"proxy":  kvsProxyClient(hs, "AKIDALICE", "alice-secret"),
	} {
		d, err := dp.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: aws.String(arn)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		put, err := dp.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: aws.String(arn), IfMatch: d.ETag, Key: aws.String("via/" + name), Value: aws.String("v-" + name)})
		if err != nil {
			t.Fatalf("%s: PutKey: %v", name, err)
		}
		if aws.ToString(put.ETag) == aws.ToString(d.ETag) {
			t.Errorf("%s: ETag did not change", name)
		}
		got, err := dp.GetKey(ctx, &kvsdk.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("via/" + name)})
		if err != nil || aws.ToString(got.Value) != "v-"+name {
			t.Fatalf("%s: GetKey %+v %v", name, got, err)
		}
	}
	// The keys are in the service the functions read from.
	snap, err := srv.KVS().Snapshot(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := snap.Get("via/proxy"); !ok || v != "v-proxy" || snap.Meta().KeyCount != 2 {
		t.Errorf("snapshot: %q %v %+v", v, ok, snap.Meta())
	}

	// Bob signs correctly but the store is alice's.
	_, err = kvsClient(hs, "AKIDBOB", "bob-secret").GetKey(ctx, &kvsdk.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("via/dialer")})
	var denied *kvstypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("bob reading alice's store: %v", err)
	}
	wantCode(t, err, "AccessDeniedException", 403)

	// Functions validate associations against this KVS service, and the KVS service asks
	// the functions service before a delete.
	fn, err := alice.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name: aws.String("reader"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20,
			KeyValueStoreAssociations: &types.KeyValueStoreAssociations{Quantity: aws.Int32(1), Items: []types.KeyValueStoreAssociation{{KeyValueStoreARN: aws.String(arn)}}}},
		FunctionCode: []byte(code),
	})
	if err != nil {
		t.Fatal(err)
	}
	bobARN := createStore(t, client(hs, "AKIDBOB", "bob-secret"), "bobs")
	_, err = alice.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name: aws.String("thief"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20,
			KeyValueStoreAssociations: &types.KeyValueStoreAssociations{Quantity: aws.Int32(1), Items: []types.KeyValueStoreAssociation{{KeyValueStoreARN: aws.String(bobARN)}}}},
		FunctionCode: []byte(code),
	})
	wantCode(t, err, "InvalidArgument", 400)

	desc, err := alice.DescribeKeyValueStore(ctx, &cloudfront.DescribeKeyValueStoreInput{Name: aws.String("config")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = alice.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("config"), IfMatch: desc.ETag})
	wantCode(t, err, "CannotDeleteEntityWhileInUse", 409)
	if _, err := alice.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("reader"), IfMatch: fn.ETag}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("config"), IfMatch: desc.ETag}); err != nil {
		t.Fatal(err)
	}
}

// Data-plane authentication failures carry the JSON protocol's error names.
func TestKVSDataPlaneAuthErrors(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	ctx := context.Background()
	arn := createStore(t, client(hs, "AKIDALICE", "alice-secret"), "s")
	in := &kvsdk.GetKeyInput{KvsARN: aws.String(arn), Key: aws.String("k")}

	_, err := kvsClient(hs, "AKIDALICE", "wrong").GetKey(ctx, in)
	wantCode(t, err, "InvalidSignatureException", 403)
	_, err = kvsClient(hs, "AKIDNOBODY", "x").GetKey(ctx, in)
	wantCode(t, err, "UnrecognizedClientException", 403)

	resp, err := hs.Client().Get(hs.URL + "/key-value-stores/" + url.PathEscape(arn))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" ||
		!strings.Contains(string(body), `"__type":"MissingAuthenticationTokenException"`) || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("unsigned data-plane request: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	// A valid signature for another service (cloudfront) does not open the data plane.
	req, _ := http.NewRequest("GET", hs.URL+"/key-value-stores/"+url.PathEscape(arn), nil)
	creds := aws.Credentials{AccessKeyID: "AKIDALICE", SecretAccessKey: "alice-secret"}
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "cloudfront", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err = hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("x-amzn-ErrorType") != "InvalidSignatureException" || !strings.Contains(string(body), "cloudfront-keyvaluestore") {
		t.Errorf("cloudfront-signed data-plane request: %d %v %s", resp.StatusCode, resp.Header, body)
	}
}

// Without credentials the data plane accepts any signature as the configured account.
func TestKVSDataPlaneWithoutCredentials(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, AccountID: "999999999999"})
	ctx := context.Background()
	arn := createStore(t, client(hs, "ANY", "thing"), "s")
	dp := kvsClient(hs, "ANY", "thing")
	d, err := dp.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dp.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: aws.String(arn), IfMatch: d.ETag, Key: aws.String("k"), Value: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	// The health check and unknown data-plane paths are still answered.
	resp, err := hs.Client().Get(hs.URL + "/key-value-stores/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("x-amzn-ErrorType") != "UnknownOperationException" {
		t.Errorf("GET /key-value-stores/: %d %v", resp.StatusCode, resp.Header)
	}
}

// The whole flow through the real SDKs with credentials configured: create a store on the
// control plane, write keys on the data plane (SigV4A), associate a cloudfront-js-2.0
// function, and TestFunction reads the keys; a later write is seen by the next test
// without a restart.
func TestKVSFlowCreatePutAssociateTest(t *testing.T) {
	_, hs := start(t, server.Config{InMemory: true, Credentials: twoAccounts})
	ctx := context.Background()
	cf := client(hs, "AKIDALICE", "alice-secret")
	dp := kvsClient(hs, "AKIDALICE", "alice-secret")
	arn := createStore(t, cf, "routes")

	d, err := dp.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	up, err := dp.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: aws.String(arn), IfMatch: d.ETag, Puts: []kvstypes.PutKeyRequestListItem{
		{Key: aws.String("/old"), Value: aws.String("/new")},
		{Key: aws.String("flags"), Value: aws.String(`{"beta":true}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}

	const fnCode = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
    const request = event.request;
    const flags = await kvs.get('flags', {format: 'json'});
    const meta = await kvs.meta();
    console.log('beta=' + flags.beta + ' keys=' + meta.keyCount);
    if (await kvs.exists(request.uri)) {
        request.uri = await kvs.get(request.uri);
    }
    return request;
}`
	fn, err := cf.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
		Name: aws.String("router"),
		FunctionConfig: &types.FunctionConfig{Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs20,
			KeyValueStoreAssociations: &types.KeyValueStoreAssociations{Quantity: aws.Int32(1), Items: []types.KeyValueStoreAssociation{{KeyValueStoreARN: aws.String(arn)}}}},
		FunctionCode: []byte(fnCode),
	})
	if err != nil {
		t.Fatal(err)
	}
	event := []byte(`{"version":"1.0","context":{"eventType":"viewer-request"},"viewer":{"ip":"1.2.3.4"},"request":{"method":"GET","uri":"/old","querystring":{},"headers":{},"cookies":{}}}`)
	test := func() *cloudfront.TestFunctionOutput {
		t.Helper()
		out, err := cf.TestFunction(ctx, &cloudfront.TestFunctionInput{Name: aws.String("router"), IfMatch: fn.ETag, EventObject: event})
		if err != nil {
			t.Fatal(err)
		}
		if msg := aws.ToString(out.TestResult.FunctionErrorMessage); msg != "" {
			t.Fatalf("function failed: %s", msg)
		}
		return out
	}
	out := test()
	if logs := out.TestResult.FunctionExecutionLogs; len(logs) != 1 || logs[0] != "beta=true keys=2" {
		t.Errorf("logs %q", logs)
	}
	if !strings.Contains(aws.ToString(out.TestResult.FunctionOutput), `"uri":"/new"`) {
		t.Errorf("output %s", aws.ToString(out.TestResult.FunctionOutput))
	}

	// A data-plane write is visible to the next run, without any restart.
	if _, err := dp.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: aws.String(arn), IfMatch: up.ETag, Key: aws.String("/old"), Value: aws.String("/newer")}); err != nil {
		t.Fatal(err)
	}
	out = test()
	if !strings.Contains(aws.ToString(out.TestResult.FunctionOutput), `"uri":"/newer"`) {
		t.Errorf("after the write: %s", aws.ToString(out.TestResult.FunctionOutput))
	}
}

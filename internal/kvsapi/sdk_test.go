package kvsapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kvsdk "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	"github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"
	"github.com/aws/smithy-go"

	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/sdkhttp"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const acct = "123456789012"

type fixture struct {
	svc    *kvs.Service
	srv    *httptest.Server
	client *kvsdk.Client
	hosts  chan string // Host headers seen, when recording
}

// newFixture serves the handler on an httptest listener and returns a real SDK client.
// The SDK prepends the account to the endpoint host (123456789012.localhost), which does
// not resolve here, so the client's dialer always connects to the listener (wire.md).
func newFixture(t *testing.T, opts Options, kopts ...kvs.Options) *fixture {
	t.Helper()
	db, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ko kvs.Options
	if len(kopts) > 0 {
		ko = kopts[0]
	}
	f := &fixture{svc: kvs.New(db, ko), hosts: make(chan string, 1000)}
	t.Cleanup(func() { f.svc.Close() })
	h := New(f.svc, opts)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case f.hosts <- r.Host:
		default:
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	f.client = sdkClient(f.srv)
	return f
}

func sdkClient(srv *httptest.Server) *kvsdk.Client {
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	return kvsdk.New(kvsdk.Options{
		BaseEndpoint:     aws.String("http://localhost:" + port),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
		HTTPClient:       sdkhttp.Client(&http.Client{Transport: transport}), // see internal/sdkhttp
		RetryMaxAttempts: 1,
	})
}

func (f *fixture) createStore(t *testing.T, name string) string {
	t.Helper()
	st, err := f.svc.Create(context.Background(), acct, kvs.CreateInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return st.ARN
}

// wantAPIError checks the SDK surfaced code (typed when the operation models it).
func wantAPIError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got code %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Fatalf("got status %d, want %d", re.HTTPStatusCode(), status)
	}
	if ae.ErrorMessage() == "" {
		t.Fatal("empty error message")
	}
}

func TestSDKAllOperations(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	arn := f.createStore(t, "sdk")

	d, err := f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.KvsARN) != arn || aws.ToInt32(d.ItemCount) != 0 || aws.ToString(d.Status) != "READY" || d.Created == nil || d.LastModified == nil || aws.ToString(d.ETag) != "KVTVPDKIKX0DER" {
		t.Fatalf("describe: %+v", d)
	}
	if host := <-f.hosts; host != acct+".localhost:"+f.port() {
		t.Fatalf("Host %q", host)
	}

	put, err := f.client.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: &arn, Key: aws.String("k1"), Value: aws.String("v1"), IfMatch: d.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(put.ItemCount) != 1 || aws.ToInt64(put.TotalSizeInBytes) != 4 || aws.ToString(put.ETag) == aws.ToString(d.ETag) {
		t.Fatalf("put: %+v", put)
	}
	// Keys with '/', spaces, '%', '?', '#', '+' and non-ASCII travel inside one segment.
	odd := []string{"dir/a b", "/leading", "trailing/", "a//b", "100%", "q?x=1", "frag#x", "plus+sign", "ü/€", "..", "."}
	var puts []types.PutKeyRequestListItem
	for _, k := range odd {
		puts = append(puts, types.PutKeyRequestListItem{Key: aws.String(k), Value: aws.String("value of " + k)})
	}
	up, err := f.client.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: &arn, IfMatch: put.ETag, Puts: puts,
		Deletes: []types.DeleteKeyRequestListItem{{Key: aws.String("k1")}}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(up.ItemCount) != int32(len(odd)) {
		t.Fatalf("update keys: %+v", up)
	}
	for _, k := range odd {
		g, err := f.client.GetKey(ctx, &kvsdk.GetKeyInput{KvsARN: &arn, Key: aws.String(k)})
		if err != nil {
			t.Fatalf("GetKey(%q): %v", k, err)
		}
		if aws.ToString(g.Key) != k || aws.ToString(g.Value) != "value of "+k || aws.ToInt32(g.ItemCount) != int32(len(odd)) || aws.ToInt64(g.TotalSizeInBytes) != aws.ToInt64(up.TotalSizeInBytes) {
			t.Fatalf("GetKey(%q) = %+v", k, g)
		}
	}
	del, err := f.client.DeleteKey(ctx, &kvsdk.DeleteKeyInput{KvsARN: &arn, Key: aws.String("dir/a b"), IfMatch: up.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(del.ItemCount) != int32(len(odd)-1) || aws.ToString(del.ETag) == aws.ToString(up.ETag) {
		t.Fatalf("delete: %+v", del)
	}
	d2, err := f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d2.ETag) != aws.ToString(del.ETag) || aws.ToInt32(d2.ItemCount) != int32(len(odd)-1) || !d2.LastModified.After(*d.LastModified) && !d2.LastModified.Equal(*d.LastModified) {
		t.Fatalf("describe after: %+v", d2)
	}
}

func (f *fixture) port() string {
	_, port, _ := net.SplitHostPort(f.srv.Listener.Addr().String())
	return port
}

func TestSDKListKeysPaginator(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	arn := f.createStore(t, "pages")
	etag := "KVTVPDKIKX0DER"
	var want []string
	for b := 0; b < 3; b++ {
		var puts []types.PutKeyRequestListItem
		for i := 0; i < 15; i++ {
			k := fmt.Sprintf("key/%02d %02d", b, i)
			want = append(want, k)
			puts = append(puts, types.PutKeyRequestListItem{Key: aws.String(k), Value: aws.String(k)})
		}
		out, err := f.client.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: &arn, IfMatch: &etag, Puts: puts})
		if err != nil {
			t.Fatal(err)
		}
		etag = aws.ToString(out.ETag)
	}
	p := kvsdk.NewListKeysPaginator(f.client, &kvsdk.ListKeysInput{KvsARN: &arn, MaxResults: aws.Int32(7)})
	var got []string
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, it := range page.Items {
			if aws.ToString(it.Value) != aws.ToString(it.Key) {
				t.Fatalf("item %+v", it)
			}
			got = append(got, aws.ToString(it.Key))
		}
	}
	if pages != 7 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("%d pages: %v", pages, got)
	}
	// Default page size is 10.
	out, err := f.client.ListKeys(ctx, &kvsdk.ListKeysInput{KvsARN: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != 10 || out.NextToken == nil {
		t.Fatalf("default page: %d items", len(out.Items))
	}
	_, err = f.client.ListKeys(ctx, &kvsdk.ListKeysInput{KvsARN: &arn, MaxResults: aws.Int32(51)})
	wantAPIError(t, err, "ValidationException", 400)
	_, err = f.client.ListKeys(ctx, &kvsdk.ListKeysInput{KvsARN: &arn, NextToken: aws.String("not base64!")})
	wantAPIError(t, err, "ValidationException", 400)
}

func TestSDKErrors(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	arn := f.createStore(t, "errs")
	missing := "arn:aws:cloudfront::" + acct + ":key-value-store/00000000-0000-0000-0000-000000000000"
	other, err := f.svc.Create(ctx, "210987654321", kvs.CreateInput{Name: "errs"})
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &missing})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("not typed: %T", err)
	}
	_, err = f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &other.ARN})
	wantAPIError(t, err, "AccessDeniedException", 403)
	_, err = f.client.GetKey(ctx, &kvsdk.GetKeyInput{KvsARN: &arn, Key: aws.String("nope")})
	wantAPIError(t, err, "ResourceNotFoundException", 404)

	_, err = f.client.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: &arn, Key: aws.String("k"), Value: aws.String("v"), IfMatch: aws.String("BAD")})
	wantAPIError(t, err, "ConflictException", 409)
	var ce *types.ConflictException
	if !errors.As(err, &ce) {
		t.Fatalf("not typed: %T", err)
	}
	_, err = f.client.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: &arn, Key: aws.String(strings.Repeat("k", 513)), Value: aws.String("v"), IfMatch: aws.String("KVTVPDKIKX0DER")})
	wantAPIError(t, err, "ValidationException", 400)
	_, err = f.client.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: &arn, Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 1025)), IfMatch: aws.String("KVTVPDKIKX0DER")})
	wantAPIError(t, err, "ValidationException", 400)
	_, err = f.client.DeleteKey(ctx, &kvsdk.DeleteKeyInput{KvsARN: &arn, Key: aws.String("nope"), IfMatch: aws.String("KVTVPDKIKX0DER")})
	wantAPIError(t, err, "ResourceNotFoundException", 404)

	var puts []types.PutKeyRequestListItem
	for i := 0; i < 51; i++ {
		puts = append(puts, types.PutKeyRequestListItem{Key: aws.String(fmt.Sprint(i)), Value: aws.String("v")})
	}
	_, err = f.client.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: &arn, IfMatch: aws.String("KVTVPDKIKX0DER"), Puts: puts})
	wantAPIError(t, err, "ServiceQuotaExceededException", 402)
	var sq *types.ServiceQuotaExceededException
	if !errors.As(err, &sq) {
		t.Fatalf("not typed: %T", err)
	}
	// Nothing was written by the failures above.
	d, err := f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(d.ItemCount) != 0 || aws.ToString(d.ETag) != "KVTVPDKIKX0DER" {
		t.Fatalf("store changed: %+v", d)
	}
}

func TestSDKConcurrentUpdateKeysOneWins(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	arn := f.createStore(t, "race")
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			_, err := f.client.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: &arn, IfMatch: aws.String("KVTVPDKIKX0DER"),
				Puts: []types.PutKeyRequestListItem{{Key: aws.String(fmt.Sprint("w", i)), Value: aws.String("x")}}})
			errs <- err
		}(i)
	}
	wins := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err == nil {
			wins++
		} else {
			wantAPIError(t, err, "ConflictException", 409)
		}
	}
	if wins != 1 {
		t.Fatalf("%d winners", wins)
	}
}

type staticAuth struct {
	account string
	err     error
	bodies  chan []byte
}

func (a staticAuth) Authenticate(r *http.Request, body []byte) (string, error) {
	if a.bodies != nil {
		a.bodies <- body
	}
	return a.account, a.err
}

func TestSDKAuthenticator(t *testing.T) {
	ctx := context.Background()
	auth := staticAuth{account: "210987654321", bodies: make(chan []byte, 10)}
	f := newFixture(t, Options{Authenticator: auth})
	st, err := f.svc.Create(ctx, "210987654321", kvs.CreateInput{Name: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.client.PutKey(ctx, &kvsdk.PutKeyInput{KvsARN: &st.ARN, Key: aws.String("k"), Value: aws.String("v"), IfMatch: aws.String("KVTVPDKIKX0DER")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.ItemCount) != 1 {
		t.Fatalf("%+v", out)
	}
	if b := <-auth.bodies; string(b) != `{"Value":"v"}` {
		t.Fatalf("authenticator saw body %q", b)
	}
	// The default account's store is someone else's now.
	arn := f.createStore(t, "theirs")
	_, err = f.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &arn})
	wantAPIError(t, err, "AccessDeniedException", 403)

	denied := newFixture(t, Options{Authenticator: AuthenticatorFunc(func(*http.Request, []byte) (string, error) {
		return "", errors.New("signature mismatch")
	})})
	_, err = denied.client.DescribeKeyValueStore(ctx, &kvsdk.DescribeKeyValueStoreInput{KvsARN: &arn})
	wantAPIError(t, err, "AccessDeniedException", 403)
}

// Batches written through the API are never partly visible to a function's Snapshot.
func TestSDKBatchesAtomicForSnapshotReaders(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	arn := f.createStore(t, "atomic")
	batch := func(n int) []types.PutKeyRequestListItem {
		var puts []types.PutKeyRequestListItem
		for i := 0; i < 50; i++ {
			puts = append(puts, types.PutKeyRequestListItem{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String(fmt.Sprint(n))})
		}
		return puts
	}
	etag := aws.String("KVTVPDKIKX0DER")
	done := make(chan struct{})
	bad := make(chan string, 1)
	go func() {
		defer close(bad)
		for {
			select {
			case <-done:
				return
			default:
			}
			sn, err := f.svc.Snapshot(ctx, arn)
			if err != nil {
				bad <- err.Error()
				return
			}
			first, _ := sn.Get("k00")
			for i := 1; i < 50; i++ {
				if v, _ := sn.Get(fmt.Sprintf("k%02d", i)); v != first {
					bad <- fmt.Sprintf("partial batch: k00=%q k%02d=%q", first, i, v)
					return
				}
			}
		}
	}()
	for n := 0; n < 40; n++ {
		out, err := f.client.UpdateKeys(ctx, &kvsdk.UpdateKeysInput{KvsARN: &arn, IfMatch: etag, Puts: batch(n)})
		if err != nil {
			t.Fatal(err)
		}
		etag = out.ETag
	}
	close(done)
	if msg, ok := <-bad; ok {
		t.Fatal(msg)
	}
}

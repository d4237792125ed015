package cfapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/kvs"
)

var (
	uuidRE    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	kvsETagRE = regexp.MustCompile(`^E[0-9A-Z]{12,13}$`)
)

// The whole control-plane life of a store through the real SDK: create (201, Location,
// ETag, UUID id, ARN), describe, update (If-Match, comment, new ETag), delete (204).
func TestSDKKeyValueStoreLifecycle(t *testing.T) {
	s := newKVSStack(t, kvs.Options{})
	ctx := context.Background()

	created, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("kvs-1"), Comment: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	st := created.KeyValueStore
	id := aws.ToString(st.Id)
	arn := "arn:aws:cloudfront::123456789012:key-value-store/" + id
	if !uuidRE.MatchString(id) || aws.ToString(st.ARN) != arn || aws.ToString(st.Name) != "kvs-1" ||
		aws.ToString(st.Comment) != "first" || aws.ToString(st.Status) != "READY" || st.LastModifiedTime == nil {
		t.Fatalf("created %+v", st)
	}
	if got := aws.ToString(created.Location); got != "https://cloudfront.amazonaws.com/2020-05-31/key-value-store/"+arn {
		t.Errorf("Location %q", got)
	}
	etag := aws.ToString(created.ETag)
	if !kvsETagRE.MatchString(etag) {
		t.Errorf("ETag %q", etag)
	}
	raw := rawResponse(t, created.ResultMetadata)
	if raw.StatusCode != http.StatusCreated || raw.Header.Get("Content-Type") != "text/xml" || raw.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("status %d, headers %v", raw.StatusCode, raw.Header)
	}

	desc, err := s.CF.DescribeKeyValueStore(ctx, &cloudfront.DescribeKeyValueStoreInput{Name: aws.String("kvs-1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(desc.ETag) != etag || aws.ToString(desc.KeyValueStore.ARN) != arn || !desc.KeyValueStore.LastModifiedTime.Equal(*st.LastModifiedTime) {
		t.Errorf("describe %+v etag %s", desc.KeyValueStore, aws.ToString(desc.ETag))
	}

	upd, err := s.CF.UpdateKeyValueStore(ctx, &cloudfront.UpdateKeyValueStoreInput{Name: aws.String("kvs-1"), IfMatch: aws.String(etag), Comment: aws.String("second")})
	if err != nil {
		t.Fatal(err)
	}
	newETag := aws.ToString(upd.ETag)
	if newETag == etag || !kvsETagRE.MatchString(newETag) || aws.ToString(upd.KeyValueStore.Comment) != "second" || aws.ToString(upd.KeyValueStore.Id) != id {
		t.Errorf("update: etag %s -> %s, %+v", etag, newETag, upd.KeyValueStore)
	}
	// An empty comment is a valid update (the element is required, its text may be empty).
	upd2, err := s.CF.UpdateKeyValueStore(ctx, &cloudfront.UpdateKeyValueStoreInput{Name: aws.String("kvs-1"), IfMatch: aws.String(newETag), Comment: aws.String("")})
	if err != nil || aws.ToString(upd2.KeyValueStore.Comment) != "" {
		t.Fatalf("clearing the comment: %v %+v", err, upd2)
	}

	del, err := s.CF.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("kvs-1"), IfMatch: upd2.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if code := rawResponse(t, del.ResultMetadata).StatusCode; code != http.StatusNoContent {
		t.Errorf("delete status %d", code)
	}
	_, err = s.CF.DescribeKeyValueStore(ctx, &cloudfront.DescribeKeyValueStoreInput{Name: aws.String("kvs-1")})
	wantAPIError(t, err, "EntityNotFound", 404)
}

func TestSDKListKeyValueStores(t *testing.T) {
	dir := t.TempDir()
	s := newKVSStack(t, kvs.Options{})
	ctx := context.Background()
	for _, n := range []string{"e", "b", "d", "a", "c"} {
		s.createStore(t, n)
	}
	// One store whose import fails (the file does not exist) ends IMPORT_FAILED.
	_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
		Name:         aws.String("f-broken"),
		ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(filepath.Join(dir, "missing.json"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(s.waitStatus(t, "f-broken").Status); got != kvs.StatusImportFailed {
		t.Fatalf("status %s", got)
	}

	// The SDK paginator walks pages of 2 in name order.
	p := cloudfront.NewListKeyValueStoresPaginator(s.CF, &cloudfront.ListKeyValueStoresInput{MaxItems: aws.Int32(2)})
	var names []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		l := out.KeyValueStoreList
		if aws.ToInt32(l.MaxItems) != 2 || int(aws.ToInt32(l.Quantity)) != len(l.Items) {
			t.Errorf("page %d: MaxItems %d Quantity %d items %d", pages, aws.ToInt32(l.MaxItems), aws.ToInt32(l.Quantity), len(l.Items))
		}
		for _, it := range l.Items {
			names = append(names, aws.ToString(it.Name))
		}
	}
	if strings.Join(names, ",") != "a,b,c,d,e,f-broken" || pages != 3 {
		t.Errorf("listed %v in %d pages", names, pages)
	}

	// Status filters.
	for status, want := range map[string]string{"READY": "a,b,c,d,e", "IMPORT_FAILED": "f-broken", "PROVISIONING": ""} {
		out, err := s.CF.ListKeyValueStores(ctx, &cloudfront.ListKeyValueStoresInput{Status: aws.String(status)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range out.KeyValueStoreList.Items {
			got = append(got, aws.ToString(it.Name))
		}
		if strings.Join(got, ",") != want || int(aws.ToInt32(out.KeyValueStoreList.Quantity)) != len(got) {
			t.Errorf("Status=%s: %v (Quantity %d), want %s", status, got, aws.ToInt32(out.KeyValueStoreList.Quantity), want)
		}
	}

	// Default page size and a bad MaxItems.
	out, err := s.CF.ListKeyValueStores(ctx, &cloudfront.ListKeyValueStoresInput{})
	if err != nil || aws.ToInt32(out.KeyValueStoreList.MaxItems) != 100 || out.KeyValueStoreList.NextMarker != nil {
		t.Errorf("default list: %v %+v", err, out)
	}
	_, err = s.CF.ListKeyValueStores(ctx, &cloudfront.ListKeyValueStoresInput{MaxItems: aws.Int32(-1)})
	wantAPIError(t, err, "InvalidArgument", 400)
	code, _, body := s.do(t, "GET", "/2020-05-31/key-value-store?MaxItems=ten", nil, "")
	if code != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") {
		t.Errorf("MaxItems=ten: %d %s", code, body)
	}
}

// ImportSource from a local file (absolute path and file:// URL) and from an http URL:
// the store is PROVISIONING, then READY with the keys; the data plane sees them.
func TestSDKCreateWithImport(t *testing.T) {
	dir := t.TempDir()
	data := `{"data":[{"key":"k1","value":"v1"},{"key":"k2","value":"{\"a\":1}"}]}`
	file := filepath.Join(dir, "data.json")
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/data.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(data))
	}))
	defer web.Close()

	s := newKVSStack(t, kvs.Options{})
	ctx := context.Background()
	for name, source := range map[string]string{"from-path": file, "from-file-url": "file://" + file, "from-http": web.URL + "/data.json"} {
		out, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
			Name:         aws.String(name),
			ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(source)},
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st := aws.ToString(out.KeyValueStore.Status); st != kvs.StatusProvisioning && st != kvs.StatusReady {
			t.Errorf("%s: status at creation %s", name, st)
		}
		if st := aws.ToString(s.waitStatus(t, name).Status); st != kvs.StatusReady {
			t.Fatalf("%s: status %s", name, st)
		}
		d, err := s.KVS.DescribeData(ctx, "123456789012", aws.ToString(out.KeyValueStore.ARN))
		if err != nil || d.ItemCount != 2 {
			t.Errorf("%s: data %+v, %v", name, d, err)
		}
	}
	// A URL that answers 404 fails the import, not the create.
	if _, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
		Name:         aws.String("from-404"),
		ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(web.URL + "/nothing.json")},
	}); err != nil {
		t.Fatal(err)
	}
	if st := aws.ToString(s.waitStatus(t, "from-404").Status); st != kvs.StatusImportFailed {
		t.Errorf("404 import: status %s", st)
	}
}

// Every error the model declares for the five operations that LocalFront can produce,
// each surfaced by the SDK with its code and status, typed where the operation lists it.
func TestSDKKeyValueStoreErrors(t *testing.T) {
	dir := t.TempDir()
	s := newKVSStack(t, kvs.Options{StoresPerAccount: 3})
	ctx := context.Background()
	etag := aws.ToString(s.createStore(t, "one").ETag)

	t.Run("EntityAlreadyExists", func(t *testing.T) {
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("one")})
		wantAPIError(t, err, "EntityAlreadyExists", 409)
		var typed *types.EntityAlreadyExists
		if !errors.As(err, &typed) {
			t.Errorf("want *types.EntityAlreadyExists, got %T", err)
		}
	})
	t.Run("EntityLimitExceeded", func(t *testing.T) {
		s.createStore(t, "two")
		s.createStore(t, "three")
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("four")})
		wantAPIError(t, err, "EntityLimitExceeded", 400)
		var typed *types.EntityLimitExceeded
		if !errors.As(err, &typed) {
			t.Errorf("want *types.EntityLimitExceeded, got %T", err)
		}
	})
	t.Run("invalid name is MalformedXML", func(t *testing.T) {
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("bad name!")})
		wantAPIError(t, err, "MalformedXML", 400)
	})
	t.Run("comment too big is InvalidArgument", func(t *testing.T) {
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{Name: aws.String("x"), Comment: aws.String(strings.Repeat("c", 129))})
		wantAPIError(t, err, "InvalidArgument", 400)
		var typed *types.InvalidArgument
		if !errors.As(err, &typed) {
			t.Errorf("want *types.InvalidArgument, got %T", err)
		}
	})
	t.Run("S3 import source is InvalidArgument", func(t *testing.T) {
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
			Name:         aws.String("x"),
			ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String("arn:aws:s3:::bucket/data.json")},
		})
		wantAPIError(t, err, "InvalidArgument", 400)
	})
	t.Run("EntitySizeLimitExceeded", func(t *testing.T) {
		big := filepath.Join(dir, "big.json")
		if err := os.WriteFile(big, make([]byte, kvs.MaxStoreBytes+1), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
			Name:         aws.String("x"),
			ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(big)},
		})
		wantAPIError(t, err, "EntitySizeLimitExceeded", 413)
		var typed *types.EntitySizeLimitExceeded
		if !errors.As(err, &typed) {
			t.Errorf("want *types.EntitySizeLimitExceeded, got %T", err)
		}
	})
	t.Run("bad tag is InvalidTagging", func(t *testing.T) {
		_, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
			Name: aws.String("x"),
			Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("bad\x01key"), Value: aws.String("v")}}},
		})
		wantAPIError(t, err, "InvalidTagging", 400)
	})
	t.Run("EntityNotFound", func(t *testing.T) {
		_, err := s.CF.DescribeKeyValueStore(ctx, &cloudfront.DescribeKeyValueStoreInput{Name: aws.String("nope")})
		wantAPIError(t, err, "EntityNotFound", 404)
		var typed *types.EntityNotFound
		if !errors.As(err, &typed) {
			t.Errorf("want *types.EntityNotFound, got %T", err)
		}
		_, err = s.CF.UpdateKeyValueStore(ctx, &cloudfront.UpdateKeyValueStoreInput{Name: aws.String("nope"), IfMatch: aws.String(etag), Comment: aws.String("")})
		wantAPIError(t, err, "EntityNotFound", 404)
		_, err = s.CF.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("nope"), IfMatch: aws.String(etag)})
		wantAPIError(t, err, "EntityNotFound", 404)
	})
	t.Run("PreconditionFailed", func(t *testing.T) {
		_, err := s.CF.UpdateKeyValueStore(ctx, &cloudfront.UpdateKeyValueStoreInput{Name: aws.String("one"), IfMatch: aws.String("E3UN6WX5RRO2AG"), Comment: aws.String("")})
		wantAPIError(t, err, "PreconditionFailed", 412)
		var typed *types.PreconditionFailed
		if !errors.As(err, &typed) {
			t.Errorf("want *types.PreconditionFailed, got %T", err)
		}
		_, err = s.CF.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("one"), IfMatch: aws.String("E3UN6WX5RRO2AG")})
		wantAPIError(t, err, "PreconditionFailed", 412)
	})
	t.Run("update comment too big", func(t *testing.T) {
		_, err := s.CF.UpdateKeyValueStore(ctx, &cloudfront.UpdateKeyValueStoreInput{Name: aws.String("one"), IfMatch: aws.String(etag), Comment: aws.String(strings.Repeat("c", 129))})
		wantAPIError(t, err, "InvalidArgument", 400)
	})
	// The SDK refuses to send Update/Delete without If-Match; a raw client can.
	t.Run("InvalidIfMatchVersion", func(t *testing.T) {
		body := `<UpdateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Comment>x</Comment></UpdateKeyValueStoreRequest>`
		for _, c := range []struct{ method, body string }{{"PUT", body}, {"DELETE", ""}} {
			code, _, got := s.do(t, c.method, "/2020-05-31/key-value-store/one", nil, c.body)
			if code != 400 || !strings.Contains(got, "<Code>InvalidIfMatchVersion</Code>") {
				t.Errorf("%s without If-Match: %d %s", c.method, code, got)
			}
		}
	})
	t.Run("CannotDeleteEntityWhileInUse", func(t *testing.T) {
		st, err := s.CF.DescribeKeyValueStore(ctx, &cloudfront.DescribeKeyValueStoreInput{Name: aws.String("one")})
		if err != nil {
			t.Fatal(err)
		}
		fn, err := s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{
			Name: aws.String("user"), FunctionConfig: js2KVS(aws.ToString(st.KeyValueStore.ARN)), FunctionCode: []byte(sampleCode),
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CF.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("one"), IfMatch: st.ETag})
		wantAPIError(t, err, "CannotDeleteEntityWhileInUse", 409)
		var typed *types.CannotDeleteEntityWhileInUse
		if !errors.As(err, &typed) {
			t.Errorf("want *types.CannotDeleteEntityWhileInUse, got %T", err)
		}
		if _, err := s.CF.DeleteFunction(ctx, &cloudfront.DeleteFunctionInput{Name: aws.String("user"), IfMatch: fn.ETag}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CF.DeleteKeyValueStore(ctx, &cloudfront.DeleteKeyValueStoreInput{Name: aws.String("one"), IfMatch: st.ETag}); err != nil {
			t.Errorf("delete after the function is gone: %v", err)
		}
	})
	t.Run("malformed bodies", func(t *testing.T) {
		for _, c := range []struct{ method, path, body, code string }{
			{"POST", "/2020-05-31/key-value-store", "", "MissingBody"},
			{"POST", "/2020-05-31/key-value-store", "<CreateKeyValueStoreRequest><Name>x", "MalformedXML"},
			{"POST", "/2020-05-31/key-value-store", "<CreateKeyValueStoreRequest/>", "MalformedXML"},
			{"PUT", "/2020-05-31/key-value-store/two", "<UpdateKeyValueStoreRequest/>", "MalformedXML"},
		} {
			code, _, got := s.do(t, c.method, c.path, http.Header{"If-Match": {etag}}, c.body)
			if code != 400 || !strings.Contains(got, "<Code>"+c.code+"</Code>") {
				t.Errorf("%s %s %q: %d %s", c.method, c.path, c.body, code, got)
			}
		}
	})
}

// KeyValueStoreAssociations on CreateFunction/UpdateFunction: the store must exist in
// the account, runtime 2.0 only, one store per function, at most 10 functions per store;
// the association is carried to LIVE on publish.
func TestSDKFunctionKVSAssociation(t *testing.T) {
	s := newKVSStack(t, kvs.Options{})
	ctx := context.Background()
	arn := aws.ToString(s.createStore(t, "store").KeyValueStore.ARN)
	other := aws.ToString(s.createStore(t, "other").KeyValueStore.ARN)
	missing := "arn:aws:cloudfront::123456789012:key-value-store/00000000-0000-4000-8000-000000000000"
	foreign := strings.Replace(arn, "123456789012", "999999999999", 1)

	create := func(name string, cfg *types.FunctionConfig) (*cloudfront.CreateFunctionOutput, error) {
		return s.CF.CreateFunction(ctx, &cloudfront.CreateFunctionInput{Name: aws.String(name), FunctionConfig: cfg, FunctionCode: []byte(sampleCode)})
	}
	for name, cfg := range map[string]*types.FunctionConfig{
		"missing store":   js2KVS(missing),
		"foreign account": js2KVS(foreign),
		"two stores":      js2KVS(arn, other),
		"runtime 1.0":     {Comment: aws.String(""), Runtime: types.FunctionRuntimeCloudfrontJs10, KeyValueStoreAssociations: js2KVS(arn).KeyValueStoreAssociations},
	} {
		_, err := create("bad", cfg)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantAPIError(t, err, "InvalidArgument", 400)
	}

	out, err := create("f0", js2KVS(arn))
	if err != nil {
		t.Fatal(err)
	}
	assoc := out.FunctionSummary.FunctionConfig.KeyValueStoreAssociations
	if aws.ToInt32(assoc.Quantity) != 1 || aws.ToString(assoc.Items[0].KeyValueStoreARN) != arn {
		t.Fatalf("association %+v", assoc)
	}
	pub, err := s.CF.PublishFunction(ctx, &cloudfront.PublishFunctionInput{Name: aws.String("f0"), IfMatch: out.ETag})
	if err != nil {
		t.Fatal(err)
	}
	live := pub.FunctionSummary.FunctionConfig.KeyValueStoreAssociations
	if pub.FunctionSummary.FunctionMetadata.Stage != types.FunctionStageLive || live == nil || aws.ToString(live.Items[0].KeyValueStoreARN) != arn {
		t.Errorf("LIVE association %+v", live)
	}

	for i := 1; i < 10; i++ {
		if _, err := create("f"+itoa(i), js2KVS(arn)); err != nil {
			t.Fatalf("function %d: %v", i, err)
		}
	}
	_, err = create("f10", js2KVS(arn))
	wantAPIError(t, err, "InvalidArgument", 400)
	// The eleventh can use the other store, and an associated function can be updated.
	if _, err := create("f10", js2KVS(other)); err != nil {
		t.Fatal(err)
	}
	desc, err := s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("f3")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CF.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{Name: aws.String("f3"), IfMatch: desc.ETag, FunctionConfig: js2KVS(arn), FunctionCode: []byte(sampleCode)}); err != nil {
		t.Errorf("update of an associated function: %v", err)
	}
	f10, _ := s.CF.DescribeFunction(ctx, &cloudfront.DescribeFunctionInput{Name: aws.String("f10")})
	_, err = s.CF.UpdateFunction(ctx, &cloudfront.UpdateFunctionInput{Name: aws.String("f10"), IfMatch: f10.ETag, FunctionConfig: js2KVS(arn), FunctionCode: []byte(sampleCode)})
	wantAPIError(t, err, "InvalidArgument", 400)
}

// Without a KVS service the operations are routed but answered UnsupportedOperation,
// which every operation declares, so the SDK surfaces it typed.
func TestKVSOperationsWithoutService(t *testing.T) {
	s := newStack(t, stackOptions{})
	_, err := s.CF.ListKeyValueStores(context.Background(), &cloudfront.ListKeyValueStoresInput{})
	wantAPIError(t, err, "UnsupportedOperation", 400)
	var typed *types.UnsupportedOperation
	if !errors.As(err, &typed) {
		t.Errorf("want *types.UnsupportedOperation, got %T", err)
	}
	_, err = s.CF.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{Name: aws.String("x")})
	wantAPIError(t, err, "UnsupportedOperation", 400)
}

// Tags given at creation and the tagging operations work on a store's ARN; function
// tagging is untouched.
func TestSDKKeyValueStoreTags(t *testing.T) {
	s := newKVSStack(t, kvs.Options{})
	ctx := context.Background()
	out, err := s.CF.CreateKeyValueStore(ctx, &cloudfront.CreateKeyValueStoreInput{
		Name: aws.String("tagged"),
		Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.KeyValueStore.ARN
	list := func() string {
		t.Helper()
		l, err := s.CF.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: arn})
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, tag := range l.Tags.Items {
			parts = append(parts, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		return strings.Join(parts, ",")
	}
	if got := list(); got != "team=edge" {
		t.Fatalf("tags after create: %s", got)
	}
	if _, err := s.CF.TagResource(ctx, &cloudfront.TagResourceInput{Resource: arn, Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CF.UntagResource(ctx, &cloudfront.UntagResourceInput{Resource: arn, TagKeys: &types.TagKeys{Items: []string{"team"}}}); err != nil {
		t.Fatal(err)
	}
	if got := list(); got != "env=dev" {
		t.Fatalf("tags after tag/untag: %s", got)
	}
	_, err = s.CF.TagResource(ctx, &cloudfront.TagResourceInput{Resource: arn, Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("aws:reserved"), Value: aws.String("x")}}}})
	wantAPIError(t, err, "InvalidTagging", 400)
	missing := "arn:aws:cloudfront::123456789012:key-value-store/00000000-0000-4000-8000-000000000000"
	_, err = s.CF.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: aws.String(missing)})
	wantAPIError(t, err, "NoSuchResource", 404)

	s.create(t, "fn")
	fnARN := aws.String("arn:aws:cloudfront::123456789012:function/fn")
	if _, err := s.CF.TagResource(ctx, &cloudfront.TagResourceInput{Resource: fnARN, Tags: &types.Tags{Items: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}); err != nil {
		t.Fatalf("function tagging: %v", err)
	}
}

package kvs

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// waitSettled polls until the store leaves PROVISIONING (imports are asynchronous).
func waitSettled(t *testing.T, s *Service, name string) Store {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := s.Describe(context.Background(), acct, name)
		noErr(t, err)
		if st.Status != StatusProvisioning {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("store %s still PROVISIONING", name)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "data.json")
	noErr(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func importFrom(loc string) *ImportSource { return &ImportSource{SourceType: "S3", SourceARN: loc} }

func TestImportFromFileAndURL(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	const doc = `{"data":[{"key":"k1","value":"v1"},{"key":"dir/a b","value":"{\"json\":true}"},{"key":"ü","value":""}]}`
	path := writeFile(t, doc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/data.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(doc))
	}))
	defer srv.Close()

	for i, loc := range []string{path, "file://" + path, srv.URL + "/data.json"} {
		name := fmt.Sprintf("imp%d", i)
		st, err := s.Create(ctx, acct, CreateInput{Name: name, ImportSource: importFrom(loc)})
		noErr(t, err)
		if st.Status != StatusProvisioning {
			t.Fatalf("%s: created with status %s", loc, st.Status)
		}
		done := waitSettled(t, s, name)
		if done.Status != StatusReady || done.ETag != st.ETag {
			t.Fatalf("%s: %+v", loc, done)
		}
		d, err := s.DescribeData(ctx, acct, st.ARN)
		noErr(t, err)
		if d.ItemCount != 3 || d.TotalSizeInBytes != 4+7+13+2 || d.ETag != "KV3UN6WX5RRO2AG" || d.FailureReason != "" {
			t.Fatalf("%s: %+v", loc, d)
		}
		g, err := s.GetKey(ctx, acct, st.ARN, "dir/a b")
		noErr(t, err)
		if g.Value != `{"json":true}` {
			t.Fatalf("value %q", g.Value)
		}
		// Imported stores take writes like any other.
		_, err = s.PutKey(ctx, acct, st.ARN, d.ETag, "more", "x")
		noErr(t, err)
	}
}

func TestImportFailures(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			w.Write([]byte(`{"data":[` + strings.Repeat(" ", MaxStoreBytes) + `]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	cases := []struct{ name, loc, reason string }{
		{"not-json", writeFile(t, `{"data":[`), "not valid JSON"},
		{"not-utf8", writeFile(t, "{\"data\":[{\"key\":\"k\xff\",\"value\":\"v\"}]}"), "not valid UTF-8"},
		{"no-data", writeFile(t, `{"items":[]}`), `no "data" array`},
		{"trailing", writeFile(t, `{"data":[]} {}`), "content after"},
		{"dup", writeFile(t, `{"data":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}`), "key 'a' more than once"},
		{"no-key", writeFile(t, `{"data":[{"value":"1"}]}`), `Item 1 has no "key"`},
		{"null-value", writeFile(t, `{"data":[{"key":"a","value":null}]}`), `Item 1: "value" must be a string`},
		{"num-value", writeFile(t, `{"data":[{"key":"a","value":1}]}`), `"value" must be a string`},
		{"long-key", writeFile(t, `{"data":[{"key":"`+strings.Repeat("k", 513)+`","value":"1"}]}`), "maximum key size"},
		{"long-value", writeFile(t, `{"data":[{"key":"a","value":"`+strings.Repeat("v", 1025)+`"}]}`), "maximum value size"},
		{"empty-key", writeFile(t, `{"data":[{"key":"","value":"v"}]}`), "at least 1 byte"},
		{"missing-file", filepath.Join(t.TempDir(), "nope.json"), "could not be read"},
		{"directory", t.TempDir(), "not a regular file"},
		{"http-404", srv.URL + "/missing", "404"},
		{"http-huge", srv.URL + "/huge", "larger than 5 MB"},
	}
	for _, c := range cases {
		st, err := s.Create(ctx, acct, CreateInput{Name: c.name, ImportSource: importFrom(c.loc)})
		noErr(t, err)
		done := waitSettled(t, s, c.name)
		if done.Status != StatusImportFailed || !strings.Contains(done.FailureReason, c.reason) {
			t.Errorf("%s: status %s, reason %q, want %q", c.name, done.Status, done.FailureReason, c.reason)
		}
		d, err := s.DescribeData(ctx, acct, st.ARN)
		noErr(t, err)
		if d.Status != StatusImportFailed || d.FailureReason != done.FailureReason || d.ItemCount != 0 {
			t.Errorf("%s: data plane %+v", c.name, d)
		}
		// A failed store takes no writes but can be deleted.
		_, err = s.PutKey(ctx, acct, st.ARN, d.ETag, "k", "v")
		wantCode(t, err, "ConflictException", 409)
		noErr(t, s.Delete(ctx, acct, c.name, done.ETag))
	}

	// Checked at creation: source syntax and a local file's size.
	big := filepath.Join(t.TempDir(), "big.json")
	noErr(t, os.WriteFile(big, make([]byte, MaxStoreBytes+1), 0o600))
	for loc, code := range map[string]string{
		"arn:aws:s3:::bucket/data.json": "InvalidArgument",
		"s3://bucket/data.json":         "InvalidArgument",
		"relative/path.json":            "InvalidArgument",
		"":                              "InvalidArgument",
		"file://otherhost/data.json":    "InvalidArgument",
		"http://":                       "InvalidArgument",
		big:                             "EntitySizeLimitExceeded",
	} {
		_, err := s.Create(ctx, acct, CreateInput{Name: "sync", ImportSource: importFrom(loc)})
		if e := apiCode(err); e != code {
			t.Errorf("%q: got %v, want %s", loc, err, code)
		}
	}
	_, err := s.Create(ctx, acct, CreateInput{Name: "sync", ImportSource: &ImportSource{SourceType: "HTTP", SourceARN: "/x"}})
	wantCode(t, err, "InvalidArgument", 400)
	if _, err := s.Describe(ctx, acct, "sync"); apiCode(err) != "EntityNotFound" {
		t.Fatalf("a rejected create left a store: %v", err)
	}
}

// blockingFetch lets a test hold imports in PROVISIONING.
type blockingFetch struct {
	release  chan struct{}
	running  atomic.Int32
	peak     atomic.Int32
	response string
}

func newBlockingFetch(doc string) *blockingFetch {
	return &blockingFetch{release: make(chan struct{}), response: doc}
}

func (b *blockingFetch) Fetch(ctx context.Context, loc string, limit int64) ([]byte, error) {
	n := b.running.Add(1)
	defer b.running.Add(-1)
	for {
		p := b.peak.Load()
		if n <= p || b.peak.CompareAndSwap(p, n) {
			break
		}
	}
	select {
	case <-b.release:
		return []byte(b.response), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func TestImportProvisioningState(t *testing.T) {
	f := newBlockingFetch(`{"data":[{"key":"a","value":"1"}]}`)
	s := newTestService(t, Options{Fetch: f.Fetch, MaxConcurrentImports: 1})
	ctx := context.Background()
	a, err := s.Create(ctx, acct, CreateInput{Name: "a", ImportSource: importFrom("/a.json")})
	noErr(t, err)
	b, err := s.Create(ctx, acct, CreateInput{Name: "b", ImportSource: importFrom("/b.json")})
	noErr(t, err)

	d, err := s.DescribeData(ctx, acct, a.ARN)
	noErr(t, err)
	if d.Status != StatusProvisioning {
		t.Fatalf("status %s", d.Status)
	}
	_, err = s.PutKey(ctx, acct, a.ARN, d.ETag, "k", "v")
	wantCode(t, err, "ConflictException", 409)
	list, err := s.List(ctx, acct, ListInput{Status: StatusProvisioning})
	noErr(t, err)
	if len(list.Items) != 2 {
		t.Fatalf("provisioning list: %+v", list.Items)
	}
	sn, err := s.Snapshot(ctx, a.ARN)
	noErr(t, err)
	if sn.Meta().KeyCount != 0 {
		t.Fatal("keys visible before the import finished")
	}

	close(f.release)
	waitSettled(t, s, "a")
	waitSettled(t, s, "b")
	if f.peak.Load() != 1 {
		t.Fatalf("%d imports ran at once, limit 1", f.peak.Load())
	}
	// The snapshot loaded during PROVISIONING was replaced by the import.
	sn, err = s.Snapshot(ctx, b.ARN)
	noErr(t, err)
	if v, ok := sn.Get("a"); !ok || v != "1" {
		t.Fatalf("snapshot after import: %q %v", v, ok)
	}
	sn, err = s.Snapshot(ctx, a.ARN)
	noErr(t, err)
	if _, ok := sn.Get("a"); !ok || sn.Meta().KeyCount != 1 {
		t.Fatal("stale snapshot after import")
	}
	list, err = s.List(ctx, acct, ListInput{Status: StatusReady})
	noErr(t, err)
	if len(list.Items) != 2 {
		t.Fatalf("ready list: %+v", list.Items)
	}
}

func TestImportDeletedMeanwhile(t *testing.T) {
	f := newBlockingFetch(`{"data":[{"key":"a","value":"1"}]}`)
	s := newTestService(t, Options{Fetch: f.Fetch})
	ctx := context.Background()
	st, err := s.Create(ctx, acct, CreateInput{Name: "gone", ImportSource: importFrom("/x.json")})
	noErr(t, err)
	noErr(t, s.Delete(ctx, acct, "gone", st.ETag))
	close(f.release)
	s.Close() // waits for the import goroutine
	if _, err := s.Describe(ctx, acct, "gone"); apiCode(err) != "EntityNotFound" {
		t.Fatalf("import resurrected the store: %v", err)
	}
	noErr(t, s.st.View(ctx, func(tx storeReadTx) error {
		n, err := tx.Count(keyKind(st.ID), acct)
		if n != 0 {
			t.Errorf("import wrote %d keys of a deleted store", n)
		}
		return err
	}))
}

func TestImportInterruptedByRestartOrClose(t *testing.T) {
	db := openMemory(t)
	f := newBlockingFetch(`{"data":[]}`)
	first := newServiceOn(t, db, Options{Fetch: f.Fetch})
	ctx := context.Background()
	st, err := first.Create(ctx, acct, CreateInput{Name: "restart", ImportSource: importFrom("/x.json")})
	noErr(t, err)

	// A second server over the same database sees an import it does not run.
	second := newServiceOn(t, db, Options{})
	got, err := second.Describe(ctx, acct, "restart")
	noErr(t, err)
	if got.Status != StatusImportFailed || got.FailureReason != reasonInterrupted {
		t.Fatalf("second server sees %+v", got)
	}
	d, err := second.DescribeData(ctx, acct, st.ARN)
	noErr(t, err)
	_, err = second.PutKey(ctx, acct, st.ARN, d.ETag, "k", "v")
	wantCode(t, err, "ConflictException", 409)

	// Closing the first server cancels its import, which ends IMPORT_FAILED.
	first.Close()
	got, err = second.Describe(ctx, acct, "restart")
	noErr(t, err)
	if got.Status != StatusImportFailed || got.FailureReason != reasonShutdown {
		t.Fatalf("after close: %+v", got)
	}
	noErr(t, second.Delete(ctx, acct, "restart", got.ETag))
}

func TestParseImportEdgeCases(t *testing.T) {
	items, err := parseImport([]byte("\xEF\xBB\xBF{\"data\":[{\"key\":\"k\",\"value\":\"v\",\"extra\":1}]}\n"))
	noErr(t, err)
	if len(items) != 1 || items[0] != (KeyValue{"k", "v"}) {
		t.Fatalf("%+v", items)
	}
	items, err = parseImport([]byte(`{"data":[]}`))
	if err != nil || len(items) != 0 {
		t.Fatalf("empty data: %v %v", items, err)
	}
	for _, bad := range []string{``, `null`, `[]`, `{"data":null}`, `{"data":{}}`, `{"data":[1]}`, `{"data":[null]}`} {
		if _, err := parseImport([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseImport: arbitrary input never panics, and whatever is accepted obeys the limits.
func FuzzParseImport(f *testing.F) {
	for _, seed := range []string{
		`{"data":[{"key":"k1","value":"v1"}]}`,
		`{"data":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}`,
		`{"data":[{"key":"\u00fc","value":"\ud83d\ude00"}]}`,
		`{"data":[{"key":"k","value":"v"}]} x`,
		"\xEF\xBB\xBF{\"data\":[]}",
		`{"data":[{"key":1,"value":"v"}]}`,
		"{\"data\":[{\"key\":\"\xff\",\"value\":\"v\"}]}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parseImport(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, it := range items {
			if checkKey(it.Key) != nil || checkValue(it.Key, it.Value) != nil || seen[it.Key] {
				t.Fatalf("accepted bad item %+v", it)
			}
			seen[it.Key] = true
		}
	})
}

func apiCode(err error) string {
	if e := apiErr(err); e != nil {
		return e.Code
	}
	return fmt.Sprint(err)
}

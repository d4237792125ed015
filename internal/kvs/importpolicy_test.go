package kvs

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const policyDoc = `{"data":[{"key":"k","value":"v"}]}`

// importDirFixture makes an import directory holding data.json, a secret file beside it,
// and links from inside the directory to the outside.
func importDirFixture(t *testing.T) (dir, secret string) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, "imports")
	noErr(t, os.Mkdir(dir, 0o755))
	noErr(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	noErr(t, os.WriteFile(filepath.Join(dir, "data.json"), []byte(policyDoc), 0o600))
	noErr(t, os.WriteFile(filepath.Join(dir, "sub", "data.json"), []byte(policyDoc), 0o600))
	secret = filepath.Join(root, "secret.json")
	noErr(t, os.WriteFile(secret, []byte(policyDoc), 0o600))
	noErr(t, os.Symlink(secret, filepath.Join(dir, "link.json")))
	noErr(t, os.Symlink(root, filepath.Join(dir, "up")))
	noErr(t, os.Symlink(filepath.Join(dir, "data.json"), filepath.Join(dir, "inner.json")))
	return dir, secret
}

func TestRestrictedImportsStayInTheImportDir(t *testing.T) {
	dir, secret := importDirFixture(t)
	var fetched atomic.Int32
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		w.Write([]byte(policyDoc))
	}))
	defer web.Close()
	s := newTestService(t, Options{Import: ImportPolicy{Restricted: true, Dir: dir}})
	ctx := context.Background()

	allowed := []string{
		filepath.Join(dir, "data.json"),
		"file://" + filepath.Join(dir, "sub", "data.json"),
		filepath.Join(dir, "sub", "..", "data.json"),
		filepath.Join(dir, "inner.json"), // a link that stays inside
	}
	for i, loc := range allowed {
		name := fmt.Sprintf("ok%d", i)
		_, err := s.Create(ctx, acct, CreateInput{Name: name, ImportSource: importFrom(loc)})
		noErr(t, err)
		if st := waitSettled(t, s, name); st.Status != StatusReady {
			t.Errorf("%s: %s", loc, st.Status)
		}
	}
	// A missing file inside the directory fails later, like a missing S3 object.
	_, err := s.Create(ctx, acct, CreateInput{Name: "missing", ImportSource: importFrom(filepath.Join(dir, "nope.json"))})
	noErr(t, err)
	if st := waitSettled(t, s, "missing"); st.Status != StatusImportFailed {
		t.Errorf("missing file: %s", st.Status)
	}

	refused := []string{
		secret,
		"file://" + secret,
		filepath.Join(dir, "..", "secret.json"), // traversal
		"file://" + dir + "/../secret.json",     // traversal in a file URL
		filepath.Join(dir, "link.json"),         // a link to the outside
		filepath.Join(dir, "up", "secret.json"), // through a linked directory
		filepath.Join(dir, "up", "imports", "..", "secret.json"),
		"/etc/passwd",
		dir + "x/data.json", // a sibling sharing the prefix
		web.URL + "/data.json",
		"https://169.254.169.254/latest/meta-data/",
	}
	for i, loc := range refused {
		_, err := s.Create(ctx, acct, CreateInput{Name: fmt.Sprintf("no%d", i), ImportSource: importFrom(loc)})
		wantCode(t, err, "InvalidArgument", 400)
		if !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: unclear message %q", loc, err)
		}
	}
	if fetched.Load() != 0 {
		t.Error("a URL was fetched")
	}
}

func TestRestrictedWithoutImportDirRefusesFiles(t *testing.T) {
	dir, _ := importDirFixture(t)
	s := newTestService(t, Options{Import: ImportPolicy{Restricted: true}})
	_, err := s.Create(context.Background(), acct, CreateInput{Name: "a", ImportSource: importFrom(filepath.Join(dir, "data.json"))})
	wantCode(t, err, "InvalidArgument", 400)
	if !strings.Contains(err.Error(), "--kvs-import-dir") {
		t.Errorf("message does not say how to allow it: %q", err)
	}
}

// A directory swapped for a link to the outside after creation is caught when the import
// runs: the second import waits for the only slot while the swap happens.
func TestRestrictedImportRechecksBeforeReading(t *testing.T) {
	dir, secret := importDirFixture(t)
	noErr(t, os.WriteFile(filepath.Join(filepath.Dir(secret), "data.json"), []byte(policyDoc), 0o600))
	bf := newBlockingFetch(policyDoc)
	var reads []string
	var mu sync.Mutex
	fetch := func(ctx context.Context, loc string, limit int64) ([]byte, error) {
		mu.Lock()
		reads = append(reads, loc)
		mu.Unlock()
		return bf.Fetch(ctx, loc, limit)
	}
	s := newTestService(t, Options{Import: ImportPolicy{Restricted: true, Dir: dir}, Fetch: fetch, MaxConcurrentImports: 1})
	ctx := context.Background()
	_, err := s.Create(ctx, acct, CreateInput{Name: "first", ImportSource: importFrom(filepath.Join(dir, "data.json"))})
	noErr(t, err)
	_, err = s.Create(ctx, acct, CreateInput{Name: "second", ImportSource: importFrom(filepath.Join(dir, "sub", "data.json"))})
	noErr(t, err)
	noErr(t, os.RemoveAll(filepath.Join(dir, "sub")))
	noErr(t, os.Symlink(filepath.Dir(secret), filepath.Join(dir, "sub")))
	close(bf.release)
	if st := waitSettled(t, s, "first"); st.Status != StatusReady {
		t.Fatalf("first: %s", st.Status)
	}
	st := waitSettled(t, s, "second")
	d, err := s.DescribeData(ctx, acct, st.ARN)
	noErr(t, err)
	if d.Status != StatusImportFailed || !strings.Contains(d.FailureReason, "refused") {
		t.Fatalf("second: %s %q", d.Status, d.FailureReason)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reads) != 1 {
		t.Errorf("reads %q, want only the first import's", reads)
	}
}

// The unrestricted policy (a server whose only caller is the local user) reads any file.
func TestUnrestrictedImportReadsAnyFile(t *testing.T) {
	_, secret := importDirFixture(t)
	s := newTestService(t, Options{})
	_, err := s.Create(context.Background(), acct, CreateInput{Name: "a", ImportSource: importFrom(secret)})
	noErr(t, err)
	if st := waitSettled(t, s, "a"); st.Status != StatusReady {
		t.Fatalf("%s", st.Status)
	}
}

package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/server"
)

// importFrom creates a store importing from loc and returns the error.
func importFrom(cf *cloudfront.Client, name, loc string) error {
	_, err := cf.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{
		Name:         aws.String(name),
		ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(loc)},
	})
	return err
}

// KVS imports read what the caller names: any file or URL only when every caller is the
// local user; with credentials, --insecure-public or an import directory, only files in
// that directory.
func TestKVSImportPolicy(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "imports")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := []byte(`{"data":[{"key":"k","value":"v"}]}`)
	inside, outside := filepath.Join(dir, "data.json"), filepath.Join(root, "secret.json")
	for _, p := range []string{inside, outside} {
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const url = "http://127.0.0.1:1/data.json"
	traversal := "file://" + dir + "/../secret.json"

	_, local := start(t, server.Config{InMemory: true})
	lc := client(local, "AKID", "secret")
	for i, loc := range []string{outside, "file://" + outside, url} {
		if err := importFrom(lc, "local"+string(rune('a'+i)), loc); err != nil {
			t.Errorf("local user, %s: %v", loc, err)
		}
	}

	_, public := start(t, server.Config{InMemory: true, PublicAPI: true})
	pc := client(public, "AKID", "secret")
	for _, loc := range []string{outside, inside, url} {
		err := importFrom(pc, "public", loc)
		wantCode(t, err, "InvalidArgument", 400)
		if !strings.Contains(err.Error(), "--kvs-import-dir") {
			t.Errorf("public, %s: the message does not say how to allow imports: %v", loc, err)
		}
	}

	_, signed := start(t, server.Config{InMemory: true, Credentials: twoAccounts, KVSImportDir: dir})
	sc := client(signed, "AKIDALICE", "alice-secret")
	if err := importFrom(sc, "inside", inside); err != nil {
		t.Errorf("import directory: %v", err)
	}
	for _, loc := range []string{outside, traversal, url} {
		wantCode(t, importFrom(sc, "outside", loc), "InvalidArgument", 400)
	}

	if _, err := server.New(server.Config{InMemory: true, KVSImportDir: filepath.Join(root, "missing")}); err == nil {
		t.Error("a missing import directory was accepted")
	}
}

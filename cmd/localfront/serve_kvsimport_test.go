package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
)

func TestServeKVSImportDirFlag(t *testing.T) {
	c, err := parseServeFlags(nil, env(map[string]string{"HOME": "/h", "LOCALFRONT_KVS_IMPORT_DIR": "/srv/kvs"}), io.Discard)
	if err != nil || c.kvsImportDir != "/srv/kvs" {
		t.Fatalf("LOCALFRONT_KVS_IMPORT_DIR: %+v %v", c, err)
	}
	c, err = parseServeFlags([]string{"--kvs-import-dir", "/a"}, env(map[string]string{"HOME": "/h", "LOCALFRONT_KVS_IMPORT_DIR": "/b"}), io.Discard)
	if err != nil || c.kvsImportDir != "/a" {
		t.Fatalf("--kvs-import-dir: %+v %v", c, err)
	}
}

// --insecure-public callers may be anyone: imports read only the --kvs-import-dir.
func TestServeInsecurePublicRestrictsKVSImports(t *testing.T) {
	dir := t.TempDir()
	inside := filepath.Join(dir, "data.json")
	outside := filepath.Join(t.TempDir(), "secret.json")
	for _, p := range []string{inside, outside} {
		os.WriteFile(p, []byte(`{"data":[{"key":"k","value":"v"}]}`), 0o600)
	}
	p := serveInProcess(t, "--in-memory", "--insecure-public", "--kvs-import-dir", dir, "--edge-listen", "127.0.0.1:0")
	defer p.stop(t)
	if !strings.Contains(p.banner, "kvs imports: only from files in "+dir) {
		t.Errorf("banner: %s", p.banner)
	}
	cf := (&child{endpoint: p.endpoint}).client()
	create := func(name, loc string) error {
		_, err := cf.CreateKeyValueStore(context.Background(), &cloudfront.CreateKeyValueStoreInput{
			Name:         aws.String(name),
			ImportSource: &types.ImportSource{SourceType: types.ImportSourceTypeS3, SourceARN: aws.String(loc)},
		})
		return err
	}
	if err := create("inside", "file://"+inside); err != nil {
		t.Errorf("inside: %v", err)
	}
	for _, loc := range []string{outside, "file://" + dir + "/../" + filepath.Base(filepath.Dir(outside)) + "/secret.json", "http://127.0.0.1:1/x.json"} {
		if err := create("outside", loc); err == nil || !strings.Contains(err.Error(), "InvalidArgument") {
			t.Errorf("%s: %v", loc, err)
		}
	}
}

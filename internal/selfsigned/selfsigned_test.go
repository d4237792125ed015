package selfsigned

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestGenerateCoversTheEdgeNames(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	certPEM, keyPEM, err := Generate("cloudfront.localhost", now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.IsCA || leaf.KeyUsage&x509.KeyUsageCertSign != 0 {
		t.Error("the certificate could sign others")
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	for _, name := range []string{"d111111abcdef8.cloudfront.localhost", "localhost", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, CurrentTime: now}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"a.b.cloudfront.localhost", "example.com"} {
		if err := leaf.VerifyHostname(name); err == nil {
			t.Errorf("%s is covered", name)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: roots, CurrentTime: now.Add(validity + time.Hour)}); err == nil {
		t.Error("valid after its validity")
	}
}

// A kept certificate is reused while it covers the domain and lasts; otherwise, or when its
// files are damaged, remade.
func TestLoadOrGenerateKeepsTheCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	first, path, err := LoadOrGenerate(dir, "cloudfront.localhost", now)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "cloudfront.localhost", CertFile) {
		t.Errorf("path %s", path)
	}
	if fi, err := os.Stat(filepath.Join(dir, "cloudfront.localhost", KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi, err)
	}
	again, _, err := LoadOrGenerate(dir, "cloudfront.localhost", now.Add(time.Hour))
	if err != nil || string(again.Certificate[0]) != string(first.Certificate[0]) {
		t.Errorf("not kept: %v", err)
	}
	other, otherPath, err := LoadOrGenerate(dir, "edge.test", now)
	if err != nil || string(other.Certificate[0]) == string(first.Certificate[0]) || otherPath == path {
		t.Errorf("another edge domain shares the certificate: %v", err)
	}
	if kept, _, err := LoadOrGenerate(dir, "cloudfront.localhost", now); err != nil || string(kept.Certificate[0]) != string(first.Certificate[0]) {
		t.Errorf("another edge domain replaced this one's certificate: %v", err)
	}
	late, _, err := LoadOrGenerate(dir, "edge.test", now.Add(validity))
	if err != nil || string(late.Certificate[0]) == string(other.Certificate[0]) {
		t.Errorf("an expiring certificate was kept: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "edge.test", KeyFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fixed, _, err := LoadOrGenerate(dir, "edge.test", now); err != nil || string(fixed.Certificate[0]) == string(late.Certificate[0]) {
		t.Errorf("a damaged pair was not replaced: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// A directory others can write to is refused: they could choose what the user trusts.
func TestLoadOrGenerateRefusesAnOpenDirectory(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "cloudfront.localhost")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrGenerate(dir, "cloudfront.localhost", time.Now()); err == nil {
		t.Error("a world-writable directory was used")
	}
}

// Package selfsigned makes (and keeps) the certificate of the edge's HTTPS listener when the
// user gives none: a self-signed ECDSA P-256 server certificate (not a CA) for the
// distribution domain names (*.<edge domain>) and loopback, so `redirect-to-https` and
// `https-only` behaviours can be tried locally with `curl --cacert`.
package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// validity is how long a generated certificate lasts; a kept one is remade when it has less
// than a day left.
const validity = 365 * 24 * time.Hour

// Names are the DNS names and IP addresses a generated certificate covers.
func Names(edgeDomain string) (dns []string, ips []net.IP) {
	return []string{"*." + edgeDomain, edgeDomain, "localhost"}, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
}

// Generate makes a certificate and key for the edge domain, PEM-encoded.
func Generate(edgeDomain string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	dns, ips := Names(edgeDomain)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "LocalFront edge (*." + edgeDomain + ")", Organization: []string{"LocalFront"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  false, // trusted as itself (curl --cacert), it can vouch for no other certificate
		DNSNames:              dns,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}

// File names of a kept certificate and key, in a directory per edge domain.
const (
	CertFile = "edge-tls-cert.pem"
	KeyFile  = "edge-tls-key.pem"
)

// LoadOrGenerate returns the certificate kept under dir for the edge domain, or generates
// one and keeps it there (in dir/<edge domain>/, the key readable by the owner only), so a
// certificate the user chose to trust stays the same across restarts. A kept pair that is
// damaged, expiring or for other names is replaced. It returns the certificate file's path.
// The directory must not be writable by others: whoever can write there chooses what the
// user is told to trust.
func LoadOrGenerate(dir, edgeDomain string, now time.Time) (tls.Certificate, string, error) {
	dir = filepath.Join(dir, edgeDomain)
	if err := privateDir(dir); err != nil {
		return tls.Certificate{}, "", err
	}
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && usable(c, edgeDomain, now) {
		return c, certPath, nil
	}
	certPEM, keyPEM, err := Generate(edgeDomain, now)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	// Each file replaces the old one whole (rename), the key first: a crash leaves at worst a
	// mismatched pair, which the next start replaces.
	if err := writeFile(keyPath, keyPEM, 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := writeFile(certPath, certPEM, 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	return c, certPath, err
}

// privateDir makes dir (and its parents) if needed and checks that only its owner can
// write to it.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 || !ownedByMe(fi) {
		return fmt.Errorf("%s must be a directory of this user that no one else can write to", dir)
	}
	return nil
}

// writeFile writes data to a new file next to path and renames it into place.
func writeFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// usable reports whether a kept certificate still covers the edge domain for at least a day.
func usable(c tls.Certificate, edgeDomain string, now time.Time) bool {
	if len(c.Certificate) == 0 {
		return false
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil || now.Add(24*time.Hour).After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
		return false
	}
	return leaf.VerifyHostname("d111111abcdef8."+edgeDomain) == nil
}

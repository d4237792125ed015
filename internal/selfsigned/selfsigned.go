// Package selfsigned makes (and keeps) the certificate of the edge's HTTPS listener when the
// user gives none: a self-signed ECDSA P-256 certificate for the distribution domain names
// (*.<edge domain>) and loopback, so `redirect-to-https` and `https-only` behaviours can be
// tried locally with `curl --cacert`.
package selfsigned

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
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
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // so clients can trust it directly as their CA file
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

// File names of a kept certificate and key in a directory.
const (
	CertFile = "edge-tls-cert.pem"
	KeyFile  = "edge-tls-key.pem"
)

// LoadOrGenerate returns the certificate kept in dir for the edge domain, or generates one
// and keeps it there (the key readable by the owner only), so a certificate the user chose to
// trust stays the same across restarts. It returns the path of the certificate file.
func LoadOrGenerate(dir, edgeDomain string, now time.Time) (tls.Certificate, string, error) {
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil && usable(c, edgeDomain, now) {
		return c, certPath, nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return tls.Certificate{}, "", fmt.Errorf("the kept edge certificate (%s): %w", certPath, err)
	}
	certPEM, keyPEM, err := Generate(edgeDomain, now)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := os.WriteFile(keyPath, keyPEM, 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := os.WriteFile(certPath, certPEM, 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	return c, certPath, err
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

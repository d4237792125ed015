package auth

import (
	"path/filepath"
	"testing"

	"github.com/localfront/localfront/internal/wirecapture"
)

func benchmarkCapture(b *testing.B, name string) {
	c, err := wirecapture.Parse(filepath.Join(wirecapture.Dir(), name+".txt"))
	if err != nil {
		b.Fatal(err)
	}
	r, err := c.ToHTTPRequest()
	if err != nil {
		b.Fatal(err)
	}
	v := verifierAt(b, c)
	if _, err := v.Verify(r, c.Body); err != nil { // also warms the SigV4A key cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, c.Body); err != nil {
			b.Fatal(err)
		}
	}
}

// A typical control-plane write: Go SDK UpdateFunction, 519-byte body, 7 signed headers.
func BenchmarkVerifySigV4(b *testing.B) { benchmarkCapture(b, "gosdk-update-function") }

// A bodiless read signed by botocore (2 signed headers).
func BenchmarkVerifySigV4Get(b *testing.B) { benchmarkCapture(b, "boto3-pyenv-describe-function") }

// A data-plane write signed with SigV4A (ECDSA P-256 verification dominates).
func BenchmarkVerifySigV4A(b *testing.B) { benchmarkCapture(b, "gosdk-kvs-put-key") }

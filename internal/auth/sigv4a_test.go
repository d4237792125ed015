package auth

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"testing"
)

// Known answer published with the AWS SDK for Go's SigV4A signer tests.
func TestSigV4AKeyKnownAnswer(t *testing.T) {
	priv, err := sigV4AKey("AKISORANDOMAASORANDOM", "q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom")
	if err != nil {
		t.Fatal(err)
	}
	x := fmt.Sprintf("%064X", priv.PublicKey.X)
	y := fmt.Sprintf("%064X", priv.PublicKey.Y)
	if x != "15D242CEEBF8D8169FD6A8B5A746C41140414C3B07579038DA06AF89190FFFCB" ||
		y != "0515242CEDD82E94799482E4C0514B505AFCCF2C0C98D6A553BF539F424C5EC0" {
		t.Fatalf("public key = (%s, %s)", x, y)
	}
}

func TestSigV4AKeyIsPerAccessKey(t *testing.T) {
	a, _ := sigV4AKey("AKIDA", "same-secret")
	b, _ := sigV4AKey("AKIDB", "same-secret")
	c, _ := sigV4AKey("AKIDA", "same-secret")
	if a.PublicKey.Equal(&b.PublicKey) || !a.PublicKey.Equal(&c.PublicKey) {
		t.Fatal("derivation must depend on the access key id and be deterministic")
	}
	digest := sha256.Sum256([]byte("string to sign"))
	sig, err := ecdsa.SignASN1(rand.Reader, a, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.VerifyASN1(&c.PublicKey, digest[:], sig) || ecdsa.VerifyASN1(&b.PublicKey, digest[:], sig) {
		t.Fatal("signature checks disagree with the derived keys")
	}
}

// NIST SP 800-108 counter mode: more than one block is concatenated in order.
func TestKDFCounterBlocks(t *testing.T) {
	one := kdfCounterHMACSHA256([]byte("k"), []byte("l"), []byte("c"), 256)
	two := kdfCounterHMACSHA256([]byte("k"), []byte("l"), []byte("c"), 512)
	if len(one) != 32 || len(two) != 64 {
		t.Fatalf("lengths %d, %d", len(one), len(two))
	}
	// The requested length is part of the fixed input, so the first blocks differ.
	if string(one) == string(two[:32]) {
		t.Fatal("output length is not bound into the derivation")
	}
}

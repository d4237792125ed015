package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/big"
)

// sigV4AKey derives the P-256 key pair that SigV4A signs with from an access key
// pair. The derivation is deterministic, so a server can recompute the client's key:
//
//	candidate = KDF(key = "AWS4A"+secret, label = algorithm, context = accessKeyID || counter)
//
// where KDF is NIST SP 800-108 HMAC-SHA256 in counter mode producing 256 bits. The
// first candidate (counter 1, 2, ...) below n-2 gives the private scalar candidate+1,
// which is therefore in [1, n-2].
func sigV4AKey(accessKeyID, secret string) (*ecdsa.PrivateKey, error) {
	curve := elliptic.P256()
	nMinus2 := new(big.Int).Sub(curve.Params().N, big.NewInt(2))
	key := []byte("AWS4A" + secret)
	context := make([]byte, len(accessKeyID)+1)
	copy(context, accessKeyID)
	for counter := 1; counter <= 255; counter++ {
		context[len(accessKeyID)] = byte(counter)
		candidate := new(big.Int).SetBytes(kdfCounterHMACSHA256(key, []byte(algorithmV4A), context, 256))
		if candidate.Cmp(nMinus2) >= 0 {
			continue
		}
		d := candidate.Add(candidate, big.NewInt(1)).FillBytes(make([]byte, 32))
		return ecdsa.ParseRawPrivateKey(curve, d)
	}
	// Each candidate fails with probability about 2^-32; 255 failures do not happen.
	return nil, errors.New("sigv4a: key derivation exhausted its counter")
}

// kdfCounterHMACSHA256 is the NIST SP 800-108 counter-mode KDF with HMAC-SHA256:
// block i = HMAC(key, i as uint32 || label || 0x00 || context || bits as uint32).
func kdfCounterHMACSHA256(key, label, context []byte, bits int) []byte {
	fixed := make([]byte, 0, len(label)+1+len(context)+4)
	fixed = append(fixed, label...)
	fixed = append(fixed, 0)
	fixed = append(fixed, context...)
	fixed = binary.BigEndian.AppendUint32(fixed, uint32(bits))

	h := hmac.New(sha256.New, key)
	var out []byte
	for i := uint32(1); len(out)*8 < bits; i++ {
		h.Reset()
		h.Write(binary.BigEndian.AppendUint32(nil, i))
		h.Write(fixed)
		out = h.Sum(out)
	}
	return out[:bits/8]
}

package edge

import (
	cryptorand "crypto/rand"
	"encoding/base64"
	"math/rand/v2"
	"sync"
)

// newRequestID returns a CloudFront-style request ID: 40 random bytes in URL-safe base64 with
// padding, 56 characters ending in "==" (e.g. "qZye4osXZxup…uQiga1F97A=="). The same ID is the
// event's context.requestId, the X-Amz-Cf-Id response and origin-request header, the
// "Request ID" of error pages and the prefix of the function's log lines (spec §9.1, §9.9).
//
// The bytes come from ChaCha8 generators, each seeded with 256 bits from crypto/rand: as
// unpredictable to an outsider as crypto/rand (ChaCha8 is a cryptographically strong
// generator), 320 bits make a collision practically impossible, and a generator taken from a
// pool costs well under crypto/rand's per-call price on this hot path.
func newRequestID() string {
	var b [40]byte
	g := idGenerators.Get().(*rand.ChaCha8)
	g.Read(b[:])
	idGenerators.Put(g)
	var out [56]byte // base64 of 40 bytes; encoding into an array saves EncodeToString's buffer
	base64.URLEncoding.Encode(out[:], b[:])
	return string(out[:])
}

// idGenerators holds the request-ID generators, one per goroutine that needs one at a time,
// so no lock is shared by concurrent requests.
var idGenerators = sync.Pool{New: func() any {
	var seed [32]byte
	cryptorand.Read(seed[:]) // never fails (Go ≥ 1.24)
	return rand.NewChaCha8(seed)
}}

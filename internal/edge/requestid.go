package edge

import (
	"crypto/rand"
	"encoding/base64"
)

// newRequestID returns a CloudFront-style request ID: 40 random bytes in URL-safe base64 with
// padding, 56 characters ending in "==" (e.g. "qZye4osXZxup…uQiga1F97A=="). The same ID is the
// event's context.requestId, the X-Amz-Cf-Id response and origin-request header, the
// "Request ID" of error pages and the prefix of the function's log lines (spec §9.1, §9.9).
func newRequestID() string {
	var b [40]byte
	rand.Read(b[:])  // never fails (Go ≥ 1.24)
	var out [56]byte // base64 of 40 bytes; encoding into an array saves EncodeToString's buffer
	base64.URLEncoding.Encode(out[:], b[:])
	return string(out[:])
}

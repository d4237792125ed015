package functions

import (
	"strconv"
	"strings"
)

// knownETags are the ETags CloudFront gives versions 1–3 of a resource; Terraform's
// acceptance tests assert the first two literally (spec §1.4).
var knownETags = [...]string{1: "ETVPDKIKX0DER", 2: "E3UN6WX5RRO2AG", 3: "E1F83G8C2ARO7P"}

// etagMultiplier is odd, so multiplying by it is a bijection on uint64 and distinct
// versions always give distinct ETags.
const (
	etagMultiplier = 0x9E3779B97F4A7C15
	etagMask       = 0x5DEECE66DB1A3F27
	etagDigits     = 13 // base 36 digits of a uint64, zero-padded
)

// ETagForVersion maps a version number (1, 2, …) to its ETag: CloudFront's literals for
// 1–3, and beyond that "E" plus 13 base-36 digits of a scrambled version, an opaque,
// stable, uppercase token that no other version shares.
func ETagForVersion(version int64) string {
	if version >= 1 && int(version) < len(knownETags) {
		return knownETags[version]
	}
	x := (uint64(version) * etagMultiplier) ^ etagMask
	digits := strings.ToUpper(strconv.FormatUint(x, 36))
	return "E" + strings.Repeat("0", etagDigits-len(digits)) + digits
}

// validIfMatch says whether v is shaped like an ETag at all; anything else is
// "missing or not valid" (InvalidIfMatchVersion) rather than stale (spec §1.5).
func validIfMatch(v string) bool {
	if v == "" || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

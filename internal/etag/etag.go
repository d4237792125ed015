// Package etag is the one ETag scheme of every LocalFront resource: functions,
// distributions and key value stores (spec §1.4). ETags are opaque tokens derived from a
// version number, so resources at the same version carry the same ETag, as CloudFront's do.
// It is a leaf package: the services use it without depending on each other.
package etag

import (
	"strconv"
	"strings"
)

// knownSuffixes follow the "E" of the ETags CloudFront gives versions 1–3 of a resource;
// Terraform's acceptance tests assert the first two literally, and E1F83G8C2ARO7P was
// seen after E3UN6WX5RRO2AG on a distribution (spec §1.4).
var knownSuffixes = [...]string{1: "TVPDKIKX0DER", 2: "3UN6WX5RRO2AG", 3: "1F83G8C2ARO7P"}

// multiplier is odd, so multiplying by it is a bijection on uint64 and distinct versions
// always give distinct ETags.
const (
	multiplier = 0x9E3779B97F4A7C15
	mask       = 0x5DEECE66DB1A3F27
	digits     = 13 // base 36 digits of a uint64, zero-padded
)

// ForVersion maps a version number (1, 2, …) to its control-plane ETag: "E" and Suffix.
func ForVersion(version int64) string { return "E" + Suffix(version) }

// Suffix is the part of a version's ETag after its prefix (the control plane's "E", the
// KVS data plane's "KV"): CloudFront's literals for 1–3, and beyond that 13 base-36 digits
// of a scrambled version, an opaque, stable, upper-case token no other version shares.
func Suffix(version int64) string {
	if version >= 1 && version < int64(len(knownSuffixes)) {
		return knownSuffixes[version]
	}
	x := (uint64(version) * multiplier) ^ mask
	s := strings.ToUpper(strconv.FormatUint(x, 36))
	return strings.Repeat("0", digits-len(s)) + s
}

// WellFormed says whether an If-Match value is shaped like an ETag at all; anything else
// is "missing or not valid" (InvalidIfMatchVersion) rather than stale (spec §1.5).
func WellFormed(v string) bool {
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

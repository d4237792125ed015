package kvs

import (
	"strconv"
	"strings"
)

// ETags are opaque tokens derived from a version number (spec §1.4): the control plane
// uses prefix "E", the data plane "KV". The first three versions reproduce the suffixes
// observed on real CloudFront resources (ETVPDKIKX0DER, E3UN6WX5RRO2AG, E1F83G8C2ARO7P);
// later versions go through a bijective scramble, so distinct versions never share a tag.
// The scramble is the same as functions.ETagForVersion's, so a store and a function at
// the same version carry the same control-plane ETag, as CloudFront's resources do.

const (
	controlETagPrefix = "E"
	dataETagPrefix    = "KV"
)

var knownETagSuffixes = [...]string{1: "TVPDKIKX0DER", 2: "3UN6WX5RRO2AG", 3: "1F83G8C2ARO7P"}

const (
	etagMultiplier = 0x9E3779B97F4A7C15 // odd, so multiplication is invertible mod 2^64
	etagMask       = 0x5DEECE66DB1A3F27
)

func etagSuffix(version int64) string {
	if version >= 1 && version < int64(len(knownETagSuffixes)) {
		return knownETagSuffixes[version]
	}
	x := (uint64(version) * etagMultiplier) ^ etagMask
	s := strings.ToUpper(strconv.FormatUint(x, 36))
	// 13 digits hold any uint64 in base 36; padding keeps every tag the same length.
	return strings.Repeat("0", 13-len(s)) + s
}

func controlETag(version int64) string { return controlETagPrefix + etagSuffix(version) }
func dataETag(version int64) string    { return dataETagPrefix + etagSuffix(version) }

package distributions

import (
	"crypto/rand"
	"regexp"
	"strconv"
	"strings"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns a CloudFront-style distribution ID: "E" and 13 upper-case letters or
// digits (e.g. E1U5RQF7T870K0, model documentation of Distribution.Id).
func newID() string {
	var b [13]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	id := make([]byte, 1, 14)
	id[0] = 'E'
	for _, x := range b {
		// 252 = 7·36: rejecting larger bytes keeps the digits uniform.
		for x >= 252 {
			var one [1]byte
			rand.Read(one[:])
			x = one[0]
		}
		id = append(id, idAlphabet[x%36])
	}
	return string(id)
}

var idPattern = regexp.MustCompile(`^E[A-Z0-9]{13}$`)

// validID reports whether id has the shape newID produces; other strings cannot name a
// distribution, so they are NoSuchDistribution without a store lookup.
func validID(id string) bool { return idPattern.MatchString(id) }

// DistributionARN is the ARN of a distribution.
func DistributionARN(account, id string) string {
	return "arn:aws:cloudfront::" + account + ":distribution/" + id
}

// DomainName is a distribution's default host name: its ID in lower case under the edge
// domain (the --edge-domain flag, default DefaultEdgeDomain).
func DomainName(id, edgeDomain string) string {
	return strings.ToLower(id) + "." + edgeDomain
}

// DefaultEdgeDomain is the default suffix of distribution domain names.
const DefaultEdgeDomain = "cloudfront.localhost"

// knownETags are the ETags CloudFront gives versions 1–3 of a distribution (spec §1.4:
// E1F83G8C2ARO7P was seen after E3UN6WX5RRO2AG on a distribution).
var knownETags = [...]string{1: "ETVPDKIKX0DER", 2: "E3UN6WX5RRO2AG", 3: "E1F83G8C2ARO7P"}

// etag maps a distribution version to its ETag: CloudFront's literals for 1–3, beyond
// that "E" and 13 base-36 digits of the version times an odd constant (a bijection, so
// no two versions share an ETag). It mirrors functions.ETagForVersion without importing
// the functions package, which depends on the JavaScript runtime.
func etag(version int64) string {
	if version >= 1 && version < int64(len(knownETags)) {
		return knownETags[version]
	}
	x := uint64(version)*0x9E3779B97F4A7C15 ^ 0x5DEECE66DB1A3F27
	d := strings.ToUpper(strconv.FormatUint(x, 36))
	return "E" + strings.Repeat("0", 13-len(d)) + d
}

// validIfMatch says whether an If-Match value could be an ETag at all; anything else is
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

// FunctionARNPattern is the model's pattern for FunctionAssociation.FunctionARN.
const FunctionARNPattern = `arn:aws:cloudfront::[0-9]{12}:function\/[a-zA-Z0-9-_]{1,64}`

// FunctionARNMaxLength is the model's maximum length of a FunctionARN.
const FunctionARNMaxLength = 108

var functionARNRe = regexp.MustCompile(`^arn:aws:cloudfront::([0-9]{12}):function/[a-zA-Z0-9_-]{1,64}$`)

// functionARNAccount returns the account of a well-formed function ARN.
func functionARNAccount(arn string) (string, bool) {
	m := functionARNRe.FindStringSubmatch(arn)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// ValidFunctionARN reports whether arn satisfies the model's FunctionARN constraints.
func ValidFunctionARN(arn string) bool {
	_, ok := functionARNAccount(arn)
	return ok && len(arn) <= FunctionARNMaxLength
}

package distributions

import (
	"crypto/rand"
	"regexp"
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

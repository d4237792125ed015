package auth

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// The two signing algorithms clients use against CloudFront: SigV4 on the control
// plane, SigV4A on the cloudfront-keyvaluestore data plane (wire.md).
const (
	algorithmV4  = "AWS4-HMAC-SHA256"
	algorithmV4A = "AWS4-ECDSA-P256-SHA256"
	terminator   = "aws4_request"
)

// claim is what a request says about its own signature: the Authorization header's
// (or the presigned query's) fields, split up but not yet checked against anything.
type claim struct {
	Algorithm     string
	AccessKeyID   string
	ScopeDate     string // YYYYMMDD
	Region        string // empty for SigV4A, whose scope has no region
	Service       string
	Terminator    string
	SignedHeaders string // as sent, e.g. "host;x-amz-date"
	Signature     string // hex as sent
	AmzDate       string // X-Amz-Date, from the header or the presigned query

	Presigned bool          // authenticated by query parameters rather than a header
	Expires   time.Duration // presigned only: how long after AmzDate the URL is valid
}

// scope is the credential scope that goes into the string to sign.
func (c claim) scope() string {
	if c.Algorithm == algorithmV4A {
		return c.ScopeDate + "/" + c.Service + "/" + c.Terminator
	}
	return c.ScopeDate + "/" + c.Region + "/" + c.Service + "/" + c.Terminator
}

// parseAuthorization splits an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex
//
// dateMissing adds AWS's complaint about a missing X-Amz-Date to the list of missing
// parts, as AWS reports them all in one message.
func parseAuthorization(header string, dateMissing bool) (claim, *apierror.Error) {
	algorithm, params, _ := strings.Cut(header, " ")
	var c claim
	var seen [3]bool // Credential, Signature, SignedHeaders
	if algorithm == algorithmV4 || algorithm == algorithmV4A {
		c.Algorithm = algorithm
		for part := range strings.SplitSeq(params, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			key, value, ok := strings.Cut(part, "=")
			if !ok {
				return claim{}, errNotKeyValue(part, header)
			}
			i := slices.Index(authParams[:], key)
			if i < 0 {
				continue // AWS ignores parameters it does not know
			}
			if seen[i] {
				return claim{}, apierror.IncompleteSignature("Authorization header has more than one '%s' parameter. Authorization=%s", key, header)
			}
			seen[i] = true
			switch i {
			case 0:
				if err := c.setCredential(value); err != nil {
					return claim{}, err
				}
			case 1:
				c.Signature = value
			case 2:
				c.SignedHeaders = value
			}
		}
	}
	// Anything that is not an AWS4 header (AWS answers "AWS AKID:sig" this way too)
	// is reported as lacking every parameter.
	var missing strings.Builder
	for i, p := range authParams {
		if !seen[i] {
			missing.WriteString("Authorization header requires '" + p + "' parameter. ")
		}
	}
	if dateMissing {
		missing.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if missing.Len() > 0 {
		return claim{}, apierror.IncompleteSignature("%sAuthorization=%s", missing.String(), header)
	}
	if err := checkSignedHeaders(c.SignedHeaders); err != nil {
		return claim{}, err
	}
	return c, nil
}

// authParams are the Authorization header's parameters, in the order AWS lists them
// when they are missing.
var authParams = [3]string{"Credential", "Signature", "SignedHeaders"}

// setCredential splits AKID/date/region/service/terminator (SigV4) or
// AKID/date/service/terminator (SigV4A).
func (c *claim) setCredential(value string) *apierror.Error {
	parts := strings.Split(value, "/")
	if c.Algorithm == algorithmV4A {
		if len(parts) != 4 {
			return apierror.IncompleteSignature("Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term, got '%s'", value)
		}
		c.AccessKeyID, c.ScopeDate, c.Service, c.Terminator = parts[0], parts[1], parts[2], parts[3]
		return nil
	}
	if len(parts) != 5 {
		return apierror.IncompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", value)
	}
	c.AccessKeyID, c.ScopeDate, c.Region, c.Service, c.Terminator = parts[0], parts[1], parts[2], parts[3], parts[4]
	return nil
}

// checkSignedHeaders requires a list of lowercase header names separated by ';',
// which is the only form a client can have put in its canonical request.
func checkSignedHeaders(list string) *apierror.Error {
	for name := range strings.SplitSeq(list, ";") {
		if name == "" || !isLowerToken(name) {
			return apierror.IncompleteSignature("SignedHeaders must be a semicolon-separated list of lowercase header names, got '%s'", list)
		}
	}
	return nil
}

func isLowerToken(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || b >= 'A' && b <= 'Z' || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

func errNotKeyValue(part, header string) *apierror.Error {
	return apierror.IncompleteSignature("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, header)
}

// Presigned (query-string) authentication parameters.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
	queryExpires       = "X-Amz-Expires"
)

// isPresigned reports whether the query carries presigned-URL authentication.
func isPresigned(rawQuery string) bool {
	return strings.Contains(rawQuery, queryAlgorithm+"=")
}

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
// defaultExpiry applies when X-Amz-Expires is absent.
func parsePresigned(q url.Values, defaultExpiry time.Duration) (claim, *apierror.Error) {
	for _, p := range []string{queryAlgorithm, queryCredential, querySignature, queryDate, querySignedHeaders} {
		if len(q[p]) != 1 || q[p][0] == "" {
			return claim{}, apierror.IncompleteSignature("AWS query-string parameters must include '%s', '%s', '%s', '%s', '%s' exactly once. Re-examine the query-string parameters.",
				queryAlgorithm, queryCredential, querySignature, queryDate, querySignedHeaders)
		}
	}
	c := claim{Algorithm: q.Get(queryAlgorithm), SignedHeaders: q.Get(querySignedHeaders), Signature: q.Get(querySignature),
		AmzDate: q.Get(queryDate), Presigned: true}
	if c.Algorithm != algorithmV4 && c.Algorithm != algorithmV4A {
		return claim{}, apierror.IncompleteSignature("X-Amz-Algorithm only supports \"%s\" and \"%s\", got '%s'", algorithmV4, algorithmV4A, c.Algorithm)
	}
	if err := c.setCredential(q.Get(queryCredential)); err != nil {
		return claim{}, err
	}
	if err := checkSignedHeaders(c.SignedHeaders); err != nil {
		return claim{}, err
	}
	expires, err := parseExpires(q.Get(queryExpires), defaultExpiry)
	if err != nil {
		return claim{}, err
	}
	c.Expires = expires
	return c, nil
}

// parseExpires reads X-Amz-Expires (seconds, at most a week). Clients that leave it
// out (the Go SDK's presigner does unless asked) get the clock-skew window.
func parseExpires(s string, fallback time.Duration) (time.Duration, *apierror.Error) {
	if s == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 7*24*3600 {
		return 0, apierror.IncompleteSignature("X-Amz-Expires must be a whole number of seconds from 1 to 604800 (a week), got '%s'", s)
	}
	return time.Duration(n) * time.Second, nil
}

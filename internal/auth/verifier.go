package auth

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/localfront/localfront/internal/apierror"
)

// Options tune a Verifier. The zero value is usable.
type Options struct {
	// Clock returns the current time; time.Now when nil.
	Clock func() time.Time
	// MaxSkew is how far X-Amz-Date may be from the clock, either way; 15 minutes
	// (AWS's window) when zero.
	MaxSkew time.Duration
	// Services, when not empty, lists the signing names a credential scope may
	// name (for example "cloudfront" or "cloudfront-keyvaluestore"). Any region is
	// accepted: clients sign with whatever region they are configured for.
	Services []string
}

// Verifier checks SigV4 and SigV4A signatures against a fixed set of credentials.
// It is safe for concurrent use.
type Verifier struct {
	creds    map[string]Credential
	clock    func() time.Time
	maxSkew  time.Duration
	services []string

	v4aKeys sync.Map // access key ID -> *ecdsa.PublicKey, derived on first use
}

// NewVerifier builds a Verifier. Credentials follow the rules of the credentials
// file (LoadCredentialsFile); an access key ID may appear only once.
func NewVerifier(creds []Credential, opts Options) (*Verifier, error) {
	v := &Verifier{
		creds:    make(map[string]Credential, len(creds)),
		clock:    opts.Clock,
		maxSkew:  opts.MaxSkew,
		services: slices.Clone(opts.Services),
	}
	if v.clock == nil {
		v.clock = time.Now
	}
	if v.maxSkew <= 0 {
		v.maxSkew = 15 * time.Minute
	}
	for _, c := range creds {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
		if _, dup := v.creds[c.AccessKeyID]; dup {
			return nil, fmt.Errorf("auth: access key ID %s is defined more than once", c.AccessKeyID)
		}
		v.creds[c.AccessKeyID] = c
	}
	return v, nil
}

const amzDateFormat = "20060102T150405Z"

// Verify checks the request's signature, from its Authorization header or its
// presigned X-Amz-* query parameters, and returns the credential that signed it.
// body is the complete request body (r.Body is not read): the signature covers its
// SHA-256, computed here whatever X-Amz-Content-Sha256 claims. Failures are
// *apierror.Error values, all 403, with the codes and messages AWS uses (errors.go).
func (v *Verifier) Verify(r *http.Request, body []byte) (Credential, error) {
	c, aerr := v.readClaim(r)
	if aerr != nil {
		return Credential{}, aerr
	}
	signedAt, aerr := v.checkScope(c)
	if aerr != nil {
		return Credential{}, aerr
	}
	cred, ok := v.creds[c.AccessKeyID]
	if !ok {
		return Credential{}, errUnknownAccessKey()
	}
	if aerr := v.checkTime(signedAt, c); aerr != nil {
		return Credential{}, aerr
	}
	if !signsHost(c.SignedHeaders) {
		return Credential{}, apierror.SignatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	sig, err := hex.DecodeString(c.Signature)
	if err != nil {
		return Credential{}, errSignatureMismatch("", "")
	}

	payload := sha256.Sum256(body)
	skip := ""
	if c.Presigned {
		skip = querySignature
	}
	canonical, ok := canonicalRequest(r, c.SignedHeaders, hex.EncodeToString(payload[:]), skip)
	if !ok {
		return Credential{}, errSignatureMismatch("", "")
	}
	digest := sha256.Sum256([]byte(canonical))
	stringToSign := c.Algorithm + "\n" + c.AmzDate + "\n" + c.scope() + "\n" + hex.EncodeToString(digest[:])

	if !v.signatureMatches(c, cred, stringToSign, sig) {
		return Credential{}, errSignatureMismatch(canonical, stringToSign)
	}
	return cred, nil
}

func signsHost(signedHeaders string) bool {
	for name := range strings.SplitSeq(signedHeaders, ";") {
		if name == "host" {
			return true
		}
	}
	return false
}

// readClaim finds the signature's claims in the Authorization header or, failing
// that, in a presigned query.
func (v *Verifier) readClaim(r *http.Request) (claim, *apierror.Error) {
	authz := r.Header.Values("Authorization")
	presigned := isPresigned(rawQuery(r))
	switch {
	case len(authz) > 0 && presigned:
		return claim{}, apierror.IncompleteSignature("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified")
	case len(authz) > 1:
		return claim{}, apierror.IncompleteSignature("Only one Authorization header is allowed")
	case len(authz) == 1:
		amzDate := r.Header.Get("X-Amz-Date")
		c, err := parseAuthorization(authz[0], amzDate == "")
		c.AmzDate = amzDate
		return c, err
	case presigned:
		return parsePresigned(r.URL.Query(), v.maxSkew)
	}
	return claim{}, apierror.MissingAuthenticationToken()
}

// checkScope validates X-Amz-Date and the credential scope against it.
func (v *Verifier) checkScope(c claim) (time.Time, *apierror.Error) {
	amzDate := c.AmzDate
	signedAt, err := time.Parse(amzDateFormat, amzDate)
	if err != nil || len(amzDate) != len(amzDateFormat) {
		return time.Time{}, apierror.IncompleteSignature("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate)
	}
	if c.ScopeDate != amzDate[:8] {
		return time.Time{}, apierror.SignatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", c.ScopeDate, amzDate[:8], amzDate)
	}
	if c.Terminator != terminator {
		return time.Time{}, apierror.SignatureDoesNotMatch("Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, c.Terminator)
	}
	if c.Algorithm == algorithmV4 && c.Region == "" {
		return time.Time{}, apierror.SignatureDoesNotMatch("Credential should be scoped to a valid region.")
	}
	if len(v.services) > 0 && !slices.Contains(v.services, c.Service) {
		return time.Time{}, apierror.SignatureDoesNotMatch("Credential should be scoped to correct service: '%s'.", strings.Join(v.services, "' or '"))
	}
	return signedAt, nil
}

// checkTime applies the replay window: ±MaxSkew for header authentication; for a
// presigned URL, from MaxSkew before its date to X-Amz-Expires after it.
func (v *Verifier) checkTime(signedAt time.Time, c claim) *apierror.Error {
	now := v.clock().UTC()
	nowText := now.Format(amzDateFormat)
	amzDate := c.AmzDate
	ahead, behind := v.maxSkew, v.maxSkew
	if c.Presigned {
		behind = c.Expires
	}
	if earliest := now.Add(-behind); signedAt.Before(earliest) {
		return apierror.SignatureDoesNotMatch("Signature expired: %s is now earlier than %s (%s - %s.)",
			amzDate, earliest.Format(amzDateFormat), nowText, describeDuration(behind))
	}
	if latest := now.Add(ahead); signedAt.After(latest) {
		return apierror.SignatureDoesNotMatch("Signature not yet current: %s is still later than %s (%s + %s.)",
			amzDate, latest.Format(amzDateFormat), nowText, describeDuration(ahead))
	}
	return nil
}

// describeDuration renders a window the way AWS's messages do ("15 min").
func describeDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + " sec"
}

func (v *Verifier) signatureMatches(c claim, cred Credential, stringToSign string, sig []byte) bool {
	if c.Algorithm == algorithmV4 {
		key := sigV4SigningKey(cred.SecretAccessKey, c.ScopeDate, c.Region, c.Service)
		return hmac.Equal(hmacSHA256(key, stringToSign), sig)
	}
	pub, err := v.v4aPublicKey(cred)
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(stringToSign))
	return ecdsa.VerifyASN1(pub, digest[:], sig)
}

// v4aPublicKey derives (once per access key) the public half of the SigV4A key.
func (v *Verifier) v4aPublicKey(cred Credential) (*ecdsa.PublicKey, error) {
	if pub, ok := v.v4aKeys.Load(cred.AccessKeyID); ok {
		return pub.(*ecdsa.PublicKey), nil
	}
	priv, err := sigV4AKey(cred.AccessKeyID, cred.SecretAccessKey)
	if err != nil {
		return nil, err
	}
	v.v4aKeys.Store(cred.AccessKeyID, &priv.PublicKey)
	return &priv.PublicKey, nil
}

package runtime

import (
	"fmt"
	"net"
	"strings"

	"github.com/localfront/localfront/internal/dnsname"
)

// The origin-modification helpers of cloudfront-js-2.0 (spec §10.5): cf.updateRequestOrigin,
// cf.selectRequestOriginById and cf.createRequestOriginGroup. A viewer-request run records
// each call as an OriginStep in the invocation's OriginChanges; the edge applies the steps,
// in call order, to the origin of the request's cache behaviour once the function returned.
// An invalid call does not throw: CloudFront answers such a request with 502
// (FunctionValidationError, spec §10.5 [OBS]), so the first problem is kept in Err and the
// edge refuses the request when it reads it.

// OriginChanges collects the origin-modification calls of one viewer-request run.
type OriginChanges struct {
	Steps []OriginStep
	Err   error // the first invalid call; the edge answers 502
}

// OriginStepKind says which helper was called.
type OriginStepKind int

const (
	StepUpdateOrigin      OriginStepKind = iota + 1 // cf.updateRequestOrigin(params)
	StepSelectOrigin                                // cf.selectRequestOriginById(id[, overrides])
	StepCreateOriginGroup                           // cf.createRequestOriginGroup(params)
)

// OriginStep is one helper call with its parsed, validated parameters.
type OriginStep struct {
	Kind      OriginStepKind
	Update    OriginUpdate    // StepUpdateOrigin
	OriginID  string          // StepSelectOrigin
	Overrides OriginOverrides // StepSelectOrigin
	Group     OriginGroupSpec // StepCreateOriginGroup
}

// OriginUpdate is cf.updateRequestOrigin's parameter object. Zero values mean "inherit from
// the behaviour's origin".
type OriginUpdate struct {
	DomainName string
	HostHeader string
	OriginPath string
	// CustomHeaders replaces the origin's custom headers when SetCustomHeaders is true
	// (customHeaders: {} clears them).
	CustomHeaders           []OriginHeader
	SetCustomHeaders        bool
	ConnectionAttempts      int // 1–3
	Timeouts                OriginTimeouts
	Custom                  *CustomOriginParams
	OriginShield            *OriginShieldParams
	OriginAccessControl     *OriginAccessControlParams
	IPAddressType           string // ipv4 | ipv6 | dualstack
	SNI                     string
	AllowedCertificateNames []string
}

// OriginHeader is one custom origin header (name in lower case).
type OriginHeader struct {
	Name, Value string
}

// OriginTimeouts are in seconds; 0 inherits.
type OriginTimeouts struct {
	Read, ResponseCompletion, KeepAlive, Connection int
}

// CustomOriginParams is customOriginConfig.
type CustomOriginParams struct {
	Port         int    // 0 inherits
	Protocol     string // "http", "https" or "" (inherit)
	SSLProtocols []string
}

// OriginShieldParams is originShield. LocalFront has no shield layer; it is validated only.
type OriginShieldParams struct {
	Enabled bool
	Region  string
}

// OriginAccessControlParams is originAccessControlConfig. LocalFront does not sign origin
// requests; it is validated only.
type OriginAccessControlParams struct {
	Enabled         bool
	SigningBehavior string
	SigningProtocol string
	OriginType      string
	Region          string
}

// OriginOverrides are the per-origin overrides of selectRequestOriginById and of origin
// group members.
type OriginOverrides struct {
	HostHeader              string
	SNI                     string
	AllowedCertificateNames []string
}

// OriginGroupSpec is createRequestOriginGroup's parameter object.
type OriginGroupSpec struct {
	Members             [2]OriginGroupMember // primary, secondary
	SelectionCriteria   string               // "default" or "media-quality-score"
	FailoverStatusCodes []int
}

// OriginGroupMember is one of the two origins of a group created by a function.
type OriginGroupMember struct {
	OriginID  string
	Overrides OriginOverrides
}

// OriginParamError is an invalid helper call.
type OriginParamError struct {
	Helper string // e.g. "updateRequestOrigin"
	Msg    string
}

func (e *OriginParamError) Error() string {
	return "FunctionValidationError: invalid value for origin rewrite: " + e.Helper + ": " + e.Msg
}

func originErr(helper, format string, args ...any) *OriginParamError {
	return &OriginParamError{Helper: helper, Msg: fmt.Sprintf(format, args...)}
}

// FailoverStatusCodes are the origin statuses an origin group may fail over on (the same set
// CloudFront accepts in a distribution's OriginGroup).
var FailoverStatusCodes = []int{400, 403, 404, 416, 500, 502, 503, 504}

// Validate checks the parameters against CloudFront's rules (spec §10.5).
func (u *OriginUpdate) Validate() error {
	const h = "updateRequestOrigin"
	if u.DomainName != "" && !validOriginHost(u.DomainName) {
		return originErr(h, "domainName %q must be a domain name of at most 253 characters without a port", u.DomainName)
	}
	if u.HostHeader != "" && !validOriginHost(u.HostHeader) {
		return originErr(h, "hostHeader %q must be a domain name of at most 253 characters without a port", u.HostHeader)
	}
	if u.OriginPath != "" {
		p := u.OriginPath
		if p[0] != '/' || strings.HasSuffix(p, "/") || len(p) > 255 || strings.ContainsAny(p, " ?#\t\r\n\x00") {
			return originErr(h, "originPath %q must start with /, must not end with /, and is at most 255 URL-encoded characters", p)
		}
	}
	if u.SetCustomHeaders {
		seen := map[string]bool{}
		for _, hd := range u.CustomHeaders {
			if err := validCustomOriginHeader(hd); err != nil {
				return originErr(h, "%s", err.Error())
			}
			if seen[hd.Name] {
				return originErr(h, "customHeaders names %s twice", hd.Name)
			}
			seen[hd.Name] = true
		}
	}
	if u.ConnectionAttempts != 0 && (u.ConnectionAttempts < 1 || u.ConnectionAttempts > 3) {
		return originErr(h, "connectionAttempts must be 1, 2 or 3, not %d", u.ConnectionAttempts)
	}
	t := u.Timeouts
	if t.Read != 0 && (t.Read < 1 || t.Read > 120) {
		return originErr(h, "timeouts.readTimeout must be from 1 to 120 seconds, not %d", t.Read)
	}
	if t.ResponseCompletion != 0 && t.ResponseCompletion < max(t.Read, 1) {
		return originErr(h, "timeouts.responseCompletionTimeout (%d) must be at least the readTimeout", t.ResponseCompletion)
	}
	if t.KeepAlive != 0 && (t.KeepAlive < 1 || t.KeepAlive > 120) {
		return originErr(h, "timeouts.keepAliveTimeout must be from 1 to 120 seconds, not %d", t.KeepAlive)
	}
	if t.Connection != 0 && (t.Connection < 1 || t.Connection > 10) {
		return originErr(h, "timeouts.connectionTimeout must be from 1 to 10 seconds, not %d", t.Connection)
	}
	if c := u.Custom; c != nil {
		if c.Port != 0 && (c.Port < 1 || c.Port > 65535) {
			return originErr(h, "customOriginConfig.port %d is not a port number", c.Port)
		}
		if c.Protocol != "" && c.Protocol != "http" && c.Protocol != "https" {
			return originErr(h, `customOriginConfig.protocol must be "http" or "https", not %q`, c.Protocol)
		}
		for _, p := range c.SSLProtocols {
			switch p {
			case "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2":
			default:
				return originErr(h, "customOriginConfig.sslProtocols: %q is not SSLv3, TLSv1, TLSv1.1 or TLSv1.2", p)
			}
		}
	}
	if s := u.OriginShield; s != nil && s.Enabled && s.Region == "" {
		return originErr(h, "originShield.region is required when originShield is enabled")
	}
	if a := u.OriginAccessControl; a != nil {
		switch a.SigningBehavior {
		case "", "always", "never", "no-override":
		default:
			return originErr(h, "originAccessControlConfig.signingBehavior must be always, never or no-override, not %q", a.SigningBehavior)
		}
		if a.SigningProtocol != "" && a.SigningProtocol != "sigv4" {
			return originErr(h, "originAccessControlConfig.signingProtocol must be sigv4, not %q", a.SigningProtocol)
		}
		switch a.OriginType {
		case "", "s3", "mediapackagev2", "mediastore", "lambda":
		default:
			return originErr(h, "originAccessControlConfig.originType must be s3, mediapackagev2, mediastore or lambda, not %q", a.OriginType)
		}
		// Observed: a hostHeader together with an enabled OAC is refused (spec §10.5 [OBS]).
		if a.Enabled && u.HostHeader != "" {
			return originErr(h, "hostHeader cannot be set when originAccessControlConfig is enabled")
		}
	}
	switch u.IPAddressType {
	case "":
	case "ipv4", "ipv6", "dualstack":
		if u.DomainName == "" {
			return originErr(h, "ipAddressType can only be set together with domainName")
		}
	default:
		return originErr(h, "ipAddressType must be ipv4, ipv6 or dualstack, not %q", u.IPAddressType)
	}
	return validateTLSOverrides(h, u.SNI, u.AllowedCertificateNames)
}

// Validate checks selectRequestOriginById's overrides.
func (o *OriginOverrides) Validate(helper string) error {
	if o.HostHeader != "" && !validOriginHost(o.HostHeader) {
		return originErr(helper, "hostHeader %q must be a domain name of at most 253 characters without a port", o.HostHeader)
	}
	return validateTLSOverrides(helper, o.SNI, o.AllowedCertificateNames)
}

// Validate checks createRequestOriginGroup's parameters.
func (g *OriginGroupSpec) Validate() error {
	const h = "createRequestOriginGroup"
	for i, m := range g.Members {
		if m.OriginID == "" {
			return originErr(h, "originIds[%d] must name an origin of the distribution", i)
		}
		if err := m.Overrides.Validate(h); err != nil {
			return err
		}
	}
	if g.Members[0].OriginID == g.Members[1].OriginID {
		return originErr(h, "originIds must name two different origins")
	}
	switch g.SelectionCriteria {
	case "", "default", "media-quality-score":
	default:
		return originErr(h, "selectionCriteria must be default or media-quality-score, not %q", g.SelectionCriteria)
	}
	if len(g.FailoverStatusCodes) == 0 {
		return originErr(h, "failoverCriteria.statusCodes must list at least one status code")
	}
	for _, c := range g.FailoverStatusCodes {
		ok := false
		for _, f := range FailoverStatusCodes {
			ok = ok || c == f
		}
		if !ok {
			return originErr(h, "failoverCriteria.statusCodes: %d is not one of 400, 403, 404, 416, 500, 502, 503, 504", c)
		}
	}
	return nil
}

func validateTLSOverrides(helper, sni string, names []string) error {
	if sni != "" && !validOriginHost(strings.TrimPrefix(sni, "*.")) {
		return originErr(helper, "sni %q is not a domain name", sni)
	}
	if len(names) > 20 {
		return originErr(helper, "allowedCertificateNames lists %d names; at most 20 are allowed", len(names))
	}
	for _, n := range names {
		if n == "" || len(n) > 64 || !validOriginHost(strings.TrimPrefix(n, "*.")) {
			return originErr(helper, "allowedCertificateNames: %q is not a domain name of at most 64 characters", n)
		}
	}
	return nil
}

// validOriginHost accepts a DNS name of at most 253 characters without a port. CloudFront
// also refuses IP addresses; LocalFront accepts dotted IPv4 addresses, as it does for a
// distribution's origins, because local origins are often 127.0.0.1.
func validOriginHost(h string) bool {
	if len(h) == 0 || len(h) > 253 || strings.IndexByte(h, ':') >= 0 {
		return false
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.To4() != nil
	}
	return dnsname.Valid(h)
}

// validCustomOriginHeader applies the custom-header rules: lower-case token names, no header
// a function may not set (spec §9.7) and none CloudFront refuses as a custom origin header,
// values without line breaks.
func validCustomOriginHeader(h OriginHeader) error {
	if h.Name == "" || h.Name != strings.ToLower(h.Name) {
		return fmt.Errorf("customHeaders name %q must be lower case", h.Name)
	}
	for i := 0; i < len(h.Name); i++ {
		c := h.Name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return fmt.Errorf("customHeaders name %q is not a header name", h.Name)
		}
	}
	if IsDisallowedHeader(h.Name) || forbiddenCustomOriginHeader(h.Name) {
		return fmt.Errorf("customHeaders cannot set %s", h.Name)
	}
	if strings.ContainsAny(h.Value, "\r\n\x00") {
		return fmt.Errorf("customHeaders value of %s contains a line break", h.Name)
	}
	return nil
}

// forbiddenCustomOriginHeader lists the names CloudFront refuses as custom origin headers.
func forbiddenCustomOriginHeader(name string) bool {
	switch name {
	case "cache-control", "connection", "content-length", "cookie", "host", "if-match",
		"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards",
		"pragma", "proxy-authorization", "proxy-connection", "range", "request-range", "te",
		"trailer", "transfer-encoding", "upgrade", "via", "x-real-ip":
		return true
	}
	return strings.HasPrefix(name, "x-amz-") || strings.HasPrefix(name, "x-edge-")
}

// IsDisallowedHeader reports the headers CloudFront never shows a function and refuses from
// one (spec §9.7). name must be lower case.
func IsDisallowedHeader(name string) bool {
	switch name {
	case "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
		"proxy-connection", "trailer", "upgrade", "x-accel-buffering", "x-accel-charset",
		"x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
		"x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile",
		"x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag",
		"x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip":
		return true
	}
	return strings.HasPrefix(name, "x-amz-cf-") || strings.HasPrefix(name, "x-edge-")
}

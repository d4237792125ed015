package distributions

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/dnsname"
)

// Limits are CloudFront's default quotas (Developer Guide, "Quotas"). Zero fields take
// the defaults.
type Limits struct {
	Distributions            int // per account; default 500
	Origins                  int // per distribution; default 25
	OriginGroups             int // per distribution; default 10
	CacheBehaviors           int // per distribution, default behaviour excluded; default 25
	Aliases                  int // per distribution; default 100
	CustomHeaders            int // per origin; default 10
	DistributionsPerFunction int // distributions associated with one function; default 100 (spec §7)
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.Distributions, 500)
	def(&l.Origins, 25)
	def(&l.OriginGroups, 10)
	def(&l.CacheBehaviors, 25)
	def(&l.Aliases, 100)
	def(&l.CustomHeaders, 10)
	def(&l.DistributionsPerFunction, 100)
	return l
}

// Fixed limits (not adjustable quotas).
const (
	maxFunctionsPerBehavior = 2 // one per viewer event type (spec §7)
	maxCommentLength        = 128
	maxPathPatternLength    = 255
	maxDefaultRootObject    = 255
	maxHeaderNameLength     = 256
	maxHeaderValueLength    = 1783
	maxHeadersTotalLength   = 10240
)

// validateConfig checks everything about a config that needs no other resource: the
// CloudFront rules on origins, behaviours and associations. edgeDomain is the suffix of
// distribution domain names, which aliases may not use.
func validateConfig(c *Config, account, edgeDomain string, lim Limits) error {
	if c.CallerReference == "" {
		return apierror.InvalidArgument("The parameter CallerReference is required.")
	}
	if n := len([]rune(c.Comment)); n > maxCommentLength {
		return apierror.InvalidArgument("The parameter Comment is too big.")
	}
	if err := validateAliases(c.Aliases, edgeDomain, lim); err != nil {
		return err
	}
	if err := validateDefaultRootObject(c.DefaultRootObject); err != nil {
		return err
	}
	if err := validateOrigins(c, lim); err != nil {
		return err
	}
	if err := validateBehavior(c, &c.DefaultBehavior, account, true); err != nil {
		return err
	}
	if len(c.Behaviors) > lim.CacheBehaviors {
		return errTooMany("TooManyCacheBehaviors", "cache behaviors", lim.CacheBehaviors)
	}
	seen := map[string]bool{}
	for i := range c.Behaviors {
		b := &c.Behaviors[i]
		if err := validateBehavior(c, b, account, false); err != nil {
			return err
		}
		p := strings.TrimPrefix(b.PathPattern, "/")
		if seen[p] {
			return apierror.InvalidArgument("The path pattern %s is used by more than one cache behavior.", b.PathPattern)
		}
		seen[p] = true
	}
	return validateErrorResponses(c.CustomErrorResponses)
}

func validateAliases(aliases []string, edgeDomain string, lim Limits) error {
	if len(aliases) > lim.Aliases {
		return apierror.New("TooManyDistributionCNAMEs", 400,
			"Your request contains more CNAMEs than are allowed per distribution (%d).", lim.Aliases)
	}
	seen := map[string]bool{}
	for _, a := range aliases {
		if !validHostName(strings.TrimPrefix(a, "*."), false) {
			return apierror.InvalidArgument("The parameter CNAME contains one or more illegal characters: %q.", a)
		}
		key := strings.ToLower(a)
		if seen[key] {
			return apierror.InvalidArgument("The CNAME %s is listed more than once.", a)
		}
		seen[key] = true
		// Names under the edge domain belong to distributions' default domain names.
		if key == edgeDomain || strings.HasSuffix(key, "."+edgeDomain) {
			return apierror.InvalidArgument("The CNAME %s is under the distribution domain %s and cannot be used as an alias.", a, edgeDomain)
		}
	}
	return nil
}

// validHostName checks a DNS name (dnsname.Valid); allowIP also accepts a dotted IPv4
// address.
func validHostName(h string, allowIP bool) bool {
	if allowIP && net.ParseIP(h).To4() != nil && strings.Count(h, ".") == 3 {
		return true
	}
	return dnsname.Valid(h)
}

func validateDefaultRootObject(o string) error {
	// "Your string can't begin with a forward slash" (model documentation).
	if len(o) > maxDefaultRootObject || strings.HasPrefix(o, "/") || strings.ContainsAny(o, " \t\r\n?#") {
		return errInvalidDefaultRootObject()
	}
	return nil
}

func validateOrigins(c *Config, lim Limits) error {
	if len(c.Origins) == 0 {
		return apierror.InvalidArgument("The parameter Origins must contain at least one origin.")
	}
	if len(c.Origins) > lim.Origins {
		return errTooMany("TooManyOrigins", "origins", lim.Origins)
	}
	ids := map[string]bool{}
	for i := range c.Origins {
		o := &c.Origins[i]
		if o.ID == "" {
			return apierror.InvalidArgument("The parameter Origin Id is required.")
		}
		if ids[o.ID] {
			return apierror.InvalidArgument("The parameter Origin Id must be unique: %s is used more than once.", o.ID)
		}
		ids[o.ID] = true
		if err := validateOrigin(o, lim); err != nil {
			return err
		}
	}
	if len(c.OriginGroups) > lim.OriginGroups {
		return apierror.New("TooManyOriginGroupsPerDistribution", 400,
			"Processing your request would cause you to exceed the maximum number of origin groups allowed (%d).", lim.OriginGroups)
	}
	for i := range c.OriginGroups {
		g := &c.OriginGroups[i]
		if g.ID == "" {
			return apierror.InvalidArgument("The parameter OriginGroup Id is required.")
		}
		if ids[g.ID] {
			return apierror.InvalidArgument("The parameter OriginGroup Id must be unique among origins and origin groups: %s is used more than once.", g.ID)
		}
		ids[g.ID] = true
		if err := validateOriginGroup(c, g); err != nil {
			return err
		}
	}
	return nil
}

func validateOrigin(o *Origin, lim Limits) error {
	// IP addresses are accepted although CloudFront refuses them: LocalFront's origins are
	// often local servers such as 127.0.0.1:8080.
	if !validHostName(o.DomainName, true) {
		return apierror.InvalidArgument("The parameter origin name must be a domain name: %q.", o.DomainName)
	}
	if o.OriginPath != "" {
		if !strings.HasPrefix(o.OriginPath, "/") || strings.HasSuffix(o.OriginPath, "/") || len(o.OriginPath) > 255 ||
			strings.ContainsAny(o.OriginPath, "?#") {
			return apierror.InvalidArgument("The parameter OriginPath must begin with a slash and must not end with a slash: %q.", o.OriginPath)
		}
	}
	kinds := 0
	for _, b := range []bool{o.Custom != nil, o.S3, o.VPC} {
		if b {
			kinds++
		}
	}
	if kinds != 1 {
		return apierror.InvalidArgument("Exactly one of CustomOriginConfig, VpcOriginConfig and S3OriginConfig must be specified for origin %s.", o.ID)
	}
	if o.ConnectionAttempts < 1 || o.ConnectionAttempts > 3 {
		return apierror.InvalidArgument("The parameter ConnectionAttempts must be 1, 2 or 3 (origin %s).", o.ID)
	}
	if o.ConnectionTimeout < 1 || o.ConnectionTimeout > 10 {
		return apierror.InvalidArgument("The parameter ConnectionTimeout must be between 1 and 10 seconds (origin %s).", o.ID)
	}
	if err := validateCustomHeaders(o, lim); err != nil {
		return err
	}
	if c := o.Custom; c != nil {
		for _, p := range []int{c.HTTPPort, c.HTTPSPort} {
			// "Valid values include ports 80, 443, and 1024 to 65535" (Developer Guide).
			if !(p == 80 || p == 443 || p >= 1024 && p <= 65535) {
				return apierror.InvalidArgument("The port %d of origin %s is not valid: use 80, 443, or 1024 to 65535.", p, o.ID)
			}
		}
		switch c.ProtocolPolicy {
		case OriginHTTPOnly, OriginHTTPSOnly, OriginMatchViewer:
		default:
			return apierror.InvalidArgument("The parameter OriginProtocolPolicy %q is not valid.", c.ProtocolPolicy)
		}
		if c.ReadTimeout < 1 || c.ReadTimeout > 120 {
			return errInvalidOriginReadTimeout(c.ReadTimeout)
		}
		if c.KeepaliveTimeout < 1 || c.KeepaliveTimeout > 120 {
			return errInvalidOriginKeepaliveTimeout(c.KeepaliveTimeout)
		}
	}
	return nil
}

// forbiddenOriginHeaders are headers CloudFront will not add to origin requests
// (Developer Guide, "Adding custom headers to origin requests"); names are lower case.
var forbiddenOriginHeaders = map[string]bool{
	"cache-control": true, "connection": true, "content-length": true, "cookie": true, "host": true,
	"if-match": true, "if-modified-since": true, "if-none-match": true, "if-range": true,
	"if-unmodified-since": true, "max-forwards": true, "pragma": true, "proxy-authorization": true,
	"proxy-connection": true, "range": true, "request-range": true, "te": true, "trailer": true,
	"transfer-encoding": true, "upgrade": true, "via": true, "x-real-ip": true,
}

func validateCustomHeaders(o *Origin, lim Limits) error {
	if len(o.CustomHeaders) > lim.CustomHeaders {
		return apierror.New("TooManyOriginCustomHeaders", 400,
			"Your request contains too many origin custom headers (at most %d per origin).", lim.CustomHeaders)
	}
	total := 0
	seen := map[string]bool{}
	for _, h := range o.CustomHeaders {
		name := strings.ToLower(h.Name)
		if !validHeaderName(h.Name) || len(h.Name) > maxHeaderNameLength {
			return apierror.InvalidArgument("The origin custom header name %q is not valid.", h.Name)
		}
		if forbiddenOriginHeaders[name] || strings.HasPrefix(name, "x-amz-") || strings.HasPrefix(name, "x-edge-") {
			return apierror.InvalidArgument("The origin custom header %s is not allowed.", h.Name)
		}
		if seen[name] {
			return apierror.InvalidArgument("The origin custom header %s is listed more than once for origin %s.", h.Name, o.ID)
		}
		seen[name] = true
		if len(h.Value) > maxHeaderValueLength || strings.ContainsAny(h.Value, "\r\n\x00") {
			return apierror.InvalidArgument("The value of origin custom header %s is too long or contains invalid characters.", h.Name)
		}
		total += len(h.Name) + len(h.Value)
	}
	if total > maxHeadersTotalLength {
		return apierror.InvalidArgument("The origin custom headers of origin %s are longer than %d characters in total.", o.ID, maxHeadersTotalLength)
	}
	return nil
}

// validHeaderName checks an RFC 9110 token.
func validHeaderName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// failoverStatusCodes are the origin statuses an origin group can fail over on.
var failoverStatusCodes = []int{400, 403, 404, 416, 500, 502, 503, 504}

func validateOriginGroup(c *Config, g *OriginGroup) error {
	if g.PrimaryOriginID == "" || g.SecondaryOriginID == "" || g.PrimaryOriginID == g.SecondaryOriginID {
		return apierror.InvalidArgument("Origin group %s must have exactly two different member origins.", g.ID)
	}
	for _, m := range []string{g.PrimaryOriginID, g.SecondaryOriginID} {
		if c.Origin(m) == nil {
			return errNoSuchOrigin(m)
		}
	}
	if len(g.FailoverStatusCodes) == 0 {
		return apierror.InvalidArgument("Origin group %s must have at least one failover status code.", g.ID)
	}
	for _, code := range g.FailoverStatusCodes {
		if !slices.Contains(failoverStatusCodes, code) {
			return apierror.InvalidArgument("The failover status code %d of origin group %s is not valid; use %s.", code, g.ID, intList(failoverStatusCodes))
		}
	}
	return nil
}

func intList(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// validateBehavior checks one cache behaviour; def says it is the default behaviour.
func validateBehavior(c *Config, b *Behavior, account string, def bool) error {
	name := "the default cache behavior"
	if !def {
		name = fmt.Sprintf("the cache behavior for %s", b.PathPattern)
		if err := validatePathPattern(b.PathPattern); err != nil {
			return err
		}
	} else if b.PathPattern != "" {
		return apierror.InvalidArgument("The default cache behavior has no path pattern.")
	}
	if b.TargetOriginID == "" {
		return apierror.InvalidArgument("The parameter TargetOriginId is required for %s.", name)
	}
	if c.Origin(b.TargetOriginID) == nil && c.OriginGroup(b.TargetOriginID) == nil {
		return errNoSuchOrigin(b.TargetOriginID)
	}
	switch b.ViewerProtocolPolicy {
	case ViewerAllowAll, ViewerHTTPSOnly, ViewerRedirectToHTTPS:
	default:
		return apierror.InvalidArgument("The parameter ViewerProtocolPolicy %q is not valid.", b.ViewerProtocolPolicy)
	}
	if err := validateMethods(b, name); err != nil {
		return err
	}
	// [OBS] messages, terraform-aws-modules/terraform-aws-cloudfront #20 and
	// cloudposse/terraform-aws-cloudfront-s3-cdn #252.
	if b.CachePolicyID != "" && b.HasForwardedValues {
		return apierror.InvalidArgument("The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.")
	}
	if b.CachePolicyID == "" && !b.HasForwardedValues {
		return apierror.InvalidArgument("The parameter ForwardedValues is required.")
	}
	if err := validateFunctionAssociations(b, account); err != nil {
		return err
	}
	return validateLambdaAssociations(b)
}

// validatePathPattern applies the documented limits: at most 255 characters from
// A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & and the wildcard '?'.
func validatePathPattern(p string) error {
	if p == "" || len(p) > maxPathPatternLength {
		return apierror.InvalidArgument("The parameter PathPattern must be 1 to %d characters long.", maxPathPatternLength)
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(`_-.*$/~"'@:+&?`, c) >= 0) {
			return apierror.InvalidArgument("The parameter PathPattern contains an invalid character: %q.", p)
		}
	}
	return nil
}

// The method sets CloudFront accepts (Developer Guide, "Allowed HTTP methods" and
// "Cached HTTP methods"); order within a set does not matter.
var (
	allowedMethodSets = [][]string{
		{"GET", "HEAD"},
		{"GET", "HEAD", "OPTIONS"},
		{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"},
	}
	cachedMethodSets = [][]string{
		{"GET", "HEAD"},
		{"GET", "HEAD", "OPTIONS"},
	}
)

func oneOfSets(methods []string, sets [][]string) bool {
	s := slices.Clone(methods)
	slices.Sort(s)
	for _, set := range sets {
		if slices.Equal(s, set) {
			return true
		}
	}
	return false
}

func validateMethods(b *Behavior, name string) error {
	if !oneOfSets(b.AllowedMethods, allowedMethodSets) {
		return apierror.InvalidArgument("The AllowedMethods of %s must be GET, HEAD; GET, HEAD, OPTIONS; or GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE.", name)
	}
	if !oneOfSets(b.CachedMethods, cachedMethodSets) {
		return apierror.InvalidArgument("The CachedMethods of %s must be GET, HEAD or GET, HEAD, OPTIONS.", name)
	}
	for _, m := range b.CachedMethods {
		if !slices.Contains(b.AllowedMethods, m) {
			return apierror.InvalidArgument("The CachedMethods of %s must be a subset of its AllowedMethods.", name)
		}
	}
	return nil
}

func validateFunctionAssociations(b *Behavior, account string) error {
	if len(b.FunctionAssociations) > maxFunctionsPerBehavior {
		return errTooManyFunctionAssociations(maxFunctionsPerBehavior)
	}
	seen := map[string]bool{}
	for _, fa := range b.FunctionAssociations {
		if fa.EventType != EventViewerRequest && fa.EventType != EventViewerResponse {
			return errInvalidFunctionAssociation("CloudFront functions can only be associated with viewer-request and viewer-response, not %q.", fa.EventType)
		}
		if seen[fa.EventType] {
			// [OBS] wording from a CloudFormation failure (sst #2822).
			return errInvalidFunctionAssociation("The event type of a function association must be unique in the cache behavior. Event type %s cannot be associated with two functions.", fa.EventType)
		}
		seen[fa.EventType] = true
		acct, ok := functionARNAccount(fa.FunctionARN)
		if !ok || len(fa.FunctionARN) > FunctionARNMaxLength {
			return errInvalidFunctionAssociation("The function ARN %q is not a valid CloudFront function ARN.", fa.FunctionARN)
		}
		if acct != account {
			return errInvalidFunctionAssociation("The function %s belongs to another account; a distribution can only use functions of its own account.", fa.FunctionARN)
		}
	}
	// CloudFront Functions and Lambda@Edge cannot share the viewer events of one behaviour
	// (Developer Guide, restrictions on edge functions; spec §7).
	if len(b.FunctionAssociations) > 0 {
		for _, la := range b.LambdaAssociations {
			if la.EventType == EventViewerRequest || la.EventType == EventViewerResponse {
				return errInvalidFunctionAssociation("A cache behavior cannot have both CloudFront functions and Lambda@Edge functions on viewer events (%s).", la.EventType)
			}
		}
	}
	return nil
}

var lambdaEventTypes = []string{EventViewerRequest, EventViewerResponse, "origin-request", "origin-response"}

func validateLambdaAssociations(b *Behavior) error {
	seen := map[string]bool{}
	for _, la := range b.LambdaAssociations {
		if !slices.Contains(lambdaEventTypes, la.EventType) {
			return errInvalidLambdaFunctionAssociation("The event type %q is not valid.", la.EventType)
		}
		if seen[la.EventType] {
			return errInvalidLambdaFunctionAssociation("The event type of a function association must be unique in the cache behavior. Event type %s cannot be associated with two functions.", la.EventType)
		}
		seen[la.EventType] = true
		// [OBS] chantzlarge/terraform-aws-hugo #43: the ARN must name a numbered version.
		i := strings.LastIndexByte(la.LambdaFunctionARN, ':')
		version := la.LambdaFunctionARN[i+1:]
		if !strings.HasPrefix(la.LambdaFunctionARN, "arn:aws:lambda:") || i < 0 || version == "" || strings.Trim(version, "0123456789") != "" {
			return errInvalidLambdaFunctionAssociation("The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: %s", la.LambdaFunctionARN)
		}
	}
	return nil
}

// Custom error responses (Developer Guide, "Custom error pages").
var (
	customErrorCodes    = []int{400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504}
	customResponseCodes = []string{"200", "400", "403", "404", "405", "414", "416", "500", "501", "502", "503", "504"}
)

func validateErrorResponses(rs []CustomErrorResponse) error {
	seen := map[int]bool{}
	for _, r := range rs {
		if !slices.Contains(customErrorCodes, r.ErrorCode) {
			return errInvalidErrorCode(r.ErrorCode)
		}
		if seen[r.ErrorCode] {
			return apierror.InvalidArgument("The error code %d has more than one custom error response.", r.ErrorCode)
		}
		seen[r.ErrorCode] = true
		if r.ResponseCode != "" && !slices.Contains(customResponseCodes, r.ResponseCode) {
			return errInvalidResponseCode(r.ResponseCode)
		}
		if r.ResponsePagePath != "" && (!strings.HasPrefix(r.ResponsePagePath, "/") || len(r.ResponsePagePath) > 4000 ||
			strings.ContainsAny(r.ResponsePagePath, " \t\r\n")) {
			return errInvalidRelativePath(r.ResponsePagePath)
		}
	}
	return nil
}

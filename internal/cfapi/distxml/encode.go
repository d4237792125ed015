package distxml

import (
	"fmt"
	"strconv"
	"time"

	"github.com/localfront/localfront/internal/distributions"
)

// Response documents. Each Encode function returns a whole document: the XML declaration
// and a root element in the CloudFront namespace (spec §1.2), ready to send with
// Content-Type text/xml.

// EncodeConfig renders GetDistributionConfig's <DistributionConfig>.
func EncodeConfig(cfg distributions.Config) ([]byte, error) {
	t, err := configTree(cfg)
	if err != nil {
		return nil, err
	}
	return document(t), nil
}

// EncodeDistribution renders the <Distribution> of CreateDistribution, GetDistribution
// and UpdateDistribution.
func EncodeDistribution(d distributions.Distribution) ([]byte, error) {
	t, err := distributionTree(d)
	if err != nil {
		return nil, err
	}
	return document(t), nil
}

// EncodeList renders ListDistributions' <DistributionList>.
func EncodeList(out distributions.ListOutput) ([]byte, error) {
	l := elem("DistributionList", leaf("Marker", out.Marker))
	if out.NextMarker != "" {
		l.add(leaf("NextMarker", out.NextMarker))
	}
	l.add(leaf("MaxItems", strconv.Itoa(out.MaxItems)),
		leaf("IsTruncated", strconv.FormatBool(out.IsTruncated)),
		leaf("Quantity", strconv.Itoa(len(out.Items))))
	items := elem("Items")
	for _, d := range out.Items {
		s, err := summaryTree(d)
		if err != nil {
			return nil, err
		}
		items.add(s)
	}
	return document(l.add(items)), nil
}

// timestamp is the API's time format: ISO 8601 UTC with milliseconds (spec §1.2).
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func distributionTree(d distributions.Distribution) (*node, error) {
	cfg, err := configTree(d.Config)
	if err != nil {
		return nil, err
	}
	return elem("Distribution",
		leaf("Id", d.ID),
		leaf("ARN", d.ARN),
		leaf("Status", d.Status),
		leaf("LastModifiedTime", timestamp(d.LastModifiedTime)),
		leaf("InProgressInvalidationBatches", "0"),
		leaf("DomainName", d.DomainName),
		// LocalFront has no CloudFront key pairs or key groups, so none is active.
		elem("ActiveTrustedSigners", leaf("Enabled", "false"), leaf("Quantity", "0")),
		elem("ActiveTrustedKeyGroups", leaf("Enabled", "false"), leaf("Quantity", "0")),
		cfg,
	), nil
}

// summaryMembers are DistributionSummary's config members in model order, with the value
// CloudFront reports when the config leaves one out (nil: reported only when present).
var summaryMembers = []struct {
	name string
	def  func() *node
}{
	{"Aliases", emptyList("Aliases")},
	{"Origins", nil},
	{"OriginGroups", nil},
	{"DefaultCacheBehavior", nil},
	{"CacheBehaviors", emptyList("CacheBehaviors")},
	{"CustomErrorResponses", emptyList("CustomErrorResponses")},
	{"Comment", func() *node { return leaf("Comment", "") }},
	{"PriceClass", func() *node { return leaf("PriceClass", "PriceClass_All") }},
	{"Enabled", nil},
	{"ViewerCertificate", func() *node {
		return elem("ViewerCertificate", leaf("CloudFrontDefaultCertificate", "true"), leaf("SSLSupportMethod", "vip"),
			leaf("MinimumProtocolVersion", "TLSv1"), leaf("CertificateSource", "cloudfront"))
	}},
	{"Restrictions", func() *node {
		return elem("Restrictions", elem("GeoRestriction", leaf("RestrictionType", "none"), leaf("Quantity", "0")))
	}},
	{"WebACLId", func() *node { return leaf("WebACLId", "") }},
	{"HttpVersion", func() *node { return leaf("HttpVersion", "http2") }},
	{"IsIPV6Enabled", func() *node { return leaf("IsIPV6Enabled", "false") }},
	{"Staging", func() *node { return leaf("Staging", "false") }},
	{"ConnectionMode", nil},
	{"AnycastIpListId", nil},
	{"ViewerMtlsConfig", nil},
	{"ConnectionFunctionAssociation", nil},
}

func emptyList(name string) func() *node {
	return func() *node { return elem(name, leaf("Quantity", "0")) }
}

func summaryTree(d distributions.Distribution) (*node, error) {
	cfg, err := configTree(d.Config)
	if err != nil {
		return nil, err
	}
	s := elem("DistributionSummary",
		leaf("Id", d.ID),
		leaf("ARN", d.ARN),
		leaf("ETag", d.ETag),
		leaf("Status", d.Status),
		leaf("LastModifiedTime", timestamp(d.LastModifiedTime)),
		leaf("DomainName", d.DomainName),
	)
	for _, m := range summaryMembers {
		if n := cfg.child(m.name); n != nil {
			s.add(n)
		} else if m.def != nil {
			s.add(m.def())
		}
	}
	return s, nil
}

// configTree is the <DistributionConfig> of a config: Raw as sent, or, for a config
// built in code, its fields.
func configTree(cfg distributions.Config) (*node, error) {
	if len(cfg.Raw) == 0 {
		return fieldsTree(cfg), nil
	}
	t, err := parse(cfg.Raw)
	if err != nil {
		return nil, fmt.Errorf("distxml: stored config does not parse: %w", err)
	}
	if t.name != "DistributionConfig" {
		return nil, fmt.Errorf("distxml: stored config has root <%s>", t.name)
	}
	return t, nil
}

// list renders a CloudFront list wrapper; Items is left out when there are none.
func list(name string, items ...*node) *node {
	l := elem(name, leaf("Quantity", strconv.Itoa(len(items))))
	if len(items) > 0 {
		l.add(elem("Items", items...))
	}
	return l
}

func leaves(name string, values []string) []*node {
	out := make([]*node, len(values))
	for i, v := range values {
		out[i] = leaf(name, v)
	}
	return out
}

func boolLeaf(name string, b bool) *node { return leaf(name, strconv.FormatBool(b)) }

func intLeaf(name string, v int) *node { return leaf(name, strconv.Itoa(v)) }

// fieldsTree renders the modeled fields in model order.
func fieldsTree(c distributions.Config) *node {
	var origins, groups, behaviors, errs []*node
	for _, o := range c.Origins {
		origins = append(origins, originTree(o))
	}
	for _, g := range c.OriginGroups {
		var codes []*node
		for _, sc := range g.FailoverStatusCodes {
			codes = append(codes, intLeaf("StatusCode", sc))
		}
		groups = append(groups, elem("OriginGroup",
			leaf("Id", g.ID),
			elem("FailoverCriteria", list("StatusCodes", codes...)),
			list("Members",
				elem("OriginGroupMember", leaf("OriginId", g.PrimaryOriginID)),
				elem("OriginGroupMember", leaf("OriginId", g.SecondaryOriginID))),
		))
	}
	for _, b := range c.Behaviors {
		behaviors = append(behaviors, behaviorTree("CacheBehavior", b))
	}
	for _, e := range c.CustomErrorResponses {
		r := elem("CustomErrorResponse", intLeaf("ErrorCode", e.ErrorCode))
		if e.ResponsePagePath != "" {
			r.add(leaf("ResponsePagePath", e.ResponsePagePath))
		}
		if e.ResponseCode != "" {
			r.add(leaf("ResponseCode", e.ResponseCode))
		}
		errs = append(errs, r)
	}
	t := elem("DistributionConfig",
		leaf("CallerReference", c.CallerReference),
		list("Aliases", leaves("CNAME", c.Aliases)...),
		leaf("DefaultRootObject", c.DefaultRootObject),
		list("Origins", origins...),
	)
	if len(groups) > 0 {
		t.add(list("OriginGroups", groups...))
	}
	return t.add(
		behaviorTree("DefaultCacheBehavior", c.DefaultBehavior),
		list("CacheBehaviors", behaviors...),
		list("CustomErrorResponses", errs...),
		leaf("Comment", c.Comment),
		boolLeaf("Enabled", c.Enabled),
	)
}

func originTree(o distributions.Origin) *node {
	var headers []*node
	for _, h := range o.CustomHeaders {
		headers = append(headers, elem("OriginCustomHeader", leaf("HeaderName", h.Name), leaf("HeaderValue", h.Value)))
	}
	n := elem("Origin",
		leaf("Id", o.ID),
		leaf("DomainName", o.DomainName),
		leaf("OriginPath", o.OriginPath),
		list("CustomHeaders", headers...),
	)
	switch {
	case o.Custom != nil:
		c := elem("CustomOriginConfig",
			intLeaf("HTTPPort", o.Custom.HTTPPort),
			intLeaf("HTTPSPort", o.Custom.HTTPSPort),
			leaf("OriginProtocolPolicy", o.Custom.ProtocolPolicy))
		if len(o.Custom.SSLProtocols) > 0 {
			c.add(list("OriginSslProtocols", leaves("SslProtocol", o.Custom.SSLProtocols)...))
		}
		n.add(c.add(intLeaf("OriginReadTimeout", o.Custom.ReadTimeout), intLeaf("OriginKeepaliveTimeout", o.Custom.KeepaliveTimeout)))
	case o.S3:
		n.add(elem("S3OriginConfig", leaf("OriginAccessIdentity", "")))
	case o.VPC:
		n.add(elem("VpcOriginConfig", leaf("VpcOriginId", "")))
	}
	return n.add(intLeaf("ConnectionAttempts", o.ConnectionAttempts), intLeaf("ConnectionTimeout", o.ConnectionTimeout))
}

func behaviorTree(name string, b distributions.Behavior) *node {
	n := elem(name)
	if name == "CacheBehavior" {
		n.add(leaf("PathPattern", b.PathPattern))
	}
	allowed := list("AllowedMethods", leaves("Method", b.AllowedMethods)...)
	allowed.add(list("CachedMethods", leaves("Method", b.CachedMethods)...))
	var lambdas, fns []*node
	for _, l := range b.LambdaAssociations {
		lambdas = append(lambdas, elem("LambdaFunctionAssociation",
			leaf("LambdaFunctionARN", l.LambdaFunctionARN), leaf("EventType", l.EventType), boolLeaf("IncludeBody", l.IncludeBody)))
	}
	for _, f := range b.FunctionAssociations {
		fns = append(fns, elem("FunctionAssociation", leaf("FunctionARN", f.FunctionARN), leaf("EventType", f.EventType)))
	}
	n.add(
		leaf("TargetOriginId", b.TargetOriginID),
		leaf("ViewerProtocolPolicy", b.ViewerProtocolPolicy),
		allowed,
		boolLeaf("Compress", b.Compress),
		list("LambdaFunctionAssociations", lambdas...),
		list("FunctionAssociations", fns...),
	)
	if b.CachePolicyID != "" {
		n.add(leaf("CachePolicyId", b.CachePolicyID))
	}
	if b.HasForwardedValues {
		// The legacy settings themselves are not modeled; a config built in code that
		// says it has them gets the minimal valid element.
		n.add(elem("ForwardedValues", leaf("QueryString", "false"), elem("Cookies", leaf("Forward", "none"))))
	}
	return n
}

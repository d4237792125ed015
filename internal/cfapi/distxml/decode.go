// Package distxml is the REST-XML codec of CloudFront distributions: DistributionConfig
// request bodies in, DistributionConfig, Distribution and DistributionList documents out.
//
// Design: a document is parsed into an order-preserving element tree (node.go). The tree
// is checked as a whole against the model's leaf types and list idiom (checks.go), the
// part the domain models is read out of it (this file), and the tree itself, rendered
// canonically, becomes Config.Raw. Output re-renders Raw, so every element a client sent,
// modeled or not (ViewerCertificate, Logging, ForwardedValues, TTLs, …), reads back as it
// was sent; the server-owned parts (Id, ARN, Status, …) wrap it. A Config built in code
// (no Raw) is rendered from its fields.
package distxml

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/distributions"
)

// Namespace is the XML namespace of the CloudFront 2020-05-31 API.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

const rootPath = "distributionConfig"

// DecodeConfig reads a CreateDistribution or UpdateDistribution body (root element
// <DistributionConfig>, CloudFront namespace or none, any element order). Errors are
// *apierror.Error: MissingBody for an empty body; MalformedXML for XML that is broken,
// off-schema or breaks model constraints (a Coral-style list, spec §1.6);
// InconsistentQuantities when a list's Quantity does not count its Items. Absent
// optional settings get CloudFront's defaults in the fields (see distributions.Default*);
// Raw keeps the document as sent.
func DecodeConfig(body []byte) (distributions.Config, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return distributions.Config{}, errMissingBody()
	}
	root, err := parse(body)
	if err != nil {
		return distributions.Config{}, errMalformed(err.Error())
	}
	if root.name != "DistributionConfig" {
		return distributions.Config{}, errMalformed("the root element must be <DistributionConfig>, not <" + root.name + ">")
	}
	v := &violations{}
	c := &checker{v: v}
	if err := c.walk(root, rootPath); err != nil {
		return distributions.Config{}, err
	}
	r := &reader{v: v}
	cfg := r.config(root)
	if r.schemaErr != nil {
		return distributions.Config{}, r.schemaErr
	}
	if err := v.err(); err != nil {
		return distributions.Config{}, err
	}
	if m := c.mismatch; m != nil {
		return distributions.Config{}, errInconsistentQuantities(m.path, m.quantity, m.items)
	}
	cfg.Raw = document(root)
	return cfg, nil
}

// at is an element (possibly absent) and its Coral member path.
type at struct {
	n    *node
	path string
}

func (a at) field(name string) at { return at{a.n.child(name), memberPath(a.path, name)} }

func (a at) present() bool { return a.n != nil }

// reader reads the modeled part of a checked tree. Leaf types were checked by the
// checker, so values parse; what is left to find is missing required members, values
// whose constraints depend on their place, and elements with the wrong shape.
type reader struct {
	v         *violations
	schemaErr *apierror.Error
}

func (r *reader) fail(detail string) {
	if r.schemaErr == nil {
		r.schemaErr = errMalformed(detail)
	}
}

// required reports a if it is absent.
func (r *reader) required(a at) at {
	if !a.present() {
		r.v.null(a.path)
	}
	return a
}

// str returns a string leaf ("" when absent).
func (r *reader) str(a at) string {
	if !a.present() {
		return ""
	}
	if len(a.n.children) > 0 {
		r.fail("element <" + a.n.name + "> must hold a value, not elements")
		return ""
	}
	return a.n.text
}

func (r *reader) boolean(a at) bool {
	b, _ := parseBool(r.str(a))
	return b
}

// integer returns an integer leaf, or def when absent.
func (r *reader) integer(a at, def int) int {
	if !a.present() {
		return def
	}
	n, _ := parseInt(r.str(a), 32)
	return int(n)
}

// structure checks that a present element is a structure, not a value.
func (r *reader) structure(a at) bool {
	if !a.present() {
		return false
	}
	if len(a.n.children) == 0 && strings.TrimSpace(a.n.text) != "" {
		r.fail("element <" + a.n.name + "> must hold elements, not a value")
		return false
	}
	return true
}

// list returns the entries of a CloudFront list wrapper (Quantity + Items of member
// elements); Quantity is required when the wrapper is present.
func (r *reader) list(a at, member string) []at {
	if !r.structure(a) {
		return nil
	}
	r.required(a.field("Quantity"))
	items := a.field("Items")
	if !r.structure(items) {
		return nil
	}
	out := make([]at, 0, len(items.n.children))
	for i, ch := range items.n.children {
		if ch.name != member {
			r.fail("the <Items> of <" + a.n.name + "> must hold <" + member + "> elements, not <" + ch.name + ">")
			return nil
		}
		out = append(out, at{ch, itemPath(items.path, i)})
	}
	return out
}

func (r *reader) strings(a at, member string) []string {
	var out []string
	for _, it := range r.list(a, member) {
		out = append(out, r.str(it))
	}
	return out
}

// lengthBetween reports a list whose length breaks the model's min/max.
func (r *reader) lengthBetween(a at, entries []string, lo, hi int) {
	if !a.present() {
		return
	}
	p := memberPath(a.path, "Items")
	value := "[" + strings.Join(entries, ", ") + "]"
	if len(entries) < lo {
		r.v.constraint(value, p, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	} else if hi > 0 && len(entries) > hi {
		r.v.constraint(value, p, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

func (r *reader) config(root *node) distributions.Config {
	a := at{root, rootPath}
	cfg := distributions.Config{
		CallerReference:   r.str(r.required(a.field("CallerReference"))),
		Aliases:           r.strings(a.field("Aliases"), "CNAME"),
		Comment:           r.str(r.required(a.field("Comment"))),
		Enabled:           r.boolean(r.required(a.field("Enabled"))),
		DefaultRootObject: r.str(a.field("DefaultRootObject")),
	}
	origins := r.required(a.field("Origins"))
	if r.structure(origins) {
		r.required(origins.field("Items"))
	}
	var ids []string
	for _, o := range r.list(origins, "Origin") {
		origin := r.origin(o)
		cfg.Origins = append(cfg.Origins, origin)
		ids = append(ids, origin.ID)
	}
	r.lengthBetween(origins, ids, 1, 0)
	for _, g := range r.list(a.field("OriginGroups"), "OriginGroup") {
		cfg.OriginGroups = append(cfg.OriginGroups, r.originGroup(g))
	}
	def := r.required(a.field("DefaultCacheBehavior"))
	if r.structure(def) {
		cfg.DefaultBehavior = r.behavior(def, false)
	}
	for _, b := range r.list(a.field("CacheBehaviors"), "CacheBehavior") {
		if r.structure(b) {
			cfg.Behaviors = append(cfg.Behaviors, r.behavior(b, true))
		}
	}
	for _, e := range r.list(a.field("CustomErrorResponses"), "CustomErrorResponse") {
		cfg.CustomErrorResponses = append(cfg.CustomErrorResponses, distributions.CustomErrorResponse{
			ErrorCode:        r.integer(r.required(e.field("ErrorCode")), 0),
			ResponsePagePath: r.str(e.field("ResponsePagePath")),
			ResponseCode:     r.str(e.field("ResponseCode")),
		})
	}
	return cfg
}

func (r *reader) origin(a at) distributions.Origin {
	o := distributions.Origin{
		ID:                 r.str(r.required(a.field("Id"))),
		DomainName:         r.str(r.required(a.field("DomainName"))),
		OriginPath:         r.str(a.field("OriginPath")),
		ConnectionAttempts: r.integer(a.field("ConnectionAttempts"), distributions.DefaultConnectionAttempts),
		ConnectionTimeout:  r.integer(a.field("ConnectionTimeout"), distributions.DefaultConnectionTimeout),
	}
	for _, h := range r.list(a.field("CustomHeaders"), "OriginCustomHeader") {
		o.CustomHeaders = append(o.CustomHeaders, distributions.Header{
			Name:  r.str(r.required(h.field("HeaderName"))),
			Value: r.str(r.required(h.field("HeaderValue"))),
		})
	}
	if s3 := a.field("S3OriginConfig"); r.structure(s3) {
		o.S3 = true
		r.required(s3.field("OriginAccessIdentity"))
	}
	if vpc := a.field("VpcOriginConfig"); r.structure(vpc) {
		o.VPC = true
		r.required(vpc.field("VpcOriginId"))
	}
	if c := a.field("CustomOriginConfig"); r.structure(c) {
		o.Custom = &distributions.CustomOriginConfig{
			HTTPPort:         r.integer(r.required(c.field("HTTPPort")), 0),
			HTTPSPort:        r.integer(r.required(c.field("HTTPSPort")), 0),
			ProtocolPolicy:   r.str(r.required(c.field("OriginProtocolPolicy"))),
			ReadTimeout:      r.integer(c.field("OriginReadTimeout"), distributions.DefaultReadTimeout),
			KeepaliveTimeout: r.integer(c.field("OriginKeepaliveTimeout"), distributions.DefaultKeepaliveTimeout),
		}
		if ssl := c.field("OriginSslProtocols"); r.structure(ssl) {
			r.required(ssl.field("Items"))
			o.Custom.SSLProtocols = r.strings(ssl, "SslProtocol")
		}
	}
	return o
}

func (r *reader) originGroup(a at) distributions.OriginGroup {
	g := distributions.OriginGroup{ID: r.str(r.required(a.field("Id")))}
	if fc := r.required(a.field("FailoverCriteria")); r.structure(fc) {
		codes := r.required(fc.field("StatusCodes"))
		if r.structure(codes) {
			r.required(codes.field("Items"))
		}
		var texts []string
		for _, c := range r.list(codes, "StatusCode") {
			g.FailoverStatusCodes = append(g.FailoverStatusCodes, r.integer(c, 0))
			texts = append(texts, r.str(c))
		}
		r.lengthBetween(codes, texts, 1, 0)
	}
	members := r.required(a.field("Members"))
	if r.structure(members) {
		r.required(members.field("Items"))
	}
	var ids []string
	for _, m := range r.list(members, "OriginGroupMember") {
		ids = append(ids, r.str(r.required(m.field("OriginId"))))
	}
	r.lengthBetween(members, ids, 2, 2)
	if len(ids) == 2 {
		g.PrimaryOriginID, g.SecondaryOriginID = ids[0], ids[1]
	}
	return g
}

func (r *reader) behavior(a at, withPattern bool) distributions.Behavior {
	b := distributions.Behavior{
		TargetOriginID:       r.str(r.required(a.field("TargetOriginId"))),
		ViewerProtocolPolicy: r.str(r.required(a.field("ViewerProtocolPolicy"))),
		Compress:             r.boolean(a.field("Compress")),
		CachePolicyID:        r.str(a.field("CachePolicyId")),
		HasForwardedValues:   r.structure(a.field("ForwardedValues")),
		AllowedMethods:       slices.Clone(distributions.DefaultMethods),
		CachedMethods:        slices.Clone(distributions.DefaultMethods),
	}
	if withPattern {
		b.PathPattern = r.str(r.required(a.field("PathPattern")))
	}
	if am := a.field("AllowedMethods"); r.structure(am) {
		r.required(am.field("Items"))
		b.AllowedMethods = r.strings(am, "Method")
		if cm := am.field("CachedMethods"); r.structure(cm) {
			r.required(cm.field("Items"))
			b.CachedMethods = r.strings(cm, "Method")
		}
	}
	for _, f := range r.list(a.field("FunctionAssociations"), "FunctionAssociation") {
		fa := distributions.FunctionAssociation{
			FunctionARN: r.str(r.required(f.field("FunctionARN"))),
			EventType:   r.str(r.required(f.field("EventType"))),
		}
		r.functionARN(fa.FunctionARN, f.field("FunctionARN"))
		if et := f.field("EventType"); et.present() && !slices.Contains(functionEventTypes, fa.EventType) {
			r.v.valueSet(fa.EventType, et.path, functionEventTypes)
		}
		b.FunctionAssociations = append(b.FunctionAssociations, fa)
	}
	for _, l := range r.list(a.field("LambdaFunctionAssociations"), "LambdaFunctionAssociation") {
		la := distributions.LambdaAssociation{
			LambdaFunctionARN: r.str(r.required(l.field("LambdaFunctionARN"))),
			EventType:         r.str(r.required(l.field("EventType"))),
			IncludeBody:       r.boolean(l.field("IncludeBody")),
		}
		if et := l.field("EventType"); et.present() && !slices.Contains(lambdaEventTypes, la.EventType) {
			r.v.valueSet(la.EventType, et.path, lambdaEventTypes)
		}
		b.LambdaAssociations = append(b.LambdaAssociations, la)
	}
	return b
}

// functionARN applies the model's FunctionARN constraints (max 108, pattern).
func (r *reader) functionARN(arn string, a at) {
	if !a.present() {
		return
	}
	if len(arn) > distributions.FunctionARNMaxLength {
		r.v.constraint(arn, a.path, fmt.Sprintf("Member must have length less than or equal to %d", distributions.FunctionARNMaxLength))
		return
	}
	if !distributions.ValidFunctionARN(arn) {
		r.v.constraint(arn, a.path, "Member must satisfy regular expression pattern: "+distributions.FunctionARNPattern)
	}
}

package runtime

import (
	"math"
	"sort"
	"strconv"

	"github.com/dop251/goja"
)

// InstallOriginHelpers adds cf.updateRequestOrigin, cf.selectRequestOriginById and
// cf.createRequestOriginGroup to the cloudfront module object cf of vm. current returns the
// OriginChanges of the run in progress, or nil when the run has none to record (TestFunction,
// which CloudFront documents as not testing origin changes, and viewer-response runs): the
// calls are then parsed and dropped. The helpers never throw; an invalid call is kept in
// OriginChanges.Err.
//
// The engine wires it: the cloudfront module calls it once per VM, and each run makes its
// Invocation's OriginChanges what current returns.
func InstallOriginHelpers(vm *goja.Runtime, cf *goja.Object, current func() *OriginChanges) error {
	record := func(step OriginStep, err error) {
		ch := current()
		if ch == nil {
			return
		}
		if err != nil {
			if ch.Err == nil {
				ch.Err = err
			}
			return
		}
		ch.Steps = append(ch.Steps, step)
	}
	helpers := map[string]func(goja.FunctionCall) goja.Value{
		"updateRequestOrigin": func(call goja.FunctionCall) goja.Value {
			u, err := parseOriginUpdate(call.Argument(0))
			record(OriginStep{Kind: StepUpdateOrigin, Update: u}, err)
			return goja.Undefined()
		},
		"selectRequestOriginById": func(call goja.FunctionCall) goja.Value {
			id, ov, err := parseOriginSelect(call.Argument(0), call.Argument(1))
			record(OriginStep{Kind: StepSelectOrigin, OriginID: id, Overrides: ov}, err)
			return goja.Undefined()
		},
		"createRequestOriginGroup": func(call goja.FunctionCall) goja.Value {
			g, err := parseOriginGroup(call.Argument(0))
			record(OriginStep{Kind: StepCreateOriginGroup, Group: g}, err)
			return goja.Undefined()
		},
	}
	names := make([]string, 0, len(helpers))
	for n := range helpers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := cf.DefineDataProperty(n, vm.ToValue(helpers[n]), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return err
		}
	}
	return nil
}

// paramReader reads a JS parameter object, keeping the first type problem.
type paramReader struct {
	helper string
	err    error
}

func (p *paramReader) fail(format string, args ...any) {
	if p.err == nil {
		p.err = originErr(p.helper, format, args...)
	}
}

// object returns v as an object; absent values give nil without error unless required.
func (p *paramReader) object(v goja.Value, path string, required bool) *goja.Object {
	if isAbsent(v) {
		if required {
			p.fail("%s is required", path)
		}
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || isFunction(obj) || obj.ClassName() == "Array" {
		p.fail("%s must be an object, not %s", path, describeJS(v))
		return nil
	}
	return obj
}

func (p *paramReader) str(obj *goja.Object, key, path string) string {
	if obj == nil {
		return ""
	}
	v := obj.Get(key)
	if isAbsent(v) {
		return ""
	}
	s, ok := primitiveString(v)
	if !ok {
		p.fail("%s must be a string, not %s", path, describeJS(v))
		return ""
	}
	if s == "" {
		p.fail("%s must not be empty", path)
	}
	return s
}

func (p *paramReader) boolean(obj *goja.Object, key, path string) bool {
	v := obj.Get(key)
	if isAbsent(v) {
		return false
	}
	b, ok := v.Export().(bool)
	if _, isObj := v.(*goja.Object); isObj || !ok {
		p.fail("%s must be a boolean, not %s", path, describeJS(v))
	}
	return b
}

// integer reads a whole number; absent gives 0.
func (p *paramReader) integer(obj *goja.Object, key, path string) int {
	if obj == nil {
		return 0
	}
	return p.intValue(obj.Get(key), path)
}

func (p *paramReader) intValue(v goja.Value, path string) int {
	if isAbsent(v) {
		return 0
	}
	if _, isObj := v.(*goja.Object); !isObj {
		switch n := v.Export().(type) {
		case int64:
			if n >= -1<<31 && n < 1<<31 {
				return int(n)
			}
		case float64:
			if n == math.Trunc(n) && n >= -1<<31 && n < 1<<31 {
				return int(n)
			}
		}
	}
	p.fail("%s must be a whole number, not %s", path, describeJS(v))
	return 0
}

// array returns the elements of a JS array.
func (p *paramReader) array(v goja.Value, path string) []goja.Value {
	if isAbsent(v) {
		return nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Array" {
		p.fail("%s must be an array, not %s", path, describeJS(v))
		return nil
	}
	n := p.intValue(obj.Get("length"), path+".length")
	if n > 64 {
		p.fail("%s has %d elements; that is too many", path, n)
		return nil
	}
	out := make([]goja.Value, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, obj.Get(strconv.Itoa(i)))
	}
	return out
}

func (p *paramReader) strings(v goja.Value, path string) []string {
	var out []string
	for i, e := range p.array(v, path) {
		s, ok := primitiveString(e)
		if !ok {
			p.fail("%s[%d] must be a string, not %s", path, i, describeJS(e))
			return nil
		}
		out = append(out, s)
	}
	return out
}

func parseOriginUpdate(v goja.Value) (OriginUpdate, error) {
	p := &paramReader{helper: "updateRequestOrigin"}
	var u OriginUpdate
	obj := p.object(v, "the parameter", true)
	if obj == nil {
		return u, p.err
	}
	u.DomainName = p.str(obj, "domainName", "domainName")
	u.HostHeader = p.str(obj, "hostHeader", "hostHeader")
	u.OriginPath = p.str(obj, "originPath", "originPath")
	if hv := obj.Get("customHeaders"); !isAbsent(hv) {
		if ho := p.object(hv, "customHeaders", true); ho != nil {
			u.SetCustomHeaders = true
			u.CustomHeaders = []OriginHeader{}
			for _, k := range ho.Keys() {
				val, ok := primitiveString(ho.Get(k))
				if !ok {
					p.fail("customHeaders[%s] must be a string, not %s", quoteJS(k), describeJS(ho.Get(k)))
					break
				}
				u.CustomHeaders = append(u.CustomHeaders, OriginHeader{Name: k, Value: val})
			}
		}
	}
	u.ConnectionAttempts = p.integer(obj, "connectionAttempts", "connectionAttempts")
	if u.ConnectionAttempts == 0 && !isAbsent(obj.Get("connectionAttempts")) {
		p.fail("connectionAttempts must be 1, 2 or 3, not 0")
	}
	if to := p.object(obj.Get("timeouts"), "timeouts", false); to != nil {
		u.Timeouts = OriginTimeouts{
			Read:               p.positive(to, "readTimeout", "timeouts.readTimeout"),
			ResponseCompletion: p.positive(to, "responseCompletionTimeout", "timeouts.responseCompletionTimeout"),
			KeepAlive:          p.positive(to, "keepAliveTimeout", "timeouts.keepAliveTimeout"),
			Connection:         p.positive(to, "connectionTimeout", "timeouts.connectionTimeout"),
		}
	}
	if co := p.object(obj.Get("customOriginConfig"), "customOriginConfig", false); co != nil {
		u.Custom = &CustomOriginParams{
			Port:         p.positive(co, "port", "customOriginConfig.port"),
			Protocol:     p.str(co, "protocol", "customOriginConfig.protocol"),
			SSLProtocols: p.strings(co.Get("sslProtocols"), "customOriginConfig.sslProtocols"),
		}
	}
	if so := p.object(obj.Get("originShield"), "originShield", false); so != nil {
		u.OriginShield = &OriginShieldParams{
			Enabled: p.boolean(so, "enabled", "originShield.enabled"),
			Region:  p.str(so, "region", "originShield.region"),
		}
	}
	if ao := p.object(obj.Get("originAccessControlConfig"), "originAccessControlConfig", false); ao != nil {
		u.OriginAccessControl = &OriginAccessControlParams{
			Enabled:         p.boolean(ao, "enabled", "originAccessControlConfig.enabled"),
			SigningBehavior: p.str(ao, "signingBehavior", "originAccessControlConfig.signingBehavior"),
			SigningProtocol: p.str(ao, "signingProtocol", "originAccessControlConfig.signingProtocol"),
			OriginType:      p.str(ao, "originType", "originAccessControlConfig.originType"),
			Region:          p.str(ao, "region", "originAccessControlConfig.region"),
		}
	}
	u.IPAddressType = p.str(obj, "ipAddressType", "ipAddressType")
	u.SNI = p.str(obj, "sni", "sni")
	u.AllowedCertificateNames = p.strings(obj.Get("allowedCertificateNames"), "allowedCertificateNames")
	if p.err != nil {
		return u, p.err
	}
	return u, u.Validate()
}

// positive reads a whole number that, when present, must be at least 1.
func (p *paramReader) positive(obj *goja.Object, key, path string) int {
	n := p.integer(obj, key, path)
	if n <= 0 && !isAbsent(obj.Get(key)) {
		p.fail("%s must be a positive whole number", path)
	}
	return n
}

func (p *paramReader) overrides(v goja.Value, path string) OriginOverrides {
	var o OriginOverrides
	obj := p.object(v, path, false)
	if obj == nil {
		return o
	}
	o.HostHeader = p.str(obj, "hostHeader", path+".hostHeader")
	o.SNI = p.str(obj, "sni", path+".sni")
	o.AllowedCertificateNames = p.strings(obj.Get("allowedCertificateNames"), path+".allowedCertificateNames")
	return o
}

func parseOriginSelect(idv, ov goja.Value) (string, OriginOverrides, error) {
	const h = "selectRequestOriginById"
	p := &paramReader{helper: h}
	id, ok := primitiveString(idv)
	if !ok || id == "" {
		return "", OriginOverrides{}, originErr(h, "the origin ID must be a non-empty string, not %s", describeJS(idv))
	}
	o := p.overrides(ov, "the overrides")
	if p.err != nil {
		return "", o, p.err
	}
	return id, o, o.Validate(h)
}

func parseOriginGroup(v goja.Value) (OriginGroupSpec, error) {
	p := &paramReader{helper: "createRequestOriginGroup"}
	var g OriginGroupSpec
	obj := p.object(v, "the parameter", true)
	if obj == nil {
		return g, p.err
	}
	ids := p.array(obj.Get("originIds"), "originIds")
	if p.err == nil && len(ids) != 2 {
		p.fail("originIds must list exactly two origins, not %d", len(ids))
	}
	for i := 0; p.err == nil && i < len(ids); i++ {
		path := "originIds[" + strconv.Itoa(i) + "]"
		if s, ok := primitiveString(ids[i]); ok {
			g.Members[i].OriginID = s
			continue
		}
		mo := p.object(ids[i], path, true)
		if mo == nil {
			break
		}
		g.Members[i].OriginID = p.str(mo, "originId", path+".originId")
		g.Members[i].Overrides = p.overrides(mo.Get("originOverrides"), path+".originOverrides")
	}
	g.SelectionCriteria = p.str(obj, "selectionCriteria", "selectionCriteria")
	if fo := p.object(obj.Get("failoverCriteria"), "failoverCriteria", true); fo != nil {
		codes := p.array(fo.Get("statusCodes"), "failoverCriteria.statusCodes")
		for i, c := range codes {
			g.FailoverStatusCodes = append(g.FailoverStatusCodes, p.intValue(c, "failoverCriteria.statusCodes["+strconv.Itoa(i)+"]"))
		}
	}
	if p.err != nil {
		return g, p.err
	}
	return g, g.Validate()
}

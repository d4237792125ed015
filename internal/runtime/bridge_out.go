package runtime

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"

	"github.com/dop251/goja"
)

// The event bridge, JS → Go: reading what the handler returned into a Request or Response.
// Untouched parts of the event are taken from the Go data as they are; everything else is
// validated, and a problem becomes a FunctionValidationError (the edge answers 502, §9.8).

// outputError is an invalid return value.
type outputError struct{ msg string }

func (e *outputError) Error() string { return "FunctionValidationError: " + e.msg }

func invalid(format string, args ...any) *outputError {
	return &outputError{msg: fmt.Sprintf(format, args...)}
}

// primitiveString returns v as a Go string when it is a JS string primitive. It never exports
// objects (that would build a map and run getters) and does not box the string.
func primitiveString(v goja.Value) (string, bool) {
	if s, ok := v.(goja.String); ok {
		return s.String(), true
	}
	return "", false
}

// readResult converts the handler's return value. A viewer-request handler returns the
// request or a response; a viewer-response handler returns the response. A returned object
// is a response when it has a statusCode (spec §9.6).
func (b *bridge) readResult(v goja.Value) (ResultKind, *Request, *Response, error) {
	viewerResponse := b.event.Context.EventType == EventViewerResponse
	switch h := b.handlerOf(v).(type) {
	case *requestObject:
		if viewerResponse {
			return 0, nil, nil, invalid("a viewer-response function must return the response object, not the request")
		}
		r, err := b.readRequest(requestSource{obj: h})
		return KindRequest, r, nil, err
	case *responseObject:
		r, err := b.readResponse(responseSource{obj: h})
		return KindResponse, nil, r, err
	case *valuesObject:
		return 0, nil, nil, invalid("the handler returned a headers, cookies or querystring object instead of a request or response")
	}
	obj, ok := v.(*goja.Object)
	if !ok || isFunction(obj) || obj.ClassName() == "Array" {
		return 0, nil, nil, invalid("the handler returned %s; it must return the request or a response object", describeJS(v))
	}
	if sc := obj.Get("statusCode"); sc != nil && !goja.IsUndefined(sc) {
		r, err := b.readResponse(responseSource{plain: obj})
		return KindResponse, nil, r, err
	}
	if viewerResponse {
		return 0, nil, nil, invalid("a viewer-response function must return a response object with a statusCode")
	}
	r, err := b.readRequest(requestSource{plain: obj})
	return KindRequest, r, nil, err
}

// requestSource is the returned request: the bridged event.request or any other object.
type requestSource struct {
	obj   *requestObject
	plain *goja.Object
}

// field returns a field's JS value, or touched=false when it is still the Go data.
func (s requestSource) field(i int) (goja.Value, bool) {
	if s.obj != nil {
		return s.obj.props.state(i)
	}
	return s.plain.Get(requestFields[i]), true
}

func (b *bridge) readRequest(src requestSource) (*Request, error) {
	orig := b.event.Request
	if src.obj != nil {
		orig = src.obj.src
	}
	r := b.outReq
	if r == nil {
		r = &Request{}
	}
	*r = Request{}
	var err error

	v, touched := src.field(reqMethod)
	switch {
	case !touched || isAbsent(v):
		r.Method = orig.Method
	default:
		if r.Method, err = stringOf(v, fixedPath("request.method")); err != nil {
			return nil, err
		}
	}

	v, touched = src.field(reqURI)
	switch {
	case !touched:
		r.URI = orig.URI
	case isAbsent(v):
		return nil, invalid("request.uri is missing")
	default:
		if r.URI, err = stringOf(v, fixedPath("request.uri")); err != nil {
			return nil, err
		}
		if len(r.URI) == 0 || r.URI[0] != '/' {
			return nil, invalid(`request.uri must start with "/"`)
		}
	}

	v, touched = src.field(reqQuerystring)
	switch {
	case !touched:
		r.Querystring, r.RawQueryString, r.HasQuery = orig.Querystring, orig.RawQueryString, orig.HasQuery
	case isAbsent(v):
	default:
		if s, ok := primitiveString(v); ok { // a raw query string (spec §9.2)
			if len(s) > 0 && s[0] == '?' {
				s = s[1:]
			}
			r.Querystring, r.RawQueryString, r.HasQuery = ParseQuery(s), s, s != ""
			break
		}
		vs, changed, err := b.readValues(v, "request.querystring", false)
		if err != nil {
			return nil, err
		}
		r.Querystring = vs
		if !changed && b.isOriginal(v, orig.Querystring) {
			r.RawQueryString, r.HasQuery = orig.RawQueryString, orig.HasQuery
		} else {
			r.RawQueryString, r.HasQuery = buildQuery(vs), len(vs) > 0
		}
	}

	if r.Headers, err = b.readCollection(src, reqHeaders, orig.Headers, "request.headers", false); err != nil {
		return nil, err
	}
	if r.Cookies, err = b.readCollection(src, reqCookies, orig.Cookies, "request.cookies", false); err != nil {
		return nil, err
	}
	return r, nil
}

func (b *bridge) readCollection(src requestSource, i int, orig Values, path string, cookies bool) (Values, error) {
	v, touched := src.field(i)
	if !touched {
		return orig, nil
	}
	if isAbsent(v) {
		return nil, nil
	}
	vs, _, err := b.readValues(v, path, cookies)
	return vs, err
}

// isOriginal reports whether v is the bridged object over the Go collection orig.
func (b *bridge) isOriginal(v goja.Value, orig Values) bool {
	vo, ok := b.handlerOf(v).(*valuesObject)
	return ok && len(vo.src) == len(orig) && (len(orig) == 0 || &vo.src[0] == &orig[0])
}

// responseSource is the returned response: the bridged event.response or any other object.
type responseSource struct {
	obj   *responseObject
	plain *goja.Object
}

func (s responseSource) field(i int) (goja.Value, bool) {
	if s.obj != nil {
		return s.obj.props.state(i)
	}
	return s.plain.Get(responseFields[i]), true
}

func (b *bridge) readResponse(src responseSource) (*Response, error) {
	var orig *Response
	if src.obj != nil {
		orig = src.obj.src
	}
	r := b.outResp
	if r == nil {
		r = &Response{}
	}
	*r = Response{}
	var err error

	v, touched := src.field(respStatusCode)
	switch {
	case !touched:
		r.StatusCode = orig.StatusCode
	case isAbsent(v):
		return nil, invalid("response.statusCode is missing")
	default:
		if r.StatusCode, err = statusCodeOf(v); err != nil {
			return nil, err
		}
	}

	v, touched = src.field(respStatusDescription)
	switch {
	case !touched:
		r.StatusDescription = orig.StatusDescription
	case isAbsent(v):
	default:
		if r.StatusDescription, err = stringOf(v, fixedPath("response.statusDescription")); err != nil {
			return nil, err
		}
	}

	for _, c := range []struct {
		i       int
		dst     *Values
		orig    func() Values
		path    string
		cookies bool
	}{
		{respHeaders, &r.Headers, func() Values { return orig.Headers }, "response.headers", false},
		{respCookies, &r.Cookies, func() Values { return orig.Cookies }, "response.cookies", true},
	} {
		v, touched := src.field(c.i)
		switch {
		case !touched:
			*c.dst = c.orig()
		case isAbsent(v):
		default:
			if *c.dst, _, err = b.readValues(v, c.path, c.cookies); err != nil {
				return nil, err
			}
		}
	}

	v, touched = src.field(respBody)
	switch {
	case !touched:
		if orig != nil {
			r.Body = orig.Body
		}
	case isAbsent(v):
	default:
		if r.Body, err = bodyOf(v); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readValues reads a headers/cookies/querystring object. changed is false when v is a bridged
// collection the function did not modify.
func (b *bridge) readValues(v goja.Value, path string, cookies bool) (Values, bool, error) {
	if vo, ok := b.handlerOf(v).(*valuesObject); ok {
		vs, err := b.readOverlay(vo, path, cookies)
		return vs, len(vo.overlay) > 0, err
	}
	obj, ok := v.(*goja.Object)
	if !ok || isFunction(obj) || obj.ClassName() == "Array" {
		return nil, true, invalid("%s must be an object, not %s", path, describeJS(v))
	}
	keys := obj.Keys()
	vs := make(Values, 0, len(keys))
	for _, k := range keys {
		val, keep, err := b.readValue(obj.Get(k), vpath{coll: path, name: k, item: -1}, cookies, nil)
		if err != nil {
			return nil, true, err
		}
		if keep {
			vs = append(vs, Field{Name: k, Value: val})
		}
	}
	return vs, true, nil
}

// readOverlay merges a bridged collection's changes into its Go values, in JS key order.
func (b *bridge) readOverlay(vo *valuesObject, path string, cookies bool) (Values, error) {
	if len(vo.overlay) == 0 {
		return vo.src, nil
	}
	out := make(Values, 0, len(vo.src)+len(vo.overlay))
	for i := range vo.src {
		e := vo.entryFor(i)
		switch {
		case e == nil:
			out = append(out, vo.src[i])
		case e.deleted:
		default:
			val, keep, err := b.readValue(e.val, vpath{coll: path, name: e.name, item: -1}, cookies, &vo.src[i].Value)
			if err != nil {
				return nil, err
			}
			if keep {
				out = append(out, Field{Name: e.name, Value: val})
			}
		}
	}
	for _, e := range vo.overlay {
		if e.orig >= 0 || e.deleted {
			continue
		}
		val, keep, err := b.readValue(e.val, vpath{coll: path, name: e.name, item: -1}, cookies, nil)
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, Field{Name: e.name, Value: val})
		}
	}
	return out, nil
}

// entryFor returns the live or deleted overlay entry of src[i], or nil if untouched.
func (v *valuesObject) entryFor(i int) *overlayEntry {
	var found *overlayEntry
	for k := range v.overlay {
		if e := &v.overlay[k]; e.orig == i {
			found = e
			if e.deleted {
				return e
			}
		}
	}
	return found
}

// readValue reads one {value, attributes?, multiValue?} object and applies the multiValue
// write-back rule (spec §9.4) against orig, the value the function received (nil for a new
// name): a changed multiValue wins; otherwise a changed value replaces the first occurrence.
// keep is false when the function emptied multiValue: the name then has no value left.
func (b *bridge) readValue(jv goja.Value, path vpath, cookies bool, orig *Value) (Value, bool, error) {
	obj, ok := jv.(*goja.Object)
	if !ok || isFunction(obj) {
		return Value{}, false, invalid(`%s must be an object with a string "value", not %s`, path, describeJS(jv))
	}
	var out Value
	var err error
	mvJS := obj.Get("multiValue")
	var mv []MultiValueItem
	hasMV := !isAbsent(mvJS)
	if hasMV {
		if mv, err = b.readMultiValue(mvJS, path, cookies); err != nil {
			return Value{}, false, err
		}
	}
	valJS := obj.Get("value")
	switch {
	case !isAbsent(valJS):
		if out.Value, err = stringOf(valJS, path.leaf(".value")); err != nil {
			return Value{}, false, err
		}
	case !hasMV || len(mv) == 0:
		return Value{}, false, invalid(`%s must be an object with a string "value"`, path)
	default:
		out.Value = mv[0].Value
	}
	if cookies {
		if a := obj.Get("attributes"); !isAbsent(a) {
			if out.Attributes, err = stringOf(a, path.leaf(".attributes")); err != nil {
				return Value{}, false, err
			}
		}
	}
	if !hasMV {
		return out, true, nil
	}
	if orig != nil && orig.MultiValue != nil && sameItems(mv, orig.MultiValue) {
		if out.Value == orig.Value && out.Attributes == orig.Attributes {
			return *orig, true, nil
		}
		mv[0] = MultiValueItem{Value: out.Value, Attributes: out.Attributes}
		out.MultiValue = mv
		return out, true, nil
	}
	if len(mv) == 0 {
		return Value{}, false, nil
	}
	return Value{Value: mv[0].Value, Attributes: mv[0].Attributes, MultiValue: mv}, true, nil
}

func (b *bridge) readMultiValue(v goja.Value, valuePath vpath, cookies bool) ([]MultiValueItem, error) {
	path := valuePath.leaf(".multiValue")
	arr, ok := v.(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		return nil, invalid("%s must be an array, not %s", path, describeJS(v))
	}
	n := arr.Get("length").ToInteger()
	if n > math.MaxInt32 {
		return nil, invalid("%s is too long", path)
	}
	items := make([]MultiValueItem, 0, n)
	for i := int64(0); i < n; i++ {
		ip := valuePath.at(int(i))
		item, ok := arr.Get(strconv.FormatInt(i, 10)).(*goja.Object)
		if !ok {
			return nil, invalid(`%s must be an object with a string "value"`, ip)
		}
		var it MultiValueItem
		var err error
		if it.Value, err = stringOf(item.Get("value"), ip.leaf(".value")); err != nil {
			return nil, err
		}
		if cookies {
			if a := item.Get("attributes"); !isAbsent(a) {
				if it.Attributes, err = stringOf(a, ip.leaf(".attributes")); err != nil {
					return nil, err
				}
			}
		}
		items = append(items, it)
	}
	return items, nil
}

func sameItems(a, b []MultiValueItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func statusCodeOf(v goja.Value) (int, error) {
	var f float64
	var n any
	if _, isObj := v.(*goja.Object); !isObj {
		n = v.Export()
	}
	switch n := n.(type) {
	case int64:
		f = float64(n)
	case float64:
		f = n
	default:
		return 0, invalid("response.statusCode must be a number, not %s", describeJS(v))
	}
	if f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, invalid("response.statusCode must be an integer from 100 to 599, not %s", v.String())
	}
	return int(f), nil
}

// bodyOf reads response.body: a string (text) or {encoding: "text"|"base64", data} (spec §9.3).
func bodyOf(v goja.Value) (*Body, error) {
	if s, ok := primitiveString(v); ok {
		return &Body{Encoding: BodyText, Data: s}, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || isFunction(obj) {
		return nil, invalid("response.body must be a string or an object {encoding, data}, not %s", describeJS(v))
	}
	body := &Body{Encoding: BodyText}
	var err error
	if e := obj.Get("encoding"); !isAbsent(e) {
		if body.Encoding, err = stringOf(e, fixedPath("response.body.encoding")); err != nil {
			return nil, err
		}
	}
	if body.Encoding != BodyText && body.Encoding != BodyBase64 {
		return nil, invalid(`response.body.encoding must be "text" or "base64", not %s`, quoteJS(body.Encoding))
	}
	if body.Data, err = stringOf(obj.Get("data"), fixedPath("response.body.data")); err != nil {
		return nil, err
	}
	if body.Encoding == BodyBase64 {
		if _, err := base64.StdEncoding.DecodeString(body.Data); err != nil {
			return nil, invalid("response.body.data is not valid base64")
		}
	}
	return body, nil
}

// stringOf is generic so that building the path (a value) costs nothing unless it fails.
func stringOf[P fmt.Stringer](v goja.Value, path P) (string, error) {
	if s, ok := primitiveString(v); ok {
		return s, nil
	}
	return "", invalid("%s must be a string, not %s", path, describeJS(v))
}

func isAbsent(v goja.Value) bool { return v == nil || goja.IsUndefined(v) || goja.IsNull(v) }

func isFunction(obj *goja.Object) bool {
	_, ok := goja.AssertFunction(obj)
	return ok
}

// describeJS names a JS value's type for validation messages.
func describeJS(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if obj, ok := v.(*goja.Object); ok {
		switch {
		case isFunction(obj):
			return "a function"
		case obj.ClassName() == "Array":
			return "an array"
		}
		return "an object"
	}
	switch v.Export().(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return "a " + v.ExportType().String()
}

// vpath names a place in the returned object for validation messages, built only when a
// message needs it: coll["name"] or coll["name"].multiValue[item], plus a leaf (".value").
type vpath struct {
	coll, name string
	item       int // index in multiValue, or -1
	suffix     string
}

func (p vpath) leaf(s string) vpath { p.suffix = s; return p }
func (p vpath) at(i int) vpath      { p.item = i; return p }

func (p vpath) String() string {
	s := p.coll + "[" + quoteJS(p.name) + "]"
	if p.item >= 0 {
		s += ".multiValue[" + strconv.Itoa(p.item) + "]"
	}
	return s + p.suffix
}

// fixedPath is a message path that needs no building.
type fixedPath string

func (p fixedPath) String() string { return string(p) }

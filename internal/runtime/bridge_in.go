package runtime

import (
	"github.com/dop251/goja"
)

// The event bridge, Go → JS. The event, its request and response, and their headers, cookies
// and query parameters are goja dynamic objects over the Go data: nothing is converted until
// the function reads it, and what it never touches goes back to Go without a round trip.
// They behave as plain objects: Object.keys, for-in, `in`, delete, JSON.stringify, new and
// replaced properties all work, because every read and write goes through the handlers below
// and writes are kept as JS values until the result is read back (bridge_out.go).
// Known limit: Object.freeze/seal/preventExtensions on them throw a TypeError.

// bridge is the per-invocation state of the event bridge.
type bridge struct {
	vm       *goja.Runtime
	event    *Event
	reqProto *goja.Object // prototype of event.request: has rawQueryString() in 2.0; nil in 1.0
	objects  []bridged    // dynamic objects used in this invocation, to recognise them on return
	// Storage for this invocation's event, request and response objects: the bridge is
	// reset for each run, and nothing of a run outlives it (stateless.go, shared.go), so the
	// memory is reused rather than allocated per run.
	evObj   eventObject
	reqObj  requestObject
	respObj responseObject
	args    [1]goja.Value // the handler's argument
	// The JS objects over evObj, reqObj and respObj, made once per VM: a run cannot keep a
	// reference past its end (the same premise as reusing the VM), and their only state of
	// their own, the prototype, is reset by reuse.
	evJS, reqJS, respJS *goja.Object
	objectProto         *goja.Object // Object.prototype, the default prototype
	colls               *collections // the VM's collection objects (vmState.colls), kept the same way

	// The read-back: ret is what the handler returned, read what readResult made of it;
	// outReq and outResp are the caller's storage for the Request or Response read.
	ret     goja.Value
	read    readBack
	outReq  *Request
	outResp *Response
}

type readBack struct {
	kind ResultKind
	req  *Request
	resp *Response
	err  error
}

type bridged struct {
	obj     *goja.Object
	handler any // *requestObject, *responseObject or *valuesObject
}

// reuse returns *slot, the per-VM object over d, made on first use, with its prototype
// reset to proto (nil: Object.prototype) in case the last run changed it.
func (b *bridge) reuse(slot **goja.Object, h any, d goja.DynamicObject, proto *goja.Object) *goja.Object {
	obj := *slot
	if obj == nil {
		obj = b.vm.NewDynamicObject(d)
		*slot = obj
		if b.objectProto == nil {
			b.objectProto = obj.Prototype()
		}
	}
	if proto == nil {
		proto = b.objectProto
	}
	if obj.Prototype() != proto {
		_ = obj.SetPrototype(proto)
	}
	b.objects = append(b.objects, bridged{obj: obj, handler: h})
	return obj
}

// handlerOf returns the bridge handler behind a JS value, or nil for any other value.
func (b *bridge) handlerOf(v goja.Value) any {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	for i := range b.objects {
		if b.objects[i].obj == obj {
			return b.objects[i].handler
		}
	}
	return nil
}

func (b *bridge) str(s string) goja.Value { return b.vm.ToValue(s) }

// eventJS builds the JS event object.
func (b *bridge) eventJS() goja.Value {
	e := &b.evObj
	e.b = b
	return b.reuse(&b.evJS, e, e, nil)
}

// eventObject is the JS event: version, context, viewer, request, response.
type eventObject struct {
	b     *bridge
	props fieldSet
}

var eventFields = []string{"version", "context", "viewer", "request", "response"}

func (e *eventObject) hasField(i int) bool {
	return i != 4 || e.b.event.Response != nil
}

func (e *eventObject) make(i int) goja.Value {
	ev := e.b.event
	vm := e.b.vm
	switch i {
	case 0:
		return e.b.str(ev.Version)
	case 1:
		o := vm.NewObject()
		c := ev.Context
		if c.DistributionDomainName != "" || c.Endpoint == "" {
			_ = o.Set("distributionDomainName", c.DistributionDomainName)
		}
		if c.Endpoint != "" {
			_ = o.Set("endpoint", c.Endpoint)
		}
		_ = o.Set("distributionId", c.DistributionID)
		_ = o.Set("eventType", c.EventType)
		_ = o.Set("requestId", c.RequestID)
		return o
	case 2:
		o := vm.NewObject()
		_ = o.Set("ip", ev.Viewer.IP)
		return o
	case 3:
		r := &e.b.reqObj
		*r = requestObject{b: e.b, src: ev.Request}
		return e.b.reuse(&e.b.reqJS, r, r, e.b.reqProto)
	default:
		r := &e.b.respObj
		*r = responseObject{b: e.b, src: ev.Response}
		return e.b.reuse(&e.b.respJS, r, r, nil)
	}
}

func (e *eventObject) Get(k string) goja.Value {
	return e.props.get(k, eventFields, e.hasField, e.make)
}
func (e *eventObject) Set(k string, v goja.Value) bool {
	e.props.set(k, v, eventFields)
	return true
}
func (e *eventObject) Has(k string) bool { return e.props.has(k, eventFields, e.hasField) }
func (e *eventObject) Delete(k string) bool {
	e.props.del(k, eventFields)
	return true
}
func (e *eventObject) Keys() []string { return e.props.keys(eventFields, e.hasField) }

// requestObject is event.request (spec §9.2).
type requestObject struct {
	b     *bridge
	src   *Request
	props fieldSet
}

var requestFields = []string{"method", "uri", "querystring", "headers", "cookies"}

const (
	reqMethod = iota
	reqURI
	reqQuerystring
	reqHeaders
	reqCookies
)

func always(int) bool { return true }

func (r *requestObject) make(i int) goja.Value {
	switch i {
	case reqMethod:
		return r.b.str(r.src.Method)
	case reqURI:
		return r.b.str(r.src.URI)
	case reqQuerystring:
		return r.b.valuesJS(collReqQuerystring, r.src.Querystring, false)
	case reqHeaders:
		return r.b.valuesJS(collReqHeaders, r.src.Headers, false)
	default:
		return r.b.valuesJS(collReqCookies, r.src.Cookies, false)
	}
}

func (r *requestObject) Get(k string) goja.Value {
	return r.props.get(k, requestFields, always, r.make)
}
func (r *requestObject) Set(k string, v goja.Value) bool {
	r.props.set(k, v, requestFields)
	return true
}
func (r *requestObject) Has(k string) bool { return r.props.has(k, requestFields, always) }
func (r *requestObject) Delete(k string) bool {
	r.props.del(k, requestFields)
	return true
}
func (r *requestObject) Keys() []string { return r.props.keys(requestFields, always) }

// responseObject is event.response (spec §9.3).
type responseObject struct {
	b     *bridge
	src   *Response
	props fieldSet
}

var responseFields = []string{"statusCode", "statusDescription", "headers", "cookies", "body"}

const (
	respStatusCode = iota
	respStatusDescription
	respHeaders
	respCookies
	respBody
)

func (r *responseObject) hasField(i int) bool { return i != respBody || r.src.Body != nil }

func (r *responseObject) make(i int) goja.Value {
	switch i {
	case respStatusCode:
		return r.b.vm.ToValue(r.src.StatusCode)
	case respStatusDescription:
		return r.b.str(r.src.StatusDescription)
	case respHeaders:
		return r.b.valuesJS(collRespHeaders, r.src.Headers, false)
	case respCookies:
		return r.b.valuesJS(collRespCookies, r.src.Cookies, true)
	default:
		o := r.b.vm.NewObject()
		_ = o.Set("encoding", r.src.Body.Encoding)
		_ = o.Set("data", r.src.Body.Data)
		return o
	}
}

func (r *responseObject) Get(k string) goja.Value {
	return r.props.get(k, responseFields, r.hasField, r.make)
}
func (r *responseObject) Set(k string, v goja.Value) bool {
	r.props.set(k, v, responseFields)
	return true
}
func (r *responseObject) Has(k string) bool { return r.props.has(k, responseFields, r.hasField) }
func (r *responseObject) Delete(k string) bool {
	r.props.del(k, responseFields)
	return true
}
func (r *responseObject) Keys() []string { return r.props.keys(responseFields, r.hasField) }

// fieldSet holds the JS side of an object with a fixed list of known fields (made from the Go
// data on first read) plus any other properties the function adds, in insertion order.
type fieldSet struct {
	vals    [5]goja.Value // known fields read or written so far
	valid   uint8         // bit i: vals[i] is the field's current value
	deleted uint8         // bit i: field i was deleted
	extra   []extraProp
}

type extraProp struct {
	name string
	val  goja.Value
}

func fieldIndex(k string, names []string) int {
	for i, n := range names {
		if n == k {
			return i
		}
	}
	return -1
}

func (f *fieldSet) extraIndex(k string) int {
	for i := range f.extra {
		if f.extra[i].name == k {
			return i
		}
	}
	return -1
}

func (f *fieldSet) get(k string, names []string, present func(int) bool, make func(int) goja.Value) goja.Value {
	if i := fieldIndex(k, names); i >= 0 {
		bit := uint8(1) << i
		if f.valid&bit != 0 {
			return f.vals[i]
		}
		if f.deleted&bit != 0 || !present(i) {
			return nil
		}
		f.vals[i] = make(i)
		f.valid |= bit
		return f.vals[i]
	}
	if j := f.extraIndex(k); j >= 0 {
		return f.extra[j].val
	}
	return nil
}

func (f *fieldSet) set(k string, v goja.Value, names []string) {
	if i := fieldIndex(k, names); i >= 0 {
		bit := uint8(1) << i
		f.vals[i] = v
		f.valid |= bit
		f.deleted &^= bit
		return
	}
	if j := f.extraIndex(k); j >= 0 {
		f.extra[j].val = v
		return
	}
	f.extra = append(f.extra, extraProp{name: k, val: v})
}

func (f *fieldSet) has(k string, names []string, present func(int) bool) bool {
	if i := fieldIndex(k, names); i >= 0 {
		bit := uint8(1) << i
		return f.valid&bit != 0 || (f.deleted&bit == 0 && present(i))
	}
	return f.extraIndex(k) >= 0
}

func (f *fieldSet) del(k string, names []string) {
	if i := fieldIndex(k, names); i >= 0 {
		bit := uint8(1) << i
		f.vals[i] = nil
		f.valid &^= bit
		f.deleted |= bit
		return
	}
	if j := f.extraIndex(k); j >= 0 {
		f.extra = append(f.extra[:j], f.extra[j+1:]...)
	}
}

func (f *fieldSet) keys(names []string, present func(int) bool) []string {
	out := make([]string, 0, len(names)+len(f.extra))
	for i, n := range names {
		bit := uint8(1) << i
		if f.valid&bit != 0 || (f.deleted&bit == 0 && present(i)) {
			out = append(out, n)
		}
	}
	for _, e := range f.extra {
		out = append(out, e.name)
	}
	return out
}

// state reports a known field's JS state for the read-back: set (v is its value), deleted, or
// untouched (still the Go data).
func (f *fieldSet) state(i int) (v goja.Value, touched bool) {
	bit := uint8(1) << i
	if f.valid&bit != 0 {
		return f.vals[i], true
	}
	if f.deleted&bit != 0 {
		return nil, true
	}
	return nil, false
}

// valuesObject is a headers, cookies or querystring object over an ordered Values list.
// Entries become plain JS objects ({value, attributes?, multiValue?}) when first read; writes
// and deletes are recorded in the overlay, in order, until the read-back.
type valuesObject struct {
	b       *bridge
	src     Values
	cookies bool // response cookies: entries carry attributes
	overlay []overlayEntry
}

type overlayEntry struct {
	name    string
	val     goja.Value // nil when deleted
	orig    int        // index in src, or -1 for a name the function added
	deleted bool
}

// The event's collections, each with a valuesObject and its JS object kept per VM (bridge.colls).
const (
	collReqQuerystring = iota
	collReqHeaders
	collReqCookies
	collRespHeaders
	collRespCookies
	numColls
)

// collections are the objects over the event's collections (headers, cookies, querystring),
// one per slot, and their JS objects, kept per VM with their overlays' room.
type collections struct {
	vals [numColls]valuesObject
	js   [numColls]*goja.Object
	used uint8 // bit i: slot i was made in this run
}

// valuesJS returns the JS object over a collection of the event: the slot's per-VM object,
// reused with its overlay's room on the premise that lets the event's own objects be reused
// (nothing of a run outlives it). Each slot is made at most once a run: the event, request
// and response objects make each of their fields once.
func (b *bridge) valuesJS(slot int, src Values, cookies bool) goja.Value {
	b.colls.used |= 1 << slot
	v := &b.colls.vals[slot]
	*v = valuesObject{b: b, src: src, cookies: cookies, overlay: v.overlay[:0]}
	return b.reuse(&b.colls.js[slot], v, v, nil)
}

// forgetColls lets go of what the collections made in a run held at its end, keeping their
// overlays' room.
func (b *bridge) forgetColls() {
	for i := range b.colls.vals {
		if b.colls.used&(1<<i) == 0 {
			continue
		}
		v := &b.colls.vals[i]
		clear(v.overlay[:cap(v.overlay)])
		v.b, v.src, v.overlay = nil, nil, v.overlay[:0]
	}
	b.colls.used = 0
}

// record appends an overlay entry. The first one makes room for a few more: functions that
// touch a collection usually read or set several names.
func (v *valuesObject) record(e overlayEntry) {
	if v.overlay == nil {
		v.overlay = make([]overlayEntry, 0, 4)
	}
	v.overlay = append(v.overlay, e)
}

// live returns the overlay entry holding name's current value, or -1.
func (v *valuesObject) live(name string) int {
	for i := range v.overlay {
		if e := &v.overlay[i]; e.name == name && !e.deleted {
			return i
		}
	}
	return -1
}

// origState returns name's index in src and whether the function deleted it.
func (v *valuesObject) origState(name string) (idx int, deleted bool) {
	idx = v.src.index(name)
	if idx < 0 {
		return -1, false
	}
	for i := range v.overlay {
		if e := &v.overlay[i]; e.orig == idx && e.deleted {
			return idx, true
		}
	}
	return idx, false
}

func (v *valuesObject) Get(name string) goja.Value {
	if i := v.live(name); i >= 0 {
		return v.overlay[i].val
	}
	idx, deleted := v.origState(name)
	if idx < 0 || deleted {
		return nil
	}
	val := v.b.valueJS(&v.src[idx].Value, v.cookies)
	v.record(overlayEntry{name: name, val: val, orig: idx})
	return val
}

func (v *valuesObject) Set(name string, val goja.Value) bool {
	if i := v.live(name); i >= 0 {
		v.overlay[i].val = val
		return true
	}
	idx, deleted := v.origState(name)
	if deleted { // re-added after delete: it moves to the end, as on a plain object
		idx = -1
	}
	v.record(overlayEntry{name: name, val: val, orig: idx})
	return true
}

func (v *valuesObject) Has(name string) bool {
	if v.live(name) >= 0 {
		return true
	}
	idx, deleted := v.origState(name)
	return idx >= 0 && !deleted
}

func (v *valuesObject) Delete(name string) bool {
	if i := v.live(name); i >= 0 {
		e := &v.overlay[i]
		if e.orig < 0 {
			v.overlay = append(v.overlay[:i], v.overlay[i+1:]...)
			return true
		}
		e.val, e.deleted = nil, true
		return true
	}
	if idx, deleted := v.origState(name); idx >= 0 && !deleted {
		v.record(overlayEntry{name: name, orig: idx, deleted: true})
	}
	return true
}

func (v *valuesObject) Keys() []string {
	out := make([]string, 0, len(v.src)+len(v.overlay))
	for i := range v.src {
		if !v.origDeleted(i) {
			out = append(out, v.src[i].Name)
		}
	}
	for _, e := range v.overlay {
		if e.orig < 0 && !e.deleted {
			out = append(out, e.name)
		}
	}
	return out
}

func (v *valuesObject) origDeleted(i int) bool {
	for k := range v.overlay {
		if e := &v.overlay[k]; e.orig == i && e.deleted {
			return true
		}
	}
	return false
}

// valueJS makes the plain JS object for one value: {value, attributes, multiValue}.
func (b *bridge) valueJS(v *Value, cookies bool) goja.Value {
	o := b.vm.NewObject()
	_ = o.Set("value", v.Value)
	if cookies {
		_ = o.Set("attributes", v.Attributes)
	}
	if v.MultiValue != nil {
		items := make([]any, len(v.MultiValue))
		for i, m := range v.MultiValue {
			item := b.vm.NewObject()
			_ = item.Set("value", m.Value)
			if cookies {
				_ = item.Set("attributes", m.Attributes)
			}
			items[i] = item
		}
		_ = o.Set("multiValue", b.vm.NewArray(items...))
	}
	return o
}

package jsenv

import (
	"math"

	"github.com/dop251/goja"
)

// Runtime 1.0 keeps njs's byte strings (§10.3): JS strings whose code units are bytes
// 0–255. njs marks them internally; goja strings carry no such mark, so a string counts as
// a byte string when all its code units are below 0x80 (ASCII reads the same either way) or
// when this VM produced it as one (bytesFrom, toBytes, toUTF8, digest()). The registry
// remembers those by content so that, e.g., an HMAC key taken from an earlier digest() is
// hashed as raw bytes, not re-encoded as UTF-8 — the SigV4 signing-key chain depends on it.
type byteStringRegistry struct {
	seen  map[string]struct{}
	bytes int
}

// Registry bounds: when exceeded it starts over; an evicted string then reads as text.
const (
	maxRegistryEntries = 1024
	maxRegistryBytes   = 1 << 20
)

func (r *byteStringRegistry) add(b []byte) {
	if r.seen == nil || len(r.seen) >= maxRegistryEntries || r.bytes+len(b) > maxRegistryBytes {
		r.seen, r.bytes = make(map[string]struct{}), 0
	}
	if len(b) > maxRegistryBytes {
		return
	}
	r.seen[string(b)] = struct{}{}
	r.bytes += len(b)
}

func (r *byteStringRegistry) has(b []byte) bool {
	_, ok := r.seen[string(b)]
	return ok
}

// latin1Bytes returns the code units of s as bytes, or ok=false if one is above 0xFF.
// high reports whether any unit is 0x80 or above.
func latin1Bytes(s goja.String) (b []byte, high, ok bool) {
	n := s.Length()
	b = make([]byte, n)
	for i := range n {
		c := s.CharAt(i)
		if c > 0xFF {
			return nil, false, false
		}
		if c >= 0x80 {
			high = true
		}
		b[i] = byte(c)
	}
	return b, high, true
}

// makeByteString builds a byte string from b and remembers it.
func (e *env) makeByteString(b []byte) goja.Value {
	u := make([]uint16, len(b))
	high := false
	for i, c := range b {
		u[i] = uint16(c)
		if c >= 0x80 {
			high = true
		}
	}
	if high && e.byteStrings != nil {
		e.byteStrings.add(b)
	}
	return e.vm.ToValue(goja.StringFromUTF16(u))
}

// byteStringBytes returns the bytes of s when s is a byte string in the sense above.
func (e *env) byteStringBytes(s goja.String) ([]byte, bool) {
	b, high, ok := latin1Bytes(s)
	if !ok {
		return nil, false
	}
	if !high {
		return b, true
	}
	if e.byteStrings != nil && e.byteStrings.has(b) {
		return b, true
	}
	return nil, false
}

func (e *env) installByteStrings() {
	strCtor := e.vm.GlobalObject().Get("String").(*goja.Object)
	proto := strCtor.Get("prototype").(*goja.Object)
	e.byteStrings = &byteStringRegistry{}

	e.method(strCtor, "bytesFrom", 2, e.stringBytesFrom)
	e.method(proto, "fromBytes", 2, func(c goja.FunctionCall) goja.Value {
		return e.thisSlice(c, "fromBytes")
	})
	e.method(proto, "fromUTF8", 2, e.stringFromUTF8)
	e.method(proto, "toBytes", 2, func(c goja.FunctionCall) goja.Value {
		sub := e.thisSlice(c, "toBytes")
		b, _, ok := latin1Bytes(sub)
		if !ok {
			return goja.Null()
		}
		return e.makeByteString(b)
	})
	e.method(proto, "toUTF8", 2, e.stringToUTF8)
}

// thisSlice converts This to a string and slices it like String.prototype.slice.
func (e *env) thisSlice(c goja.FunctionCall, method string) goja.String {
	if isNullish(c.This) {
		e.typeError("String.prototype." + method + " called on null or undefined")
	}
	s := toStr(c.This)
	n := s.Length()
	start := relIndex(arg(c, 0), n, 0)
	end := relIndex(arg(c, 1), n, n)
	if end < start {
		end = start
	}
	return s.Substring(start, end)
}

func (e *env) stringBytesFrom(c goja.FunctionCall) goja.Value {
	v := arg(c, 0)
	if s, ok := v.(goja.String); ok {
		enc, ok := arg(c, 1).(goja.String)
		if !ok {
			e.typeError(`"encoding" must be a string`)
		}
		text := s.String()
		switch name := enc.String(); name {
		case encHex:
			return e.makeByteString(decodeHex(text))
		case encBase64, encBase64URL:
			return e.makeByteString(decodeBase64Prefix(text, name == encBase64URL))
		default:
			e.typeError(`Unknown encoding: "` + name + `"`)
		}
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		e.typeError("value must be a string or array-like object")
	}
	n := lengthOf(obj)
	e.checkStringSize(n)
	b := make([]byte, int(n))
	for i := range b {
		b[i] = toByte(obj.Get(itoa(i)))
	}
	return e.makeByteString(b)
}

// toByte is ToInt32(v) & 0xFF, as njs stores array elements into a byte string.
func toByte(v goja.Value) byte {
	if v == nil {
		return 0
	}
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	m := math.Mod(math.Trunc(f), 256)
	if m < 0 {
		m += 256
	}
	return byte(m)
}

func (e *env) stringFromUTF8(c goja.FunctionCall) goja.Value {
	sub := e.thisSlice(c, "fromUTF8")
	b, _, ok := latin1Bytes(sub)
	if !ok {
		return sub // already text (njs: a UTF-8 string is returned as it is)
	}
	s, ok := decodeUTF8(b, true)
	if !ok {
		return goja.Null()
	}
	return e.vm.ToValue(s)
}

func (e *env) stringToUTF8(c goja.FunctionCall) goja.Value {
	if isNullish(c.This) {
		e.typeError("String.prototype.toUTF8 called on null or undefined")
	}
	s := toStr(c.This)
	b, isBytes := e.byteStringBytes(s)
	if !isBytes {
		b = []byte(utf8Of(s))
	}
	n := len(b)
	start := relIndex(arg(c, 0), n, 0)
	end := relIndex(arg(c, 1), n, n)
	if end < start {
		end = start
	}
	return e.makeByteString(b[start:end])
}

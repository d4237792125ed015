package jsenv

import (
	"bytes"
	"strconv"

	"github.com/dop251/goja"
)

func (e *env) installBufferProto(proto *goja.Object) {
	vm := e.vm
	e.method(proto, "compare", 5, e.bufCompare)
	e.method(proto, "copy", 4, e.bufCopy)
	e.method(proto, "equals", 1, func(c goja.FunctionCall) goja.Value {
		a := e.thisBytes(c)
		b := e.u8Arg(arg(c, 0), "target")
		return vm.ToValue(bytes.Equal(a, b))
	})
	e.method(proto, "fill", 4, e.bufFill)
	e.method(proto, "includes", 3, func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(e.bufIndexOf(c, false) >= 0)
	})
	e.method(proto, "indexOf", 3, func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(e.bufIndexOf(c, false))
	})
	e.method(proto, "lastIndexOf", 3, func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(e.bufIndexOf(c, true))
	})
	e.method(proto, "slice", 2, e.bufSubarray)
	e.method(proto, "subarray", 2, e.bufSubarray)
	for _, w := range []int{2, 4, 8} {
		e.method(proto, "swap"+itoa(w*8), 0, e.bufSwap(w))
	}
	e.method(proto, "toJSON", 0, func(c goja.FunctionCall) goja.Value {
		b := e.thisBytes(c)
		data := make([]any, len(b))
		for i, x := range b {
			data[i] = int64(x)
		}
		obj := vm.NewObject()
		_ = obj.Set("type", "Buffer")
		_ = obj.Set("data", vm.NewArray(data...))
		return obj
	})
	e.method(proto, "toString", 3, e.bufToString)
	e.method(proto, "write", 4, e.bufWrite)
	e.installBufferNumbers(proto)
}

// bufToString decodes [start, end) in an encoding. A negative start is njs's "invalid
// index"; a start past the end gives "".
func (e *env) bufToString(c goja.FunctionCall) goja.Value {
	b := e.thisBytes(c)
	enc := e.encodingArg(arg(c, 0))
	start, end := 0, len(b)
	if v := arg(c, 1); !goja.IsUndefined(v) {
		f := toInteger(v)
		if f < 0 {
			e.rangeError("invalid index")
		}
		start = clampInt(f, 0, len(b))
	}
	if v := arg(c, 2); !goja.IsUndefined(v) {
		end = clampInt(toInteger(v), 0, len(b))
	}
	if end < start {
		end = start
	}
	return e.vm.ToValue(e.bytesToString(b[start:end], enc))
}

func (e *env) bytesToString(b []byte, enc string) string {
	if enc == encUTF8 {
		s, _ := decodeUTF8(b, false)
		return s
	}
	return encodeBytes(b, enc)
}

// posArg reads a byte position for copy/compare/fill: undefined gives dflt, a negative
// value is njs's "invalid index", one past n is `"name" is out of range[: N]`.
func (e *env) posArg(v goja.Value, name string, n, dflt int, showValue bool) int {
	if v == nil || goja.IsUndefined(v) {
		return dflt
	}
	f := toInteger(v)
	if f < 0 {
		e.rangeError("invalid index")
	}
	if f > float64(n) {
		msg := `"` + name + `" is out of range`
		if showValue {
			msg += ": " + strconv.FormatFloat(f, 'f', -1, 64)
		}
		e.rangeError(msg)
	}
	return int(f)
}

// bufCompare is buf.compare(target[, targetStart[, targetEnd[, sourceStart[, sourceEnd]]]]),
// with Node's answers for empty ranges.
func (e *env) bufCompare(c goja.FunctionCall) goja.Value {
	src := e.thisBytes(c)
	target := e.u8Arg(arg(c, 0), "target")
	ts := e.posArg(arg(c, 1), "targetStart", len(target), 0, true)
	te := e.posArg(arg(c, 2), "targetEnd", len(target), len(target), true)
	ss := e.posArg(arg(c, 3), "sourceStart", len(src), 0, true)
	se := e.posArg(arg(c, 4), "sourceEnd", len(src), len(src), true)
	switch {
	case ss >= se && ts >= te:
		return e.vm.ToValue(0)
	case ss >= se:
		return e.vm.ToValue(-1)
	case ts >= te:
		return e.vm.ToValue(1)
	}
	return e.vm.ToValue(bytes.Compare(src[ss:se], target[ts:te]))
}

// bufCopy is buf.copy(target[, targetStart[, sourceStart[, sourceEnd]]]); it returns the
// number of bytes copied.
func (e *env) bufCopy(c goja.FunctionCall) goja.Value {
	src := e.thisBytes(c)
	target := e.u8Arg(arg(c, 0), "target")
	ts := e.posArg(arg(c, 1), "targetStart", len(target), 0, true)
	ss := e.posArg(arg(c, 2), "sourceStart", len(src), 0, true)
	se := e.posArg(arg(c, 3), "sourceEnd", len(src), len(src), true)
	if se < ss {
		return e.vm.ToValue(0)
	}
	return e.vm.ToValue(copy(target[ts:], src[ss:se]))
}

// valueBytes turns a fill/indexOf value into the byte pattern it stands for: a string in
// an encoding, the bytes of a Uint8Array, or a number (booleans too) modulo 256. For
// indexOf other objects are refused; fill takes them as 0, as njs does.
func (e *env) valueBytes(v, enc goja.Value, strict bool) []byte {
	switch {
	case isString(v):
		return decodeText(utf8Of(v), e.encodingArg(enc))
	case isUint8Array(v):
		b, _ := e.viewBytes(v)
		return b
	}
	if _, isObj := v.(*goja.Object); isObj && strict {
		e.typeError(`"value" argument ` + e.typeName(v) + ` is not a string or Buffer-like object`)
	}
	return []byte{toByte(v)}
}

// bufFill implements fill(value[, offset[, end]][, encoding]).
func (e *env) bufFill(c goja.FunctionCall) goja.Value {
	b := e.thisBytes(c)
	offV, endV, encV := arg(c, 1), arg(c, 2), arg(c, 3)
	if isString(offV) {
		offV, endV, encV = goja.Undefined(), goja.Undefined(), offV
	} else if isString(endV) {
		endV, encV = goja.Undefined(), endV
	}
	start := e.posArg(offV, "offset", len(b), 0, false)
	end := e.posArg(endV, "end", len(b), len(b), false)
	if end > start {
		e.fillBytes(b[start:end], arg(c, 0), encV)
	}
	return c.This
}

// fillBytes repeats the value's bytes over b; an empty pattern fills with zeros.
func (e *env) fillBytes(b []byte, value, enc goja.Value) {
	pat := e.valueBytes(value, enc, false)
	if len(pat) == 0 {
		pat = []byte{0}
	}
	for i := 0; i < len(b); i += len(pat) {
		copy(b[i:], pat)
	}
}

// bufIndexOf searches for a string, byte or byte sequence from byteOffset (negative counts
// from the end), forward or, for lastIndexOf, backward.
func (e *env) bufIndexOf(c goja.FunctionCall, last bool) int {
	b := e.thisBytes(c)
	offV, encV := arg(c, 1), arg(c, 2)
	if isString(offV) {
		offV, encV = goja.Undefined(), offV
	}
	needle := e.valueBytes(arg(c, 0), encV, true)
	n := len(b)
	pos := 0
	if last {
		pos = n
	}
	if !goja.IsUndefined(offV) {
		f := toInteger(offV)
		if f < 0 {
			f += float64(n)
		}
		if f > float64(n) && !last {
			return -1
		}
		pos = clampInt(f, -1, n)
	}
	if last {
		if pos < 0 {
			return -1
		}
		end := min(pos+len(needle), n)
		return bytes.LastIndex(b[:end], needle)
	}
	if pos < 0 {
		pos = 0
	}
	if i := bytes.Index(b[pos:], needle); i >= 0 {
		return pos + i
	}
	return -1
}

// bufSubarray returns a Buffer sharing this one's memory (slice and subarray alike).
func (e *env) bufSubarray(c goja.FunctionCall) goja.Value {
	b := e.thisBytes(c)
	n := len(b)
	start := relIndex(arg(c, 0), n, 0)
	end := relIndex(arg(c, 1), n, n)
	if end < start {
		end = start
	}
	this := c.This.(*goja.Object)
	base := int(this.Get("byteOffset").ToInteger())
	return e.newBufferView(this.Get("buffer"), base+start, end-start)
}

func (e *env) bufSwap(width int) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		b := e.thisBytes(c)
		if len(b)%width != 0 {
			e.rangeError("Buffer size must be a multiple of " + itoa(width*8) + "-bits")
		}
		for i := 0; i < len(b); i += width {
			w := b[i : i+width]
			for l, r := 0, width-1; l < r; l, r = l+1, r-1 {
				w[l], w[r] = w[r], w[l]
			}
		}
		return c.This
	}
}

// bufWrite implements write(string[, offset[, length]][, encoding]); it returns the number
// of bytes written.
func (e *env) bufWrite(c goja.FunctionCall) goja.Value {
	b := e.thisBytes(c)
	s, ok := arg(c, 0).(goja.String)
	if !ok {
		e.typeError(`first argument must be a string`)
	}
	offV, lenV, encV := arg(c, 1), arg(c, 2), arg(c, 3)
	if isString(offV) {
		offV, lenV, encV = goja.Undefined(), goja.Undefined(), offV
	} else if isString(lenV) {
		lenV, encV = goja.Undefined(), lenV
	}
	enc := e.encodingArg(encV)
	off := 0
	if !goja.IsUndefined(offV) {
		f := toInteger(offV)
		if f < 0 || f > float64(len(b)) {
			e.rangeError(`"offset" is out of range`)
		}
		off = int(f)
	}
	room := len(b) - off
	if !goja.IsUndefined(lenV) {
		room = min(room, clampInt(toInteger(lenV), 0, room))
	}
	data := decodeText(utf8Of(s), enc)
	return e.vm.ToValue(copy(b[off:off+room], data))
}

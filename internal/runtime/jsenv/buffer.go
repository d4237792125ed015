package jsenv

import (
	"bytes"
	"fmt"
	"math"

	"github.com/dop251/goja"
)

// Buffer (2.0 only, §10.4) follows njs 0.7.9 (src/njs_buffer.c): instances are Uint8Arrays
// whose prototype is Buffer.prototype (itself inheriting from Uint8Array.prototype), so
// `Buffer.from('a') instanceof Uint8Array`; Buffer itself cannot be called or constructed;
// encodings are utf8 (alias utf-8), hex, base64 and base64url; methods inherited from
// Uint8Array that build new arrays (map, filter) return plain Uint8Arrays, as in njs.
const msgBufferNotCtor = "Buffer is not a constructor"

func (e *env) installBuffer() *goja.Object {
	vm := e.vm
	refuse := func() { e.typeError(msgBufferNotCtor) }
	buffer := e.newCtor("Buffer", 0,
		func([]goja.Value) goja.Value { refuse(); return nil },
		func(_, _ *goja.Object, _ []goja.Value) *goja.Object { refuse(); return nil })
	proto := vm.CreateObject(e.uint8ArrayCtor.Get("prototype").(*goja.Object))
	e.bufferCtor, e.bufferProto = buffer, proto
	_ = buffer.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	hidden(proto, "constructor", buffer)
	// njs: Object.prototype.toString.call(buf) is "[object Buffer]".
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("Buffer"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	e.method(buffer, "alloc", 3, e.bufferAlloc)
	e.method(buffer, "allocUnsafe", 1, e.bufferAllocUnsafe)
	e.method(buffer, "allocUnsafeSlow", 1, e.bufferAllocUnsafe)
	e.method(buffer, "byteLength", 2, e.bufferByteLength)
	e.method(buffer, "compare", 2, e.bufferCompare)
	e.method(buffer, "concat", 2, e.bufferConcat)
	e.method(buffer, "from", 3, func(c goja.FunctionCall) goja.Value {
		return e.bufferFrom(arg(c, 0), arg(c, 1), arg(c, 2))
	})
	e.method(buffer, "isBuffer", 1, func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(e.isBuffer(arg(c, 0)))
	})
	e.method(buffer, "isEncoding", 1, func(c goja.FunctionCall) goja.Value {
		s, ok := arg(c, 0).(goja.String)
		return vm.ToValue(ok && knownEncoding(s.String()))
	})
	e.installBufferProto(proto)
	return buffer
}

// newBuffer wraps b (not copied) in a new Buffer.
func (e *env) newBuffer(b []byte) *goja.Object {
	ab := e.vm.NewArrayBuffer(b)
	obj, err := e.vm.New(e.uint8ArrayCtor, e.vm.ToValue(ab))
	if err != nil {
		panic(err)
	}
	_ = obj.SetPrototype(e.bufferProto)
	return obj
}

// newBufferView makes a Buffer over part of an ArrayBuffer, sharing its memory.
func (e *env) newBufferView(ab goja.Value, offset, length int) *goja.Object {
	obj, err := e.vm.New(e.uint8ArrayCtor, ab, e.vm.ToValue(offset), e.vm.ToValue(length))
	if err != nil {
		panic(err)
	}
	_ = obj.SetPrototype(e.bufferProto)
	return obj
}

func (e *env) isBuffer(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	if !ok || !isUint8Array(obj) {
		return false
	}
	for p := obj.Prototype(); p != nil; p = p.Prototype() {
		if p.SameAs(e.bufferProto) {
			return true
		}
	}
	return false
}

// encodingArg reads an optional encoding argument: undefined means utf8, a non-string is a
// TypeError, and an unknown name is njs's "... encoding is not supported".
func (e *env) encodingArg(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) {
		return encUTF8
	}
	s, ok := v.(goja.String)
	if !ok {
		e.typeError("encoding must be a string")
	}
	name := s.String()
	if !knownEncoding(name) {
		e.typeError(`"` + name + `" encoding is not supported`)
	}
	if name == "utf-8" {
		return encUTF8
	}
	return name
}

// thisBytes returns the memory of This, which must be a Uint8Array (Buffer or not).
func (e *env) thisBytes(c goja.FunctionCall) []byte {
	if !isUint8Array(c.This) {
		e.typeError(`"this" argument must be an instance of Buffer or Uint8Array`)
	}
	b, _ := e.viewBytes(c.This)
	return b
}

// u8Arg returns the memory of a Uint8Array argument or throws njs's text naming it.
func (e *env) u8Arg(v goja.Value, what string) []byte {
	if !isUint8Array(v) {
		e.typeError(`"` + what + `" argument must be an instance of Buffer or Uint8Array`)
	}
	b, _ := e.viewBytes(v)
	return b
}

func (e *env) sizeArg(v goja.Value) int {
	if !isNumber(v) {
		e.typeError(`"size" argument must be of type number`)
	}
	f := v.ToFloat()
	if math.IsNaN(f) {
		e.rangeError("invalid index")
	}
	n := toInteger(v)
	if n < 0 || n > float64(e.lim.MaxBufferBytes) {
		e.rangeError("invalid size")
	}
	return int(n)
}

func isNumber(v goja.Value) bool {
	if v == nil {
		return false
	}
	t := v.ExportType()
	return t == reflectInt || t == reflectFloat
}

func (e *env) bufferAlloc(c goja.FunctionCall) goja.Value {
	size := e.sizeArg(arg(c, 0))
	b := make([]byte, size)
	if fill := arg(c, 1); !goja.IsUndefined(fill) {
		e.fillBytes(b, fill, arg(c, 2))
	}
	return e.newBuffer(b)
}

func (e *env) bufferAllocUnsafe(c goja.FunctionCall) goja.Value {
	return e.newBuffer(make([]byte, e.sizeArg(arg(c, 0))))
}

func (e *env) bufferByteLength(c goja.FunctionCall) goja.Value {
	v := arg(c, 0)
	if s, ok := v.(goja.String); ok {
		enc := e.encodingArg(arg(c, 1))
		return e.vm.ToValue(decodedLength(utf8Of(s), enc))
	}
	if b, ok := e.viewBytes(v); ok {
		return e.vm.ToValue(len(b))
	}
	if ab, ok := arrayBufferBytes(v); ok {
		return e.vm.ToValue(len(ab.Bytes()))
	}
	e.typeError("first argument " + e.typeName(v) + " is not a string or Buffer-like object")
	return nil
}

func (e *env) bufferCompare(c goja.FunctionCall) goja.Value {
	a := e.u8Arg(arg(c, 0), "source")
	b := e.u8Arg(arg(c, 1), "target")
	return e.vm.ToValue(bytes.Compare(a, b))
}

func (e *env) bufferConcat(c goja.FunctionCall) goja.Value {
	list, ok := arg(c, 0).(*goja.Object)
	if !ok || list.ClassName() != "Array" {
		e.typeError(`"list" argument must be an instance of Array`)
	}
	n := int(lengthOf(list))
	parts := make([][]byte, n)
	total := 0
	for i := range n {
		parts[i] = e.u8Arg(list.Get(itoa(i)), fmt.Sprintf("list[%d]", i))
		total += len(parts[i])
	}
	if tl := arg(c, 1); !goja.IsUndefined(tl) {
		f := toInteger(tl)
		if f < 0 {
			e.rangeError(`"length" is out of range`)
		}
		e.checkBufferSize(f)
		total = int(f)
	}
	e.checkBufferSize(float64(total))
	out := make([]byte, 0, total)
	for _, p := range parts {
		if len(out)+len(p) > total {
			p = p[:total-len(out)]
		}
		out = append(out, p...)
	}
	return e.newBuffer(out[:total])
}

// bufferFrom implements Buffer.from for strings, ArrayBuffers (a view), typed arrays and
// Buffers (a copy of the element values), array-likes, {type:'Buffer',data} objects and
// objects whose valueOf gives one of those.
func (e *env) bufferFrom(v, encOrOffset, length goja.Value) *goja.Object {
	if s, ok := v.(goja.String); ok {
		enc := e.encodingArg(encOrOffset)
		return e.newBuffer(decodeText(utf8Of(s), enc))
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		e.typeError("first argument " + e.typeName(v) + " is not a string or Buffer-like object")
	}
	if ab, ok := arrayBufferBytes(obj); ok {
		size := len(ab.Bytes())
		off := 0
		if !goja.IsUndefined(encOrOffset) {
			off = int(clampF(toInteger(encOrOffset)))
		}
		if off < 0 || off > size {
			e.rangeError(`"offset" is outside of buffer bounds`)
		}
		n := size - off
		if !goja.IsUndefined(length) {
			n = int(clampF(toInteger(length)))
			if n < 0 || off+n > size {
				e.rangeError(`"length" is outside of buffer bounds`)
			}
		}
		return e.newBufferView(obj, off, n)
	}
	if isUint8Array(obj) {
		b, _ := e.viewBytes(obj)
		return e.newBuffer(append([]byte(nil), b...))
	}
	if isTypedArray(obj) {
		return e.newBuffer(e.arrayLikeBytes(obj))
	}
	if obj.ClassName() != "Array" {
		if valueOf, ok := goja.AssertFunction(obj.Get("valueOf")); ok {
			if prim := call(valueOf, obj); prim != nil && !prim.SameAs(obj) && !isNullish(prim) {
				return e.bufferFrom(prim, encOrOffset, length)
			}
		}
	}
	if l := obj.Get("length"); l != nil && isNumber(l) {
		return e.newBuffer(e.arrayLikeBytes(obj))
	}
	if t := obj.Get("type"); t != nil && t.String() == "Buffer" {
		if data, ok := obj.Get("data").(*goja.Object); ok && data.ClassName() == "Array" {
			return e.newBuffer(e.arrayLikeBytes(data))
		}
	}
	e.typeError("first argument " + e.typeName(v) + " is not a string or Buffer-like object")
	return nil
}

// arrayLikeBytes copies the elements of an array-like, each taken modulo 256.
func (e *env) arrayLikeBytes(obj *goja.Object) []byte {
	n := lengthOf(obj)
	e.checkBufferSize(n)
	b := make([]byte, int(n))
	for i := range b {
		b[i] = toByte(obj.Get(itoa(i)))
	}
	return b
}

// clampF keeps an integer-valued float inside int range before conversion.
func clampF(f float64) float64 {
	const lim = 1 << 53
	if f > lim {
		return lim
	}
	if f < -lim {
		return -lim
	}
	return f
}

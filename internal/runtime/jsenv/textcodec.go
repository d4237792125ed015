package jsenv

import (
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// TextEncoder and TextDecoder (2.0, §10.3), UTF-8 only, with njs 0.7.9's texts and edges:
// the decoder accepts "utf-8"/"utf8" labels exactly, takes typed arrays and ArrayBuffers
// (not DataViews), supports {stream: true}, and drops a BOM that starts a stream unless
// ignoreBOM is set.

var textDecoderKey = goja.NewSymbol("")

type textDecoderState struct {
	fatal, ignoreBOM bool
	dec              utf8Decoder
	streaming        bool // the previous decode had stream: true
}

func (e *env) installTextCodecs() {
	vm := e.vm
	global := vm.GlobalObject()

	encoder := e.newCtor("TextEncoder", 0,
		func([]goja.Value) goja.Value {
			e.typeError("Constructor of TextEncoder requires 'new'")
			return nil
		},
		func(_, _ *goja.Object, _ []goja.Value) *goja.Object { return nil })
	encProto := encoder.Get("prototype").(*goja.Object)
	hidden(encProto, "encoding", vm.ToValue("utf-8"))
	e.method(encProto, "encode", 0, func(c goja.FunctionCall) goja.Value {
		s := ""
		if v := arg(c, 0); !goja.IsUndefined(v) {
			s = utf8Of(toStr(v))
		}
		e.checkBufferSize(float64(len(s)))
		return e.newUint8Array([]byte(s))
	})
	e.method(encProto, "encodeInto", 2, func(c goja.FunctionCall) goja.Value {
		if !isUint8Array(arg(c, 1)) {
			e.typeError(`The "destination" argument must be an instance of Uint8Array`)
		}
		dst, _ := e.viewBytes(arg(c, 1))
		read, written := encodeInto(toStr(arg(c, 0)), dst)
		res := vm.NewObject()
		_ = res.Set("read", read)
		_ = res.Set("written", written)
		return res
	})
	hidden(global, "TextEncoder", encoder)

	decoder := e.newCtor("TextDecoder", 0, func([]goja.Value) goja.Value {
		e.typeError("Constructor of TextDecoder requires 'new'")
		return nil
	}, func(this, _ *goja.Object, args []goja.Value) *goja.Object {
		st := &textDecoderState{}
		st.dec.reset()
		if v := argAt(args, 0); !goja.IsUndefined(v) {
			label := toStr(v).String()
			if label != "utf-8" && label != "utf8" {
				e.rangeError(`The "` + label + `" encoding is not supported`)
			}
		}
		if opts, ok := argAt(args, 1).(*goja.Object); ok {
			st.fatal = truthy(opts.Get("fatal"))
			st.ignoreBOM = truthy(opts.Get("ignoreBOM"))
		}
		_ = this.DefineDataPropertySymbol(textDecoderKey, vm.ToValue(st), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	})
	decProto := decoder.Get("prototype").(*goja.Object)
	getter := func(name string, get func(*textDecoderState) goja.Value) {
		_ = decProto.DefineAccessorProperty(name, e.newFunc("get "+name, 0, func(c goja.FunctionCall) goja.Value {
			return get(e.decoderOf(c.This))
		}), nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	getter("encoding", func(*textDecoderState) goja.Value { return vm.ToValue("utf-8") })
	getter("fatal", func(st *textDecoderState) goja.Value { return vm.ToValue(st.fatal) })
	getter("ignoreBOM", func(st *textDecoderState) goja.Value { return vm.ToValue(st.ignoreBOM) })
	e.method(decProto, "decode", 2, func(c goja.FunctionCall) goja.Value {
		st := e.decoderOf(c.This)
		var in []byte
		if v := arg(c, 0); !goja.IsUndefined(v) {
			if b, ok := e.viewBytes(v); ok && isTypedArray(v) {
				in = b
			} else if ab, ok := arrayBufferBytes(v); ok {
				in = ab.Bytes()
			} else {
				e.typeError(`The "input" argument must be an instance of TypedArray`)
			}
		}
		stream := false
		if opts, ok := arg(c, 1).(*goja.Object); ok {
			stream = truthy(opts.Get("stream"))
		}
		startOfStream := !st.streaming
		st.streaming = stream
		if startOfStream && !st.ignoreBOM && len(in) >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF {
			in = in[3:]
		}
		s, ok := decodeStream(&st.dec, in, !stream, st.fatal)
		if !ok {
			st.dec.reset()
			st.streaming = false
			e.typeError("The encoded data was not valid")
		}
		return vm.ToValue(s)
	})
	hidden(global, "TextDecoder", decoder)
}

func truthy(v goja.Value) bool { return v != nil && v.ToBoolean() }

func (e *env) decoderOf(v goja.Value) *textDecoderState {
	if obj, ok := v.(*goja.Object); ok {
		if sv := obj.GetSymbol(textDecoderKey); sv != nil {
			if st, ok := sv.Export().(*textDecoderState); ok {
				return st
			}
		}
	}
	e.typeError(`"this" is not a TextDecoder`)
	return nil
}

// newUint8Array wraps b in a plain Uint8Array.
func (e *env) newUint8Array(b []byte) *goja.Object {
	obj, err := e.vm.New(e.uint8ArrayCtor, e.vm.ToValue(e.vm.NewArrayBuffer(b)))
	if err != nil {
		panic(err)
	}
	return obj
}

// encodeInto writes the UTF-8 of s into dst, whole characters only, and reports the UTF-16
// units read and bytes written. Lone surrogates are written as U+FFFD.
func encodeInto(s goja.String, dst []byte) (read, written int) {
	n := s.Length()
	var buf [4]byte
	for read < n {
		r := rune(s.CharAt(read))
		units := 1
		if r >= 0xD800 && r <= 0xDBFF && read+1 < n {
			if lo := rune(s.CharAt(read + 1)); lo >= 0xDC00 && lo <= 0xDFFF {
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				units = 2
			}
		}
		if r >= 0xD800 && r <= 0xDFFF {
			r = utf8.RuneError
		}
		size := utf8.EncodeRune(buf[:], r)
		if written+size > len(dst) {
			break
		}
		copy(dst[written:], buf[:size])
		written += size
		read += units
	}
	return read, written
}

// decodeStream decodes b continuing the decoder's state; with flush an unfinished
// sequence at the end becomes U+FFFD (or a failure when fatal).
func decodeStream(d *utf8Decoder, b []byte, flush, fatal bool) (string, bool) {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		cp, again := d.push(b[i])
		if !again {
			i++
		}
		switch cp {
		case decContinue:
			continue
		case decError:
			if fatal {
				return "", false
			}
			cp = utf8.RuneError
		}
		sb.WriteRune(cp)
	}
	if flush && d.pending() {
		d.reset()
		if fatal {
			return "", false
		}
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String(), true
}

package jsenv

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"hash"

	"github.com/dop251/goja"
)

// The crypto module (§10.4): createHash and createHmac over md5, sha1 and sha256, with
// njs's argument checks and error texts (external/njs_crypto_module.c).
var hashAlgorithms = map[string]func() hash.Hash{
	"md5":    md5.New,
	"sha1":   sha1.New,
	"sha256": sha256.New,
}

// digestState is the Go side of one Hash or Hmac object.
type digestState struct {
	h    hash.Hash
	done bool
}

func (e *env) newCryptoModule() *goja.Object {
	vm := e.vm
	mod := vm.NewObject()
	hashProto := e.digestProto("Hash")
	hmacProto := e.digestProto("Hmac")

	_ = mod.Set("createHash", e.newFunc("createHash", 1, func(c goja.FunctionCall) goja.Value {
		newHash := e.algorithm(arg(c, 0))
		return e.newDigestObject(hashProto, newHash())
	}))
	_ = mod.Set("createHmac", e.newFunc("createHmac", 2, func(c goja.FunctionCall) goja.Value {
		newHash := e.algorithm(arg(c, 0))
		key, ok := e.dataBytes(arg(c, 1), goja.Undefined())
		if !ok {
			e.typeError(`key argument "` + e.typeName(arg(c, 1)) + `" is not a string or Buffer-like object`)
		}
		return e.newDigestObject(hmacProto, hmac.New(newHash, key))
	}))
	return mod
}

func (e *env) algorithm(v goja.Value) func() hash.Hash {
	name, ok := v.(goja.String)
	if !ok {
		e.typeError("algorithm must be a string")
	}
	newHash, ok := hashAlgorithms[name.String()]
	if !ok {
		e.typeError(`not supported algorithm: "` + name.String() + `"`)
	}
	return newHash
}

// newDigestObject wraps a hash in an object whose prototype carries update and digest;
// the state lives in a Go value the object holds privately.
func (e *env) newDigestObject(proto *goja.Object, h hash.Hash) goja.Value {
	obj := e.vm.CreateObject(proto)
	_ = obj.DefineDataPropertySymbol(digestKey, e.vm.ToValue(&digestState{h: h}), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return obj
}

var digestKey = goja.NewSymbol("")

func (e *env) digestOf(this goja.Value, kind string) *digestState {
	if obj, ok := this.(*goja.Object); ok {
		if v := obj.GetSymbol(digestKey); v != nil {
			if st, ok := v.Export().(*digestState); ok {
				return st
			}
		}
	}
	e.typeError("\"this\" is not a " + kind + " object")
	return nil
}

func (e *env) digestProto(kind string) *goja.Object {
	proto := e.vm.NewObject()
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, e.vm.ToValue(kind), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	e.method(proto, "update", 2, func(c goja.FunctionCall) goja.Value {
		st := e.digestOf(c.This, kind)
		if st.done {
			e.plainError("Digest already called")
		}
		data, ok := e.dataBytes(arg(c, 0), arg(c, 1))
		if !ok {
			e.typeError(`data argument "` + e.typeName(arg(c, 0)) + `" is not a string or Buffer-like object`)
		}
		st.h.Write(data)
		return c.This
	})
	e.method(proto, "digest", 1, func(c goja.FunctionCall) goja.Value {
		st := e.digestOf(c.This, kind)
		if st.done {
			e.plainError("Digest already called")
		}
		enc := arg(c, 0)
		if !goja.IsUndefined(enc) {
			name, ok := enc.(goja.String)
			if !ok {
				e.typeError("encoding must be a string")
			}
			switch name.String() {
			case encHex, encBase64, encBase64URL:
			default:
				e.typeError(`Unknown digest encoding: "` + name.String() + `"`)
			}
			st.done = true
			return e.vm.ToValue(encodeBytes(st.h.Sum(nil), name.String()))
		}
		st.done = true
		sum := st.h.Sum(nil)
		if e.ver == V1 {
			return e.makeByteString(sum) // 1.0: a byte string (§10.4)
		}
		return e.newBuffer(sum) // 2.0: a Buffer
	})
	return proto
}

// dataBytes turns update/createHmac input into bytes: a string in the given input encoding
// (default UTF-8; in 1.0 a byte string is taken as its bytes), or the memory of a typed
// array or DataView.
func (e *env) dataBytes(v, encoding goja.Value) ([]byte, bool) {
	if s, ok := v.(goja.String); ok {
		if isNullish(encoding) {
			if e.ver == V1 {
				if b, ok := e.byteStringBytes(s); ok {
					return b, true
				}
			}
			return []byte(utf8Of(s)), true
		}
		name := toStr(encoding).String()
		switch name {
		case encUTF8, encHex, encBase64, encBase64URL:
			return decodeText(utf8Of(s), name), true
		}
		e.typeError(`"` + name + `" encoding is not supported`)
	}
	if b, ok := e.viewBytes(v); ok {
		return b, true // hashes and hmac.New do not keep the slice
	}
	return nil, false
}

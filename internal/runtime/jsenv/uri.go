package jsenv

import (
	"github.com/dop251/goja"
)

// The URI functions keep goja's algorithms with njs's edges: decoding errors read
// "malformed URI", and encoding a lone surrogate gives %EF%BF%BD instead of a URIError.
func (e *env) installURIFunctions() {
	global := e.vm.GlobalObject()
	uriError := global.Get("URIError").(*goja.Object)
	for _, name := range []string{"decodeURI", "decodeURIComponent"} {
		orig, _ := goja.AssertFunction(global.Get(name))
		hidden(global, name, e.newFunc(name, 1, func(c goja.FunctionCall) goja.Value {
			v, err := orig(goja.Undefined(), c.Arguments...)
			if err != nil {
				if ex, ok := err.(*goja.Exception); ok {
					if obj, ok := ex.Value().(*goja.Object); ok && e.vm.InstanceOf(obj, uriError) {
						e.throw(uriError, "malformed URI")
					}
				}
				panic(err)
			}
			return v
		}))
	}
	for _, name := range []string{"encodeURI", "encodeURIComponent"} {
		orig, _ := goja.AssertFunction(global.Get(name))
		hidden(global, name, e.newFunc(name, 1, func(c goja.FunctionCall) goja.Value {
			s := toStr(arg(c, 0))
			return call(orig, goja.Undefined(), replaceLoneSurrogates(s))
		}))
	}
}

// replaceLoneSurrogates returns s with unpaired surrogate code units replaced by U+FFFD.
func replaceLoneSurrogates(s goja.String) goja.String {
	n := s.Length()
	var u []uint16
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		if c < 0xD800 || c > 0xDFFF {
			continue
		}
		if c <= 0xDBFF && i+1 < n {
			if lo := s.CharAt(i + 1); lo >= 0xDC00 && lo <= 0xDFFF {
				i++
				continue
			}
		}
		if u == nil {
			u = units(s)
		}
		u[i] = 0xFFFD
	}
	if u == nil {
		return s
	}
	return goja.StringFromUTF16(u)
}

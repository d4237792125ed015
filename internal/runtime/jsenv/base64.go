package jsenv

import (
	"encoding/base64"
	"strings"

	"github.com/dop251/goja"
)

// atob and btoa (2.0, §10.3) follow the HTML "forgiving-base64" rules; strings on either
// side are Latin-1 (code units 0–255). Error texts are njs's.
func (e *env) installBase64() {
	global := e.vm.GlobalObject()
	hidden(global, "btoa", e.newFunc("btoa", 1, func(c goja.FunctionCall) goja.Value {
		b, _, ok := latin1Bytes(toStr(arg(c, 0)))
		if !ok {
			e.typeError("invalid character (>= U+00FF)")
		}
		return e.vm.ToValue(base64.StdEncoding.EncodeToString(b))
	}))
	hidden(global, "atob", e.newFunc("atob", 1, func(c goja.FunctionCall) goja.Value {
		b, ok := forgivingBase64(utf8Of(toStr(arg(c, 0))))
		if !ok {
			e.typeError("the string to be decoded is not correctly encoded")
		}
		u := make([]uint16, len(b))
		for i, x := range b {
			u[i] = uint16(x)
		}
		return e.vm.ToValue(goja.StringFromUTF16(u))
	}))
}

// forgivingBase64 decodes per the HTML spec: ASCII whitespace is ignored, padding is
// optional but must be right when present, and leftover bits are ignored.
func forgivingBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\f', '\r', ' ':
			return -1
		}
		return r
	}, s)
	if len(s)%4 == 0 {
		s = strings.TrimSuffix(s, "=")
		s = strings.TrimSuffix(s, "=")
	}
	if len(s)%4 == 1 {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if base64Val(s[i], false) < 0 {
			return nil, false
		}
	}
	return decodeBase64Prefix(s, false), true // leftover bits are discarded
}

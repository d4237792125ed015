package jsenv

import (
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// The querystring module (§10.4) with njs semantics (njs_query_string_module.c in 0.7.9):
// parse returns a null-prototype object, repeated keys collect into arrays, invalid UTF-8
// in %XX escapes becomes U+FFFD, maxKeys counts segments (empty ones included) and 0 means
// no limit; stringify writes arrays as repeated keys and numbers/booleans/strings as values
// (anything else as an empty value). parse and stringify look up this.unescape/this.escape
// when no option overrides them, so calling a detached parse throws, as in njs.
const defaultMaxKeys = 1000

type queryString struct {
	e                *env
	escape, unescape *goja.Object
}

func (e *env) newQueryStringModule() *goja.Object {
	q := &queryString{e: e}
	mod := e.vm.NewObject()
	q.escape = e.newFunc("escape", 1, q.escapeFn)
	q.unescape = e.newFunc("unescape", 1, q.unescapeFn)
	hidden(mod, "parse", e.newFunc("parse", 4, q.parse))
	hidden(mod, "stringify", e.newFunc("stringify", 4, q.stringify))
	hidden(mod, "decode", e.newFunc("decode", 4, q.parse))
	hidden(mod, "encode", e.newFunc("encode", 4, q.stringify))
	hidden(mod, "escape", q.escape)
	hidden(mod, "unescape", q.unescape)
	return mod
}

// separator reads an optional sep/eq argument: non-nullish values are converted to
// strings, and an empty result keeps the default.
func separator(v goja.Value, dflt string) string {
	if isNullish(v) {
		return dflt
	}
	if s := utf8Of(toStr(v)); s != "" {
		return s
	}
	return dflt
}

// coder finds the decode/encode function: options[optName] if the property exists (it
// must then be a function), else this[thisName].
func (q *queryString) coder(c goja.FunctionCall, options goja.Value, optName, thisName string) *goja.Object {
	e := q.e
	if opts, ok := options.(*goja.Object); ok {
		if v := opts.Get(optName); v != nil {
			if _, ok := goja.AssertFunction(v); !ok {
				e.typeError("option " + optName + " is not a function")
			}
			return v.(*goja.Object)
		}
	}
	if this, ok := c.This.(*goja.Object); ok {
		if v := this.Get(thisName); v != nil {
			if _, ok := goja.AssertFunction(v); ok {
				return v.(*goja.Object)
			}
		}
	}
	e.typeError("QueryString." + thisName + " is not a function")
	return nil
}

func (q *queryString) parse(c goja.FunctionCall) goja.Value {
	e := q.e
	result := e.vm.CreateObject(nil)
	str, ok := arg(c, 0).(goja.String)
	if !ok || str.Length() == 0 {
		return result
	}
	sep := separator(arg(c, 1), "&")
	eq := separator(arg(c, 2), "=")
	maxKeys := int64(defaultMaxKeys)
	options := arg(c, 3)
	if opts, ok := options.(*goja.Object); ok {
		mk := opts.Get("maxKeys")
		if mk == nil {
			mk = goja.Undefined()
		}
		maxKeys = int64(clampInt(toInteger(mk), -1, 1<<62))
		if maxKeys == 0 {
			maxKeys = -1 // unlimited; so are negative values, which the count never meets
		}
	}
	decoder := q.coder(c, options, "decodeURIComponent", "unescape")
	decode := func(s string) goja.Value {
		if decoder == q.unescape {
			return e.vm.ToValue(qsDecode(s))
		}
		if s == "" {
			return e.vm.ToValue("")
		}
		fn, _ := goja.AssertFunction(decoder)
		v := call(fn, goja.Undefined(), e.vm.ToValue(s))
		return toStr(v)
	}

	var order []string
	values := map[string][]goja.Value{}
	text := utf8Of(str)
	count := int64(0)
	for pos := 0; pos < len(text); {
		if count == maxKeys {
			break
		}
		count++
		part := strings.Index(text[pos:], sep)
		if part < 0 {
			part = len(text)
		} else {
			part += pos
		}
		if part > pos {
			seg := text[pos:part]
			key, val := seg, ""
			if i := strings.Index(seg, eq); i >= 0 {
				key, val = seg[:i], seg[i+len(eq):]
			}
			k := decode(key)
			v := decode(val)
			name := k.String()
			if _, seen := values[name]; !seen {
				order = append(order, name)
			}
			values[name] = append(values[name], v)
		}
		pos = part + len(sep)
	}
	for _, name := range order {
		vs := values[name]
		var v goja.Value = vs[0]
		if len(vs) > 1 {
			items := make([]any, len(vs))
			for i, x := range vs {
				items[i] = x
			}
			v = e.vm.NewArray(items...)
		}
		_ = result.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return result
}

func (q *queryString) stringify(c goja.FunctionCall) goja.Value {
	e := q.e
	obj, ok := arg(c, 0).(*goja.Object)
	if !ok {
		return e.vm.ToValue("")
	}
	sep := separator(arg(c, 1), "&")
	eq := separator(arg(c, 2), "=")
	encoder := q.coder(c, arg(c, 3), "encodeURIComponent", "escape")
	var sb strings.Builder
	units := 0
	write := func(s string, n int) {
		units += n
		e.checkStringSize(float64(units))
		sb.WriteString(s)
	}
	encode := func(v goja.Value) {
		s := toStr(v)
		if encoder == q.escape {
			out := qsEscape(utf8Of(s))
			write(out, len(out))
			return
		}
		fn, _ := goja.AssertFunction(encoder)
		r := toStr(call(fn, goja.Undefined(), s))
		write(utf8Of(r), r.Length())
	}
	push := func(key string, v goja.Value) {
		encode(e.vm.ToValue(key))
		write(eq, utf8.RuneCountInString(eq))
		if v == nil {
			return
		}
		switch v.ExportType() {
		case reflectString:
			encode(v)
		case reflectBool:
			encode(v)
		case reflectInt, reflectFloat:
			if f := v.ToFloat(); f == f && f-f == 0 { // finite
				encode(v)
			}
		}
	}
	for n, key := range obj.Keys() {
		v := obj.Get(key)
		if arr, ok := v.(*goja.Object); ok && arr.ClassName() == "Array" {
			length := int(lengthOf(arr))
			e.checkArraySize(float64(length))
			for i := 0; i < length; i++ {
				if sb.Len() > 0 {
					write(sep, utf8.RuneCountInString(sep))
				}
				push(key, arr.Get(itoa(i)))
			}
			continue
		}
		if n != 0 {
			write(sep, utf8.RuneCountInString(sep))
		}
		push(key, v)
	}
	return e.vm.ToValue(sb.String())
}

func (q *queryString) escapeFn(c goja.FunctionCall) goja.Value {
	return q.e.vm.ToValue(qsEscape(utf8Of(toStr(arg(c, 0)))))
}

func (q *queryString) unescapeFn(c goja.FunctionCall) goja.Value {
	return q.e.vm.ToValue(qsDecode(utf8Of(toStr(arg(c, 0)))))
}

// qsUnreserved marks the bytes escape leaves as they are (as encodeURIComponent does).
var qsUnreserved = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_.!~*'()" {
		t[c] = true
	}
	return
}()

func qsEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !qsUnreserved[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if qsUnreserved[c] {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hexDigits[c>>4])
		sb.WriteByte(hexDigits[c&15])
	}
	return sb.String()
}

// qsDecode undoes %XX escapes and '+' (njs_query_string_decode). The decoded bytes run
// through one UTF-8 decoder; a byte from an escape that breaks a sequence is dropped along
// with it (one U+FFFD), while a literal byte is looked at again.
func qsDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	var d utf8Decoder
	d.reset()
	for i := 0; i < len(s); {
		var cp rune
		switch c := s[i]; {
		case c == '%' && i+2 < len(s)+0 && i+2 <= len(s)-1 && hexVal(s[i+1]) >= 0 && hexVal(s[i+2]) >= 0:
			cp, _ = d.push(byte(hexVal(s[i+1])<<4 | hexVal(s[i+2])))
			i += 3
		case c == '+':
			cp = ' '
			i++
		default:
			var again bool
			cp, again = d.push(c)
			if !again {
				i++
			}
		}
		switch cp {
		case decContinue:
			continue
		case decError:
			cp = utf8.RuneError
		}
		sb.WriteRune(cp)
	}
	if d.pending() {
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String()
}

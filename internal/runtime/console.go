package runtime

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// MaxLogBytes caps the console output of one invocation (spec §7: logs are truncated at 10 KB).
const MaxLogBytes = 10240

// console.log formats its arguments as njs 0.7.9 does (checked with /usr/bin/njs): strings
// as they are at top level and 'quoted' inside objects; objects compactly as {a:1,b:'x'};
// arrays as [1,2] with <empty> holes; functions as [Function: name]; errors as "Name: message";
// dates in ISO form; [Circular] for cycles. Several arguments are joined by a space, as njs
// does (CloudFront's 2.0 docs advise against the comma form; njs accepts it). Getters are
// called (njs shows '[Getter]').

// logSink collects one invocation's log lines within MaxLogBytes.
type logSink struct {
	lines []string
	bytes int
}

func (s *logSink) reset() { s.lines, s.bytes = nil, 0 }

// room is how many bytes the next line may have; each line also costs one byte for its
// line break, so a flood of empty lines is capped too.
func (s *logSink) room() int { return MaxLogBytes - s.bytes - 1 }

func (s *logSink) add(line string) {
	room := s.room()
	if room < 0 {
		return
	}
	if len(line) > room {
		line = truncateUTF8(line, room)
	}
	s.lines = append(s.lines, line)
	s.bytes += len(line) + 1
}

func truncateUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// consoleLog is the Go side of console.log.
func consoleLog(vm *goja.Runtime, sink *logSink) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		if sink.room() < 0 {
			return goja.Undefined()
		}
		f := &formatter{vm: vm, limit: sink.room()}
		for i, arg := range call.Arguments {
			if i > 0 {
				f.b.WriteByte(' ')
			}
			f.value(arg, true, 0)
			if f.full() {
				break
			}
		}
		sink.add(f.b.String())
		return goja.Undefined()
	}
}

// maxFormatDepth bounds nesting so a deep structure cannot exhaust the Go stack.
const maxFormatDepth = 64

type formatter struct {
	vm    *goja.Runtime
	b     strings.Builder
	limit int
	path  []*goja.Object // objects being printed, for [Circular]
}

func (f *formatter) full() bool { return f.b.Len() > f.limit }

func (f *formatter) value(v goja.Value, top bool, depth int) {
	if f.full() {
		return
	}
	switch {
	case v == nil || goja.IsUndefined(v):
		f.b.WriteString("undefined")
		return
	case goja.IsNull(v):
		f.b.WriteString("null")
		return
	}
	if sym, ok := v.(*goja.Symbol); ok {
		f.b.WriteString("Symbol(" + sym.String() + ")")
		return
	}
	obj, isObj := v.(*goja.Object)
	if !isObj {
		switch x := v.Export().(type) {
		case string:
			if top {
				f.b.WriteString(x)
			} else {
				f.quoted(x)
			}
		case float64:
			f.b.WriteString(numberText(x, v))
		default:
			f.b.WriteString(v.String())
		}
		return
	}
	f.object(obj, depth)
}

func numberText(x float64, v goja.Value) string {
	if x == 0 && math.Signbit(x) {
		return "-0"
	}
	return v.String()
}

// quoted writes a string nested in an object: single quotes, escapes for control characters.
func (f *formatter) quoted(s string) {
	f.b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			f.b.WriteString(`\\`)
		case '\n':
			f.b.WriteString(`\n`)
		case '\r':
			f.b.WriteString(`\r`)
		case '\t':
			f.b.WriteString(`\t`)
		case '\b':
			f.b.WriteString(`\b`)
		case '\f':
			f.b.WriteString(`\f`)
		default:
			if r < 0x20 {
				f.b.WriteString(`\u00`)
				f.b.WriteByte("0123456789ABCDEF"[r>>4])
				f.b.WriteByte("0123456789ABCDEF"[r&0xf])
			} else {
				f.b.WriteRune(r)
			}
		}
	}
	f.b.WriteByte('\'')
}

func (f *formatter) object(obj *goja.Object, depth int) {
	for _, p := range f.path {
		if p == obj {
			f.b.WriteString("[Circular]")
			return
		}
	}
	if depth >= maxFormatDepth {
		f.b.WriteString("[Object]")
		return
	}
	if fn, ok := goja.AssertFunction(obj); ok && fn != nil {
		name := ""
		if n := obj.Get("name"); n != nil {
			name = n.String()
		}
		if name == "" {
			f.b.WriteString("[Function]")
		} else {
			f.b.WriteString("[Function: " + name + "]")
		}
		return
	}
	f.path = append(f.path, obj)
	defer func() { f.path = f.path[:len(f.path)-1] }()

	switch obj.ClassName() {
	case "Array":
		f.array(obj, depth)
		return
	case "Error":
		f.b.WriteString(exceptionText(f.vm, obj))
		return
	case "Date":
		if iso, ok := goja.AssertFunction(obj.Get("toISOString")); ok {
			if s, err := iso(obj); err == nil {
				f.b.WriteString(s.String())
				return
			}
		}
		f.b.WriteString("Invalid Date")
		return
	case "RegExp":
		f.b.WriteString(obj.String())
		return
	case "Number", "Boolean":
		f.b.WriteString("[" + obj.ClassName() + ": " + obj.String() + "]")
		return
	case "String":
		f.b.WriteString("[String: ")
		f.quoted(obj.String())
		f.b.WriteString("]")
		return
	case "ArrayBuffer", "DataView":
		f.b.WriteString(obj.ClassName() + " {}")
		return
	}
	if _, ok := asPromise(obj); ok {
		f.b.WriteString("Promise {}")
		return
	}
	if isErrorObject(f.vm, obj) {
		f.b.WriteString(exceptionText(f.vm, obj))
		return
	}
	if name, ok := typedArrayName(obj); ok {
		f.b.WriteString(name + " ")
		f.array(obj, depth)
		return
	}
	f.b.WriteByte('{')
	for i, k := range obj.Keys() {
		if f.full() {
			break
		}
		if i > 0 {
			f.b.WriteByte(',')
		}
		f.b.WriteString(k)
		f.b.WriteByte(':')
		f.value(obj.Get(k), false, depth+1)
	}
	f.b.WriteByte('}')
}

// typedArrayName returns the constructor name of a typed array or Buffer ("Uint8Array",
// "Buffer"), which njs prints before the elements.
func typedArrayName(obj *goja.Object) (string, bool) {
	switch obj.ExportType().String() {
	case "[]uint8", "[]int8", "[]uint16", "[]int16", "[]uint32", "[]int32", "[]float32", "[]float64":
	default:
		return "", false
	}
	ctor, ok := obj.Get("constructor").(*goja.Object)
	if !ok {
		return "", false
	}
	name := ctor.Get("name")
	if name == nil {
		return "", false
	}
	return name.String(), true
}

func (f *formatter) array(obj *goja.Object, depth int) {
	n := obj.Get("length").ToInteger()
	f.b.WriteByte('[')
	holes := 0
	flushHoles := func() {
		switch {
		case holes == 1:
			f.b.WriteString("<empty>")
		case holes > 1:
			f.b.WriteString("<" + strconv.Itoa(holes) + " empty items>")
		}
		holes = 0
	}
	wrote := false
	sep := func() {
		if wrote {
			f.b.WriteByte(',')
		}
		wrote = true
	}
	for i := int64(0); i < n && !f.full(); i++ {
		v := obj.Get(strconv.FormatInt(i, 10))
		if v == nil {
			if holes == 0 {
				sep()
			}
			holes++
			if holes > 1<<16 { // a huge sparse array: stop counting one by one
				holes = int(n - i + int64(holes) - 1)
				break
			}
			continue
		}
		if holes > 0 {
			flushHoles()
		}
		sep()
		f.value(v, false, depth+1)
	}
	flushHoles()
	f.b.WriteByte(']')
}

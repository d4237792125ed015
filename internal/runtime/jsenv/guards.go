package jsenv

import (
	"math"
	"slices"
	"strings"

	"github.com/dop251/goja"
)

// goja runs each built-in to completion without checking Interrupt and without a memory
// limit, so one call such as 'x'.repeat(1<<28) can allocate hundreds of MiB. The guards
// below compute the size a call would produce and throw before it allocates, using the
// Limits (sized to CloudFront's 2 MB function memory, §7). Texts are njs's for the same
// overflow: "invalid string length", "Invalid array length", "argument list is too long".
const (
	msgStringLength = "invalid string length"
	msgArrayLength  = "Invalid array length"
	msgTooManyArgs  = "argument list is too long"
	msgCallStack    = "Maximum call stack size exceeded"
	msgJSONDepth    = "Nested too deep or a cyclic structure"
)

// maxJoinDepth bounds arrays nested inside arrays being joined (njs 0.7.9 overflows its
// stack between 100 and 1000 levels). maxJSONDepth is njs 0.7.9's nesting limit for
// JSON.stringify: 31 levels serialize, a 32nd throws msgJSONDepth.
const (
	maxJoinDepth = 1000
	maxJSONDepth = 31
)

// wrap replaces obj[name] by a native function that first runs check on the call (which
// may throw, or rewrite This/Arguments to values it has already converted) and then calls
// the original.
func (e *env) wrap(obj *goja.Object, name string, check func(c *goja.FunctionCall)) error {
	return e.wrapCall(obj, name, true, check)
}

// wrapCall is wrap; copyArgs says whether check may rewrite the arguments.
func (e *env) wrapCall(obj *goja.Object, name string, copyArgs bool, check func(c *goja.FunctionCall)) error {
	origVal := obj.Get(name)
	orig, ok := goja.AssertFunction(origVal)
	if !ok {
		return nil // removed for this runtime
	}
	length := int(origVal.(*goja.Object).Get("length").ToInteger())
	e.method(obj, name, length, func(c goja.FunctionCall) goja.Value {
		if copyArgs && len(c.Arguments) > 0 {
			// The arguments live on the VM stack; copy before a check rewrites them.
			c.Arguments = append([]goja.Value(nil), c.Arguments...)
		}
		check(&c)
		return call(orig, c.This, c.Arguments...)
	})
	return nil
}

func (e *env) installGuards() error {
	global := e.vm.GlobalObject()
	strProto := global.Get("String").(*goja.Object).Get("prototype").(*goja.Object)
	arrProto := global.Get("Array").(*goja.Object).Get("prototype").(*goja.Object)
	taProto := e.uint8ArrayCtor.Prototype().Get("prototype").(*goja.Object)
	fnProto := global.Get("Function").(*goja.Object).Get("prototype").(*goja.Object)
	jsonObj := global.Get("JSON").(*goja.Object)

	steps := []func() error{
		func() error { return e.wrapCall(strProto, "repeat", false, e.checkRepeat) },
		func() error { return e.wrap(strProto, "padStart", e.checkPad) },
		func() error { return e.wrap(strProto, "padEnd", e.checkPad) },
		func() error { return e.wrap(strProto, "concat", e.checkStringConcat) },
		func() error { return e.guardReplace(strProto, "replace", false) },
		func() error { return e.guardReplace(strProto, "replaceAll", true) },
		func() error { return e.wrap(arrProto, "join", e.checkJoin) },
		func() error { return e.wrap(taProto, "join", e.checkTypedJoin) },
		func() error { return e.wrapCall(fnProto, "apply", false, e.checkApply) },
		func() error { return e.guardStringify(jsonObj) },
		func() error { return e.wrapCall(arrProto, "concat", false, e.checkArrayConcat) },
	}
	// split, match, search and matchAll hand their receiver, unconverted, to the argument's
	// Symbol.split/match/search/matchAll method: String.prototype.split(hook) would give a
	// function's hook String.prototype itself, which pooled VMs share. Made a string first,
	// as replace and replaceAll already are (guardReplace), the receiver reaches no hook.
	for _, name := range []string{"split", "match", "search", "matchAll"} {
		steps = append(steps, func() error {
			return e.wrapCall(strProto, name, false, func(c *goja.FunctionCall) { thisString(c) })
		})
	}
	// Array methods that walk this.length inside one native call: on a sparse array with a
	// huge length they would spin (or fill memory) beyond Interrupt's reach.
	for _, name := range []string{"copyWithin", "every", "fill", "filter", "find", "findIndex",
		"forEach", "includes", "indexOf", "lastIndexOf", "map", "reduce", "reduceRight",
		"reverse", "shift", "slice", "some", "sort", "splice", "unshift"} {
		steps = append(steps, func() error { return e.wrapCall(arrProto, name, false, e.checkThisLength) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return e.guardConstructors()
}

// thisString converts This to a string once (so the original does not convert again and
// user toString hooks run once) and returns it.
func thisString(c *goja.FunctionCall) (goja.String, bool) {
	if isNullish(c.This) {
		return nil, false // let the original throw its TypeError
	}
	s := toStr(c.This)
	c.This = s
	return s, true
}

// argString converts argument i to a string in place; absent stays absent.
func argString(c *goja.FunctionCall, i int) goja.String {
	if i >= len(c.Arguments) {
		return nil
	}
	s := toStr(c.Arguments[i])
	c.Arguments[i] = s
	return s
}

func (e *env) checkStringSize(n float64) {
	if n > float64(e.lim.MaxStringLength) {
		e.rangeError(msgStringLength)
	}
}

func (e *env) checkArraySize(n float64) {
	if n > float64(e.lim.MaxArrayLength) {
		e.rangeError(msgArrayLength)
	}
}

func (e *env) checkRepeat(c *goja.FunctionCall) {
	s, ok := thisString(c)
	if !ok || len(c.Arguments) == 0 {
		return
	}
	n := toInteger(c.Arguments[0])
	if n < 0 || math.IsInf(n, 0) {
		e.rangeError("") // njs's RangeError for a bad count has no message
	}
	if n == 0 || s.Length() == 0 {
		return
	}
	e.checkStringSize(float64(s.Length()) * n)
}

func (e *env) checkPad(c *goja.FunctionCall) {
	s, ok := thisString(c)
	if !ok || len(c.Arguments) == 0 {
		return
	}
	target := toInteger(c.Arguments[0])
	if target <= float64(s.Length()) || target <= float64(e.lim.MaxStringLength) {
		return
	}
	if len(c.Arguments) > 1 && !goja.IsUndefined(c.Arguments[1]) {
		if argString(c, 1).Length() == 0 {
			return // an empty filler returns the string unchanged
		}
	}
	e.rangeError(msgStringLength)
}

func (e *env) checkStringConcat(c *goja.FunctionCall) {
	s, ok := thisString(c)
	if !ok {
		return
	}
	total := float64(s.Length())
	for i := range c.Arguments {
		total += float64(argString(c, i).Length())
	}
	e.checkStringSize(total)
}

// guardReplace bounds replace/replaceAll with a plain replacement string. When the cheap
// bound (every position matching) is too big, the matches are counted — without building
// the result, and stopping as soon as the growth passes the limit. Replacement functions
// and "$" patterns are left to the wall-clock limit.
func (e *env) guardReplace(obj *goja.Object, name string, all bool) error {
	origVal := obj.Get(name)
	orig, ok := goja.AssertFunction(origVal)
	if !ok {
		return nil
	}
	e.method(obj, name, 2, func(c goja.FunctionCall) goja.Value {
		c.Arguments = append([]goja.Value(nil), c.Arguments...)
		if s, ok := thisString(&c); ok && len(c.Arguments) >= 2 && isString(c.Arguments[1]) {
			e.checkReplaceGrowth(s, c.Arguments[0], c.Arguments[1].(goja.String), all)
		}
		return call(orig, c.This, c.Arguments...)
	})
	return nil
}

func (e *env) checkReplaceGrowth(s goja.String, pattern goja.Value, repl goja.String, all bool) {
	r := float64(repl.Length())
	if r == 0 || strings.Contains(repl.String(), "$") {
		return
	}
	n := float64(s.Length())
	room := float64(e.lim.MaxStringLength) - n
	if (n+1)*r <= room {
		return
	}
	growth := 0.0
	add := func(matchLen int) {
		growth += r - float64(matchLen)
		if growth > room {
			e.rangeError(msgStringLength)
		}
	}
	re, isRegExp := pattern.(*goja.Object)
	if isRegExp && re.ClassName() == "RegExp" {
		e.eachRegExpMatch(s, re, add)
		return
	}
	needle, hay := toStr(pattern).String(), s.String()
	needleLen := toStr(pattern).Length()
	if !all {
		if strings.Contains(hay, needle) {
			add(len(needle))
		}
		return
	}
	if needle == "" {
		for range s.Length() + 1 {
			add(0)
		}
		return
	}
	for i := strings.Index(hay, needle); i >= 0; {
		add(needleLen)
		next := strings.Index(hay[i+len(needle):], needle)
		if next < 0 {
			break
		}
		i += len(needle) + next
	}
}

// eachRegExpMatch reports the length of each match replace would make, running exec on a
// clone so the caller's lastIndex is untouched.
func (e *env) eachRegExpMatch(s goja.String, re *goja.Object, match func(length int)) {
	clone, err := e.vm.New(e.regExpCtor, re)
	if err != nil {
		panic(err)
	}
	exec, ok := goja.AssertFunction(e.regExpExec)
	if !ok {
		return
	}
	global := clone.Get("global").ToBoolean()
	for {
		m, ok := call(exec, clone, s).(*goja.Object)
		if !ok {
			return
		}
		l := toStr(m.Get("0")).Length()
		match(l)
		if !global {
			return
		}
		if l == 0 {
			_ = clone.Set("lastIndex", clone.Get("lastIndex").ToInteger()+1)
		}
	}
}

// lengthOf is ToLength(obj.length) for an object This; -1 when This is not an object.
func lengthOf(v goja.Value) float64 {
	obj, ok := v.(*goja.Object)
	if !ok {
		return -1
	}
	l := obj.Get("length")
	if l == nil {
		return 0
	}
	n := toInteger(l)
	if n < 0 {
		return 0
	}
	return n
}

func (e *env) checkThisLength(c *goja.FunctionCall) {
	e.checkArraySize(lengthOf(c.This))
}

// checkJoin bounds the joined string: separators plus every element. String elements are
// counted as they are; object elements (a nested array, anything with a toString) are
// converted here, once and in order as join itself would, counted, and the original then
// joins the converted strings, so a nested array's output cannot grow past the limit inside
// the original's single native call. Converting a nested array re-enters join natively, so
// the arrays being joined are tracked: an array met again is a cycle and joins to "" (as
// goja, V8 and SpiderMonkey answer), and nesting deeper than maxJoinDepth throws njs's
// stack overflow instead of growing the Go stack until the process dies.
func (e *env) checkJoin(c *goja.FunctionCall) {
	n := lengthOf(c.This)
	e.checkArraySize(n)
	if n < 1 {
		return
	}
	obj := c.This.(*goja.Object)
	if slices.Contains(e.joining, obj) {
		c.This = e.vm.NewArray()
		return
	}
	if len(e.joining) >= maxJoinDepth {
		e.rangeError(msgCallStack)
	}
	e.joining = append(e.joining, obj)
	defer func() { e.joining = e.joining[:len(e.joining)-1] }()

	sepLen := 1.0
	if len(c.Arguments) > 0 && !goja.IsUndefined(c.Arguments[0]) {
		sepLen = float64(argString(c, 0).Length())
	}
	total := (n - 1) * sepLen
	e.checkStringSize(total)
	limit := float64(e.lim.MaxStringLength)
	elems := make([]any, int(n))
	converted := false
	for i := range elems {
		v := obj.Get(itoa(i))
		if o, ok := v.(*goja.Object); ok {
			v = toStr(o)
			converted = true
		}
		if s, ok := v.(goja.String); ok {
			total += float64(s.Length())
			if total > limit {
				e.rangeError(msgStringLength)
			}
		}
		if v == nil {
			v = goja.Undefined()
		}
		elems[i] = v
	}
	if converted {
		c.This = e.vm.NewArray(elems...)
	}
}

// checkTypedJoin bounds a typed array join: at most 24 characters per number.
func (e *env) checkTypedJoin(c *goja.FunctionCall) {
	n := lengthOf(c.This)
	if n <= 1 {
		return
	}
	sepLen := 1.0
	if len(c.Arguments) > 0 && !goja.IsUndefined(c.Arguments[0]) {
		sepLen = float64(argString(c, 0).Length())
	}
	e.checkStringSize((n-1)*sepLen + n*24)
}

func (e *env) checkArrayConcat(c *goja.FunctionCall) {
	total := 0.0
	for _, v := range append([]goja.Value{c.This}, c.Arguments...) {
		if obj, ok := v.(*goja.Object); ok && obj.ClassName() == "Array" {
			total += lengthOf(obj)
		} else {
			total++
		}
	}
	e.checkArraySize(total)
}

func (e *env) checkApply(c *goja.FunctionCall) {
	if len(c.Arguments) > 1 && lengthOf(c.Arguments[1]) > float64(e.lim.MaxArrayLength) {
		e.throw(e.internalError, msgTooManyArgs)
	}
}

// guardStringify bounds JSON.stringify's output. goja serializes in one native call that
// Interrupt cannot stop, so a value holding one big string many times (300 references to a
// 1 MiB string) would build gigabytes first. The guard serializes through a replacer
// function that chains the caller's own replacer and counts what each value adds (its key,
// punctuation, indentation, and its text when it is a string) and throws once the total
// passes the string limit. It also applies njs's nesting limit (maxJSONDepth): goja has
// none, and its cycle check makes deep nesting quadratic (100 000 levels ran for a minute).
// An array replacer (a property list) is passed through unchanged, as the serializer treats
// it differently, so those calls keep goja's own behaviour; a huge top-level array is
// refused up front, as goja would write "null," for every hole.
func (e *env) guardStringify(jsonObj *goja.Object) error {
	orig, ok := goja.AssertFunction(jsonObj.Get("stringify"))
	if !ok {
		return nil
	}
	e.method(jsonObj, "stringify", 3, func(c goja.FunctionCall) goja.Value {
		value, replacer, space := arg(c, 0), arg(c, 1), arg(c, 2)
		if obj, ok := value.(*goja.Object); ok && obj.ClassName() == "Array" {
			e.checkArraySize(lengthOf(obj))
		}
		if r, ok := replacer.(*goja.Object); ok && r.ClassName() == "Array" {
			return call(orig, c.This, value, replacer, space)
		}
		user, _ := goja.AssertFunction(replacer)
		gap := gapLength(space)
		depth := map[*goja.Object]float64{} // nesting of each object seen: the limit, the indentation
		limit := float64(e.lim.MaxStringLength)
		total := 0.0
		counter := e.vm.ToValue(func(rc goja.FunctionCall) goja.Value {
			key, v := arg(rc, 0), arg(rc, 1)
			if user != nil {
				v = call(user, rc.This, key, v)
			}
			total += float64(toStr(key).Length()) + 4 // quotes, colon, separator
			switch x := v.(type) {
			case goja.String:
				total += float64(x.Length())
			case *goja.Object:
				if x.ClassName() == "String" {
					total += float64(toStr(x).Length())
				}
			}
			d := 0.0
			if holder, ok := rc.This.(*goja.Object); ok {
				d = depth[holder]
			}
			if obj, ok := v.(*goja.Object); ok && isContainer(obj) {
				if d+1 > maxJSONDepth {
					e.typeError(msgJSONDepth)
				}
				depth[obj] = d + 1
			}
			total += gap * d
			if total > limit {
				e.rangeError(msgStringLength)
			}
			return v
		})
		return call(orig, c.This, value, counter, space)
	})
	return nil
}

// isContainer reports whether stringify serializes obj as an object or array, one level
// deeper (primitive wrappers and functions are not).
func isContainer(obj *goja.Object) bool {
	switch obj.ClassName() {
	case "String", "Number", "Boolean", "Function":
		return false
	}
	return true
}

// gapLength is the width of one indentation level JSON.stringify uses for space: a number
// of spaces or the start of a string, at most 10.
func gapLength(space goja.Value) float64 {
	if obj, ok := space.(*goja.Object); ok {
		switch obj.ClassName() {
		case "Number":
			space = obj.ToNumber()
		case "String":
			space = toStr(obj)
		}
	}
	switch {
	case isString(space):
		return math.Min(10, float64(space.(goja.String).Length()))
	case isNumber(space):
		return math.Max(0, math.Min(10, toInteger(space)))
	}
	return 0
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	var buf [20]byte
	p := len(buf)
	for i > 0 {
		p--
		buf[p] = byte('0' + i%10)
		i /= 10
	}
	return string(buf[p:])
}

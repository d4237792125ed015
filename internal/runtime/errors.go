package runtime

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// FunctionErrorPrefix starts every FunctionErrorMessage (spec §8, observed console text).
const FunctionErrorPrefix = "The CloudFront function associated with the CloudFront distribution is invalid or could not run. "

// ErrorKind classifies why a run failed; the edge maps it to a status (spec §9.8).
type ErrorKind int

const (
	// ErrCompile: the code does not compile for its runtime (503 at the edge).
	ErrCompile ErrorKind = iota + 1
	// ErrException: an uncaught exception or a rejected promise (503).
	ErrException
	// ErrInvalidOutput: the handler returned something that is not a valid request or
	// response (502, FunctionValidationError).
	ErrInvalidOutput
	// ErrTimeout: the run exceeded the wall-clock limit (503, FunctionThrottledError).
	ErrTimeout
	// ErrMemory: the run allocated more than the memory cap (503).
	ErrMemory
	// ErrCanceled: the context ended before the run could start or finish (503).
	ErrCanceled
)

func (k ErrorKind) String() string {
	switch k {
	case ErrCompile:
		return "compile"
	case ErrException:
		return "exception"
	case ErrInvalidOutput:
		return "invalid-output"
	case ErrTimeout:
		return "timeout"
	case ErrMemory:
		return "memory"
	case ErrCanceled:
		return "canceled"
	}
	return "unknown"
}

// ExecError is a failed run. Message is the njs-style text, e.g.
// `TypeError: cannot get property "value" of undefined`.
type ExecError struct {
	Kind    ErrorKind
	Message string
}

func (e *ExecError) Error() string { return e.Message }

// FunctionErrorMessage is the text TestFunction reports in FunctionErrorMessage.
func (e *ExecError) FunctionErrorMessage() string { return FunctionErrorPrefix + e.Message }

// Texts of the errors the engine itself raises.
const (
	msgTimeout       = "InternalError: execution time limit exceeded"
	msgMemory        = "MemoryError: memory limit exceeded"
	msgStackOverflow = "RangeError: Maximum call stack size exceeded"
	msgUnsettled     = "InternalError: the promise returned by handler did not settle"
)

// exceptionText renders a thrown JS value as njs prints an uncaught exception: Error objects
// as "Name: message" (goja's message translated to njs's), anything else by its string value.
func exceptionText(vm *goja.Runtime, v goja.Value) (text string) {
	if v == nil {
		return "undefined"
	}
	defer func() { // a hostile toString or getter must not take the engine down
		if recover() != nil {
			text = "Error"
		}
	}()
	obj, ok := v.(*goja.Object)
	if !ok || !isErrorObject(vm, obj) {
		return v.String()
	}
	name := "Error"
	if n := obj.Get("name"); n != nil && !goja.IsUndefined(n) {
		name = n.String()
	}
	msg := ""
	if m := obj.Get("message"); m != nil && !goja.IsUndefined(m) {
		msg = m.String()
	}
	msg = njsMessage(name, msg)
	if msg == "" {
		return name
	}
	if name == "" {
		return msg
	}
	return name + ": " + msg
}

func isErrorObject(vm *goja.Runtime, obj *goja.Object) bool {
	proto, ok := vm.Get("Error").(*goja.Object)
	if !ok {
		return false
	}
	ep := proto.Get("prototype")
	for p := obj.Prototype(); p != nil; p = p.Prototype() {
		if p == ep {
			return true
		}
	}
	return false
}

// njsTranslation rewrites one goja error message into njs's wording.
type njsTranslation struct {
	name    string // error name it applies to
	pattern *regexp.Regexp
	replace func(m []string) string
}

// njsTranslations: goja (left) → njs 0.7.9 (right), each verified with /usr/bin/njs (errors_test.go).
// goja says "of undefined" for null too, so `null.x` reads "of undefined" (njs: "of null").
var njsTranslations = []njsTranslation{
	{"TypeError", regexp.MustCompile(`^Cannot read property '(.*)' of (?:undefined or null|undefined|null)$`),
		func(m []string) string { return `cannot get property "` + m[1] + `" of undefined` }},
	{"ReferenceError", regexp.MustCompile(`^(.*) is not defined$`),
		func(m []string) string { return `"` + m[1] + `" is not defined` }},
	{"TypeError", regexp.MustCompile(`^Object has no member '(.*)'$`),
		func(m []string) string { return `(intermediate value)["` + m[1] + `"] is not a function` }},
	{"TypeError", regexp.MustCompile(`^(?:Value is not an object|Not a function): (.*)$`),
		func(m []string) string { return describeType(m[1]) + " is not a function" }},
	{"TypeError", regexp.MustCompile(`^Value is not a constructor$`),
		func([]string) string { return "function is not a constructor" }},
	{"TypeError", regexp.MustCompile(`^Cannot convert undefined or null to object$`),
		func([]string) string { return "property set on primitive undefined type" }},
	{"TypeError", regexp.MustCompile(`^Cannot add property (.*), object is not extensible$`),
		func(m []string) string { return `Cannot add property "` + m[1] + `", object is not extensible` }},
	{"TypeError", regexp.MustCompile(`^Cannot assign to read only property '(.*)'$`),
		func(m []string) string { return `Cannot assign to read-only property "` + m[1] + `" of object` }},
	{"TypeError", regexp.MustCompile(`^Cannot delete property '(.*)' of (.*)$`),
		func(m []string) string { return `Cannot delete property "` + m[1] + `" of ` + describeType(m[2]) }},
	{"URIError", regexp.MustCompile(`^Malformed URI$`),
		func([]string) string { return "malformed URI" }},
	{"RangeError", regexp.MustCompile(`^to(?:Fixed|Precision|Exponential)\(\) (?:precision|argument) must be between 0 and 100$`),
		func([]string) string { return "digits argument must be between 0 and 100" }},
	{"RangeError", regexp.MustCompile(`^Invalid code point .*$`),
		func([]string) string { return "" }},
}

func njsMessage(name, msg string) string {
	for _, t := range njsTranslations {
		if t.name != name {
			continue
		}
		if m := t.pattern.FindStringSubmatch(msg); m != nil {
			return t.replace(m)
		}
	}
	return msg
}

// describeType names the type of a value from goja's rendering of it, as njs's messages do
// ("number is not a function").
func describeType(rendered string) string {
	switch rendered {
	case "undefined", "null":
		return rendered
	case "true", "false":
		return "boolean"
	case "NaN", "Infinity", "-Infinity":
		return "number"
	}
	if rendered == "[object Function]" {
		return "function"
	}
	if strings.HasPrefix(rendered, "[object ") {
		return "object"
	}
	if strings.HasPrefix(rendered, "function ") || strings.HasPrefix(rendered, "[Function") {
		return "function"
	}
	if strings.HasPrefix(rendered, "Symbol(") {
		return "symbol"
	}
	if _, err := strconv.ParseFloat(rendered, 64); err == nil {
		return "number"
	}
	return "string"
}

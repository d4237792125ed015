package jsenv

import (
	"github.com/dop251/goja"
)

// Dynamic code evaluation is refused in both runtimes (§10.7). The texts are njs's: its
// eval is a stub ("InternalError: Not implemented") and, with unsafe mode off as in
// CloudFront, the Function constructor throws.
const functionCtorDisabled = `function constructor is disabled in "safe" mode`

// functionKindsSrc yields the prototypes whose "constructor" would compile source text.
var functionKindsSrc = goja.MustCompile("jsenv-function-kinds.js",
	`[Object.getPrototypeOf(async function(){}), Object.getPrototypeOf(function*(){})]` /* goja has no async generators */, true)

func (e *env) disableDynamicCode() error {
	vm := e.vm
	global := vm.GlobalObject()

	eval := e.newFunc("eval", 1, func(goja.FunctionCall) goja.Value {
		e.throw(e.internalError, "Not implemented")
		return nil
	})
	hidden(global, "eval", eval)

	origFunction := global.Get("Function").(*goja.Object)
	fnProto := origFunction.Get("prototype").(*goja.Object)
	refuseCall := func([]goja.Value) goja.Value {
		e.typeError(functionCtorDisabled)
		return nil
	}
	refuseNew := func(_, _ *goja.Object, _ []goja.Value) *goja.Object {
		e.typeError(functionCtorDisabled)
		return nil
	}
	function := e.newCtor("Function", 1, refuseCall, refuseNew)
	// Keep `f instanceof Function` and Function.prototype working.
	if err := function.DefineDataProperty("prototype", fnProto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	hidden(fnProto, "constructor", function)
	hidden(global, "Function", function)

	kinds, err := vm.RunProgram(functionKindsSrc)
	if err != nil {
		return err
	}
	for i, name := range []string{"AsyncFunction", "GeneratorFunction"} {
		proto := kinds.(*goja.Object).Get(string(rune('0' + i))).(*goja.Object)
		ctor := e.newCtor(name, 1, refuseCall, refuseNew)
		_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		if err := proto.DefineDataProperty("constructor", ctor, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

package jsenv

import (
	"github.com/dop251/goja"
)

// installErrorTypes adds njs's extra error constructors (§10.3 lists both; 2.0's doc drops
// MemoryError but njs still has it, so it stays). They behave like the standard
// NativeError constructors: callable with or without new, inheriting from Error.
func (e *env) installErrorTypes() error {
	for _, name := range []string{"InternalError", "MemoryError"} {
		if err := e.installErrorType(name); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) installErrorType(name string) error {
	vm := e.vm
	errProto := e.errorCtor.Get("prototype").(*goja.Object)
	proto := vm.CreateObject(errProto)
	hidden(proto, "name", vm.ToValue(name))
	hidden(proto, "message", vm.ToValue(""))

	create := func(p *goja.Object, args []goja.Value) *goja.Object {
		obj, err := vm.New(e.errorCtor, args...)
		if err != nil {
			panic(err)
		}
		_ = obj.SetPrototype(p)
		return obj
	}
	ctor := e.newCtor(name, 1,
		func(args []goja.Value) goja.Value { return create(proto, args) },
		func(this, _ *goja.Object, args []goja.Value) *goja.Object {
			return create(this.Prototype(), args) // this was made from new.target.prototype
		})
	if err := ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := ctor.SetPrototype(e.errorCtor); err != nil {
		return err
	}
	hidden(proto, "constructor", ctor)
	hidden(vm.GlobalObject(), name, ctor)
	if name == "InternalError" {
		e.internalError = ctor
	}
	return nil
}

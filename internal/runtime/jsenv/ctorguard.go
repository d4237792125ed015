package jsenv

import (
	"github.com/dop251/goja"
)

// typedArrayNames lists the nine typed-array constructors of §10.3 with their element size.
var typedArrayNames = []struct {
	name string
	size int
}{
	{"Int8Array", 1}, {"Uint8Array", 1}, {"Uint8ClampedArray", 1},
	{"Int16Array", 2}, {"Uint16Array", 2}, {"Int32Array", 4}, {"Uint32Array", 4},
	{"Float32Array", 4}, {"Float64Array", 8},
}

// guardConstructors puts size checks in front of the constructors that allocate eagerly
// from a number argument: Array(n), ArrayBuffer(n) and the typed arrays. The replacement
// shares the original's prototype object, so instanceof, Array.isArray and literals are
// unaffected.
func (e *env) guardConstructors() error {
	global := e.vm.GlobalObject()
	if err := e.guardCtor(global, "Array", []string{"isArray", "of"}, nil, func(args []goja.Value) {
		if len(args) == 1 {
			if _, isObj := args[0].(*goja.Object); !isObj && !isString(args[0]) {
				e.checkArraySize(toInteger(args[0]))
			}
		}
	}); err != nil {
		return err
	}
	if err := e.guardCtor(global, "ArrayBuffer", []string{"isView"}, nil, func(args []goja.Value) {
		if len(args) > 0 {
			e.checkBufferSize(toInteger(args[0]))
		}
	}); err != nil {
		return err
	}
	typedArray := e.uint8ArrayCtor.Prototype()
	for _, ta := range typedArrayNames {
		size := ta.size
		if err := e.guardCtor(global, ta.name, []string{"BYTES_PER_ELEMENT"}, typedArray, func(args []goja.Value) {
			if len(args) == 0 {
				return
			}
			src, isObj := args[0].(*goja.Object)
			switch {
			case !isObj:
				e.checkBufferSize(toInteger(args[0]) * float64(size))
			case src.ExportType() == arrayBufferType:
				// a view on existing memory
			default:
				e.checkBufferSize(lengthOf(src) * float64(size))
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) checkBufferSize(n float64) {
	if n > float64(e.lim.MaxBufferBytes) {
		e.rangeError(msgArrayLength)
	}
}

// guardCtor replaces global[name] by a constructor that runs check on the arguments and
// then constructs with the original (passing new.target on). Called without new, it calls
// the original as a function, which throws or (for Array) constructs as the original does.
func (e *env) guardCtor(global *goja.Object, name string, statics []string, parent *goja.Object, check func([]goja.Value)) error {
	origVal := global.Get(name)
	origObj, ok := origVal.(*goja.Object)
	if !ok {
		return nil
	}
	construct, _ := goja.AssertConstructor(origObj)
	asFunc, _ := goja.AssertFunction(origObj)
	proto := origObj.Get("prototype").(*goja.Object)
	length := int(origObj.Get("length").ToInteger())

	ctor := e.newCtor(name, length,
		func(args []goja.Value) goja.Value {
			check(args)
			return call(asFunc, goja.Undefined(), args...) // Array(n) constructs; the others throw
		},
		func(_, newTarget *goja.Object, args []goja.Value) *goja.Object {
			check(args)
			obj, err := construct(newTarget, args...)
			if err != nil {
				panic(err)
			}
			return obj
		})
	if err := ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	for _, s := range statics {
		if v := origObj.Get(s); v != nil {
			hidden(ctor, s, v)
		}
	}
	// Array and ArrayBuffer get no own @@species: species lookups then fall back to the
	// intrinsic constructor (goja's fast path).
	if parent != nil {
		if err := ctor.SetPrototype(parent); err != nil {
			return err
		}
		// Shadow the inherited @@species getter so subarray/map/slice keep using the
		// intrinsic constructor instead of calling back into this wrapper.
		if err := ctor.DefineDataPropertySymbol(goja.SymSpecies, goja.Undefined(), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	hidden(proto, "constructor", ctor)
	hidden(global, name, ctor)
	return nil
}

package jsenv

import (
	"reflect"

	"github.com/dop251/goja"
)

var (
	arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})
	typedArrayTypes = map[reflect.Type]bool{
		reflect.TypeOf([]uint8(nil)):   true, // Uint8Array, Uint8ClampedArray
		reflect.TypeOf([]int8(nil)):    true,
		reflect.TypeOf([]uint16(nil)):  true,
		reflect.TypeOf([]int16(nil)):   true,
		reflect.TypeOf([]uint32(nil)):  true,
		reflect.TypeOf([]int32(nil)):   true,
		reflect.TypeOf([]float32(nil)): true,
		reflect.TypeOf([]float64(nil)): true,
	}
	uint8ViewType = reflect.TypeOf([]uint8(nil))
)

// isTypedArray reports whether v is a typed array (any element type).
func isTypedArray(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	return ok && obj.ClassName() == "Object" && typedArrayTypes[obj.ExportType()]
}

// isUint8Array reports whether v is a Uint8Array (or Buffer, or Uint8ClampedArray).
func isUint8Array(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	return ok && obj.ClassName() == "Object" && obj.ExportType() == uint8ViewType
}

// isDataView reports whether v is a DataView created by the original constructor.
func (e *env) isDataView(v goja.Value) bool {
	obj, ok := v.(*goja.Object)
	return ok && obj.ClassName() == "Object" && e.vm.InstanceOf(obj, e.dataViewCtor)
}

// viewBytes returns the bytes a typed array or DataView looks at, sharing their memory.
// ok is false for anything else (ArrayBuffer included: njs does not take it as "Buffer-like").
func (e *env) viewBytes(v goja.Value) (b []byte, ok bool) {
	if !isTypedArray(v) && !e.isDataView(v) {
		return nil, false
	}
	if err := e.vm.ExportTo(v, &b); err != nil {
		return nil, false
	}
	return b, true
}

// arrayBufferBytes returns the memory of an ArrayBuffer.
func arrayBufferBytes(v goja.Value) (goja.ArrayBuffer, bool) {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ExportType() != arrayBufferType {
		return goja.ArrayBuffer{}, false
	}
	ab, ok := obj.Export().(goja.ArrayBuffer)
	return ab, ok
}

package runtime

import (
	"github.com/dop251/goja"

	"github.com/localfront/localfront/internal/runtime/jsenv"
)

// The runtime's only calls into jsenv (the JS global environment: built-in modules, byte
// strings, Buffer, per-runtime removal of built-ins, length-checked wrappers), kept here so
// the contract between the two packages is visible in one place.

// version is the runtime generation, jsenv's Version by another name.
type version int

const (
	v1 version = version(jsenv.V1)
	v2 version = version(jsenv.V2)
)

// EnvLimits bounds what single built-in calls may allocate (jsenv.Limits); zero fields take
// jsenv's defaults.
type EnvLimits struct {
	MaxStringLength int // UTF-16 code units
	MaxArrayLength  int // elements
	MaxBufferBytes  int // ArrayBuffer / typed array / Buffer bytes
}

func setupEnvironment(vm *goja.Runtime, v version, lim EnvLimits) error {
	return jsenv.Setup(vm, jsenv.Version(v), jsenv.Limits{
		MaxStringLength: lim.MaxStringLength,
		MaxArrayLength:  lim.MaxArrayLength,
		MaxBufferBytes:  lim.MaxBufferBytes,
	})
}

func builtinModule(vm *goja.Runtime, v version, name string) (goja.Value, bool) {
	return jsenv.Module(vm, jsenv.Version(v), name)
}

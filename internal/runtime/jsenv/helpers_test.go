package jsenv

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// testVM is a VM prepared by Setup plus the two things the runtime package normally adds:
// console.log (captured) and require (backed by Module).
type testVM struct {
	vm  *goja.Runtime
	out []string
}

func newTestVM(t testing.TB, v Version) *testVM {
	t.Helper()
	return newTestVMWithLimits(t, v, Limits{})
}

func newTestVMWithLimits(t testing.TB, v Version, lim Limits) *testVM {
	t.Helper()
	tv := &testVM{vm: goja.New()}
	if err := Setup(tv.vm, v, lim); err != nil {
		t.Fatalf("Setup(%d): %v", v, err)
	}
	console := tv.vm.NewObject()
	_ = console.Set("log", func(c goja.FunctionCall) goja.Value {
		parts := make([]string, len(c.Arguments))
		for i, a := range c.Arguments {
			parts[i] = a.String()
		}
		tv.out = append(tv.out, strings.Join(parts, " "))
		return goja.Undefined()
	})
	_ = tv.vm.Set("console", console)
	_ = tv.vm.Set("require", func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		m, ok := Module(tv.vm, v, name)
		if !ok {
			panic(tv.vm.NewTypeError(`Cannot find module "` + name + `"`))
		}
		return m
	})
	return tv
}

// run executes strict-mode code and returns its completion value.
func (tv *testVM) run(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := tv.vm.RunScript("test.js", "'use strict';\n"+src)
	if err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
	return v
}

// eval runs an expression and returns its String() or "THROW name: message".
func (tv *testVM) eval(src string) string {
	v, err := tv.vm.RunScript("test.js", "'use strict';\n"+src)
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			if obj, ok := ex.Value().(*goja.Object); ok {
				return "THROW " + obj.Get("name").String() + ": " + obj.Get("message").String()
			}
			return "THROW " + ex.Value().String()
		}
		return "ERROR " + err.Error()
	}
	return v.String()
}

package jsenv

import "testing"

func TestNJSMessage(t *testing.T) {
	for in, want := range map[string]string{
		"Cannot read property 'value' of undefined":        `cannot get property "value" of undefined`,
		"Cannot read property 'call' of undefined or null": `cannot get property "call" of undefined`,
		"foo is not defined":                               `"foo" is not defined`,
		"Object has no member 'x-y'":                       `(intermediate value)["x-y"] is not a function`,
		"Cannot assign to read only property 'a'":          `Cannot assign to read-only property "a" of object`,
		"Assignment to constant variable.":                 "assignment to constant variable",
		"No initial value":                                 "Reduce of empty object with no initial value",
		"toFixed() precision must be between 0 and 100":    "digits argument must be between 0 and 100",
		"something else entirely":                          "something else entirely",
		"":                                                 "",
		`cannot get property "value" of undefined`:         `cannot get property "value" of undefined`,
	} {
		if got := NJSMessage(in); got != want {
			t.Errorf("NJSMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

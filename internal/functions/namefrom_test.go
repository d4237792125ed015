package functions

import (
	"strings"
	"testing"
)

func TestNameFrom(t *testing.T) {
	for in, want := range map[string]string{
		"url-rewrite_v2":        "url-rewrite_v2",
		"my function.v1":        "my-function-v1",
		"héllo":                 "h-llo",
		"":                      "function",
		strings.Repeat("a", 70): strings.Repeat("a", 64),
	} {
		if got := NameFrom(in); got != want {
			t.Errorf("NameFrom(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever the input, the name passes CreateFunction's validation.
func FuzzNameFrom(f *testing.F) {
	for _, s := range []string{"", "a b", "ü/..\\x00", strings.Repeat("é", 80), "valid-name_1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if name := NameFrom(s); validateName(name) != nil {
			t.Fatalf("NameFrom(%q) = %q: %v", s, name, validateName(name))
		}
	})
}

package edge

import (
	"strings"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/runtime"
)

// Header rules of spec §9.5 and §9.7.

// Read-only headers: a function may read them; adding, changing or removing one is a
// validation failure (502).
var (
	readOnlyViewerRequest  = []string{"cdn-loop", "content-length", "host", "transfer-encoding", "via"}
	readOnlyViewerResponse = []string{"via", "warning"}
)

// hiddenHeader reports a header the function does not see (spec §9.7's disallowed list) or
// that reaches it another way (cookies). name is lower case.
func hiddenHeader(name string) bool {
	return name == "cookie" || runtime.IsDisallowedHeader(name)
}

// edgeOwnedHeader reports viewer or origin headers the edge replaces with its own values:
// X-Amz-Cf-* and X-Cache. name is in canonical form.
func edgeOwnedHeader(canonical string) bool {
	return canonical == "X-Cache" || strings.HasPrefix(canonical, "X-Amz-Cf-")
}

// validHeaderName accepts an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// validHeaderValue refuses control characters other than horizontal tab: they would split
// or corrupt the header section.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// toUTF8 returns a header value as the function sees it: values that are not valid UTF-8 are
// read as ISO-8859-1 and converted (spec §9.7).
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// sameValues reports whether two collections hold the same names and values in the same
// order. The runtime hands back the event's own slice for a collection the function did not
// touch, which makes the common case a pointer comparison.
func sameValues(a, b runtime.Values) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i].Name != b[i].Name || !sameValue(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

func sameValue(a, b runtime.Value) bool {
	if a.MultiValue == nil && b.MultiValue == nil {
		return a.Value == b.Value && a.Attributes == b.Attributes
	}
	var xa, ya [1]runtime.MultiValueItem
	x, y := items(&a, &xa), items(&b, &ya)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// lookupFold finds a value by lower-case name among names of any case (a function may add
// "Host" instead of "host").
func lookupFold(vs runtime.Values, lower string) (runtime.Value, bool) {
	for _, f := range vs {
		if f.Name == lower || strings.EqualFold(f.Name, lower) {
			return f.Value, true
		}
	}
	return runtime.Value{}, false
}

// items is v.All() without an allocation for the usual single value, which is copied to
// *one (a caller's local array).
func items(v *runtime.Value, one *[1]runtime.MultiValueItem) []runtime.MultiValueItem {
	if v.MultiValue != nil {
		return v.MultiValue
	}
	one[0] = runtime.MultiValueItem{Value: v.Value, Attributes: v.Attributes}
	return one[:]
}

// countItems is len(v.All()).
func countItems(v *runtime.Value) int {
	if v.MultiValue != nil {
		return len(v.MultiValue)
	}
	return 1
}

// headerValues hands out the value slices of one header map from a single backing array
// (as http.Header.Clone does): one allocation instead of one per field.
type headerValues struct{ buf []string }

func newHeaderValues(n int) headerValues { return headerValues{buf: make([]string, 0, n)} }

// add appends vals to h[key]. A key seen before (two names that differ only in case) is
// appended to; a new key gets a full slice of the backing array, so that a later append to
// it copies instead of overwriting its neighbour.
func (hv *headerValues) add(h map[string][]string, key string, vals ...string) {
	if old, ok := h[key]; ok {
		h[key] = append(old, vals...)
		return
	}
	start := len(hv.buf)
	hv.buf = append(hv.buf, vals...)
	h[key] = hv.buf[start:len(hv.buf):len(hv.buf)]
}

// addItems appends every occurrence of v to h[key].
func (hv *headerValues) addItems(h map[string][]string, key string, v *runtime.Value) {
	if v.MultiValue == nil {
		hv.add(h, key, v.Value)
		return
	}
	if old, ok := h[key]; ok {
		for _, it := range v.MultiValue {
			old = append(old, it.Value)
		}
		h[key] = old
		return
	}
	start := len(hv.buf)
	for _, it := range v.MultiValue {
		hv.buf = append(hv.buf, it.Value)
	}
	h[key] = hv.buf[start:len(hv.buf):len(hv.buf)]
}

package runtime

import "strings"

// Query strings stay as the viewer sent them: values are not percent-decoded (spec §9.2).

// ParseQuery splits a raw query (without "?") into ordered values; a parameter without "="
// gets the value "", repeated names fold into multiValue, empty segments are skipped. The
// edge builds event.request.querystring with it, and a function's rawQueryString change is
// read back with it.
func ParseQuery(raw string) Values {
	var vs Values
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		vs.Add(name, value, "")
	}
	return vs
}

// buildQuery joins values into a raw query: name=value for each occurrence, and the bare
// name when the value is "" (so `?flag&a=1` survives a change to `a`).
func buildQuery(vs Values) string {
	var b strings.Builder
	for _, f := range vs {
		for _, it := range f.All() {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(f.Name)
			if it.Value != "" {
				b.WriteByte('=')
				b.WriteString(it.Value)
			}
		}
	}
	return b.String()
}

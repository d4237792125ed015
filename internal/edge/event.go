package edge

import (
	"net/http"
	"slices"
	"strings"

	"github.com/localfront/localfront/internal/runtime"
)

// Building the event a function receives from the HTTP messages (spec §9.1–§9.4).

// fillViewerRequest builds event.request into req from the viewer's request: lower-case
// header names, Host included, Cookie headers split into cookies, disallowed headers left
// out, the URI and query exactly as the viewer sent them (still percent-encoded). The
// headers are appended to hdrs (room the caller keeps from request to request).
func fillViewerRequest(req *runtime.Request, r *http.Request, rawPath string, hdrs runtime.Values) {
	*req = runtime.Request{
		Method:  r.Method,
		URI:     rawPath,
		Headers: appendRequestHeaderValues(hdrs, r),
		Cookies: cookieValues(r.Header["Cookie"]),
	}
	req.RawQueryString = r.URL.RawQuery
	req.HasQuery = r.URL.RawQuery != "" || r.URL.ForceQuery
	req.Querystring = runtime.ParseQuery(req.RawQueryString)
}

// appendRequestHeaderValues lists the viewer's headers as the event shows them: host first
// (net/http keeps it apart from the map), then the others by name. net/http does not keep the
// order of the header section, so sorted order makes events reproducible.
func appendRequestHeaderValues(vs runtime.Values, r *http.Request) runtime.Values {
	if r.Host != "" {
		vs = append(vs, runtime.Field{Name: "host", Value: runtime.Value{Value: toUTF8(r.Host)}})
	}
	vs = appendHeaderValues(vs, r.Header)
	if len(r.TransferEncoding) > 0 && !hasField(vs, "transfer-encoding") {
		// net/http moves Transfer-Encoding out of the map; the function may read it (§9.7).
		vs = append(vs, runtime.Field{Name: "transfer-encoding", Value: runtime.Value{Value: strings.Join(r.TransferEncoding, ", ")}})
	}
	return vs
}

// responseHeaderValues lists an origin response's headers (Set-Cookie goes to cookies).
func responseHeaderValues(h http.Header) runtime.Values {
	return appendHeaderValues(make(runtime.Values, 0, len(h)), h)
}

// appendHeaderValues appends the visible fields of h, sorted by name, each occurrence of a
// repeated field in multiValue.
func appendHeaderValues(vs runtime.Values, h http.Header) runtime.Values {
	var buf [32]string // room for the usual header count without a heap allocation
	names := buf[:0]
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		lower := lowerName(k)
		if hiddenHeader(lower) || lower == "set-cookie" || lower == "host" {
			continue
		}
		for _, v := range h[k] {
			vs.Add(lower, toUTF8(v), "")
		}
	}
	return vs
}

func hasField(vs runtime.Values, name string) bool {
	_, ok := vs.Get(name)
	return ok
}

// cookieValues splits Cookie header lines into cookies, names as sent, values still encoded.
// A repeated name becomes multiValue; a pair without "=" is a name with an empty value.
func cookieValues(lines []string) runtime.Values {
	var vs runtime.Values
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			part = strings.Trim(part, " \t")
			if part == "" {
				continue
			}
			name, value, _ := strings.Cut(part, "=")
			vs.Add(strings.Trim(name, " \t"), toUTF8(strings.Trim(value, " \t")), "")
		}
	}
	return vs
}

// setCookieValues reads Set-Cookie lines: name=value, then the attributes as one string as
// the origin wrote them ("Secure; Path=/; Max-Age=60").
func setCookieValues(lines []string) runtime.Values {
	var vs runtime.Values
	for _, line := range lines {
		pair, attrs, _ := strings.Cut(line, ";")
		name, value, _ := strings.Cut(pair, "=")
		name = strings.Trim(name, " \t")
		if name == "" {
			continue
		}
		vs.Add(name, toUTF8(strings.Trim(value, " \t")), toUTF8(strings.Trim(attrs, " \t")))
	}
	return vs
}

// originResponse builds event.response from an origin's status and headers. The body is not
// exposed (spec §9.1).
func originResponse(status int, reason string, h http.Header) *runtime.Response {
	if reason == "" {
		reason = http.StatusText(status)
	}
	return &runtime.Response{
		StatusCode:        status,
		StatusDescription: reason,
		Headers:           responseHeaderValues(h),
		Cookies:           setCookieValues(h["Set-Cookie"]),
	}
}

// cookieHeader renders request cookies as one Cookie header value.
func cookieHeader(vs runtime.Values) string {
	var b strings.Builder
	for _, f := range vs {
		for _, it := range f.All() {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(f.Name)
			b.WriteByte('=')
			b.WriteString(it.Value)
		}
	}
	return b.String()
}

// setCookieLines renders response cookies as Set-Cookie values.
func setCookieLines(vs runtime.Values) []string {
	var out []string
	for _, f := range vs {
		for _, it := range f.All() {
			line := f.Name + "=" + it.Value
			if it.Attributes != "" {
				line += "; " + it.Attributes
			}
			out = append(out, line)
		}
	}
	return out
}

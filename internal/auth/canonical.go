package auth

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// canonicalRequest builds the SigV4 canonical request, which SigV4A shares:
//
//	METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
//
// The canonical URI is the request's escaped path escaped once more (every service
// but S3 double-encodes: "bad%20name" becomes "bad%2520name", wire.md). skipQuery
// names a query parameter to leave out (X-Amz-Signature on presigned URLs).
func canonicalRequest(r *http.Request, signedHeaders, payloadHash, skipQuery string) (string, bool) {
	var b strings.Builder
	b.Grow(512)
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := escapedPath(r)
	if path == "" {
		path = "/"
	}
	uriEncode(&b, path, true)
	b.WriteByte('\n')
	if !writeCanonicalQuery(&b, rawQuery(r), skipQuery) {
		return "", false
	}
	b.WriteByte('\n')
	for name := range strings.SplitSeq(signedHeaders, ";") {
		b.WriteString(name)
		b.WriteByte(':')
		writeHeaderValue(&b, r, name)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String(), true
}

// escapedPath is the path exactly as the client sent it. A server request keeps the
// raw request-target in RequestURI (possibly absolute-form, as a proxied boto3
// request is); Go's re-escaping in URL.EscapedPath could differ from the client's.
func escapedPath(r *http.Request) string {
	target := r.RequestURI
	if target == "" {
		return r.URL.EscapedPath()
	}
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if !strings.HasPrefix(target, "/") { // absolute-form: scheme://authority/path
		_, rest, ok := strings.Cut(target, "://")
		if !ok {
			return r.URL.EscapedPath()
		}
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return "/"
		}
		target = rest[i:]
	}
	return target
}

func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}

// writeCanonicalQuery decodes each name=value pair (as url.ParseQuery does, '+'
// meaning space), re-encodes both halves strictly and sorts by name, then value.
// It reports false for an escape that does not decode: no client could have
// signed such a query in any agreed form.
func writeCanonicalQuery(b *strings.Builder, raw, skip string) bool {
	if raw == "" {
		return true
	}
	type pair struct{ name, value string }
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		name, err1 := url.QueryUnescape(name)
		value, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return false
		}
		if name == skip {
			continue
		}
		pairs = append(pairs, pair{name, value})
	}
	// AWS sorts by the encoded names and values.
	var enc strings.Builder
	for i := range pairs {
		enc.Reset()
		uriEncode(&enc, pairs[i].name, false)
		pairs[i].name = enc.String()
		enc.Reset()
		uriEncode(&enc, pairs[i].value, false)
		pairs[i].value = enc.String()
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		if c := strings.Compare(x.name, y.name); c != 0 {
			return c
		}
		return strings.Compare(x.value, y.value)
	})
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return true
}

// writeHeaderValue writes a signed header's canonical value: every value of the
// header, trimmed, inner runs of spaces squeezed to one, joined by ','.
func writeHeaderValue(b *strings.Builder, r *http.Request, name string) {
	switch name {
	case "host":
		writeTrimmed(b, r.Host) // Go moves Host out of the header map; it keeps the port
		return
	case "content-length":
		if len(r.Header["Content-Length"]) == 0 && r.ContentLength >= 0 {
			b.WriteString(strconv.FormatInt(r.ContentLength, 10))
			return
		}
	}
	for i, v := range r.Header[textproto.CanonicalMIMEHeaderKey(name)] {
		if i > 0 {
			b.WriteByte(',')
		}
		writeTrimmed(b, v)
	}
}

// writeTrimmed applies SigV4's "trimall": surrounding whitespace goes and runs of
// spaces become one. Only spaces are squeezed, as AWS's documentation and the Go
// SDK have it (botocore and the JS SDK squeeze tabs too; no SDK sends any).
func writeTrimmed(b *strings.Builder, v string) {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b.WriteByte(v[i])
	}
}

// uriEncode percent-encodes every byte except the unreserved characters
// A-Z a-z 0-9 - _ . ~ (and '/' when keepSlash), with upper-case hex, as SigV4 requires.
func uriEncode(b *strings.Builder, s string, keepSlash bool) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && keepSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

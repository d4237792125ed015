package edge

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/localfront/localfront/internal/edge/forward"
	"github.com/localfront/localfront/internal/runtime"
)

// Applying what a function returned to the HTTP messages, with CloudFront's validation
// (spec §9.2–§9.7). Any violation is a validationError: the viewer gets 502
// (FunctionValidationError) and nothing reaches the origin.

// maxURIAndQuery bounds request.uri plus the query string (spec §9.2: under 8192).
const maxURIAndQuery = 8192

// validationError is an invalid function result.
type validationError struct{ msg string }

func (e *validationError) Error() string { return "FunctionValidationError: " + e.msg }

func invalidf(format string, args ...any) error {
	return &validationError{msg: fmt.Sprintf(format, args...)}
}

// checkHeaders validates a function's headers: names must be tokens, values free of control
// characters, disallowed headers absent, read-only headers exactly as they were.
func checkHeaders(in, out runtime.Values, readOnly []string, what string) error {
	for _, f := range out {
		if !validHeaderName(f.Name) {
			return invalidf("%s: %q is not a valid header name", what, f.Name)
		}
		lower := lowerName(f.Name)
		if runtime.IsDisallowedHeader(lower) {
			return invalidf("%s: the header %s cannot be set by a function", what, lower)
		}
		var one [1]runtime.MultiValueItem
		for _, it := range items(&f.Value, &one) {
			if !validHeaderValue(it.Value) {
				return invalidf("%s: the value of %s contains control characters", what, lower)
			}
		}
	}
	for _, name := range readOnly {
		a, hadIt := in.Get(name)
		b, hasIt := lookupFold(out, name)
		if hadIt != hasIt || hadIt && !sameValue(a, b) {
			return invalidf("%s: the header %s is read-only", what, name)
		}
	}
	return nil
}

// checkCookies validates cookie names and values (and attributes for Set-Cookie).
func checkCookies(vs runtime.Values, what string) error {
	for _, f := range vs {
		if f.Name == "" || strings.ContainsAny(f.Name, "=; \t,") || !validHeaderValue(f.Name) {
			return invalidf("%s: %q is not a valid cookie name", what, f.Name)
		}
		var one [1]runtime.MultiValueItem
		for _, it := range items(&f.Value, &one) {
			if strings.ContainsRune(it.Value, ';') || !validHeaderValue(it.Value) || !validHeaderValue(it.Attributes) {
				return invalidf("%s: the cookie %s has an invalid value or attributes", what, f.Name)
			}
		}
	}
	return nil
}

// applyRequest checks the request a viewer-request function returned and applies it to the
// request for the origin. orig is the viewer's header map; fr.Header is replaced when the
// function changed headers or cookies.
func applyRequest(fr *forward.Request, orig http.Header, in, out *runtime.Request) error {
	if out.Method != in.Method {
		return invalidf("request.method is read-only (the function changed %s to %q)", in.Method, out.Method)
	}
	if out.URI != in.URI {
		fr.Path = escapePath(out.URI)
	}
	q := ""
	if out.HasQuery {
		q = out.RawQueryString
	}
	if q != in.RawQueryString {
		if strings.ContainsAny(q, " #") || !validHeaderValue(q) {
			return invalidf("request.querystring contains spaces, control characters or #")
		}
	}
	if len(fr.Path)+len(q) >= maxURIAndQuery {
		return invalidf("request.uri and the query string are %d bytes; the limit is %d", len(fr.Path)+len(q), maxURIAndQuery-1)
	}
	fr.RawQuery = q

	headersSame := sameValues(in.Headers, out.Headers)
	cookiesSame := sameValues(in.Cookies, out.Cookies)
	if headersSame && cookiesSame {
		return nil
	}
	if !headersSame {
		if err := checkHeaders(in.Headers, out.Headers, readOnlyViewerRequest, "request.headers"); err != nil {
			return err
		}
	}
	if !cookiesSame {
		if err := checkCookies(out.Cookies, "request.cookies"); err != nil {
			return err
		}
	}
	fr.Header = requestHeaderFor(orig, in, out, cookiesSame)
	return nil
}

// requestHeaderFor builds the origin request's header map from a function's headers: hidden
// viewer headers as they were, the function's headers with Title-Case names (unmodified values
// as the viewer sent them, spec §9.7), and the cookies as one Cookie header.
func requestHeaderFor(orig http.Header, in, out *runtime.Request, cookiesSame bool) http.Header {
	h := make(http.Header, len(out.Headers)+4)
	for k, v := range orig {
		if lower := lowerName(k); lower != "cookie" && hiddenHeader(lower) && !edgeOwnedHeader(k) {
			h[k] = v
		}
	}
	hv := newHeaderValues(valueCount(out.Headers))
	for i := range out.Headers {
		f := &out.Headers[i]
		lower := lowerName(f.Name)
		if lower == "host" { // read-only; the origin's Host is the forwarder's business
			continue
		}
		key := titleCase(lower)
		if iv, ok := in.Headers.Get(lower); ok && sameValue(iv, f.Value) {
			if raw, ok := orig[key]; ok {
				hv.add(h, key, raw...)
				continue
			}
		}
		hv.addItems(h, key, &f.Value)
	}
	switch {
	case cookiesSame:
		if c := orig["Cookie"]; c != nil {
			h["Cookie"] = c
		}
	case len(out.Cookies) > 0:
		h["Cookie"] = []string{cookieHeader(out.Cookies)}
	}
	return h
}

// escapePath percent-encodes the bytes a function may put in request.uri that cannot appear
// in a request target's path (controls, space, '?', '#'); bytes above 0x7E are encoded by
// the forwarder.
func escapePath(p string) string {
	n := 0
	for i := 0; i < len(p); i++ {
		if needsEscape(p[i]) {
			n++
		}
	}
	if n == 0 {
		return p
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(p)+2*n)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if needsEscape(c) {
			b = append(b, '%', hex[c>>4], hex[c&15])
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func needsEscape(c byte) bool { return c <= ' ' || c == 0x7f || c == '?' || c == '#' }

// framingHeader reports the fields that describe the body's length: the edge keeps them as
// the origin sent them (a function cannot make them lie about the body it does not see).
func framingHeader(canonical string) bool {
	return canonical == "Content-Length" || canonical == "Transfer-Encoding"
}

// applyResponse checks the response a viewer-response function returned and applies it to the
// origin's response.
func applyResponse(resp *forward.Response, in, out *runtime.Response) error {
	return applyResponseTo(resp, in, out, nil)
}

// applyResponseTo is applyResponse building the changed header map in dst when dst is empty
// (the viewer's response header map: WriteResponse then has nothing left to copy), in a new
// map otherwise.
func applyResponseTo(resp *forward.Response, in, out *runtime.Response, dst http.Header) error {
	if out.StatusCode < 200 {
		return invalidf("response.statusCode %d is not a final status", out.StatusCode)
	}
	headersSame := sameValues(in.Headers, out.Headers)
	cookiesSame := sameValues(in.Cookies, out.Cookies)
	if !headersSame {
		if err := checkHeaders(in.Headers, out.Headers, readOnlyViewerResponse, "response.headers"); err != nil {
			return err
		}
	}
	if !cookiesSame {
		if err := checkCookies(out.Cookies, "response.cookies"); err != nil {
			return err
		}
	}
	var body []byte
	if out.Body != nil {
		var err error
		if body, err = bodyBytes(out.Body); err != nil {
			return err
		}
	}

	resp.StatusCode = out.StatusCode
	resp.Reason = out.StatusDescription
	if !headersSame || !cookiesSame {
		h := dst
		if h == nil || len(h) != 0 {
			h = make(http.Header, len(out.Headers)+4)
		}
		for k, v := range resp.Header {
			if framingHeader(k) || hiddenHeader(lowerName(k)) && !edgeOwnedHeader(k) {
				h[k] = v
			}
		}
		hv := newHeaderValues(valueCount(out.Headers))
		for i := range out.Headers {
			f := &out.Headers[i]
			lower := lowerName(f.Name)
			key := titleCase(lower)
			if framingHeader(key) {
				continue
			}
			if iv, ok := in.Headers.Get(lower); ok && sameValue(iv, f.Value) {
				if raw, ok := resp.Header[key]; ok {
					hv.add(h, key, raw...)
					continue
				}
			}
			hv.addItems(h, key, &f.Value)
		}
		if cookiesSame {
			if sc := resp.Header["Set-Cookie"]; sc != nil {
				h["Set-Cookie"] = sc
			}
		} else if lines := setCookieLines(out.Cookies); len(lines) > 0 {
			h["Set-Cookie"] = lines
		}
		resp.Header = h
	}
	if out.Body != nil {
		resp.SetBody(body)
		delete(resp.Header, "Transfer-Encoding")
	}
	return nil
}

// bodyBytes decodes a function's response body (spec §9.3).
func bodyBytes(b *runtime.Body) ([]byte, error) {
	if b.Encoding == runtime.BodyBase64 {
		data, err := base64.StdEncoding.DecodeString(b.Data)
		if err != nil {
			return nil, invalidf("response.body.data is not valid base64")
		}
		return data, nil
	}
	return []byte(b.Data), nil
}

// generatedHeader builds the header map of a response a viewer-request function generated.
func generatedHeader(out *runtime.Response) (http.Header, error) {
	if out.StatusCode < 200 {
		return nil, invalidf("response.statusCode %d is not a final status", out.StatusCode)
	}
	if err := checkHeaders(nil, out.Headers, nil, "response.headers"); err != nil {
		return nil, err
	}
	if err := checkCookies(out.Cookies, "response.cookies"); err != nil {
		return nil, err
	}
	h := make(http.Header, len(out.Headers)+8)
	hv := newHeaderValues(valueCount(out.Headers))
	for i := range out.Headers {
		f := &out.Headers[i]
		key := titleCase(lowerName(f.Name))
		if framingHeader(key) { // the edge frames the body it writes
			continue
		}
		hv.addItems(h, key, &f.Value)
	}
	if lines := setCookieLines(out.Cookies); len(lines) > 0 {
		h["Set-Cookie"] = lines
	}
	return h, nil
}

// valueCount is the number of field values vs holds, multiValue entries counted one by one.
func valueCount(vs runtime.Values) int {
	n := 0
	for i := range vs {
		n += countItems(&vs[i].Value)
	}
	return n
}

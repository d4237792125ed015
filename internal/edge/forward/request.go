package forward

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Request is what goes to the origin, after any viewer-request function ran.
type Request struct {
	Method   string
	Path     string // escaped path as sent on the wire, starting with "/" (the origin path is prefixed)
	RawQuery string // without "?"; "" for none
	// Header holds the viewer's end-to-end fields (canonical names, as net/http gives them).
	// Host, hop-by-hop and Connection-listed fields, Content-Length, Transfer-Encoding and
	// Expect are ignored: the forwarder writes those itself.
	Header http.Header
	// Body is the request body, or nil. ContentLength is its length: 0 for none, -1 for
	// unknown (sent chunked).
	Body          io.Reader
	ContentLength int64
	// ClientIP is the viewer's address, appended to X-Forwarded-For.
	ClientIP string
	// ProtoMajor/ProtoMinor are the viewer's HTTP version; they go into Via ("1.1", "2.0").
	ProtoMajor, ProtoMinor int
	// Context ends the exchange early when the viewer goes away; nil means never.
	Context context.Context
}

// FromHTTP describes a server request for forwarding as it is. To forward a rewritten URI,
// change Path/RawQuery (or Header) on the returned value.
func FromHTTP(r *http.Request) Request {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	var body io.Reader
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
		body = r.Body
	}
	cl := r.ContentLength
	if body == nil {
		cl = 0
	}
	return Request{
		Method:        r.Method,
		Path:          r.URL.EscapedPath(),
		RawQuery:      r.URL.RawQuery,
		Header:        r.Header,
		Body:          body,
		ContentLength: cl,
		ClientIP:      ip,
		ProtoMajor:    r.ProtoMajor,
		ProtoMinor:    r.ProtoMinor,
		Context:       r.Context(),
	}
}

// idempotent methods may be sent again when nothing came back (RFC 9110 §9.2.2); CloudFront
// retries only GET and HEAD on a response timeout.
func (r *Request) idempotent() bool {
	switch r.Method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return r.Body == nil
	}
	return false
}

func (r *Request) retriesOnTimeout() bool {
	return (r.Method == "GET" || r.Method == "HEAD") && r.Body == nil
}

// check refuses what cannot be written as an HTTP/1.1 request head.
func (r *Request) check(o *Origin) error {
	if !validName(r.Method) {
		return errInvalid("method " + strconv.Quote(r.Method) + " is not a token")
	}
	if r.Path == "" || r.Path[0] != '/' || !validPath(r.Path) {
		return errInvalid("path " + strconv.Quote(r.Path) + " is not an absolute path")
	}
	if !validPath(r.RawQuery) {
		return errInvalid("query contains spaces, controls or '#'")
	}
	for k, vv := range r.Header {
		if !validName(k) {
			return errInvalid("header name " + strconv.Quote(k) + " is not a token")
		}
		for _, v := range vv {
			if !validValue(v) {
				return errInvalid("header " + k + " contains control characters")
			}
		}
	}
	if r.ClientIP != "" && !validValue(r.ClientIP) {
		return errInvalid("client IP contains control characters")
	}
	// The origin should have passed Validate; what goes on the wire is checked regardless.
	if !validPath(o.Path) || !validValue(o.Host) || !validValue(o.HostHeader) {
		return errInvalid("origin path or host contains spaces or control characters")
	}
	for _, h := range o.Headers {
		if !validName(h.Name) || !validValue(h.Value) {
			return errInvalid("custom origin header " + strconv.Quote(h.Name) + " is invalid")
		}
	}
	return nil
}

type invalidError string

func (e invalidError) Error() string { return string(e) }

func errInvalid(s string) error { return invalidError(s) }

// writeHead writes the request line and header section (not the body).
func (f *Forwarder) writeHead(bw *bufio.Writer, r *Request, o *Origin) {
	bw.WriteString(r.Method)
	bw.WriteByte(' ')
	writeTarget(bw, o.Path)
	writeTarget(bw, r.Path)
	if r.RawQuery != "" {
		bw.WriteByte('?')
		writeTarget(bw, r.RawQuery)
	}
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	writeHostHeader(bw, o)
	bw.WriteString("\r\n")

	conn := r.Header["Connection"]
	for k, vv := range r.Header {
		if skipRequestField(k) || (conn != nil && connectionListed(conn, k)) || customOverrides(o, k) {
			continue
		}
		for _, v := range vv {
			writeField(bw, k, v)
		}
	}
	for _, h := range o.Headers {
		writeField(bw, h.Name, h.Value)
	}
	if f.viaToken != "" {
		bw.WriteString("Via: ")
		for _, v := range r.Header["Via"] {
			bw.WriteString(v)
			bw.WriteString(", ")
		}
		writeProto(bw, r.ProtoMajor, r.ProtoMinor)
		bw.WriteByte(' ')
		bw.WriteString(f.viaToken)
		bw.WriteString("\r\n")
	} else {
		for _, v := range r.Header["Via"] {
			writeField(bw, "Via", v)
		}
	}
	xff := r.Header["X-Forwarded-For"]
	if len(xff) > 0 || r.ClientIP != "" {
		bw.WriteString("X-Forwarded-For: ")
		for i, v := range xff {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(v)
		}
		if r.ClientIP != "" {
			if len(xff) > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(r.ClientIP)
		}
		bw.WriteString("\r\n")
	}
	switch {
	case r.Body == nil:
		// Methods that normally carry a body get an explicit zero length, as net/http does.
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			bw.WriteString("Content-Length: 0\r\n")
		}
	case r.ContentLength >= 0:
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(bw.AvailableBuffer(), r.ContentLength, 10))
		bw.WriteString("\r\n")
	default:
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	bw.WriteString("\r\n")
}

// skipRequestField lists the viewer fields the forwarder never copies: hop-by-hop ones,
// the ones it writes itself, and Expect (the viewer's 100-continue was already answered by
// the server when the body was read; the origin gets the body without waiting).
func skipRequestField(k string) bool {
	switch k {
	case "Host", "Content-Length", "Via", "X-Forwarded-For", "Expect":
		return true
	}
	return hopByHop(k)
}

func customOverrides(o *Origin, k string) bool {
	for i := range o.Headers {
		if len(o.Headers[i].Name) == len(k) && equalFoldASCII(o.Headers[i].Name, k) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func writeField(bw *bufio.Writer, k, v string) {
	bw.WriteString(k)
	bw.WriteString(": ")
	bw.WriteString(v)
	bw.WriteString("\r\n")
}

func writeProto(bw *bufio.Writer, major, minor int) {
	if major <= 0 { // unknown: say what we speak
		major, minor = 1, 1
	}
	out := strconv.AppendInt(bw.AvailableBuffer(), int64(major), 10)
	out = append(out, '.')
	out = strconv.AppendInt(out, int64(minor), 10)
	bw.Write(out) // AvailableBuffer: no copy, no allocation
}

const hexUpper = "0123456789ABCDEF"

// writeTarget writes a path or query, percent-encoding bytes above 0x7E (a function may
// set a UTF-8 URI; the wire wants ASCII). validPath already refused spaces and controls.
func writeTarget(bw *bufio.Writer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c > 0x7e {
			bw.WriteString(s[start:i])
			bw.WriteByte('%')
			bw.WriteByte(hexUpper[c>>4])
			bw.WriteByte(hexUpper[c&15])
			start = i + 1
		}
	}
	bw.WriteString(s[start:])
}

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// writeBody copies the viewer's body to the origin: exactly n bytes, or chunked when n < 0.
func writeBody(bw interface {
	io.Writer
	WriteString(string) (int, error)
}, body io.Reader, n int64) error {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	if n >= 0 {
		for n > 0 {
			chunk := buf
			if int64(len(chunk)) > n {
				chunk = chunk[:n]
			}
			k, rerr := body.Read(chunk)
			if k > 0 {
				if _, err := bw.Write(chunk[:k]); err != nil {
					return err
				}
				n -= int64(k)
			}
			if rerr == io.EOF && n > 0 {
				return &viewerBodyError{io.ErrUnexpectedEOF}
			}
			if rerr != nil && rerr != io.EOF {
				return &viewerBodyError{rerr}
			}
		}
		return nil
	}
	for {
		k, rerr := body.Read(buf)
		if k > 0 {
			if _, err := bw.WriteString(strconv.FormatInt(int64(k), 16) + "\r\n"); err != nil {
				return err
			}
			if _, err := bw.Write(buf[:k]); err != nil {
				return err
			}
			if _, err := bw.WriteString("\r\n"); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			_, err := bw.WriteString("0\r\n\r\n")
			return err
		}
		if rerr != nil {
			return &viewerBodyError{rerr}
		}
	}
}

// writeHostHeader writes o.hostHeader() without building the string (it would allocate on
// every request to an origin on a non-default port).
func writeHostHeader(bw *bufio.Writer, o *Origin) {
	if o.HostHeader != "" {
		bw.WriteString(o.HostHeader)
		return
	}
	bracket := strings.IndexByte(o.Host, ':') >= 0
	if bracket {
		bw.WriteByte('[')
	}
	bw.WriteString(o.Host)
	if bracket {
		bw.WriteByte(']')
	}
	if o.Port == 0 || (o.Scheme == "https" && o.Port == 443) || (o.Scheme != "https" && o.Port == 80) {
		return
	}
	var num [8]byte
	bw.WriteByte(':')
	bw.Write(strconv.AppendInt(num[:0], int64(o.port()), 10))
}

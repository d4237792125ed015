package h1server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// holdLimit is how much body a handler may write before the head goes out without a
// Content-Length (net/http's figure): a short response that ends within it gets one.
const holdLimit = 2048

// response is the http.ResponseWriter of one request; a connection reuses it. It follows
// net/http's rules: the header is taken when WriteHeader is called, a missing Date is added
// (a nil value suppresses it), and the body is length-delimited when the length is known,
// chunked otherwise (close-delimited for HTTP/1.0). Unlike net/http it does not guess a
// Content-Type.
type response struct {
	c           *conn
	req         *http.Request
	header      http.Header
	status      int
	wroteHeader bool
	headSent    bool
	head        bool  // a HEAD request: body bytes are counted, not sent
	bodyAllowed bool  // the status allows a body
	cl          int64 // the declared or computed Content-Length; -1 when unknown
	chunked     bool
	written     int64  // body bytes the handler wrote
	held        []byte // body held back while the head is unsent, to send a Content-Length
	headBuf     []byte // the head without its framing lines, taken at WriteHeader
	closeAfter  bool
	reqBody     *requestBody // nil when the request has none
	err         error        // the connection failed: later writes fail
}

func (w *response) reset(c *conn, req *http.Request, body *requestBody) {
	clear(w.header)
	*w = response{c: c, req: req, header: w.header, held: w.held[:0], headBuf: w.headBuf[:0], cl: -1,
		head: req.Method == http.MethodHead, closeAfter: req.Close, reqBody: body}
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		w.informational(code)
		return
	}
	w.wroteHeader, w.status = true, code
	w.bodyAllowed = code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
	h := w.header
	if te := h["Transfer-Encoding"]; len(te) > 0 {
		delete(h, "Content-Length") // chunked by the handler's choice: the length is unknown
	} else if v := h["Content-Length"]; len(v) == 1 {
		if n, err := strconv.ParseInt(v[0], 10, 64); err == nil && n >= 0 {
			w.cl = n
		}
	}
	if httpguts.HeaderValuesContainsToken(h["Connection"], "close") {
		w.closeAfter = true
	}
	w.headBuf = w.appendHead(w.headBuf[:0], code, true)
}

// appendHead appends the status line and the header fields except the framing ones
// (Content-Length, Transfer-Encoding, Connection), which sendHead writes.
func (w *response) appendHead(b []byte, code int, addDate bool) []byte {
	if w.req.ProtoAtLeast(1, 1) {
		b = append(b, "HTTP/1.1 "...)
	} else {
		b = append(b, "HTTP/1.0 "...)
	}
	b = append(b, statusLine(code)...)
	b = append(b, "\r\n"...)
	for k, vv := range w.header {
		if framingField(k) {
			continue
		}
		if !httpguts.ValidHeaderFieldName(k) {
			continue // never let a name split the head
		}
		for _, v := range vv {
			b = append(b, k...)
			b = append(b, ": "...)
			b = appendValue(b, v)
			b = append(b, "\r\n"...)
		}
	}
	if _, ok := w.header["Date"]; !ok && addDate {
		b = append(b, "Date: "...)
		b = append(b, httpDate()...)
		b = append(b, "\r\n"...)
	}
	return b
}

// framingField: the fields sendHead writes itself, in any case.
func framingField(k string) bool {
	switch len(k) {
	case len("Connection"):
		return strings.EqualFold(k, "Connection")
	case len("Content-Length"):
		return strings.EqualFold(k, "Content-Length")
	case len("Transfer-Encoding"):
		return strings.EqualFold(k, "Transfer-Encoding")
	}
	return false
}

// informational sends a 1xx response now; the handler goes on to the final one.
func (w *response) informational(code int) {
	if w.err != nil {
		return
	}
	b := append(w.appendHead(w.headBuf[:0], code, false), "\r\n"...)
	w.headBuf = b[:0]
	if _, err := w.c.bw.Write(b); err != nil {
		w.err = err
		return
	}
	w.err = w.c.bw.Flush()
}

func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil {
		return 0, w.err
	}
	if !w.bodyAllowed {
		return 0, http.ErrBodyNotAllowed
	}
	if w.cl >= 0 && w.written+int64(len(p)) > w.cl {
		return 0, http.ErrContentLength
	}
	w.written += int64(len(p))
	if w.head {
		return len(p), nil
	}
	if !w.headSent {
		if w.cl < 0 && len(w.held)+len(p) <= holdLimit {
			w.held = append(w.held, p...)
			return len(p), nil
		}
		if !w.sendHead(false) {
			return 0, w.err
		}
	}
	if !w.body(p) {
		return 0, w.err
	}
	return len(p), nil
}

// Flush sends what the handler wrote so far.
func (w *response) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil || !w.headSent && !w.sendHead(false) {
		return
	}
	w.err = w.c.bw.Flush()
}

// finish ends the response after the handler returned and reports whether the connection
// is still usable.
func (w *response) finish() bool {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil || !w.headSent && !w.sendHead(true) {
		return false
	}
	if w.chunked {
		w.c.bw.WriteString("0\r\n\r\n")
	}
	if err := w.c.bw.Flush(); err != nil {
		return false
	}
	// A body shorter than its Content-Length leaves the client waiting for the rest.
	return !(w.cl >= 0 && w.bodyAllowed && !w.head && w.written < w.cl)
}

// sendHead writes the head with its framing lines, then the held body. done: the handler
// has returned, so a held body's length is the whole body's.
func (w *response) sendHead(done bool) bool {
	w.headSent = true
	if w.c.s.closing.Load() {
		w.closeAfter = true // shutting down: this is the connection's last answer
	}
	// As net/http: before the head, the body the handler left unread is dropped (up to
	// maxDrain), so the head can say whether the connection stays open; a client sending
	// its whole request before reading could otherwise block.
	if w.reqBody != nil && !w.closeAfter && !w.reqBody.settle() {
		w.closeAfter = true
	}
	b := w.headBuf
	switch {
	case !w.bodyAllowed:
		if w.status == http.StatusNotModified && w.cl >= 0 {
			b = appendLength(b, w.cl)
		}
	case w.cl >= 0:
		b = appendLength(b, w.cl)
	case w.head:
		if done && w.written > 0 {
			b = appendLength(b, w.written)
		}
	case done:
		w.cl = int64(len(w.held))
		b = appendLength(b, w.cl)
	case w.req.ProtoAtLeast(1, 1):
		w.chunked = true
		b = append(b, "Transfer-Encoding: chunked\r\n"...)
	default:
		w.closeAfter = true // HTTP/1.0 and no length: the connection's end ends the body
	}
	switch {
	case w.closeAfter:
		b = append(b, "Connection: close\r\n"...)
	case !w.req.ProtoAtLeast(1, 1):
		b = append(b, "Connection: keep-alive\r\n"...)
	}
	b = append(b, "\r\n"...)
	w.headBuf = b
	if _, err := w.c.bw.Write(b); err != nil {
		w.err = err
		return false
	}
	if len(w.held) > 0 {
		held := w.held
		w.held = w.held[:0]
		return w.body(held)
	}
	return true
}

// body writes body bytes, as a chunk when chunked.
func (w *response) body(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	bw := w.c.bw
	if w.chunked {
		var n [16]byte
		bw.Write(strconv.AppendInt(n[:0], int64(len(p)), 16))
		bw.WriteString("\r\n")
	}
	if _, err := bw.Write(p); err != nil {
		w.err = err
		return false
	}
	if w.chunked {
		if _, err := bw.WriteString("\r\n"); err != nil {
			w.err = err
			return false
		}
	}
	return true
}

func appendLength(b []byte, n int64) []byte {
	b = append(b, "Content-Length: "...)
	b = strconv.AppendInt(b, n, 10)
	return append(b, "\r\n"...)
}

// appendValue appends a field value as net/http writes it: line breaks become spaces, and
// surrounding spaces and tabs are trimmed.
func appendValue(b []byte, v string) []byte {
	if strings.ContainsAny(v, "\r\n") {
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
	}
	return append(b, strings.Trim(v, " \t")...)
}

// statusLine is "<code> <reason>", in net/http's form for codes without a reason.
func statusLine(code int) string {
	if code < len(statusLines) {
		return statusLines[code]
	}
	return formatStatus(code)
}

// statusLines holds the lines of the codes 100–599, made once.
var statusLines = func() (t [600]string) {
	for code := 100; code < len(t); code++ {
		t[code] = formatStatus(code)
	}
	return t
}()

func formatStatus(code int) string {
	if text := http.StatusText(code); text != "" {
		return strconv.Itoa(code) + " " + text
	}
	return strconv.Itoa(code) + " status code " + strconv.Itoa(code)
}

// httpDate is the Date header's value, formatted once a second.
func httpDate() string {
	now := time.Now()
	if d := cachedDate.Load(); d != nil && d.unix == now.Unix() {
		return d.text
	}
	d := &dateText{unix: now.Unix(), text: now.UTC().Format(http.TimeFormat)}
	cachedDate.Store(d)
	return d.text
}

type dateText struct {
	unix int64
	text string
}

var cachedDate atomic.Pointer[dateText]

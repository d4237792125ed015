package forward

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxHeaderBytes bounds an origin's response head (status line and fields).
const DefaultMaxHeaderBytes = 64 << 10

// Response is the origin's answer: status and end-to-end headers, with the body still on the
// connection. Change StatusCode, Reason and Header freely before WriteResponse; Close it
// (WriteResponse does) to give the connection back.
type Response struct {
	StatusCode int
	Reason     string // the origin's reason phrase, e.g. "OK" (net/http servers write their own)
	ProtoMinor int    // 0 for an HTTP/1.0 origin, 1 for HTTP/1.1
	// Header has the origin's fields minus hop-by-hop ones. Content-Length is kept when the
	// body is framed by it (and for HEAD/304, where it describes the representation).
	Header http.Header
	// ContentLength is the body length, or -1 when unknown (chunked, or until close).
	ContentLength int64
	// Body reads the origin's body; it reports io.EOF at its end. Bodiless responses
	// (HEAD, 1xx, 204, 304) read io.EOF at once.
	Body io.Reader

	body     body
	replaced []byte // set by SetBody
	hasRepl  bool

	c            *conn
	p            *pool
	keepAlive    bool // the connection may serve another request once the body is read
	keepAliveFor time.Duration
	stop         func() bool // stops the request context's watch
	closed       bool
}

// SetBody replaces the origin's body (a viewer-response function's response.body). The
// origin's body is discarded and Content-Length set to len(data).
func (r *Response) SetBody(data []byte) {
	r.replaced = data
	r.hasRepl = true
	r.ContentLength = int64(len(data))
	r.Header["Content-Length"] = []string{strconv.Itoa(len(data))}
}

// Close releases the connection: back to the pool when the body was read to its end and the
// connection can carry another request, closed otherwise.
func (r *Response) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	c := r.c
	if r.stop != nil && !r.stop() {
		c.close() // the request context ended: the connection was canceled
		return nil
	}
	reusable := r.keepAlive && r.body.err == nil
	if reusable && !r.body.done {
		reusable = r.body.discardBuffered()
	}
	if reusable && c.br.Buffered() == 0 {
		r.p.put(c, time.Now(), r.keepAliveFor)
	} else {
		c.close()
	}
	return nil
}

// discardBuffered finishes an unread body when what is left is already in memory, so the
// connection can still be reused; it reports whether the body is now done.
func (b *body) discardBuffered() bool {
	switch b.mode {
	case bodyNone:
		b.done = true
	case bodyLength:
		if b.remaining <= int64(b.br.Buffered()) {
			b.br.Discard(int(b.remaining))
			b.remaining = 0
			b.done = true
		}
	}
	return b.done
}

// errHeadTooLarge is a protocol failure (KindProtocol).
var errHeadTooLarge = protocolError("response head too large")

type protocolError string

func (e protocolError) Error() string { return string(e) }

// readHead reads one response head from br into resp, skipping 1xx interim responses.
func readHead(br *bufio.Reader, resp *Response, maxBytes int) error {
	for {
		block, err := readBlock(br, maxBytes)
		if err != nil {
			return err
		}
		if err := parseHead(block, resp); err != nil {
			return err
		}
		if resp.StatusCode >= 200 {
			return nil
		}
		if resp.StatusCode == 101 { // we never ask to upgrade
			return protocolError("unexpected 101 Switching Protocols")
		}
		resp.Header = nil // interim response: the real one follows
	}
}

// readBlock returns the head, from the status line up to (without) the empty line that ends
// it, as one string, so every field name and value is a substring of a single allocation.
// It consumes the head and its terminating empty line from br.
func readBlock(br *bufio.Reader, maxBytes int) (string, error) {
	// Fast path: the whole head is (or becomes) present in br's buffer.
	scanned := 0
	for {
		n := br.Buffered()
		buf, _ := br.Peek(n)
		if end, next := headEnd(buf, scanned); end >= 0 {
			if end > maxBytes {
				return "", errHeadTooLarge
			}
			s := string(buf[:end])
			br.Discard(next)
			return s, nil
		}
		if n > 0 {
			scanned = n - 3 // a terminator may straddle what we have and what comes
			if scanned < 0 {
				scanned = 0
			}
		}
		if n >= br.Size() || n >= maxBytes {
			break // does not fit the buffer: take the slow path
		}
		if _, err := br.Peek(n + 1); err != nil {
			if n == 0 && errors.Is(err, io.EOF) {
				return "", io.EOF
			}
			if errors.Is(err, io.EOF) {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
	// Slow path: accumulate lines until the empty one.
	var acc []byte
	for {
		line, err := br.ReadSlice('\n')
		if len(acc)+len(line) > maxBytes {
			return "", errHeadTooLarge
		}
		if err == bufio.ErrBufferFull {
			acc = append(acc, line...)
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		if (len(line) == 1 || len(line) == 2 && line[0] == '\r') && len(acc) > 0 && acc[len(acc)-1] == '\n' {
			return string(acc), nil
		}
		acc = append(acc, line...)
	}
}

// headEnd finds the empty line ending a head in buf, searching from about `from`. It returns
// the length of the head (ending with its last field's line break) and the number of bytes to
// consume, or -1, -1. Bare LF line ends are accepted (RFC 9112 §2.2).
func headEnd(buf []byte, from int) (end, next int) {
	for i := from; i < len(buf); i++ {
		if buf[i] != '\n' {
			continue
		}
		j := i + 1
		if j < len(buf) && buf[j] == '\n' {
			return j, j + 1
		}
		if j+1 < len(buf) && buf[j] == '\r' && buf[j+1] == '\n' {
			return j, j + 2
		}
	}
	return -1, -1
}

// parseHead parses a status line and fields (block as returned by readBlock).
func parseHead(block string, resp *Response) error {
	line, rest := nextLine(block)
	if err := parseStatusLine(line, resp); err != nil {
		return err
	}
	fields := strings.Count(rest, "\n")
	h := make(http.Header, fields)
	vals := make([]string, fields) // one backing array for the common single-value fields
	for rest != "" {
		line, rest = nextLine(rest)
		if line == "" {
			return protocolError("empty line inside response head")
		}
		if line[0] == ' ' || line[0] == '\t' {
			// obs-fold: a proxy may reject the message (RFC 9112 §5.2).
			return protocolError("obsolete line folding in response head")
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 {
			return protocolError("response header line without a name")
		}
		name := line[:colon]
		if !validName(name) { // also refuses whitespace before the colon (RFC 9112 §5.1)
			return protocolError("invalid response header name " + quoteShort(name))
		}
		value := trimOWS(line[colon+1:])
		if !validValue(value) {
			return protocolError("invalid byte in response header " + quoteShort(name))
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		if old, ok := h[key]; ok {
			h[key] = append(old, value)
		} else if len(vals) > 0 {
			vals[0] = value
			h[key] = vals[:1:1]
			vals = vals[1:]
		} else {
			h[key] = []string{value}
		}
	}
	resp.Header = h
	return nil
}

func nextLine(s string) (line, rest string) {
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		line, rest = s, ""
	} else {
		line, rest = s[:i], s[i+1:]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

// parseStatusLine reads "HTTP/1.x NNN reason".
func parseStatusLine(line string, resp *Response) error {
	if len(line) < 12 || line[:7] != "HTTP/1." || line[8] != ' ' || (len(line) > 12 && line[12] != ' ') {
		return protocolError("malformed status line " + quoteShort(line))
	}
	switch line[7] {
	case '0':
		resp.ProtoMinor = 0
	case '1':
		resp.ProtoMinor = 1
	default:
		return protocolError("unsupported protocol in status line " + quoteShort(line))
	}
	code := 0
	for i := 9; i < 12; i++ {
		c := line[i]
		if c < '0' || c > '9' {
			return protocolError("malformed status code " + quoteShort(line))
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return protocolError("status code out of range " + quoteShort(line))
	}
	resp.StatusCode = code
	resp.Reason = ""
	if len(line) > 13 {
		resp.Reason = line[13:]
		if !validValue(resp.Reason) {
			return protocolError("invalid byte in reason phrase")
		}
	}
	return nil
}

func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return "\"" + strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s), "?") + "\""
}

package forward

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
)

type bodyMode uint8

const (
	bodyNone    bodyMode = iota // HEAD, 1xx, 204, 304
	bodyLength                  // Content-Length
	bodyChunked                 // Transfer-Encoding: chunked
	bodyClose                   // until the origin closes the connection
)

type chunkState uint8

const (
	chunkSize chunkState = iota // expecting a chunk-size line
	chunkData                   // inside chunk data
	chunkEnd                    // expecting the CRLF after chunk data
)

const (
	maxChunkLine    = 4 << 10
	maxTrailerBytes = 64 << 10
)

// body reads one response body from the connection's buffered reader.
type body struct {
	br        *bufio.Reader
	mode      bodyMode
	remaining int64 // bodyLength: bytes left; bodyChunked: bytes left in the current chunk
	state     chunkState
	done      bool  // the whole body was read, the connection is positioned after it
	err       error // sticky failure
}

func (b *body) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	if b.err != nil {
		return 0, b.err
	}
	var n int
	var err error
	switch b.mode {
	case bodyNone:
		b.done = true
		return 0, io.EOF
	case bodyLength:
		n, err = b.readLength(p)
	case bodyChunked:
		n, err = b.readChunked(p)
	default:
		n, err = b.br.Read(p)
		if err == io.EOF {
			b.done = true
		}
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

func (b *body) readLength(p []byte) (int, error) {
	if b.remaining == 0 {
		b.done = true
		return 0, io.EOF
	}
	if int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.br.Read(p)
	b.remaining -= int64(n)
	if b.remaining == 0 {
		b.done = true
		return n, io.EOF
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (b *body) readChunked(p []byte) (int, error) {
	for {
		switch b.state {
		case chunkSize:
			line, err := readChunkLine(b.br)
			if err != nil {
				return 0, err
			}
			size, err := parseChunkSize(line)
			if err != nil {
				return 0, err
			}
			if size == 0 {
				if err := skipTrailer(b.br); err != nil {
					return 0, err
				}
				b.done = true
				return 0, io.EOF
			}
			b.remaining = size
			b.state = chunkData
		case chunkData:
			if len(p) == 0 {
				return 0, nil
			}
			q := p
			if int64(len(q)) > b.remaining {
				q = q[:b.remaining]
			}
			n, err := b.br.Read(q)
			b.remaining -= int64(n)
			if b.remaining == 0 {
				b.state = chunkEnd
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if n > 0 || err != nil {
				return n, err
			}
		case chunkEnd:
			line, err := readChunkLine(b.br)
			if err != nil {
				return 0, err
			}
			if len(line) != 0 {
				return 0, protocolError("chunk data longer than its size")
			}
			b.state = chunkSize
		}
	}
}

// readChunkLine returns one line without its CRLF (or bare LF).
func readChunkLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(line) > maxChunkLine {
		return nil, protocolError("chunk line too long")
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// parseChunkSize reads the hex size at the start of a chunk line; chunk extensions
// (";name=value") are ignored, as RFC 9112 §7.1.1 lets a recipient do.
func parseChunkSize(line []byte) (int64, error) {
	var size int64
	i := 0
	for ; i < len(line); i++ {
		c := line[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			goto rest
		}
		if i >= 15 { // 15 hex digits is far past any real chunk and cannot overflow
			return 0, protocolError("chunk size too large")
		}
		size = size<<4 | int64(d)
	}
rest:
	if i == 0 {
		return 0, protocolError("malformed chunk size " + quoteShort(string(line)))
	}
	tail := line[i:]
	for len(tail) > 0 && (tail[0] == ' ' || tail[0] == '\t') {
		tail = tail[1:]
	}
	if len(tail) > 0 && tail[0] != ';' {
		return 0, protocolError("malformed chunk size " + quoteShort(string(line)))
	}
	return size, nil
}

// skipTrailer consumes the trailer section after the last chunk. Trailer fields are not
// forwarded (the viewer gets the body, not the origin's trailers).
func skipTrailer(br *bufio.Reader) error {
	total := 0
	for {
		line, err := readChunkLine(br)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return nil
		}
		total += len(line)
		if total > maxTrailerBytes {
			return protocolError("chunked trailer too large")
		}
	}
}

// frame decides how the body is delimited (RFC 9112 §6.3) and whether the connection can be
// reused, and removes the hop-by-hop fields from the header.
func frame(resp *Response, method string) error {
	h := resp.Header
	conn := h["Connection"]
	if resp.ProtoMinor == 0 {
		resp.keepAlive = hasToken(conn, "keep-alive")
	} else {
		resp.keepAlive = !hasToken(conn, "close")
	}
	te, hasTE := h["Transfer-Encoding"]
	cl, hasCL := h["Content-Length"]
	resp.ContentLength = -1
	switch {
	case method == "HEAD" || resp.StatusCode == 204 || resp.StatusCode == 304:
		resp.body.mode = bodyNone
		resp.ContentLength = 0
		if resp.StatusCode == 204 {
			delete(h, "Content-Length") // a 204 has no content to measure (RFC 9110 §8.6)
		} else if hasCL {
			if n, err := parseContentLength(cl); err == nil {
				resp.ContentLength = n
			} else {
				return err
			}
		}
	case hasTE && resp.ProtoMinor == 0:
		// HTTP/1.0 has no transfer codings: the framing is faulty, and a proxy answers 502
		// (RFC 9112 §6.1, §6.3).
		return protocolError("Transfer-Encoding in an HTTP/1.0 response")
	case hasTE:
		if hasCL {
			// Both: Transfer-Encoding wins, Content-Length goes, and the connection is not
			// trusted for another message (RFC 9112 §6.3).
			delete(h, "Content-Length")
			resp.keepAlive = false
		}
		if lastCodingChunked(te) {
			resp.body.mode = bodyChunked
		} else {
			resp.body.mode = bodyClose
			resp.keepAlive = false
		}
	case hasCL:
		n, err := parseContentLength(cl)
		if err != nil {
			return err
		}
		resp.body.mode = bodyLength
		resp.body.remaining = n
		resp.ContentLength = n
		if len(cl) > 1 || cl[0] != strconv.FormatInt(n, 10) {
			h["Content-Length"] = []string{strconv.FormatInt(n, 10)}
		}
	default:
		resp.body.mode = bodyClose
		resp.keepAlive = false
	}
	removeHopByHop(h)
	return nil
}

// parseContentLength accepts one decimal value, or a list of identical ones (RFC 9110 §8.6).
func parseContentLength(values []string) (int64, error) {
	n := int64(-1)
	for _, v := range values {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			tok = trimOWS(tok)
			m, ok := parseDecimal(tok)
			if !ok {
				return 0, protocolError("invalid Content-Length " + quoteShort(tok))
			}
			if n >= 0 && m != n {
				return 0, protocolError("conflicting Content-Length values")
			}
			n = m
		}
	}
	if n < 0 {
		return 0, protocolError("empty Content-Length")
	}
	return n, nil
}

func parseDecimal(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func lastCodingChunked(te []string) bool {
	last := ""
	for _, v := range te {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			if tok = trimOWS(tok); tok != "" {
				last = tok
			}
		}
	}
	return strings.EqualFold(last, "chunked")
}

// Package wirecapture reads the request captures recorded from real AWS clients
// (docs/wire-captures, copied into this package's testdata) so tests can replay them.
//
// A capture file holds at most one request, in this layout (LF line ends):
//
//	=== REQUEST #119 2026-11-24T21:11:30.007Z
//	PUT /2020-05-31/function/cap-fn HTTP/1.1
//	# path=/2020-05-31/function/cap-fn
//	# query=[["Stage", "LIVE"]]
//	Name: value                      (headers, in the order received)
//	--- body (519 bytes) ---
//	<exactly 519 bytes>
//	--- response 200 ---
//	Name: value                      (the canned answer's headers, then its body)
//	...
//	--- client <name> result:         (what the client printed; free text)
//
// Files where the client failed before sending anything have no "=== REQUEST" line;
// Parse reports ErrNoRequest for them.
package wirecapture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNoRequest means the file is a capture in which the client sent no request.
var ErrNoRequest = errors.New("wirecapture: capture holds no request")

// Header is one header line, with the name spelled as the client sent it.
type Header struct {
	Name, Value string
}

// Response is the canned answer the recording server gave. Its body is best effort:
// the recorder did not frame it, so trailing newlines are not preserved.
type Response struct {
	Status  int
	Headers []Header
	Body    []byte
}

// Capture is one recorded request.
type Capture struct {
	Name       string    // file name without directory and ".txt", e.g. "gosdk-update-function"
	Number     int       // the recorder's request counter
	Received   time.Time // when the recorder received it
	Method     string    // e.g. "PUT"
	Target     string    // the raw request-target: origin-form "/p?q" or absolute-form "http://h/p"
	Proto      string    // e.g. "HTTP/1.1"
	Path       string    // the escaped path, as the recorder noted it ("# path=")
	Query      [][2]string
	Headers    []Header
	Body       []byte
	Response   *Response // nil when the file has no response section
	ClientText string    // everything from the first "--- client" line on
}

// Dir is the directory holding the capture files shipped with this package. It is
// found from this source file's path, so it needs a build without -trimpath (as
// `go test` is).
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("wirecapture: cannot locate package source")
	}
	return filepath.Join(filepath.Dir(file), "testdata")
}

// Parse reads and parses one capture file.
func Parse(path string) (Capture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Capture{}, err
	}
	c, err := ParseBytes(data)
	if err != nil {
		return Capture{}, fmt.Errorf("%s: %w", path, err)
	}
	c.Name = strings.TrimSuffix(filepath.Base(path), ".txt")
	return c, nil
}

// ParseDir parses every *.txt capture in dir, sorted by file name, skipping files
// that hold no request. Any other parse error stops it.
func ParseDir(dir string) ([]Capture, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Capture
	for _, p := range paths {
		c, err := Parse(p)
		if errors.Is(err, ErrNoRequest) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

const (
	requestMarker  = "=== REQUEST #"
	bodyPrefix     = "--- body ("
	bodySuffix     = " bytes) ---"
	responsePrefix = "--- response "
	clientPrefix   = "--- client"
)

// ParseBytes parses the content of one capture file.
func ParseBytes(data []byte) (Capture, error) {
	start := bytes.Index(data, []byte(requestMarker))
	if start < 0 {
		return Capture{}, ErrNoRequest
	}
	p := &lineReader{data: data, pos: start, line: bytes.Count(data[:start], []byte("\n"))}
	if start > 0 && data[start-1] != '\n' {
		return Capture{}, p.errorf("request marker does not start a line")
	}
	var c Capture

	if err := c.parseMarker(p.next()); err != nil {
		return Capture{}, p.errorf("%v", err)
	}
	if err := c.parseRequestLine(p.next()); err != nil {
		return Capture{}, p.errorf("%v", err)
	}
	path, ok := strings.CutPrefix(p.next(), "# path=")
	if !ok {
		return Capture{}, p.errorf(`want "# path=" line`)
	}
	c.Path = path
	query, ok := strings.CutPrefix(p.next(), "# query=")
	if !ok {
		return Capture{}, p.errorf(`want "# query=" line`)
	}
	if err := c.parseQuery(query); err != nil {
		return Capture{}, p.errorf("query is not a JSON list of pairs: %v", err)
	}

	bodyLen := -1
	for !p.done() {
		line := p.next()
		if n, ok := parseBodyMarker(line); ok {
			bodyLen = n
			break
		}
		h, err := parseHeader(line)
		if err != nil {
			return Capture{}, p.errorf("%v", err)
		}
		c.Headers = append(c.Headers, h)
	}
	if bodyLen < 0 {
		return Capture{}, p.errorf("no %q line", bodyPrefix+"N"+bodySuffix)
	}
	if bodyLen > len(data)-p.pos {
		return Capture{}, p.errorf("body of %d bytes runs past the end of the file", bodyLen)
	}
	c.Body = data[p.pos : p.pos+bodyLen : p.pos+bodyLen]
	p.pos += bodyLen
	if err := c.checkContentLength(); err != nil {
		return Capture{}, p.errorf("%v", err)
	}
	// The recorder ends the body with one newline of its own.
	if !p.done() && p.next() != "" {
		return Capture{}, p.errorf("body is longer than its declared %d bytes", bodyLen)
	}
	if err := c.parseTail(p); err != nil {
		return Capture{}, err
	}
	return c, nil
}

func (c *Capture) parseMarker(line string) error {
	rest, ok := strings.CutPrefix(line, requestMarker)
	if !ok {
		return fmt.Errorf("want %q line", requestMarker)
	}
	num, when, ok := strings.Cut(rest, " ")
	if !ok {
		return fmt.Errorf("request marker %q lacks a time", line)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return fmt.Errorf("request number %q: %v", num, err)
	}
	t, err := time.Parse(time.RFC3339Nano, when)
	if err != nil {
		return fmt.Errorf("request time %q: %v", when, err)
	}
	c.Number, c.Received = n, t
	return nil
}

func (c *Capture) parseRequestLine(line string) error {
	f := strings.Split(line, " ")
	if len(f) != 3 || f[0] == "" || f[1] == "" || !strings.HasPrefix(f[2], "HTTP/") {
		return fmt.Errorf("malformed request line %q", line)
	}
	c.Method, c.Target, c.Proto = f[0], f[1], f[2]
	return nil
}

func (c *Capture) parseQuery(text string) error {
	var pairs [][]string
	if err := json.Unmarshal([]byte(text), &pairs); err != nil {
		return err
	}
	for _, p := range pairs {
		if len(p) != 2 {
			return fmt.Errorf("%q is not a name/value pair", p)
		}
		c.Query = append(c.Query, [2]string{p[0], p[1]})
	}
	return nil
}

func parseBodyMarker(line string) (int, bool) {
	rest, ok := strings.CutPrefix(line, bodyPrefix)
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, bodySuffix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// parseHeader splits "Name: value". The name must be an HTTP token, which is also
// how a response's header block is told apart from its body.
func parseHeader(line string) (Header, error) {
	name, value, ok := strings.Cut(line, ":")
	if !ok || !isToken(name) {
		return Header{}, fmt.Errorf("malformed header line %q", line)
	}
	return Header{Name: name, Value: strings.Trim(value, " \t")}, nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

func (c *Capture) checkContentLength() error {
	cl, ok := c.Header("Content-Length")
	if !ok {
		if len(c.Body) > 0 {
			return errors.New("body present but no Content-Length header")
		}
		return nil
	}
	n, err := strconv.Atoi(cl)
	if err != nil || n != len(c.Body) {
		return fmt.Errorf("Content-Length %q does not match the %d-byte body", cl, len(c.Body))
	}
	return nil
}

// parseTail reads the optional response section and the client's output.
func (c *Capture) parseTail(p *lineReader) error {
	rest := string(p.data[p.pos:])
	if i := strings.Index(rest, "\n"+clientPrefix); i >= 0 {
		c.ClientText = rest[i+1:]
		rest = rest[:i]
	} else if strings.HasPrefix(rest, clientPrefix) {
		c.ClientText, rest = rest, ""
	}
	if rest == "" {
		return nil
	}
	first, block, _ := strings.Cut(rest, "\n")
	status, ok := strings.CutPrefix(first, responsePrefix)
	status, ok2 := strings.CutSuffix(status, " ---")
	if !ok || !ok2 {
		return p.errorf("want %q line after the body, got %q", responsePrefix+"NNN ---", first)
	}
	code, err := strconv.Atoi(status)
	if err != nil {
		return p.errorf("response status %q: %v", status, err)
	}
	resp := &Response{Status: code}
	for block != "" {
		line, after, _ := strings.Cut(block, "\n")
		h, err := parseHeader(line)
		if err != nil {
			break // the body starts here
		}
		resp.Headers = append(resp.Headers, h)
		block = after
	}
	// The recorder wrote the body and then a blank line before the client section.
	resp.Body = []byte(strings.TrimSuffix(block, "\n"))
	c.Response = resp
	return nil
}

// Header returns the first value of the named header (case-insensitive).
func (c Capture) Header(name string) (string, bool) {
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// Raw renders the request as it went over the wire (CRLF line ends).
func (c Capture) Raw() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\n", c.Method, c.Target, c.Proto)
	for _, h := range c.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h.Name, h.Value)
	}
	b.WriteString("\r\n")
	b.Write(c.Body)
	return b.Bytes()
}

// ToHTTPRequest returns the request exactly as a net/http server would hand it to a
// handler: it is read back from the raw bytes with http.ReadRequest, so Host,
// RequestURI, URL (including an absolute-form target), ContentLength and the
// canonicalised Header map are all the server's view. Each call returns a fresh
// request whose Body reads the captured body.
func (c Capture) ToHTTPRequest() (*http.Request, error) {
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(c.Raw())))
	if err != nil {
		return nil, fmt.Errorf("wirecapture %s: %w", c.Name, err)
	}
	return r, nil
}

// lineReader walks a capture line by line while tracking the byte offset,
// because the body is framed by length, not by lines.
type lineReader struct {
	data []byte
	pos  int
	line int
}

func (p *lineReader) done() bool { return p.pos >= len(p.data) }

func (p *lineReader) next() string {
	if p.done() {
		return ""
	}
	p.line++
	rest := p.data[p.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		p.pos = len(p.data)
		return string(rest)
	}
	p.pos += i + 1
	return string(rest[:i])
}

func (p *lineReader) errorf(format string, args ...any) error {
	return fmt.Errorf("capture line %d: %s", p.line, fmt.Sprintf(format, args...))
}

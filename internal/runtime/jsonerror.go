package runtime

import "strconv"

// njsJSONError describes why text is not JSON in njs's words, e.g. "Unexpected token at
// position 5" (njs 0.7.9 JSON.parse messages; positions are byte offsets). goja's own texts
// ("invalid character 'a' looking for …") come from encoding/json and differ, so JSON.parse
// errors are re-described with this small parser, which follows njs's quirks where they were
// observed (see errors_test.go). It returns "" when it finds nothing wrong.
func njsJSONError(text string) string {
	p := &jsonLocator{s: text}
	p.value()
	if p.err == "" {
		p.ws()
		if p.i < len(p.s) {
			p.fail("Unexpected token", p.i)
		}
	}
	return p.err
}

type jsonLocator struct {
	s   string
	i   int
	err string
}

func (p *jsonLocator) fail(what string, at int) {
	if p.err == "" {
		p.err = what + " at position " + strconv.Itoa(at)
	}
}

func (p *jsonLocator) eof() bool {
	if p.i >= len(p.s) {
		p.fail("Unexpected end of input", len(p.s))
		return true
	}
	return false
}

func (p *jsonLocator) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonLocator) value() {
	p.ws()
	if p.eof() {
		return
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.object()
	case c == '[':
		p.array()
	case c == '"':
		p.str()
	case c == 't' || c == 'f' || c == 'n':
		for _, w := range []string{"true", "false", "null"} {
			if len(p.s)-p.i >= len(w) && p.s[p.i:p.i+len(w)] == w {
				p.i += len(w)
				return
			}
		}
		p.fail("Unexpected token", p.i)
	case c == '-' || c == '.' || c >= '0' && c <= '9':
		p.number()
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '}' || c == ']':
		p.fail("Unexpected token", p.i)
	default:
		p.fail("Unexpected number", p.i)
	}
}

func (p *jsonLocator) number() {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
		if p.i >= len(p.s) {
			p.fail("Unexpected number", start)
			return
		}
		if c := p.s[p.i]; c != '.' && (c < '0' || c > '9') {
			p.fail("Unexpected number", p.i)
			return
		}
	}
	digits := func() {
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
	}
	digits()
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		digits()
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		e := p.i
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.i >= len(p.s) || p.s[p.i] < '0' || p.s[p.i] > '9' {
			p.fail("Unexpected token", e)
			return
		}
		digits()
	}
}

func (p *jsonLocator) str() {
	p.i++ // opening quote
	for {
		if p.eof() {
			return
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return
		case c < 0x20:
			p.fail("Forbidden source char", p.i)
			return
		case c == '\\':
			p.i++
			if p.eof() {
				return
			}
			switch p.s[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for k := 0; k < 4; k++ {
					if p.eof() {
						return
					}
					if !isHex(p.s[p.i]) {
						p.fail("Invalid Unicode escape sequence", p.i)
						return
					}
					p.i++
				}
			default:
				p.fail("Unknown escape char", p.i)
				return
			}
		default:
			p.i++
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (p *jsonLocator) object() {
	p.i++ // {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return
	}
	for {
		p.ws()
		if p.eof() {
			return
		}
		if p.s[p.i] != '"' {
			p.fail("Unexpected token", p.i)
			return
		}
		p.str()
		if p.err != "" {
			return
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.fail("Unexpected token", p.i)
			return
		}
		p.i++
		p.value()
		if p.err != "" || p.afterItem('}') {
			return
		}
	}
}

func (p *jsonLocator) array() {
	p.i++ // [
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return
	}
	for {
		p.value()
		if p.err != "" || p.afterItem(']') {
			return
		}
	}
}

// afterItem reads what follows an object member or array element: the closing bracket,
// or a comma that is not trailing. It reports whether the container has ended, by its
// bracket or by an error.
func (p *jsonLocator) afterItem(closing byte) (ended bool) {
	p.ws()
	if p.eof() {
		return true
	}
	switch p.s[p.i] {
	case closing:
		p.i++
		return true
	case ',':
		comma := p.i
		p.i++
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == closing {
			p.fail("Trailing comma", comma)
			return true
		}
		return false
	default:
		p.fail("Unexpected token", p.i)
		return true
	}
}

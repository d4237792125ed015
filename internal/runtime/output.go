package runtime

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// OutputJSON renders the result as TestFunction's FunctionOutput (spec §8): {"request":{…}}
// or {"response":{…}} with only the members CloudFront recognises, "headers" and "cookies"
// always present, statusCode as a number. Collections keep the order the function left them
// in. It returns "" when the run failed.
func (r *Result) OutputJSON() string {
	if r == nil || r.Err != nil {
		return ""
	}
	var b strings.Builder
	switch r.Kind {
	case KindRequest:
		if r.Request == nil {
			return ""
		}
		req := r.Request
		b.WriteString(`{"request":{"headers":`)
		writeValues(&b, req.Headers, false)
		b.WriteString(`,"method":`)
		writeJSONString(&b, req.Method)
		b.WriteString(`,"querystring":`)
		writeValues(&b, req.Querystring, false)
		b.WriteString(`,"uri":`)
		writeJSONString(&b, req.URI)
		b.WriteString(`,"cookies":`)
		writeValues(&b, req.Cookies, false)
		b.WriteString(`}}`)
	case KindResponse:
		if r.Response == nil {
			return ""
		}
		resp := r.Response
		b.WriteString(`{"response":{"headers":`)
		writeValues(&b, resp.Headers, false)
		if resp.StatusDescription != "" {
			b.WriteString(`,"statusDescription":`)
			writeJSONString(&b, resp.StatusDescription)
		}
		b.WriteString(`,"cookies":`)
		writeValues(&b, resp.Cookies, true)
		b.WriteString(`,"statusCode":`)
		b.WriteString(strconv.Itoa(resp.StatusCode))
		if resp.Body != nil {
			b.WriteString(`,"body":{"encoding":`)
			writeJSONString(&b, resp.Body.Encoding)
			b.WriteString(`,"data":`)
			writeJSONString(&b, resp.Body.Data)
			b.WriteString(`}`)
		}
		b.WriteString(`}}`)
	default:
		return ""
	}
	return b.String()
}

func writeValues(b *strings.Builder, vs Values, attrs bool) {
	b.WriteByte('{')
	for i, f := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, f.Name)
		b.WriteString(`:{"value":`)
		writeJSONString(b, f.Value.Value)
		if attrs && f.Attributes != "" {
			b.WriteString(`,"attributes":`)
			writeJSONString(b, f.Attributes)
		}
		if f.MultiValue != nil {
			b.WriteString(`,"multiValue":[`)
			for j, m := range f.MultiValue {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"value":`)
				writeJSONString(b, m.Value)
				if attrs && m.Attributes != "" {
					b.WriteString(`,"attributes":`)
					writeJSONString(b, m.Attributes)
				}
				b.WriteByte('}')
			}
			b.WriteByte(']')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

// writeJSONString writes s as a JSON string; like JSON.stringify it does not escape HTML
// characters, and it writes invalid UTF-8 as U+FFFD.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\b':
				b.WriteString(`\b`)
			case c == '\f':
				b.WriteString(`\f`)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\ufffd")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

package jsenv

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// utf8Decoder is a byte-at-a-time UTF-8 decoder with the WHATWG error model that njs uses
// (src/njs_utf8.c): an invalid or truncated sequence yields one U+FFFD, and a byte that
// breaks a sequence is examined again as the start of the next one.
type utf8Decoder struct {
	need         int
	cp           rune
	lower, upper byte
}

const (
	decContinue rune = -1 // more bytes needed
	decError    rune = -2 // invalid sequence
)

func (d *utf8Decoder) reset() {
	d.need, d.cp, d.lower, d.upper = 0, 0, 0x80, 0xBF
}

// pending reports whether a multi-byte sequence was started and not finished.
func (d *utf8Decoder) pending() bool { return d.need != 0 }

// push feeds one byte. It returns a code point, decContinue or decError; reprocess is true
// when b was not consumed because it ended a broken sequence.
func (d *utf8Decoder) push(b byte) (cp rune, reprocess bool) {
	if d.need == 0 {
		d.lower, d.upper = 0x80, 0xBF
		switch {
		case b < 0x80:
			return rune(b), false
		case b >= 0xC2 && b <= 0xDF:
			d.need, d.cp = 1, rune(b&0x1F)
		case b >= 0xE0 && b <= 0xEF:
			if b == 0xE0 {
				d.lower = 0xA0
			} else if b == 0xED {
				d.upper = 0x9F
			}
			d.need, d.cp = 2, rune(b&0x0F)
		case b >= 0xF0 && b <= 0xF4:
			if b == 0xF0 {
				d.lower = 0x90
			} else if b == 0xF4 {
				d.upper = 0x8F
			}
			d.need, d.cp = 3, rune(b&0x07)
		default:
			return decError, false
		}
		return decContinue, false
	}
	if b < d.lower || b > d.upper {
		d.reset()
		return decError, true
	}
	d.lower, d.upper = 0x80, 0xBF
	d.cp = d.cp<<6 | rune(b&0x3F)
	d.need--
	if d.need > 0 {
		return decContinue, false
	}
	cp = d.cp
	d.reset()
	return cp, false
}

// decodeUTF8 decodes b, replacing each invalid sequence by U+FFFD. With fatal it reports
// ok=false on the first invalid sequence instead.
func decodeUTF8(b []byte, fatal bool) (s string, ok bool) {
	if utf8.Valid(b) {
		return string(b), true
	}
	var d utf8Decoder
	d.reset()
	return decodeStream(&d, b, true, fatal)
}

// units returns the UTF-16 code units of a JS string.
func units(s goja.String) []uint16 {
	n := s.Length()
	u := make([]uint16, n)
	for i := range n {
		u[i] = s.CharAt(i)
	}
	return u
}

// toStr converts a value to a JS string (ToString).
func toStr(v goja.Value) goja.String {
	if s, ok := v.(goja.String); ok {
		return s
	}
	p := v.ToString() // a primitive; only strings implement goja.String
	if s, ok := p.(goja.String); ok {
		return s
	}
	return goja.StringFromUTF16(utf16.Encode([]rune(p.String()))) // short: numbers, booleans…
}

// utf8Of returns the UTF-8 encoding of a JS string; lone surrogates become U+FFFD, as in njs.
func utf8Of(v goja.Value) string {
	return v.String()
}

package jsenv

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeUTF8Replacement(t *testing.T) {
	for in, want := range map[string]string{
		"abc":              "abc",
		"\xe4\xbd":         "\ufffd",             // truncated: one replacement (WHATWG), Go would give two
		"\xe4\xbdA":        "\ufffdA",            // the breaking byte is read again
		"\xed\xa0\x80":     "\ufffd\ufffd\ufffd", // surrogate code points are refused byte by byte
		"\xf0\x9f\x98\x80": "😀",
		"\xc0\xaf":         "\ufffd\ufffd", // overlong
		"\xff\xfe":         "\ufffd\ufffd",
		"\xf4\x90\x80\x80": "\ufffd\ufffd\ufffd\ufffd", // above U+10FFFF
	} {
		got, ok := decodeUTF8([]byte(in), false)
		if !ok || got != want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", in, got, want)
		}
		if _, ok := decodeUTF8([]byte(in), true); ok != utf8.ValidString(in) {
			t.Errorf("decodeUTF8(%q, fatal) ok=%v", in, ok)
		}
	}
}

func FuzzDecodeUTF8(f *testing.F) {
	for _, s := range []string{"", "abc", "\xe4\xbd", "\xed\xa0\x80", "\xf0\x9f\x98", "é€😀", "\xc3(\xa9"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, ok := decodeUTF8(b, false)
		if !ok || !utf8.ValidString(s) {
			t.Fatalf("decodeUTF8(%q) = %q, %v", b, s, ok)
		}
		if utf8.Valid(b) && s != string(b) {
			t.Fatalf("valid input changed: %q -> %q", b, s)
		}
		if _, ok := decodeUTF8(b, true); ok != utf8.Valid(b) {
			t.Fatalf("fatal decode of %q: ok=%v, utf8.Valid=%v", b, ok, utf8.Valid(b))
		}
		// Streaming in two parts gives the same text as one pass.
		for cut := 0; cut <= len(b); cut += 1 + len(b)/3 {
			var d utf8Decoder
			d.reset()
			a, _ := decodeStream(&d, b[:cut], false, false)
			c, _ := decodeStream(&d, b[cut:], true, false)
			if a+c != s {
				t.Fatalf("stream split at %d of %q: %q+%q != %q", cut, b, a, c, s)
			}
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"", "6", "zz", "a1zz22", "QUJD", "QU=JD", "_-_-", "a G V s", "QQ==QQ=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, enc := range []string{encUTF8, encHex, encBase64, encBase64URL} {
			b := decodeText(s, enc)
			if enc != encUTF8 && len(b) > len(s) {
				t.Fatalf("%s decode of %q grew to %d bytes", enc, s, len(b))
			}
		}
		// Encoding then decoding gives the bytes back.
		raw := []byte(s)
		if got := decodeHex(hex.EncodeToString(raw)); !bytes.Equal(got, raw) {
			t.Fatalf("hex round trip of %q: %q", s, got)
		}
		if got := decodeBase64Prefix(base64.StdEncoding.EncodeToString(raw), false); !bytes.Equal(got, raw) {
			t.Fatalf("base64 round trip of %q: %q", s, got)
		}
		if got := decodeBase64Prefix(base64.RawURLEncoding.EncodeToString(raw), true); !bytes.Equal(got, raw) {
			t.Fatalf("base64url round trip of %q: %q", s, got)
		}
		if got, ok := forgivingBase64(base64.StdEncoding.EncodeToString(raw)); !ok || !bytes.Equal(got, raw) {
			t.Fatalf("atob round trip of %q: %q %v", s, got, ok)
		}
		if got, ok := forgivingBase64(base64.RawStdEncoding.EncodeToString(raw)); !ok || !bytes.Equal(got, raw) {
			t.Fatalf("atob without padding of %q: %q %v", s, got, ok)
		}
		forgivingBase64(s) // must not panic on anything
	})
}

func TestForgivingBase64(t *testing.T) {
	for in, want := range map[string]string{
		"YWJj": "abc", " YW\tJj\n": "abc", "YQ==": "a", "YQ": "a", "YWI=": "ab", "YR==": "a", "": "",
	} {
		got, ok := forgivingBase64(in)
		if !ok || string(got) != want {
			t.Errorf("forgivingBase64(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"Y", "YW!j", "YWJj=", "YQ=", "Y===", "YQ==YQ==", "-_"} {
		if got, ok := forgivingBase64(in); ok {
			t.Errorf("forgivingBase64(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzQueryStringDecode(f *testing.F) {
	for _, s := range []string{"", "a%20b", "%E4%BD", "%C3%28", "+", "%%41", "é%A9", "%zz", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := qsDecode(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("qsDecode(%q) = %q is not UTF-8", s, out)
		}
		if !strings.ContainsAny(s, "%+") && out != s {
			t.Fatalf("qsDecode(%q) changed text without escapes: %q", s, out)
		}
		if utf8.ValidString(s) {
			if back := qsDecode(qsEscape(s)); back != s {
				t.Fatalf("escape/unescape round trip of %q gave %q", s, back)
			}
		}
	})
}

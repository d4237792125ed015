package jsenv

import (
	"encoding/base64"
	"encoding/hex"
)

// Encodings njs's Buffer, crypto and String.bytesFrom accept (spec §10.4).
const (
	encUTF8      = "utf8"
	encHex       = "hex"
	encBase64    = "base64"
	encBase64URL = "base64url"
)

func knownEncoding(name string) bool {
	switch name {
	case encUTF8, "utf-8", encHex, encBase64, encBase64URL:
		return true
	}
	return false
}

// encodeBytes renders b in a binary-to-text encoding ("hex", "base64" or "base64url").
func encodeBytes(b []byte, enc string) string {
	switch enc {
	case encHex:
		return hex.EncodeToString(b)
	case encBase64:
		return base64.StdEncoding.EncodeToString(b)
	case encBase64URL:
		return base64.RawURLEncoding.EncodeToString(b)
	}
	panic("jsenv: encodeBytes: unexpected encoding " + enc)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// decodeHex decodes hex digit pairs up to the first invalid pair; an odd last digit is
// ignored (njs_decode_hex).
func decodeHex(s string) []byte {
	out := make([]byte, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		hi, lo := hexVal(s[i]), hexVal(s[i+1])
		if hi < 0 || lo < 0 {
			break
		}
		out = append(out, byte(hi<<4|lo))
	}
	return out
}

func base64Val(c byte, url bool) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case !url && c == '+', url && c == '-':
		return 62
	case !url && c == '/', url && c == '_':
		return 63
	}
	return -1
}

// base64Prefix counts the leading characters of s that belong to the alphabet; njs decodes
// only those and stops at the first other character ('=' included).
func base64Prefix(s string, url bool) int {
	n := 0
	for n < len(s) && base64Val(s[n], url) >= 0 {
		n++
	}
	return n
}

// decodeBase64Prefix decodes the leading alphabet characters of s; leftover bits are dropped.
func decodeBase64Prefix(s string, url bool) []byte {
	n := base64Prefix(s, url)
	out := make([]byte, 0, n*3/4)
	var acc uint32
	bits := 0
	for i := 0; i < n; i++ {
		acc = acc<<6 | uint32(base64Val(s[i], url))
		bits += 6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>uint(bits)))
		}
	}
	return out
}

// decodeText turns a string into bytes for Buffer and crypto, with njs's quirk: when the
// encoded form is too short to hold a single byte (one hex digit, fewer than two base64
// characters), njs falls back to the string's UTF-8 bytes (njs_buffer_decode_string).
func decodeText(s, enc string) []byte {
	switch enc {
	case encHex:
		if len(s)/2 == 0 {
			return []byte(s)
		}
		return decodeHex(s)
	case encBase64, encBase64URL:
		url := enc == encBase64URL
		if base64Prefix(s, url)*3/4 == 0 {
			return []byte(s)
		}
		return decodeBase64Prefix(s, url)
	}
	return []byte(s)
}

// decodedLength is Buffer.byteLength for an encoded string (njs estimates, not decodes).
func decodedLength(s, enc string) int {
	switch enc {
	case encHex:
		return len(s) / 2
	case encBase64, encBase64URL:
		return base64Prefix(s, enc == encBase64URL) * 3 / 4
	}
	return len(s)
}

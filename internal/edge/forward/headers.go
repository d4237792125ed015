package forward

import (
	"net/http"
	"strings"
)

// hopByHop reports the connection-specific fields of RFC 9110 §7.6.1 (plus the legacy
// Keep-Alive and Proxy-Connection) for a canonical header name. They are never forwarded.
func hopByHop(name string) bool {
	switch name {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
		"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// connectionListed reports whether name (canonical) is named by a Connection field, which
// makes it hop-by-hop too (RFC 9110 §7.6.1).
func connectionListed(conn []string, name string) bool {
	for _, v := range conn {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(tok), name) {
				return true
			}
		}
	}
	return false
}

// hasToken reports whether a comma-separated field contains tok (case-insensitive).
func hasToken(values []string, tok string) bool {
	return connectionListed(values, tok)
}

// removeHopByHop deletes hop-by-hop and Connection-listed fields from h in place.
func removeHopByHop(h http.Header) {
	conn := h["Connection"]
	for k := range h {
		if hopByHop(k) || (conn != nil && connectionListed(conn, k)) {
			delete(h, k)
		}
	}
}

// tokenBytes is the tchar set of RFC 9110 §5.6.2, as a table for the hot parsing loops.
var tokenBytes = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
	}
	return t
}()

func isTokenByte(c byte) bool { return tokenBytes[c] }

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

// validValue refuses the bytes that would split or end a header line (CR, LF, NUL) and the
// other controls except HTAB; obs-text (0x80-0xFF, e.g. UTF-8) is allowed.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// validPath accepts a request target's path or query: no spaces, controls or fragment.
// Bytes above 0x7E are allowed here and percent-encoded when written (writeTarget).
func validPath(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c == 0x7f || c == '#' {
			return false
		}
	}
	return true
}

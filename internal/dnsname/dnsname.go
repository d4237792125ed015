// Package dnsname checks host names the way distributions and origin helpers both need:
// one rule, in a leaf package, so the two cannot drift apart.
package dnsname

import "strings"

// Valid reports whether h is a DNS name: at most 253 characters (a trailing dot aside) of
// dot-separated labels, each 1–63 letters, digits, '-' or '_', not starting or ending
// with '-'.
func Valid(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

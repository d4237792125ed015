package dnsname

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	name253 := strings.Repeat(label63+".", 3) + strings.Repeat("b", 61) // 4·63 + 1 = 253
	for h, want := range map[string]bool{
		"example.com": true, "Example.COM.": true, "a": true, "my_bucket.s3.amazonaws.com": true,
		"x-1.example": true, label63 + ".com": true, name253: true, name253 + ".": true,
		"127.0.0.1": true, // digits make a label; callers decide about IP addresses

		"": false, ".": false, "..": false, "a..b": false, ".a": false, "-a.com": false,
		"a-.com": false, label63 + "a.com": false, name253 + "b": false, "a b.com": false,
		"a:80": false, "::1": false, "é.com": false, "a/b": false,
	} {
		if Valid(h) != want {
			t.Errorf("Valid(%q) = %v, want %v", h, !want, want)
		}
	}
}

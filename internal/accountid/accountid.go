// Package accountid checks AWS account IDs. It is a leaf package so that services (kvs)
// and the request signer (auth) share the one rule without depending on each other.
package accountid

// Valid reports whether s is an AWS account ID: exactly 12 ASCII digits.
func Valid(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

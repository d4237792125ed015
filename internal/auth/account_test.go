package auth

import "testing"

func TestIsAccountID(t *testing.T) {
	for s, want := range map[string]bool{
		DefaultAccountID: true, "000000000042": true,
		"": false, "12345678901": false, "1234567890123": false, "12345678901a": false, "１23456789012": false,
	} {
		if IsAccountID(s) != want {
			t.Errorf("IsAccountID(%q) = %v", s, !want)
		}
	}
}

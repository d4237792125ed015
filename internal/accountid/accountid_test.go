package accountid

import "testing"

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"123456789012": true, "000000000042": true,
		"": false, "12345678901": false, "1234567890123": false, "12345678901a": false, "１23456789012": false,
	} {
		if Valid(s) != want {
			t.Errorf("Valid(%q) = %v", s, !want)
		}
	}
}

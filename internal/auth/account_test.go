package auth

import "testing"

// The 12-digit rule itself is tested in package accountid; here, that IsAccountID applies
// it and that the default account obeys it.
func TestIsAccountID(t *testing.T) {
	if !IsAccountID(DefaultAccountID) || IsAccountID("12345678901a") {
		t.Errorf("IsAccountID(%q) = %v, IsAccountID(\"12345678901a\") = %v",
			DefaultAccountID, IsAccountID(DefaultAccountID), IsAccountID("12345678901a"))
	}
}

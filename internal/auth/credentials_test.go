package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCredentials(t *testing.T) {
	in := "# LocalFront credentials\n" +
		"\n" +
		"AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY 123456789012\n" +
		"  \tAKIA_SECOND\tsecond#secret   444455556666   # trailing comment\r\n" +
		"   # indented comment\n"
	got, err := ParseCredentials(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Credential{
		{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "123456789012"},
		{"AKIA_SECOND", "second#secret", "444455556666"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v", got)
	}
}

func TestParseCredentialsRejects(t *testing.T) {
	long := strings.Repeat("A", 129)
	cases := map[string]struct{ in, err string }{
		"empty":             {"", "no credentials defined"},
		"only comments":     {"# nothing\n\n", "no credentials defined"},
		"two fields":        {"AKID SECRET\n", "line 1: want ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID, got 2 field(s)"},
		"four fields":       {"# c\nAKID SECRET 123456789012 extra\n", "line 2: want ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID, got 4 field(s)"},
		"short account":     {"AKID SECRET 12345678901\n", `line 1: account ID "12345678901" for AKID must be exactly 12 digits`},
		"long account":      {"AKID SECRET 1234567890123\n", "must be exactly 12 digits"},
		"letters in acct":   {"AKID SECRET 12345678901a\n", "must be exactly 12 digits"},
		"unicode digits":    {"AKID SECRET １２３４５６７８９０１２\n", "must be exactly 12 digits"},
		"slash in key id":   {"AK/ID SECRET 123456789012\n", `line 1: access key ID "AK/ID" must be 1 to 128 letters, digits or underscores`},
		"comma in key id":   {"AK,ID SECRET 123456789012\n", "must be 1 to 128 letters"},
		"key id too long":   {long + " SECRET 123456789012\n", "must be 1 to 128 letters"},
		"secret too long":   {"AKID " + strings.Repeat("s", 129) + " 123456789012\n", "line 1: secret access key for AKID must be 1 to 128 visible ASCII characters"},
		"non-ASCII secret":  {"AKID sécret 123456789012\n", "visible ASCII"},
		"control in secret": {"AKID sec\x01ret 123456789012\n", "visible ASCII"},
		"duplicate":         {"AKID S1 123456789012\n\nAKID S2 210987654321\n", "line 3: access key ID AKID is already defined on line 1"},
		"overlong line":     {"AKID S 123456789012\n" + strings.Repeat("x", 70000) + "\n", "line 2: too long"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCredentials(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestLoadCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "creds.txt")
	if err := os.WriteFile(good, []byte("AKIDEXAMPLE secret 123456789012\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	creds, err := LoadCredentialsFile(good)
	if err != nil || len(creds) != 1 || creds[0].AccountID != "123456789012" {
		t.Fatalf("%+v, %v", creds, err)
	}

	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("AKID secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadCredentialsFile(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+": line 1: ") {
		t.Fatalf("err = %v, want it to name the file and line", err)
	}
	if _, err := LoadCredentialsFile(filepath.Join(dir, "missing.txt")); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}

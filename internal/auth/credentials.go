// Package auth verifies AWS request signatures (SigV4 and SigV4A) and maps access keys
// to accounts. It knows nothing about routes: a caller hands it a request and its body.
package auth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/localfront/localfront/internal/accountid"
)

// Credential is one access key pair and the account it acts for.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	AccountID       string
}

// LoadCredentialsFile reads a credentials file: one credential per line, as
//
//	ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID
//
// separated by spaces or tabs. Blank lines are ignored, and a field starting with '#'
// starts a comment that runs to the end of the line. Errors name the file and line.
func LoadCredentialsFile(path string) ([]Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	creds, err := ParseCredentials(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return creds, nil
}

// ParseCredentials parses the credentials-file format from r (see LoadCredentialsFile).
// Errors name the line ("line 3: ...").
func ParseCredentials(r io.Reader) ([]Credential, error) {
	sc := bufio.NewScanner(r)
	var creds []Credential
	firstLine := map[string]int{} // access key id -> line that defined it
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		for i, f := range fields {
			if strings.HasPrefix(f, "#") {
				fields = fields[:i]
				break
			}
		}
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 3 {
			return nil, fmt.Errorf("line %d: want ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID, got %d field(s)", line, len(fields))
		}
		c := Credential{AccessKeyID: fields[0], SecretAccessKey: fields[1], AccountID: fields[2]}
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if prev, dup := firstLine[c.AccessKeyID]; dup {
			return nil, fmt.Errorf("line %d: access key ID %s is already defined on line %d", line, c.AccessKeyID, prev)
		}
		firstLine[c.AccessKeyID] = line
		creds = append(creds, c)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: too long (more than %d bytes)", line+1, bufio.MaxScanTokenSize)
		}
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(creds) == 0 {
		return nil, errors.New("no credentials defined")
	}
	return creds, nil
}

// validate checks one credential. Access key IDs are restricted to word characters
// (as AWS issues them, and so they cannot break the Credential=AKID/... syntax);
// secrets may hold any visible ASCII, as AWS's base64-like secrets do.
func (c Credential) validate() error {
	if n := len(c.AccessKeyID); n == 0 || n > 128 || !isWordString(c.AccessKeyID) {
		return fmt.Errorf("access key ID %q must be 1 to 128 letters, digits or underscores", c.AccessKeyID)
	}
	if n := len(c.SecretAccessKey); n == 0 || n > 128 || !isVisibleASCII(c.SecretAccessKey) {
		return fmt.Errorf("secret access key for %s must be 1 to 128 visible ASCII characters", c.AccessKeyID)
	}
	if !IsAccountID(c.AccountID) {
		return fmt.Errorf("account ID %q for %s must be exactly 12 digits", c.AccountID, c.AccessKeyID)
	}
	return nil
}

func isWordString(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

func isVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// DefaultAccountID is the account every request acts for when no credentials are configured.
const DefaultAccountID = "123456789012"

// IsAccountID reports whether s is an AWS account ID: exactly 12 digits.
func IsAccountID(s string) bool { return accountid.Valid(s) }

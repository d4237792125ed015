package kvs

import (
	"fmt"
	"unicode/utf8"

	"github.com/localfront/localfront/internal/apierror"
)

// validName reports whether name matches [a-zA-Z0-9-_]{1,64}.
func validName(name string) bool {
	if len(name) == 0 || len(name) > MaxNameLength {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// nameError is the front end's Coral-style constraint message (spec §1.6).
func nameError(name string) *apierror.Error {
	var msgs []string
	if utf8.RuneCountInString(name) > MaxNameLength {
		msgs = append(msgs, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must have length less than or equal to %d", name, MaxNameLength))
	}
	if name == "" {
		msgs = append(msgs, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1", name))
	}
	msgs = append(msgs, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}", name))
	prefix := "1 validation error detected: "
	if len(msgs) > 1 {
		prefix = fmt.Sprintf("%d validation errors detected: ", len(msgs))
	}
	out := prefix
	for i, m := range msgs {
		if i > 0 {
			out += "; "
		}
		out += m
	}
	return apierror.MalformedXML("%s", out)
}

// checkKey applies the key limits: 1..512 bytes of valid UTF-8 (the model allows up to 1024
// characters, the quota is 512 bytes; we enforce the quota as a validation error).
func checkKey(key string) *apierror.Error {
	switch {
	case key == "":
		return apierror.ValidationException("Key must be at least 1 byte long.")
	case len(key) > MaxKeyBytes:
		return apierror.ValidationException("Key is %d bytes long, which exceeds the maximum key size of %d bytes.", len(key), MaxKeyBytes)
	case !utf8.ValidString(key):
		return apierror.ValidationException("Key must be valid UTF-8.")
	}
	return nil
}

// checkValue applies the value limit: at most 1 KB of valid UTF-8 (empty is allowed).
func checkValue(key, value string) *apierror.Error {
	switch {
	case len(value) > MaxValueBytes:
		return apierror.ValidationException("The value of key '%s' is %d bytes long, which exceeds the maximum value size of %d bytes.", key, len(value), MaxValueBytes)
	case !utf8.ValidString(value):
		return apierror.ValidationException("The value of key '%s' must be valid UTF-8.", key)
	}
	return nil
}

// entrySize is how one key counts toward TotalSizeInBytes (the formula is not published,
// spec §14 Q9): the UTF-8 bytes of the key plus those of the value.
func entrySize(key, value string) int64 { return int64(len(key) + len(value)) }

package kvs

import (
	"errors"
	"strings"

	"github.com/localfront/localfront/internal/accountid"
)

const arnResourcePrefix = "key-value-store/"

// FormatARN returns the ARN of store id in account (spec §4).
func FormatARN(account, id string) string {
	return "arn:aws:cloudfront::" + account + ":" + arnResourcePrefix + id
}

var errBadARN = errors.New("not a key value store ARN (arn:aws:cloudfront::<account>:key-value-store/<id>)")

// ParseARN splits a key value store ARN into its account and store id. It checks the
// shape only; whether the store exists is the caller's question.
func ParseARN(arn string) (account, id string, err error) {
	// arn:<partition>:cloudfront:<empty region>:<account>:key-value-store/<id>
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "cloudfront" || parts[3] != "" {
		return "", "", errBadARN
	}
	account = parts[4]
	if !accountid.Valid(account) || !strings.HasPrefix(parts[5], arnResourcePrefix) {
		return "", "", errBadARN
	}
	id = parts[5][len(arnResourcePrefix):]
	if !isStoreID(id) {
		return "", "", errBadARN
	}
	return account, id, nil
}

// isStoreID accepts our UUIDs and the documentation's placeholder ids such as
// "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111": letters, digits and dashes.
func isStoreID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

package auth

import (
	"crypto/hmac"
	"crypto/sha256"
)

// sigV4SigningKey derives the SigV4 HMAC key: a chain of HMAC-SHA256 over the
// scope's date, region and service, starting from "AWS4"+secret.
func sigV4SigningKey(secret, date, region, service string) []byte {
	key := hmacSHA256([]byte("AWS4"+secret), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	return hmacSHA256(key, terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

package apierror

// Request-authentication errors. CloudFront's REST-XML endpoint answers them with the
// common AWS codes, all as 403 Sender errors (internal/auth documents each case).

func IncompleteSignature(format string, args ...any) *Error {
	return New("IncompleteSignature", 403, format, args...)
}
func MissingAuthenticationToken() *Error {
	return New("MissingAuthenticationToken", 403, "Missing Authentication Token")
}

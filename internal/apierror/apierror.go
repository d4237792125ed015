// Package apierror is the one error type every LocalFront service returns.
// The wire layers (cfapi for REST-XML, kvsapi for REST-JSON) map it to their envelopes;
// services never know how it is rendered.
package apierror

import (
	"errors"
	"fmt"
)

// Error is an API error with the code, HTTP status and message CloudFront uses.
type Error struct {
	Code    string // the model's error shape name, e.g. "PreconditionFailed"
	Status  int    // the HTTP status the model declares for Code
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Fault reports whether the error is the server's fault (Type "Receiver" in the XML envelope).
func (e *Error) Fault() bool { return e.Status >= 500 }

// New builds an error with an explicit code and status.
func New(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Control-plane errors (cloudfront 2020-05-31). Statuses come from the SDK model (spec §6).
func InvalidArgument(format string, args ...any) *Error {
	return New("InvalidArgument", 400, format, args...)
}
func MalformedXML(format string, args ...any) *Error {
	return New("MalformedXML", 400, format, args...)
}
func NoSuchFunctionExists(name string) *Error {
	return New("NoSuchFunctionExists", 404, "The specified function does not exist: %s", name)
}
func FunctionAlreadyExists(name string) *Error {
	return New("FunctionAlreadyExists", 409, "A function with the same name already exists: %s", name)
}
func FunctionInUse(name string) *Error {
	return New("FunctionInUse", 409, "Cannot delete function %s, it's still associated with one or more cache behaviors.", name)
}
func FunctionSizeLimitExceeded(size, limit int) *Error {
	return New("FunctionSizeLimitExceeded", 413, "The function code is %d bytes, which exceeds the maximum of %d bytes.", size, limit)
}
func TooManyFunctions(limit int) *Error {
	return New("TooManyFunctions", 400, "You have reached the maximum number of functions (%d) for this account.", limit)
}
func InvalidIfMatchVersion() *Error {
	return New("InvalidIfMatchVersion", 400, "The If-Match version is missing or not valid for the resource.")
}
func PreconditionFailed() *Error {
	return New("PreconditionFailed", 412, "The request failed because it didn't meet the preconditions in one or more request-header fields.")
}
func UnsupportedOperation(format string, args ...any) *Error {
	return New("UnsupportedOperation", 400, format, args...)
}
func TestFunctionFailed(format string, args ...any) *Error {
	return New("TestFunctionFailed", 500, format, args...)
}
func AccessDenied(format string, args ...any) *Error {
	return New("AccessDenied", 403, format, args...)
}
func SignatureDoesNotMatch(format string, args ...any) *Error {
	return New("SignatureDoesNotMatch", 403, format, args...)
}
func InvalidClientTokenID(format string, args ...any) *Error {
	return New("InvalidClientTokenId", 403, format, args...)
}
func NoSuchResource(format string, args ...any) *Error {
	return New("NoSuchResource", 404, format, args...)
}
func InternalError(format string, args ...any) *Error {
	return New("InternalError", 500, format, args...)
}
func InvalidTagging(format string, args ...any) *Error {
	return New("InvalidTagging", 400, format, args...)
}

// ---- Key value stores ----------------------------------------------------------------
// Control-plane (cloudfront 2020-05-31, rest-xml) errors of the KVS operations (spec §4, §6).

func EntityAlreadyExists(format string, args ...any) *Error {
	return New("EntityAlreadyExists", 409, format, args...)
}
func EntityLimitExceeded(format string, args ...any) *Error {
	return New("EntityLimitExceeded", 400, format, args...)
}
func EntityNotFound(format string, args ...any) *Error {
	return New("EntityNotFound", 404, format, args...)
}
func EntitySizeLimitExceeded(format string, args ...any) *Error {
	return New("EntitySizeLimitExceeded", 413, format, args...)
}
func CannotDeleteEntityWhileInUse(format string, args ...any) *Error {
	return New("CannotDeleteEntityWhileInUse", 409, format, args...)
}

// Data-plane (cloudfront-keyvaluestore 2022-07-26, rest-json) errors (spec §5.3).

func ValidationException(format string, args ...any) *Error {
	return New("ValidationException", 400, format, args...)
}
func ResourceNotFoundException(format string, args ...any) *Error {
	return New("ResourceNotFoundException", 404, format, args...)
}
func ConflictException(format string, args ...any) *Error {
	return New("ConflictException", 409, format, args...)
}
func ServiceQuotaExceededException(format string, args ...any) *Error {
	return New("ServiceQuotaExceededException", 402, format, args...)
}
func AccessDeniedException(format string, args ...any) *Error {
	return New("AccessDeniedException", 403, format, args...)
}
func InternalServerException(format string, args ...any) *Error {
	return New("InternalServerException", 500, format, args...)
}

// InternalMessage is what clients see of an internal failure; the details go to the log.
const InternalMessage = "We encountered an internal error. Please try again."

// Internal reports whether e is an internal failure (InternalError, InternalServerException)
// whose message is for the server's log, not for the client.
func (e *Error) Internal() bool {
	return e.Fault() && (e.Code == "InternalError" || e.Code == "InternalServerException")
}

package auth

import "github.com/localfront/localfront/internal/apierror"

// How verification failures are answered. CloudFront's REST-XML endpoint uses AWS's
// common authentication errors, all 403 Sender faults:
//
//	no Authorization header and no presigned query   MissingAuthenticationToken "Missing Authentication Token"
//	malformed header, credential, date or query      IncompleteSignature (AWS's texts, e.g. "Authorization header requires 'Credential' parameter. ...")
//	unknown access key ID                            InvalidClientTokenId "The security token included in the request is invalid."
//	wrong signature                                  SignatureDoesNotMatch, with the canonical request and string to sign we computed
//	X-Amz-Date outside the window, scope mismatch    SignatureDoesNotMatch "Signature expired: ..." / "Signature not yet current: ..." / "Date in Credential scope ..."
//
// Observed CloudFront answers: IncompleteSignature for a non-SigV4 header (fog and
// aws-sdk-ruby issue reports quote the ErrorResponse) and MissingAuthenticationToken
// "Missing Authentication Token" for an unsigned call. AWS documents IncompleteSignature
// as 400 for some older services and 403 for newer ones; we answer 403 like every
// other authentication failure.

const signatureMismatchText = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

func errUnknownAccessKey() *apierror.Error {
	return apierror.InvalidClientTokenID("The security token included in the request is invalid.")
}

// errSignatureMismatch adds what we signed, as AWS does for non-S3 services, so a
// client author can diff it against their own canonical request.
func errSignatureMismatch(canonical, stringToSign string) *apierror.Error {
	if canonical == "" {
		return apierror.SignatureDoesNotMatch("%s", signatureMismatchText)
	}
	return apierror.SignatureDoesNotMatch("%s\n\nThe Canonical String for this request should have been\n'%s'\n\nThe String-to-Sign should have been\n'%s'\n",
		signatureMismatchText, canonical, stringToSign)
}

// JSONProtocolError renames an authentication error for a JSON-protocol service
// (such as the cloudfront-keyvaluestore data plane), where AWS's front end uses the
// "...Exception" spellings; status and message stay. [INFER: the KVS data plane's
// own answers were not observed; these are the names AWS's JSON services use.]
// Other errors are returned unchanged.
func JSONProtocolError(e *apierror.Error) *apierror.Error {
	code, ok := jsonAuthCodes[e.Code]
	if !ok {
		return e
	}
	return &apierror.Error{Code: code, Status: e.Status, Message: e.Message}
}

var jsonAuthCodes = map[string]string{
	"MissingAuthenticationToken": "MissingAuthenticationTokenException",
	"IncompleteSignature":        "IncompleteSignatureException",
	"InvalidClientTokenId":       "UnrecognizedClientException",
	"SignatureDoesNotMatch":      "InvalidSignatureException",
}

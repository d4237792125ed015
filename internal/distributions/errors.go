package distributions

import "github.com/localfront/localfront/internal/apierror"

// Distribution errors. Codes and statuses are the SDK model's (service-2.json error
// shapes). Messages marked [OBS] are CloudFront's own, as seen in public client logs;
// the others are ours.

func errNoSuchDistribution() *apierror.Error {
	return apierror.New("NoSuchDistribution", 404, "The specified distribution does not exist.")
}

func errDistributionNotDisabled() *apierror.Error {
	return apierror.New("DistributionNotDisabled", 409, "The distribution you are trying to delete has not been disabled.")
}

// [OBS] aws-sdk-js-v3 #2618, aws-saas-boost #153 (the ID of the existing distribution
// is part of the message).
func errDistributionAlreadyExists(id string) *apierror.Error {
	return apierror.New("DistributionAlreadyExists", 409,
		"The caller reference that you are using to create a distribution is associated with another distribution. Already exists: %s", id)
}

func errCNAMEAlreadyExists(alias string) *apierror.Error {
	return apierror.New("CNAMEAlreadyExists", 409,
		"One or more of the CNAMEs you provided are already associated with a different resource. (%s)", alias)
}

func errNoSuchOrigin(id string) *apierror.Error {
	return apierror.New("NoSuchOrigin", 404, "One or more of your origins or origin groups do not exist. (%s)", id)
}

func errIllegalUpdate(format string, args ...any) *apierror.Error {
	return apierror.New("IllegalUpdate", 400, format, args...)
}

func errInvalidFunctionAssociation(format string, args ...any) *apierror.Error {
	return apierror.New("InvalidFunctionAssociation", 400, format, args...)
}

func errInvalidLambdaFunctionAssociation(format string, args ...any) *apierror.Error {
	return apierror.New("InvalidLambdaFunctionAssociation", 400, format, args...)
}

func errTooManyFunctionAssociations(limit int) *apierror.Error {
	return apierror.New("TooManyFunctionAssociations", 400,
		"A cache behavior can have at most %d CloudFront function associations (one per viewer event type).", limit)
}

func errTooManyDistributionsWithFunctionAssociations(arn string, limit int) *apierror.Error {
	return apierror.New("TooManyDistributionsWithFunctionAssociations", 400,
		"You have reached the maximum number of distributions (%d) that can be associated with the CloudFront function %s.", limit, arn)
}

func errTooMany(code, what string, limit int) *apierror.Error {
	return apierror.New(code, 400, "Your request contains more %s than are allowed per distribution (%d).", what, limit)
}

func errTooManyDistributions(limit int) *apierror.Error {
	return apierror.New("TooManyDistributions", 400,
		"Processing your request would cause you to exceed the maximum number of distributions allowed (%d).", limit)
}

func errInvalidOriginReadTimeout(v int) *apierror.Error {
	return apierror.New("InvalidOriginReadTimeout", 400,
		"The read timeout specified for the origin is not valid: %d. It must be between 1 and 120 seconds.", v)
}

func errInvalidOriginKeepaliveTimeout(v int) *apierror.Error {
	return apierror.New("InvalidOriginKeepaliveTimeout", 400,
		"The keep alive timeout specified for the origin is not valid: %d. It must be between 1 and 120 seconds.", v)
}

func errInvalidDefaultRootObject() *apierror.Error {
	return apierror.New("InvalidDefaultRootObject", 400,
		"The default root object file name is too big or contains an invalid character.")
}

func errInvalidErrorCode(code int) *apierror.Error {
	return apierror.New("InvalidErrorCode", 400, "An invalid error code was specified: %d.", code)
}

func errInvalidResponseCode(code string) *apierror.Error {
	return apierror.New("InvalidResponseCode", 400, "A response code is not valid: %s.", code)
}

func errInvalidRelativePath(path string) *apierror.Error {
	return apierror.New("InvalidRelativePath", 400,
		"The relative path is too big, is not URL-encoded, or does not begin with a slash (/): %s", path)
}

package distxml

// Element types inside a DistributionConfig, by element name, read from the SDK model
// (service-2.json, every shape reachable from DistributionConfig). No name has two
// different types there, and no name is both a value and a structure, so the name alone
// tells how to check an element, modeled by the domain or not: that is how a bad value
// anywhere in the document, say <IsIPV6Enabled>yes</IsIPV6Enabled>, is refused rather
// than stored and echoed. Names the model does not know are accepted as they come, so
// that elements added by newer SDKs round-trip.

type leafKind int

const (
	leafBool leafKind = iota + 1
	leafInt           // 32-bit
	leafLong          // 64-bit
	leafEnum
	leafString
)

type leafType struct {
	kind   leafKind
	values []string // leafEnum: the model's value set, in model order
}

var leafTypes = map[string]leafType{
	// booleans
	"AdvertiseTrustStoreCaNames":   {kind: leafBool},
	"CloudFrontDefaultCertificate": {kind: leafBool},
	"Compress":                     {kind: leafBool},
	"Enabled":                      {kind: leafBool},
	"IgnoreCertificateExpiry":      {kind: leafBool},
	"IncludeBody":                  {kind: leafBool},
	"IncludeCookies":               {kind: leafBool},
	"IsIPV6Enabled":                {kind: leafBool},
	"QueryString":                  {kind: leafBool},
	"Required":                     {kind: leafBool},
	"SmoothStreaming":              {kind: leafBool},
	"Staging":                      {kind: leafBool},
	// integers
	"ConnectionAttempts":        {kind: leafInt},
	"ConnectionTimeout":         {kind: leafInt},
	"ErrorCode":                 {kind: leafInt},
	"HTTPPort":                  {kind: leafInt},
	"HTTPSPort":                 {kind: leafInt},
	"OriginKeepaliveTimeout":    {kind: leafInt},
	"OriginReadTimeout":         {kind: leafInt},
	"Quantity":                  {kind: leafInt},
	"ResponseCompletionTimeout": {kind: leafInt},
	"StatusCode":                {kind: leafInt},
	// longs
	"DefaultTTL":         {kind: leafLong},
	"ErrorCachingMinTTL": {kind: leafLong},
	"MaxTTL":             {kind: leafLong},
	"MinTTL":             {kind: leafLong},
	// enums
	"CertificateSource":      {leafEnum, []string{"cloudfront", "iam", "acm"}},
	"ConnectionMode":         {leafEnum, []string{"direct", "tenant-only"}},
	"Forward":                {leafEnum, []string{"none", "whitelist", "all"}},
	"HttpVersion":            {leafEnum, []string{"http1.1", "http2", "http3", "http2and3"}},
	"IpAddressType":          {leafEnum, []string{"ipv4", "ipv6", "dualstack"}},
	"Method":                 {leafEnum, []string{"GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS", "DELETE"}},
	"MinimumProtocolVersion": {leafEnum, []string{"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025", "TLSv1.2_2025"}},
	"Mode":                   {leafEnum, []string{"required", "optional", "passthrough"}},
	"OriginProtocolPolicy":   {leafEnum, []string{"http-only", "match-viewer", "https-only"}},
	"PriceClass":             {leafEnum, []string{"PriceClass_100", "PriceClass_200", "PriceClass_All", "None"}},
	"RestrictionType":        {leafEnum, []string{"blacklist", "whitelist", "none"}},
	"SSLSupportMethod":       {leafEnum, []string{"sni-only", "vip", "static-ip"}},
	"SelectionCriteria":      {leafEnum, []string{"default", "media-quality-based"}},
	"SslProtocol":            {leafEnum, []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"}},
	"ViewerProtocolPolicy":   {leafEnum, []string{"allow-all", "https-only", "redirect-to-https"}},
}

// Value sets of EventType, by parent.
var (
	functionEventTypes = []string{"viewer-request", "viewer-response"}
	lambdaEventTypes   = []string{"viewer-request", "viewer-response", "origin-request", "origin-response"}
)

// structureNames are the elements that are structures or lists in a DistributionConfig;
// none of them may hold text.
var structureNames = map[string]bool{}

// stringNames are the string elements. EventType is one: its value set depends on the
// parent (FunctionAssociation accepts only the viewer events), so the decoder checks it.
var stringNames = []string{
	"ACMCertificateArn",
	"AnycastIpListId",
	"AwsAccountNumber",
	"Bucket",
	"CNAME",
	"CachePolicyId",
	"CallerReference",
	"Certificate",
	"ClientCertificateArn",
	"Comment",
	"ContinuousDeploymentPolicyId",
	"DefaultRootObject",
	"DefaultValue",
	"DomainName",
	"EventType",
	"FieldLevelEncryptionId",
	"FunctionARN",
	"HeaderName",
	"HeaderValue",
	"IAMCertificateId",
	"Id",
	"KeyGroup",
	"LambdaFunctionARN",
	"Location",
	"Name",
	"OriginAccessControlId",
	"OriginAccessIdentity",
	"OriginId",
	"OriginPath",
	"OriginRequestPolicyId",
	"OriginShieldRegion",
	"OwnerAccountId",
	"PathPattern",
	"Prefix",
	"RealtimeLogConfigArn",
	"ResponseCode",
	"ResponseHeadersPolicyId",
	"ResponsePagePath",
	"TargetOriginId",
	"TrustStoreId",
	"VpcOriginId",
	"WebACLId",
}

func init() {
	for _, n := range stringNames {
		leafTypes[n] = leafType{kind: leafString}
	}
	for _, n := range []string{
		"Aliases", "AllowedMethods", "CacheBehavior", "CacheBehaviors", "CacheTagConfig", "CachedMethods",
		"ConnectionFunctionAssociation", "Cookies", "CustomErrorResponse", "CustomErrorResponses", "CustomHeaders",
		"CustomOriginConfig", "DefaultCacheBehavior", "Definition", "FailoverCriteria", "ForwardedValues",
		"FunctionAssociation", "FunctionAssociations", "GeoRestriction", "GrpcConfig", "Headers", "Items",
		"LambdaFunctionAssociation", "LambdaFunctionAssociations", "Logging", "Members", "Origin",
		"OriginCustomHeader", "OriginGroup", "OriginGroupMember", "OriginGroups", "OriginMtlsConfig", "OriginShield",
		"OriginSslProtocols", "Origins", "ParameterDefinitions", "QueryStringCacheKeys", "Restrictions",
		"S3OriginConfig", "StatusCodes", "StringSchema", "TenantConfig", "TrustStoreConfig", "TrustedKeyGroups",
		"TrustedSigners", "ViewerCertificate", "ViewerMtlsConfig", "VpcOriginConfig", "WhitelistedNames", "member",
	} {
		structureNames[n] = true
	}
}

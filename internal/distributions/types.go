// Package distributions owns CloudFront distributions as far as functions need them:
// origins, origin groups, cache behaviours with their path patterns, function
// associations, enable/disable, ETags and the CloudFront rules around them. It knows
// nothing of HTTP or XML: internal/cfapi/distxml turns the wire document into a Config
// (keeping the original document in Config.Raw) and back.
package distributions

import "time"

// Status values of a distribution. CloudFront reports InProgress while a change propagates
// and Deployed afterwards; LocalFront applies a change to its edge before the API call
// returns (Service.OnChange), so it reports Deployed at once.
const StatusDeployed = "Deployed"

// Event types a CloudFront function can be associated with (spec §11).
const (
	EventViewerRequest  = "viewer-request"
	EventViewerResponse = "viewer-response"
)

// Origin protocol policies (CustomOriginConfig.OriginProtocolPolicy).
const (
	OriginHTTPOnly    = "http-only"
	OriginHTTPSOnly   = "https-only"
	OriginMatchViewer = "match-viewer"
)

// Viewer protocol policies.
const (
	ViewerAllowAll        = "allow-all"
	ViewerHTTPSOnly       = "https-only"
	ViewerRedirectToHTTPS = "redirect-to-https"
)

// Defaults CloudFront applies to optional origin settings (model documentation). The
// wire codec fills them in for absent elements, so a Config always holds effective values.
const (
	DefaultConnectionAttempts = 3
	DefaultConnectionTimeout  = 10 // seconds
	DefaultReadTimeout        = 30 // seconds
	DefaultKeepaliveTimeout   = 5  // seconds
)

// DefaultMethods is what AllowedMethods and CachedMethods mean when absent.
var DefaultMethods = []string{"GET", "HEAD"}

// Distribution is one distribution as GetDistribution reports it.
type Distribution struct {
	ID               string // "E" + 13 upper-case letters and digits
	ARN              string // arn:aws:cloudfront::<account>:distribution/<ID>
	Status           string // always StatusDeployed
	DomainName       string // <lower-case ID>.<edge domain>
	LastModifiedTime time.Time
	ETag             string
	Config           Config
}

// Config is a DistributionConfig: the part the edge uses, plus Raw.
//
// The JSON encoding of Config (and the types below) is the storage format: rename or
// retype fields only compatibly.
type Config struct {
	CallerReference      string
	Aliases              []string
	Comment              string
	Enabled              bool
	DefaultRootObject    string
	Origins              []Origin
	OriginGroups         []OriginGroup
	DefaultBehavior      Behavior // PathPattern is always ""
	Behaviors            []Behavior
	CustomErrorResponses []CustomErrorResponse

	// Raw is the whole DistributionConfig document as the client sent it (in the wire
	// codec's canonical form). It carries every element the fields above do not model
	// (ViewerCertificate, Logging, ForwardedValues, …) so they read back as sent. Empty for
	// a Config built in code: the codec then renders the fields.
	Raw []byte
}

// Origin is one origin.
type Origin struct {
	ID                 string
	DomainName         string
	OriginPath         string // "" or "/dir", never ending in "/"
	CustomHeaders      []Header
	Custom             *CustomOriginConfig // nil unless CustomOriginConfig was given
	S3                 bool                // S3OriginConfig was given
	VPC                bool                // VpcOriginConfig was given (the edge cannot reach it)
	ConnectionAttempts int                 // 1–3
	ConnectionTimeout  int                 // seconds, 1–10
}

// Header is one origin custom header.
type Header struct {
	Name  string
	Value string
}

// CustomOriginConfig is how the edge talks to a custom (HTTP) origin.
type CustomOriginConfig struct {
	HTTPPort         int
	HTTPSPort        int
	ProtocolPolicy   string // OriginHTTPOnly, OriginHTTPSOnly or OriginMatchViewer
	ReadTimeout      int    // seconds, 1–120
	KeepaliveTimeout int    // seconds, 1–120
	SSLProtocols     []string
}

// OriginGroup is a failover pair of origins.
type OriginGroup struct {
	ID                  string
	PrimaryOriginID     string
	SecondaryOriginID   string
	FailoverStatusCodes []int
}

// Behavior is the default cache behaviour or one of CacheBehaviors.
type Behavior struct {
	PathPattern          string // "" for the default behaviour
	TargetOriginID       string // an origin or origin group ID
	ViewerProtocolPolicy string
	AllowedMethods       []string
	CachedMethods        []string
	Compress             bool
	CachePolicyID        string
	HasForwardedValues   bool // the legacy ForwardedValues element was given
	FunctionAssociations []FunctionAssociation
	LambdaAssociations   []LambdaAssociation // validated and kept; the edge does not run them
}

// FunctionAssociation attaches the LIVE stage of a CloudFront function to an event.
type FunctionAssociation struct {
	FunctionARN string
	EventType   string // EventViewerRequest or EventViewerResponse
}

// LambdaAssociation is a Lambda@Edge association.
type LambdaAssociation struct {
	LambdaFunctionARN string
	EventType         string
	IncludeBody       bool
}

// CustomErrorResponse replaces an origin error status.
type CustomErrorResponse struct {
	ErrorCode        int
	ResponsePagePath string
	ResponseCode     string // "" keeps the origin's status
}

// ListOutput is one page of ListDistributions.
type ListOutput struct {
	Marker      string // the Marker the caller gave
	NextMarker  string // "" unless IsTruncated
	MaxItems    int
	IsTruncated bool
	Items       []Distribution
}

// Functions lists every function association of the config, default behaviour first.
func (c *Config) Functions() []FunctionAssociation {
	var out []FunctionAssociation
	out = append(out, c.DefaultBehavior.FunctionAssociations...)
	for _, b := range c.Behaviors {
		out = append(out, b.FunctionAssociations...)
	}
	return out
}

// FunctionARNs returns the distinct function ARNs the config uses, in first-use order.
func (c *Config) FunctionARNs() []string {
	var arns []string
	seen := map[string]bool{}
	for _, fa := range c.Functions() {
		if !seen[fa.FunctionARN] {
			seen[fa.FunctionARN] = true
			arns = append(arns, fa.FunctionARN)
		}
	}
	return arns
}

// Origin returns the origin with the given ID, or nil.
func (c *Config) Origin(id string) *Origin {
	for i := range c.Origins {
		if c.Origins[i].ID == id {
			return &c.Origins[i]
		}
	}
	return nil
}

// OriginGroup returns the origin group with the given ID, or nil.
func (c *Config) OriginGroup(id string) *OriginGroup {
	for i := range c.OriginGroups {
		if c.OriginGroups[i].ID == id {
			return &c.OriginGroups[i]
		}
	}
	return nil
}

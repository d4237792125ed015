// Package functions owns the CloudFront Functions lifecycle: validation, quotas, the
// DEVELOPMENT and LIVE stages, ETags, status, publish and test. It knows nothing of HTTP
// or XML: cfapi turns wire requests into calls on Service and maps *apierror.Error back.
package functions

import (
	"time"

	"github.com/localfront/localfront/internal/runtime"
)

// Stage is DEVELOPMENT or LIVE.
type Stage string

const (
	Development Stage = "DEVELOPMENT"
	Live        Stage = "LIVE"
)

// Runtime names the JavaScript runtime of a function (the runtime package's names).
const (
	RuntimeJS1 = runtime.RuntimeJS1
	RuntimeJS2 = runtime.RuntimeJS2
)

// Status values (spec §2.3).
const (
	StatusUnpublished  = "UNPUBLISHED"
	StatusUnassociated = "UNASSOCIATED"
	StatusDeployed     = "DEPLOYED"
)

// Config is a function's FunctionConfig.
type Config struct {
	Comment string
	Runtime string
	// KeyValueStoreARNs is the KeyValueStoreAssociations list (at most one).
	KeyValueStoreARNs []string
}

// Summary is one stage of a function, as FunctionSummary reports it.
type Summary struct {
	Name             string
	Status           string
	Config           Config
	ARN              string
	Stage            Stage
	CreatedTime      time.Time
	LastModifiedTime time.Time
	ETag             string // the ETag of this stage
}

// Tag is one resource tag.
type Tag struct {
	Key   string
	Value string
}

// CreateInput is CreateFunction's input.
type CreateInput struct {
	Name   string
	Config Config
	Code   []byte // decoded FunctionCode
	Tags   []Tag
}

// ListInput is ListFunctions' input. Stage "" lists both stages.
type ListInput struct {
	Stage    Stage
	Marker   string
	MaxItems int // 0 means the default
}

// ListOutput is one page of ListFunctions.
type ListOutput struct {
	Items      []Summary
	MaxItems   int
	NextMarker string // "" when this is the last page
}

// TestInput is TestFunction's input.
type TestInput struct {
	Stage Stage  // "" means DEVELOPMENT
	Event []byte // decoded EventObject (JSON)
}

// TestResult is TestFunction's result (spec §8).
type TestResult struct {
	Summary            Summary
	ComputeUtilization int
	Logs               []string
	ErrorMessage       string
	Output             string // JSON, "" when the function failed
}

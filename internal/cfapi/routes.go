package cfapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// Operation names, as the SDK model spells them (they appear in the access log).
const (
	opCreateFunction      = "CreateFunction"
	opDescribeFunction    = "DescribeFunction"
	opGetFunction         = "GetFunction"
	opListFunctions       = "ListFunctions"
	opUpdateFunction      = "UpdateFunction"
	opDeleteFunction      = "DeleteFunction"
	opPublishFunction     = "PublishFunction"
	opTestFunction        = "TestFunction"
	opTagResource         = "TagResource"
	opUntagResource       = "UntagResource"
	opListTagsForResource = "ListTagsForResource"
)

const apiPrefix = "/2020-05-31/"

// route is the outcome of matching a request line: an operation and, for the
// /function/{Name} family, the decoded name.
type route struct {
	op   string
	name string
}

// methods maps an HTTP method to an operation for one resource path.
type methods map[string]string

var (
	functionCollection = methods{http.MethodGet: opListFunctions, http.MethodPost: opCreateFunction}
	functionItem       = methods{http.MethodGet: opGetFunction, http.MethodPut: opUpdateFunction, http.MethodDelete: opDeleteFunction}
	functionActions    = map[string]methods{
		"describe": {http.MethodGet: opDescribeFunction},
		"publish":  {http.MethodPost: opPublishFunction},
		"test":     {http.MethodPost: opTestFunction},
	}
	tagging = methods{http.MethodGet: opListTagsForResource, http.MethodPost: ""} // POST: see Operation
)

// matchRoute finds the operation for a request. It splits the escaped path, so a
// percent-encoded "/" inside a name stays part of that name (wire.md "Name in the path").
func matchRoute(method, escapedPath string, query url.Values) (route, error) {
	rest, ok := strings.CutPrefix(escapedPath, apiPrefix)
	if !ok {
		return route{}, apierror.NoSuchResource("LocalFront has no resource at %s.", escapedPath)
	}
	segs := strings.Split(rest, "/")
	switch {
	case len(segs) == 1 && segs[0] == "function":
		return pick(method, escapedPath, functionCollection, "")
	case len(segs) == 2 && segs[0] == "function":
		name, err := decodeSegment(segs[1], "function name")
		if err != nil {
			return route{}, err
		}
		return pick(method, escapedPath, functionItem, name)
	case len(segs) == 3 && segs[0] == "function" && functionActions[segs[2]] != nil:
		name, err := decodeSegment(segs[1], "function name")
		if err != nil {
			return route{}, err
		}
		return pick(method, escapedPath, functionActions[segs[2]], name)
	case len(segs) == 1 && segs[0] == "tagging":
		r, err := pick(method, escapedPath, tagging, "")
		if err != nil || r.op != "" {
			return r, err
		}
		switch query.Get("Operation") {
		case "Tag":
			return route{op: opTagResource}, nil
		case "Untag":
			return route{op: opUntagResource}, nil
		}
		return route{}, apierror.InvalidArgument("POST %s needs the query parameter Operation=Tag or Operation=Untag.", escapedPath)
	}
	if r, ok, err := matchKVSRoute(method, escapedPath, segs); ok {
		return r, err
	}
	if r, ok, err := matchDistributionRoute(method, escapedPath, segs, query); ok {
		return r, err
	}
	// Other CloudFront resources (distributions, key value stores, …) are real API paths
	// that LocalFront does not serve yet: UnsupportedOperation is in every operation's
	// error list, so SDKs surface it as a typed error with this message.
	return route{}, apierror.UnsupportedOperation("LocalFront does not support %s %s.", method, escapedPath)
}

func pick(method, path string, m methods, name string) (route, error) {
	op, ok := m[method]
	if !ok {
		return route{}, methodNotAllowed(method, path, m)
	}
	return route{op: op, name: name}, nil
}

// decodeSegment percent-decodes the path segment naming a resource; what names it in the
// error ("function name").
func decodeSegment(seg, what string) (string, error) {
	name, err := url.PathUnescape(seg)
	if err != nil {
		return "", apierror.InvalidArgument("The %s in the path is not validly percent-encoded: %q.", what, seg)
	}
	return name, nil
}

// registerOps adds a service's operations; when the service is not configured, each is
// answered with the error unavailable returns instead.
func (a *API) registerOps(ops map[string]operationHandler, configured bool, unavailable func(r *http.Request) error) {
	for op, h := range ops {
		if !configured {
			h = func(w http.ResponseWriter, r *http.Request, _ *requestInfo) error { return unavailable(r) }
		}
		a.ops[op] = h
	}
}

// methodNotAllowedError carries the Allow header value with the API error.
type methodNotAllowedError struct {
	api   *apierror.Error
	allow string
}

func (e *methodNotAllowedError) Error() string { return e.api.Error() }
func (e *methodNotAllowedError) Unwrap() error { return e.api }

func methodNotAllowed(method, path string, m methods) error {
	allowed := make([]string, 0, len(m))
	for _, candidate := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if _, ok := m[candidate]; ok {
			allowed = append(allowed, candidate)
		}
	}
	allow := strings.Join(allowed, ", ")
	return &methodNotAllowedError{
		api:   apierror.New("MethodNotAllowed", http.StatusMethodNotAllowed, "The method %s is not allowed on %s (allowed: %s).", method, path, allow),
		allow: allow,
	}
}

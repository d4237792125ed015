package edge

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/edge/forward"
)

// Custom error responses (CustomErrorResponses of the distribution; Developer Guide,
// "Generate custom error responses"). When the origin answers an error status that has a
// response page, or the edge cannot get an answer from the origin (502, 504), the viewer
// gets the page instead: it is requested from the origin of the cache behaviour its path
// matches and sent with ResponseCode, or with the error's own status when none is set. If
// the page is not available, the viewer gets the status the page's origin gave.
//
// Decided where CloudFront does not say (docs/edge.md): functions do not run on the page's
// request or response (a viewer-response function is skipped for origin errors anyway, §9),
// and the edge's own function error pages (502/503 FunctionValidationError,
// FunctionExecutionError, FunctionThrottledError) stay as they are.

const xcacheError = "Error from cloudfront"

// errorPage returns the custom error response for status, if one names a page and none is
// being served already.
func (x *exchange) errorPage(status int) (distributions.CustomErrorResponse, bool) {
	if x.inErrorPage || x.dist == nil {
		return distributions.CustomErrorResponse{}, false
	}
	ce, ok := x.dist.errorPages[status]
	return ce, ok
}

// customError answers the error status with the custom error response ce.
func (x *exchange) customError(ce distributions.CustomErrorResponse, status int) {
	x.inErrorPage = true
	path, query, _ := strings.Cut(ce.ResponsePagePath, "?")
	rt := x.dist.behaviorFor(path).route(x.scheme)
	fr := forward.Request{
		Method:     http.MethodGet,
		Path:       path,
		RawQuery:   query,
		Header:     http.Header{"X-Amz-Cf-Id": x.ids},
		ClientIP:   clientIP(x.r),
		ProtoMajor: x.r.ProtoMajor,
		ProtoMinor: x.r.ProtoMinor,
		Context:    x.r.Context(),
	}
	resp := x.fetch(&fr, &rt)
	if resp == nil {
		return // the page's origin failed: fetch answered with the edge's own page
	}
	if resp.StatusCode < 400 {
		resp.StatusCode, resp.Reason = status, ""
		if code, err := strconv.Atoi(ce.ResponseCode); err == nil {
			resp.StatusCode = code
		}
	}
	x.result, x.detailed = resultError, resultError
	x.edgeHeaders(resp.Header, xcacheError, false)
	x.writeOrigin(resp)
}

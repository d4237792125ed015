package cfapi

import (
	"net/url"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
)

// routeCase is a request line and the route, or else the error code, matchRoute gives it.
type routeCase struct {
	method, path, query string
	op, name            string
	code                string // expected error code instead
}

func checkRoutes(t *testing.T, cases []routeCase) {
	t.Helper()
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		r, err := matchRoute(c.method, c.path, q)
		if c.code != "" {
			if e := apierror.As(err); e == nil || e.Code != c.code {
				t.Errorf("%s %s?%s: got %+v, %v; want %s", c.method, c.path, c.query, r, err, c.code)
			}
			continue
		}
		if err != nil || r.op != c.op || r.name != c.name {
			t.Errorf("%s %s?%s: got %+v, %v; want %s %q", c.method, c.path, c.query, r, err, c.op, c.name)
		}
	}
}

func TestMatchRoute(t *testing.T) {
	checkRoutes(t, []routeCase{
		{"POST", "/2020-05-31/function", "", opCreateFunction, "", ""},
		{"GET", "/2020-05-31/function", "MaxItems=1&Stage=LIVE", opListFunctions, "", ""},
		{"GET", "/2020-05-31/function/fn", "", opGetFunction, "fn", ""},
		{"PUT", "/2020-05-31/function/fn", "", opUpdateFunction, "fn", ""},
		{"DELETE", "/2020-05-31/function/fn", "", opDeleteFunction, "fn", ""},
		{"GET", "/2020-05-31/function/fn/describe", "Stage=LIVE", opDescribeFunction, "fn", ""},
		{"POST", "/2020-05-31/function/fn/publish", "", opPublishFunction, "fn", ""},
		{"POST", "/2020-05-31/function/fn/test", "", opTestFunction, "fn", ""},
		// A name is one escaped segment: %2F stays inside it, and it is decoded once.
		{"GET", "/2020-05-31/function/bad%20name%21/describe", "", opDescribeFunction, "bad name!", ""},
		{"GET", "/2020-05-31/function/a%2Fdescribe", "", opGetFunction, "a/describe", ""},
		{"GET", "/2020-05-31/function/describe", "", opGetFunction, "describe", ""},
		{"GET", "/2020-05-31/function/describe/describe", "", opDescribeFunction, "describe", ""},
		{"GET", "/2020-05-31/function/", "", opGetFunction, "", ""},
		{"POST", "/2020-05-31/tagging", "Operation=Tag&Resource=arn", opTagResource, "", ""},
		{"POST", "/2020-05-31/tagging", "Resource=arn&Operation=Untag", opUntagResource, "", ""},
		{"GET", "/2020-05-31/tagging", "Resource=arn", opListTagsForResource, "", ""},
		{"POST", "/2020-05-31/tagging", "Operation=Retag", "", "", "InvalidArgument"},
		{"GET", "/2020-05-31/function/a%zz", "", "", "", "InvalidArgument"},
		{"GET", "/2020-05-31/function/fn/unknown", "", "", "", "UnsupportedOperation"},
		{"GET", "/2020-05-31/function/fn/describe/more", "", "", "", "UnsupportedOperation"},
		{"GET", "/2020-05-31/origin-access-control", "", "", "", "UnsupportedOperation"},
		{"GET", "/2020-05-31", "", "", "", "NoSuchResource"},
		{"GET", "/", "", "", "", "NoSuchResource"},
		{"HEAD", "/2020-05-31/function", "", "", "", "MethodNotAllowed"},
		{"POST", "/2020-05-31/function/fn", "", "", "", "MethodNotAllowed"},
		{"DELETE", "/2020-05-31/tagging", "", "", "", "MethodNotAllowed"},
	})
}

// A name or ID that is not validly percent-encoded is InvalidArgument naming the resource.
func TestMatchRouteBadPercentEncoding(t *testing.T) {
	for path, want := range map[string]string{
		"/2020-05-31/function/a%zz/publish":    `The function name in the path is not validly percent-encoded: "a%zz".`,
		"/2020-05-31/key-value-store/kv%2":     `The key value store name in the path is not validly percent-encoded: "kv%2".`,
		"/2020-05-31/distribution/E%G1/config": `The distribution ID in the path is not validly percent-encoded: "E%G1".`,
	} {
		_, err := matchRoute("GET", path, nil)
		if e := apierror.As(err); e == nil || e.Code != "InvalidArgument" || e.Message != want {
			t.Errorf("%s: got %v, want InvalidArgument %q", path, err, want)
		}
	}
}

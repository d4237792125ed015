package cfapi

import (
	"net/url"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
)

func TestMatchRoute(t *testing.T) {
	cases := []struct {
		method, path, query string
		op, name            string
		code                string // expected error code instead
	}{
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
	}
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

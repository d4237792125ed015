package kvsapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// Operation names of the cloudfront-keyvaluestore data plane.
const (
	opDescribe   = "DescribeKeyValueStore"
	opGetKey     = "GetKey"
	opListKeys   = "ListKeys"
	opPutKey     = "PutKey"
	opDeleteKey  = "DeleteKey"
	opUpdateKeys = "UpdateKeys"
)

// route is a parsed request target.
type route struct {
	op  string
	arn string
	key string // GetKey, PutKey, DeleteKey
}

const collection = "/key-value-stores/"

// requestPath returns the request's path exactly as the client encoded it. URL.RawPath
// keeps the original whenever it differs from Go's default encoding; Path alone would
// turn %2F inside the ARN or a key into a separator (wire.md, Data plane).
func requestPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.EscapedPath()
}

// parseRoute maps method and escaped path to an operation. The ARN and the key are each
// one percent-encoded segment (spec §5.1) and are decoded segment by segment.
func parseRoute(method, path string) (route, *apierror.Error) {
	rest, ok := strings.CutPrefix(path, collection)
	if !ok {
		return route{}, unknownOperation(method, path)
	}
	segs := strings.Split(rest, "/")
	if segs[0] == "" || len(segs) > 3 || len(segs) >= 2 && segs[1] != "keys" {
		return route{}, unknownOperation(method, path)
	}
	arn, err := url.PathUnescape(segs[0])
	if err != nil {
		return route{}, apierror.ValidationException("The KvsARN in the request path is not correctly percent-encoded.")
	}
	rt := route{arn: arn}
	switch {
	case len(segs) == 1 && method == http.MethodGet:
		rt.op = opDescribe
	case len(segs) == 2 && method == http.MethodGet:
		rt.op = opListKeys
	case len(segs) == 2 && method == http.MethodPost:
		rt.op = opUpdateKeys
	case len(segs) == 3:
		key, err := url.PathUnescape(segs[2])
		if err != nil {
			return route{}, apierror.ValidationException("The Key in the request path is not correctly percent-encoded.")
		}
		rt.key = key
		switch method {
		case http.MethodGet:
			rt.op = opGetKey
		case http.MethodPut:
			rt.op = opPutKey
		case http.MethodDelete:
			rt.op = opDeleteKey
		default:
			return route{}, unknownOperation(method, path)
		}
	default:
		return route{}, unknownOperation(method, path)
	}
	return rt, nil
}

func unknownOperation(method, path string) *apierror.Error {
	return apierror.New("UnknownOperationException", http.StatusNotFound, "No operation matches %s %s.", method, path)
}

package cfapi

import "context"

// requestInfo travels with one request through the middleware chain. The outer layers
// create it; inner layers fill in what they learn (the operation, the account, the error
// code), so the access log can report them.
type requestInfo struct {
	id       string
	op       string // "CreateFunction", … or "" for an unknown route
	name     string // the decoded {Name} path segment, if any
	routeErr error  // set when the request matches no operation
	account  string
	errCode  string
	body     []byte // the request body, read once under the size cap
}

type ctxKey struct{}

func withInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(ctxKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// RequestID returns the id cfapi gave the request (the x-amzn-RequestId header), or "".
func RequestID(ctx context.Context) string { return infoFrom(ctx).id }

// Account returns the account the request was authenticated as, or "".
func Account(ctx context.Context) string { return infoFrom(ctx).account }

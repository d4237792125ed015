// Package cfapi is the CloudFront 2020-05-31 REST-XML wire for functions and tags: routes,
// XML request and response types, headers, the error envelope, request ids, the body cap,
// authentication hook, access log and panic recovery. Handlers only decode the wire, call
// the functions service and encode its answer; every rule lives in the service.
package cfapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/functions"
)

// FunctionService is the part of *functions.Service the API calls.
type FunctionService interface {
	Create(ctx context.Context, account string, in functions.CreateInput) (functions.Summary, error)
	Describe(ctx context.Context, account, name string, stage functions.Stage) (functions.Summary, error)
	GetCode(ctx context.Context, account, name string, stage functions.Stage) ([]byte, string, error)
	List(ctx context.Context, account string, in functions.ListInput) (functions.ListOutput, error)
	Update(ctx context.Context, account, name, ifMatch string, cfg functions.Config, code []byte) (functions.Summary, error)
	Delete(ctx context.Context, account, name, ifMatch string) error
	Publish(ctx context.Context, account, name, ifMatch string) (functions.Summary, error)
	Test(ctx context.Context, account, name, ifMatch string, in functions.TestInput) (functions.TestResult, error)
	TagResource(ctx context.Context, account, arn string, tags []functions.Tag) error
	UntagResource(ctx context.Context, account, arn string, keys []string) error
	ListTags(ctx context.Context, account, arn string) ([]functions.Tag, error)
}

// Authenticator checks a request's signature and names the account it acts for. body is
// the complete request body (already read under the size cap).
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (account string, err error)
}

// DefaultMaxBodyBytes caps request bodies before any parsing. The largest legitimate body
// is a CreateFunctionRequest with a FunctionCode at the model maximum of 40960 bytes
// (54,616 base64 characters) plus 50 tags of maximal UTF-8 width; 128 KiB covers that, so
// oversized code still reaches the service and gets FunctionSizeLimitExceeded.
const DefaultMaxBodyBytes = 128 << 10

// Options configures the API.
type Options struct {
	// Auth verifies requests. Nil accepts every request, signed or not, as DefaultAccount.
	Auth Authenticator
	// DefaultAccount is the account of unauthenticated requests; default auth.DefaultAccountID.
	DefaultAccount string
	// MaxBodyBytes caps request bodies; default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives the access log and internal errors; default discards.
	Logger *slog.Logger
	// KVS serves the key value store operations; nil answers them UnsupportedOperation.
	KVS KVSService
	// Distributions serves the distribution operations; nil answers them UnsupportedOperation.
	Distributions DistributionService
}

// API serves the control plane. It is an http.Handler.
type API struct {
	svc     FunctionService
	opts    Options
	log     *slog.Logger
	handler http.Handler
	ops     map[string]operationHandler
}

// operationHandler serves one operation; a returned error becomes the error envelope.
type operationHandler func(w http.ResponseWriter, r *http.Request, info *requestInfo) error

// New builds the API over svc.
func New(svc FunctionService, opts Options) *API {
	if opts.DefaultAccount == "" {
		opts.DefaultAccount = auth.DefaultAccountID
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &API{svc: svc, opts: opts, log: opts.Logger}
	a.ops = map[string]operationHandler{
		opCreateFunction:      a.createFunction,
		opDescribeFunction:    a.describeFunction,
		opGetFunction:         a.getFunction,
		opListFunctions:       a.listFunctions,
		opUpdateFunction:      a.updateFunction,
		opDeleteFunction:      a.deleteFunction,
		opPublishFunction:     a.publishFunction,
		opTestFunction:        a.testFunction,
		opTagResource:         a.tagResource,
		opUntagResource:       a.untagResource,
		opListTagsForResource: a.listTagsForResource,
	}
	a.registerKVSOps()
	a.registerDistributionOps()
	// Outermost first: every later layer can rely on the request id and the recorder.
	a.handler = a.withRequestID(a.withAccessLog(a.withRecovery(a.withRoute(a.withBody(a.withAuth(http.HandlerFunc(a.dispatch)))))))
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// dispatch runs the operation the route layer found.
func (a *API) dispatch(w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	if info.routeErr != nil {
		if mna, ok := info.routeErr.(*methodNotAllowedError); ok {
			w.Header().Set("Allow", mna.allow)
		}
		a.fail(w, r, info.routeErr)
		return
	}
	if err := a.ops[info.op](w, r, info); err != nil {
		a.fail(w, r, err)
	}
}

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, r, err, a.log)
}

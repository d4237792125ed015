package edge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/edge/forward"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
)

// DistributionSource is what the edge reads distributions from (distributions.Service).
type DistributionSource interface {
	All(ctx context.Context) ([]distributions.Distribution, error)
	Get(ctx context.Context, account, id string) (distributions.Distribution, error)
}

// FunctionSource is what the edge reads LIVE function code from (functions.Service).
type FunctionSource interface {
	Get(ctx context.Context, account, name string, stage functions.Stage) (functions.Summary, []byte, error)
}

// DefaultPop is the X-Amz-Cf-Pop the edge reports: an edge-location code of CloudFront's
// shape (three letters, a number, "-C1"/"-P1") that no real location uses.
const DefaultPop = "LCL1-P1"

// Options configures an Edge. Distributions and Functions are required.
type Options struct {
	Distributions DistributionSource
	Functions     FunctionSource
	// KVS serves the key value stores associated with functions; nil leaves cf.kvs()
	// without a store.
	KVS functions.KVSReaderSource
	// Engine runs the functions; default a new runtime.Engine with default options. A
	// dedicated engine keeps TestFunction calls from competing with viewer traffic.
	Engine *runtime.Engine
	// Forwarder sends requests to origins; default a new one with this edge's Via token. An
	// edge closes only a forwarder it made.
	Forwarder *forward.Forwarder
	// EdgeDomain names this edge in Via ("1.1 <hash>.<EdgeDomain> (CloudFront)"); default
	// distributions.DefaultEdgeDomain.
	EdgeDomain string
	// Pop is the X-Amz-Cf-Pop value; default DefaultPop.
	Pop string
	// Logger receives the access log (one line per request, at Info) and edge events;
	// default: discarded.
	Logger *slog.Logger
	// MaxRunsPerFunction bounds the runs of one function executing at once; default one less
	// than the engine's MaxConcurrent (at least 1), so one function never holds every slot.
	MaxRunsPerFunction int
	// ThrottleWait is how long a run may wait for its function's slot before the request is
	// throttled (503 FunctionThrottledError); default the engine's WallTimeout.
	ThrottleWait time.Duration
	// MaxWaitingPerFunction bounds the requests waiting for one function's slots; default 1024.
	MaxWaitingPerFunction int
	// FunctionLogs bounds the kept console.log lines.
	FunctionLogs LogLimits
	// Clock is the time a function sees (Date is frozen at it); default: the clock when the
	// function first asks for the time.
	Clock func() time.Time
}

// Edge is the viewer-facing proxy. It is an http.Handler, safe for concurrent use.
type Edge struct {
	opts   Options
	engine *runtime.Engine
	fwd    *forward.Forwarder
	ownFwd bool
	log    *slog.Logger
	via    string // this edge's Via entry after the protocol version
	pop    string
	// Header values every response carries, built once (shared by all responses: never
	// changed in place; their cap is their length, so an append copies).
	popValue  []string // X-Amz-Cf-Pop
	missValue []string // X-Cache of origin responses
	logs      *FunctionLogs
	perFn     int
	throttle  time.Duration

	snap      atomic.Pointer[snapshot]
	httpsPort atomic.Int32 // the HTTPS listener's port, 0 without one (SetHTTPSPort)

	mu       sync.Mutex          // serializes snapshot rebuilds
	limiters map[string]*limiter // per function, kept across rebuilds (under mu)
}

// SetHTTPSPort tells the edge the port of its HTTPS listener, which CloudFront does not need
// (its viewers use the default ports) but a local edge does: the redirect-to-https answer of
// a request to the plain HTTP listener points at that port.
func (e *Edge) SetHTTPSPort(port int) { e.httpsPort.Store(int32(port)) }

// New builds an edge and loads every distribution. When opts.Distributions can report
// changes (an OnChange method, as distributions.Service has), the edge subscribes to them.
func New(ctx context.Context, opts Options) (*Edge, error) {
	if opts.Distributions == nil || opts.Functions == nil {
		return nil, errors.New("edge: Distributions and Functions are required")
	}
	if opts.EdgeDomain == "" {
		opts.EdgeDomain = distributions.DefaultEdgeDomain
	}
	if opts.Pop == "" {
		opts.Pop = DefaultPop
	}
	if opts.MaxWaitingPerFunction <= 0 {
		opts.MaxWaitingPerFunction = 1024
	}
	e := &Edge{opts: opts, limiters: map[string]*limiter{}, pop: opts.Pop}
	e.engine = opts.Engine
	if e.engine == nil {
		e.engine = runtime.NewEngine(runtime.Options{})
	}
	eo := e.engine.Options()
	e.perFn = opts.MaxRunsPerFunction
	if e.perFn <= 0 {
		e.perFn = max(1, min(eo.MaxConcurrent, goruntime.GOMAXPROCS(0))-1)
	}
	e.throttle = opts.ThrottleWait
	if e.throttle <= 0 {
		e.throttle = eo.WallTimeout
	}
	e.log = opts.Logger
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.via = viaToken(opts.EdgeDomain, opts.Pop)
	e.popValue = []string{e.pop}
	e.missValue = []string{xcacheMiss}
	e.fwd = opts.Forwarder
	if e.fwd == nil {
		e.fwd = forward.New(forward.Config{ViaToken: e.via})
		e.ownFwd = true
	}
	e.logs = NewFunctionLogs(opts.FunctionLogs)
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	if n, ok := opts.Distributions.(interface {
		OnChange(func(account, id string))
	}); ok {
		n.OnChange(e.DistributionChanged)
	}
	return e, nil
}

// viaToken is CloudFront's "<32 hex digits>.cloudfront.net (CloudFront)" for this edge.
func viaToken(domain, pop string) string {
	sum := sha256.Sum256([]byte(pop + "/" + domain))
	return hex.EncodeToString(sum[:16]) + "." + domain + " (CloudFront)"
}

// Logs is the function log store.
func (e *Edge) Logs() *FunctionLogs { return e.logs }

// Close releases the forwarder's idle connections if the edge made the forwarder.
func (e *Edge) Close() {
	if e.ownFwd {
		e.fwd.Close()
	}
}

// Reload rebuilds the whole routing table from the sources.
func (e *Edge) Reload(ctx context.Context) error {
	all, err := e.opts.Distributions.All(ctx)
	if err != nil {
		return fmt.Errorf("edge: loading distributions: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	bl := &builder{e: e, ctx: ctx, funcs: map[string]*function{}}
	dists := make(map[string]*distEntry, len(all))
	for _, d := range all {
		de := bl.distribution(d)
		dists[de.account+"/"+de.id] = de
	}
	e.publish(dists)
	return nil
}

// DistributionChanged reloads one distribution (created, updated, deleted, or using a
// function that was just published) and publishes the new routing table before it returns,
// so the change is served as soon as the API call that made it completes. It fits
// distributions.Service.OnChange.
func (e *Edge) DistributionChanged(account, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := e.opts.Distributions.Get(ctx, account, id)
	key := account + "/" + id
	old := e.snap.Load()
	dists := make(map[string]*distEntry, len(old.dists)+1)
	for k, v := range old.dists {
		dists[k] = v
	}
	switch {
	case err == nil:
		bl := &builder{e: e, ctx: ctx, funcs: map[string]*function{}}
		dists[key] = bl.distribution(d)
	case isNoSuchDistribution(err):
		delete(dists, key)
	default:
		e.log.Error("edge: reloading a distribution failed; it keeps its previous configuration",
			"distribution", id, "account", account, "error", err)
		return
	}
	e.publish(dists)
}

func isNoSuchDistribution(err error) bool {
	ae := apierror.As(err)
	return ae != nil && ae.Code == "NoSuchDistribution"
}

// publish swaps in a new snapshot and forgets the limiters of functions no longer used
// (runs still holding one keep it alive until they finish). Call with e.mu held.
func (e *Edge) publish(dists map[string]*distEntry) {
	used := map[string]bool{}
	for _, d := range dists {
		for _, b := range append([]*behavior{d.def}, d.behaviors...) {
			for _, fn := range []*function{b.request, b.response} {
				if fn != nil && fn.lim != nil {
					used[logKey(fn.account, fn.name)] = true
				}
			}
		}
	}
	for k := range e.limiters {
		if !used[k] {
			delete(e.limiters, k)
		}
	}
	e.snap.Store(newSnapshot(dists))
}

// limiterFor returns the limiter of a function. Call with e.mu held.
func (e *Edge) limiterFor(key string) *limiter {
	l := e.limiters[key]
	if l == nil {
		l = newLimiter(e.perFn, e.opts.MaxWaitingPerFunction)
		e.limiters[key] = l
	}
	return l
}

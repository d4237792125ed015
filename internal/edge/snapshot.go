package edge

import (
	"context"
	"strings"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/runtime"
)

// snapshot is the edge's routing table at one moment. It is never changed after it is
// published: a change builds a new snapshot and swaps the pointer, and a request keeps the
// snapshot it loaded for its whole life.
type snapshot struct {
	dists     map[string]*distEntry // by account + "/" + id
	hosts     map[string]*distEntry // lower-case domain name or alias
	wildcards map[string]*distEntry // "example.com" for the alias "*.example.com"
}

func newSnapshot(dists map[string]*distEntry) *snapshot {
	s := &snapshot{dists: dists, hosts: map[string]*distEntry{}, wildcards: map[string]*distEntry{}}
	for _, d := range dists {
		s.hosts[d.domain] = d
		for _, a := range d.cfg.Aliases {
			a = strings.ToLower(strings.TrimSuffix(a, "."))
			if rest, ok := strings.CutPrefix(a, "*."); ok {
				s.wildcards[rest] = d
				continue
			}
			s.hosts[a] = d
		}
	}
	return s
}

// lookup finds the distribution for a lower-case host name without port: an exact name
// first, then a wildcard alias covering one more label ("*.example.com" matches
// "a.example.com", not "a.b.example.com" nor "example.com").
func (s *snapshot) lookup(host string) *distEntry {
	if d := s.hosts[host]; d != nil {
		return d
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		return s.wildcards[host[i+1:]]
	}
	return nil
}

// distEntry is one distribution ready to serve.
type distEntry struct {
	account, id, domain string
	enabled             bool
	cfg                 distributions.Config
	behaviors           []*behavior // CacheBehaviors, in order
	def                 *behavior   // DefaultCacheBehavior
	// errorPages are the custom error responses that name a page, by the error status
	// (customerror.go); the others only set an error caching TTL, which has no cache here.
	errorPages map[int]distributions.CustomErrorResponse
}

// behaviorFor applies CloudFront's rule: the first cache behaviour whose path pattern matches,
// else the default one.
func (d *distEntry) behaviorFor(path string) *behavior {
	for _, b := range d.behaviors {
		if distributions.MatchPathPattern(b.pattern, path) {
			return b
		}
	}
	return d.def
}

// behavior is one cache behaviour with its functions and prepared origin routes.
type behavior struct {
	pattern      string
	viewerPolicy string
	methods      methodSet
	request      *function // viewer-request, or nil
	response     *function // viewer-response, or nil
	target       target
	targetErr    string
	routes       [2]route // for viewers on http and https
}

func (b *behavior) route(scheme string) route {
	if b.targetErr != "" {
		return route{err: b.targetErr}
	}
	if scheme == "https" {
		return b.routes[1]
	}
	return b.routes[0]
}

// function is a LIVE function ready to run.
type function struct {
	arn, account, name string
	runtime            string
	kvsARN             string // the associated key value store, or ""
	prog               *runtime.Program
	broken             string // why it cannot run (does not compile, cannot be loaded); "" if it can
	lim                *limiter
}

// methodSet is a set of the HTTP methods CloudFront knows.
type methodSet uint8

var methodBits = map[string]methodSet{
	"GET": 1, "HEAD": 2, "OPTIONS": 4, "PUT": 8, "POST": 16, "PATCH": 32, "DELETE": 64,
}

func methodsOf(ms []string) methodSet {
	if len(ms) == 0 {
		ms = distributions.DefaultMethods
	}
	var s methodSet
	for _, m := range ms {
		s |= methodBits[strings.ToUpper(m)]
	}
	return s
}

// known reports whether CloudFront accepts the method at all.
func knownMethod(m string) bool { _, ok := methodBits[m]; return ok }

func (s methodSet) has(m string) bool { return s&methodBits[m] != 0 }

// builder loads what a snapshot needs: functions by ARN, compiled once per build.
type builder struct {
	e     *Edge
	ctx   context.Context
	funcs map[string]*function
}

func (bl *builder) distribution(d distributions.Distribution) *distEntry {
	de := &distEntry{
		account: distributions.AccountOf(d),
		id:      d.ID,
		domain:  strings.ToLower(d.DomainName),
		enabled: d.Config.Enabled,
		cfg:     d.Config,
	}
	de.cfg.Raw = nil // not needed at the edge
	for _, ce := range de.cfg.CustomErrorResponses {
		if ce.ResponsePagePath != "" {
			if de.errorPages == nil {
				de.errorPages = map[int]distributions.CustomErrorResponse{}
			}
			de.errorPages[ce.ErrorCode] = ce
		}
	}
	de.def = bl.behavior(de, &de.cfg.DefaultBehavior)
	for i := range de.cfg.Behaviors {
		de.behaviors = append(de.behaviors, bl.behavior(de, &de.cfg.Behaviors[i]))
	}
	return de
}

func (bl *builder) behavior(de *distEntry, b *distributions.Behavior) *behavior {
	eb := &behavior{
		pattern:      b.PathPattern,
		viewerPolicy: b.ViewerProtocolPolicy,
		methods:      methodsOf(b.AllowedMethods),
	}
	for _, fa := range b.FunctionAssociations {
		fn := bl.function(fa.FunctionARN)
		switch fa.EventType {
		case distributions.EventViewerRequest:
			eb.request = fn
		case distributions.EventViewerResponse:
			eb.response = fn
		}
	}
	t, err := de.targetFor(b.TargetOriginID)
	if err != nil {
		eb.targetErr = err.Error()
		return eb
	}
	eb.target = t
	eb.routes[0] = t.route("http")
	eb.routes[1] = t.route("https")
	return eb
}

// function loads and compiles a function's LIVE stage. Failures do not stop the build: the
// behaviour answers 503 with the reason in the function's log, as CloudFront does for a
// function that cannot run.
func (bl *builder) function(arn string) *function {
	if fn := bl.funcs[arn]; fn != nil {
		return fn
	}
	fn := &function{arn: arn}
	bl.funcs[arn] = fn
	account, name, ok := functions.ParseFunctionARN(arn)
	if !ok {
		fn.broken = "the function ARN " + arn + " is not valid"
		return fn
	}
	fn.account, fn.name = account, name
	fn.lim = bl.e.limiterFor(logKey(account, name))
	sum, code, err := bl.e.opts.Functions.Get(bl.ctx, account, name, functions.Live)
	if err != nil {
		fn.broken = "the LIVE stage of the function could not be loaded: " + err.Error()
		bl.e.log.Warn("edge: a function of a distribution cannot be loaded; its requests get 503",
			"function", arn, "error", err)
		return fn
	}
	fn.runtime = sum.Config.Runtime
	if len(sum.Config.KeyValueStoreARNs) > 0 {
		fn.kvsARN = sum.Config.KeyValueStoreARNs[0]
	}
	prog, err := bl.e.engine.Compile(name, code, sum.Config.Runtime)
	if err != nil {
		fn.broken = err.Error()
		return fn
	}
	fn.prog = prog
	return fn
}

package edge

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/edge/forward"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/statuswriter"
)

// Result types of CloudFront's access log (x-edge-result-type); the detailed type refines
// Error (FunctionExecutionError, FunctionThrottledError, FunctionValidationError, origin
// failures).
const (
	resultMiss      = "Miss"
	resultError     = "Error"
	resultRedirect  = "Redirect"
	resultGenerated = "FunctionGeneratedResponse"

	xcacheMiss = "Miss from cloudfront"
)

// exchange is one viewer request on its way through the edge.
type exchange struct {
	e  *Edge
	w  statuswriter.Writer // records the status and bytes for the access log
	r  *http.Request
	id string
	// ids is id as a header value, for the origin request and the response. Its array is
	// allocated per request rather than kept in the pooled exchange: the header maps that
	// hold it (the viewer's own request header map, a response writer's) may be read after
	// the handler returned.
	ids      []string
	start    time.Time // when the request came in, if logged
	logged   bool      // the access log line is written
	dist     *distEntry
	path     string
	result   string
	detailed string
	fn       string                // the function that answered or failed, for the access log
	changes  runtime.OriginChanges // what the viewer-request function's origin helpers asked for
	scheme   string                // the viewer's: "http" or "https"
	// inErrorPage: a custom error response is being served, so another error is not replaced
	inErrorPage bool

	// Storage for the function runs, reused with the exchange (exchangePool): the viewer's
	// request as event.request (made once, by viewerRequest) with room for its headers, the
	// viewer-request and viewer-response events and their results.
	viewerReq     runtime.Request
	viewerReqMade bool
	headerRoom    [16]runtime.Field
	events        [2]runtime.Event
	results       [2]runtime.Result
}

// exchangePool recycles exchanges: with the storage above, a request whose functions leave
// the headers alone allocates nothing for the event and results.
var exchangePool = sync.Pool{New: func() any { return new(exchange) }}

// ServeHTTP handles one viewer request (see the package documentation).
func (e *Edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := exchangePool.Get().(*exchange)
	x.e, x.r, x.id = e, r, newRequestID()
	if e.log.Enabled(context.Background(), slog.LevelInfo) {
		// Decided once, so the clock is read only for a request whose access log line
		// will be written.
		x.logged, x.start = true, time.Now()
	}
	x.ids = []string{x.id}
	x.w.ResponseWriter = w
	defer x.finish()
	x.serve()
}

// finish writes the access log line and returns the exchange to the pool, cleared so the
// pool keeps nothing of the request. It runs on a panic too: nothing outlives the handler
// (the forwarder has no goroutine of its own per request).
func (x *exchange) finish() {
	x.accessLog()
	*x = exchange{}
	exchangePool.Put(x)
}

// viewerRequest is event.request for this exchange's functions, made on first use.
func (x *exchange) viewerRequest() *runtime.Request {
	if !x.viewerReqMade {
		fillViewerRequest(&x.viewerReq, x.r, x.path, x.headerRoom[:0])
		x.viewerReqMade = true
	}
	return &x.viewerReq
}

func (x *exchange) serve() {
	r := x.r
	d := x.e.snap.Load().lookup(hostOnly(r.Host))
	if d == nil || !d.enabled {
		x.page(http.StatusForbidden, reasonBadHost, "Error")
		return
	}
	x.dist = d
	path, ok := requestPath(r)
	if !ok {
		x.page(http.StatusBadRequest, reasonBadRequest, "Error")
		return
	}
	x.path = path
	b := d.behaviorFor(path)

	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	x.scheme = scheme
	if scheme == "http" {
		// Before any function: viewer-request functions do not run on the automatic
		// redirect (CloudFront Developer Guide, viewer request events).
		switch b.viewerPolicy {
		case distributions.ViewerRedirectToHTTPS:
			x.redirectHTTPS(path)
			return
		case distributions.ViewerHTTPSOnly:
			x.page(http.StatusForbidden, reasonHTTPSOnly, "Error")
			return
		}
	}
	if !knownMethod(r.Method) {
		x.page(http.StatusMethodNotAllowed, reasonUnsupportedMethod, "Error")
		return
	}
	if !b.methods.has(r.Method) {
		x.page(http.StatusForbidden, reasonMethodNotAllowed, "Error")
		return
	}

	fr := forward.FromHTTP(r)
	fr.Path = path
	rt := b.route(scheme)
	var forwarded *runtime.Request // the request as it goes to the origin, for viewer-response
	if fn := b.request; fn != nil {
		in := x.viewerRequest()
		ch := &x.changes
		res := x.run(fn, x.event(runtime.EventViewerRequest, in, nil), ch)
		if res == nil {
			return
		}
		if res.Kind == runtime.KindResponse {
			x.generated(fn, res.Response)
			return
		}
		if err := applyRequest(&fr, r.Header, in, res.Request); err != nil {
			x.invalid(fn, err)
			return
		}
		if ch.Err != nil {
			x.invalid(fn, ch.Err)
			return
		}
		if len(ch.Steps) > 0 {
			t, err := d.applyOriginSteps(b.target, ch.Steps, res.Request.Headers)
			if err != nil {
				x.invalid(fn, err)
				return
			}
			rt = t.route(scheme)
		}
		forwarded = res.Request
	}
	if fr.Path == "/" && d.cfg.DefaultRootObject != "" {
		// The root URL asks the origin for the default root object; the viewer-request
		// function saw "/" (it runs before CloudFront's own processing of the request).
		fr.Path = "/" + d.cfg.DefaultRootObject
	}
	if fr.Header == nil {
		fr.Header = http.Header{}
	}
	fr.Header["X-Amz-Cf-Id"] = x.ids

	resp := x.fetch(&fr, &rt)
	if resp == nil {
		return
	}
	if ce, ok := x.errorPage(resp.StatusCode); ok {
		resp.Close()
		x.customError(ce, resp.StatusCode)
		return
	}
	x.result, x.detailed = resultMiss, resultMiss
	if fn := b.response; fn != nil && resp.StatusCode < 400 {
		if forwarded == nil {
			forwarded = x.viewerRequest()
		}
		in := originResponse(resp.StatusCode, resp.Reason, resp.Header)
		res := x.run(fn, x.event(runtime.EventViewerResponse, forwarded, in), nil)
		if res == nil {
			resp.Close()
			return
		}
		if err := applyResponseTo(resp, in, res.Response, x.w.Header()); err != nil {
			resp.Close()
			x.invalid(fn, err)
			return
		}
	}
	x.edgeHeaders(resp.Header, xcacheMiss, false)
	x.writeOrigin(resp)
}

// writeOrigin sends an origin's response to the viewer.
func (x *exchange) writeOrigin(resp *forward.Response) {
	if err := x.e.fwd.WriteResponse(&x.w, resp); err != nil {
		var fe *forward.Error
		if errors.As(err, &fe) && fe.HeadersSent {
			x.detailed = "OriginBodyError"
			panic(http.ErrAbortHandler) // the head is out: cutting the connection is all that is left
		}
	}
}

// event builds the event of one run.
func (x *exchange) event(eventType string, req *runtime.Request, resp *runtime.Response) *runtime.Event {
	ev := &x.events[0]
	if eventType == runtime.EventViewerResponse {
		ev = &x.events[1]
	}
	*ev = runtime.Event{
		Version: "1.0",
		Context: runtime.Context{
			DistributionDomainName: x.dist.domain,
			DistributionID:         x.dist.id,
			EventType:              eventType,
			RequestID:              x.id,
		},
		Viewer:   runtime.Viewer{IP: clientIP(x.r)},
		Request:  req,
		Response: resp,
	}
	return ev
}

// run executes a function under its limiter and records its log lines. On failure it writes
// the error page (spec §9.8) and returns nil.
func (x *exchange) run(fn *function, ev *runtime.Event, ch *runtime.OriginChanges) *runtime.Result {
	x.fn = fn.name
	e := x.e
	if fn.broken != "" {
		e.logs.record(fn.account, fn.name, x.dist.id, x.id, time.Now(), nil, fn.broken)
		x.page(http.StatusServiceUnavailable, reasonFunctionError, "FunctionExecutionError")
		return nil
	}
	if !fn.lim.acquire(x.r.Context(), e.throttle) {
		x.page(http.StatusServiceUnavailable, reasonFunctionThrottled, "FunctionThrottledError")
		return nil
	}
	inv, err := x.invocation(fn, ch)
	if err != nil {
		fn.lim.release()
		e.logs.record(fn.account, fn.name, x.dist.id, x.id, time.Now(), nil, "the key value store could not be read: "+err.Error())
		x.page(http.StatusServiceUnavailable, reasonFunctionError, "FunctionExecutionError")
		return nil
	}
	res := &x.results[0]
	if ev.Context.EventType == runtime.EventViewerResponse {
		res = &x.results[1]
	}
	e.engine.RunInto(x.r.Context(), fn.prog, ev, inv, res)
	fn.lim.release()
	if len(res.Logs) > 0 || res.Err != nil {
		errText := ""
		if res.Err != nil {
			errText = res.Err.Message
		}
		e.logs.record(fn.account, fn.name, x.dist.id, x.id, time.Now(), res.Logs, errText)
	}
	if res.Err == nil {
		return res
	}
	switch res.Err.Kind {
	case runtime.ErrInvalidOutput:
		x.page(http.StatusBadGateway, reasonFunctionInvalid, "FunctionValidationError")
	case runtime.ErrTimeout:
		x.page(http.StatusServiceUnavailable, reasonFunctionThrottled, "FunctionThrottledError")
	default:
		x.page(http.StatusServiceUnavailable, reasonFunctionError, "FunctionExecutionError")
	}
	return nil
}

// invalid answers 502 for a function result the edge refused, and logs why.
func (x *exchange) invalid(fn *function, err error) {
	x.e.logs.record(fn.account, fn.name, x.dist.id, x.id, time.Now(), nil, err.Error())
	x.page(http.StatusBadGateway, reasonFunctionInvalid, "FunctionValidationError")
}

// fetch sends the request to the route's origin, failing over to the secondary of an origin
// group on a connection failure or a failover status (GET, HEAD and OPTIONS only, as
// CloudFront). On failure it writes the error page and returns nil.
func (x *exchange) fetch(fr *forward.Request, rt *route) *forward.Response {
	if rt.err != "" {
		x.e.log.Warn("edge: origin not reachable", "request_id", x.id, "distribution", x.dist.id, "error", rt.err)
		if ce, ok := x.errorPage(http.StatusBadGateway); ok {
			x.customError(ce, http.StatusBadGateway)
			return nil
		}
		x.page(http.StatusBadGateway, reasonOriginUnreachable, "OriginConnectError")
		return nil
	}
	resp, err := x.e.fwd.RoundTrip(fr, rt.primary)
	if rt.secondary != nil && failoverMethod(fr.Method) && (err != nil && failoverError(err) || err == nil && rt.failsOver(resp.StatusCode)) {
		if resp != nil {
			resp.Close()
		}
		resp, err = x.e.fwd.RoundTrip(fr, rt.secondary)
	}
	if err != nil {
		x.originError(err)
		return nil
	}
	return resp
}

// failoverError: the origin could not be reached or did not answer properly.
func failoverError(err error) bool {
	var fe *forward.Error
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Kind {
	case forward.KindCanceled, forward.KindViewerBody, forward.KindInvalidRequest:
		return false
	}
	return true
}

func (x *exchange) originError(err error) {
	var fe *forward.Error
	if !errors.As(err, &fe) {
		x.page(http.StatusBadGateway, reasonOriginInvalid, "OriginError")
		return
	}
	x.e.log.Debug("edge: origin request failed", "request_id", x.id, "error", err)
	if fe.Kind != forward.KindCanceled && fe.Kind != forward.KindViewerBody {
		if ce, ok := x.errorPage(fe.Status()); ok {
			x.customError(ce, fe.Status())
			return
		}
	}
	switch fe.Kind {
	case forward.KindConnectTimeout:
		x.page(fe.Status(), reasonOriginTimeout, "OriginConnectTimeout")
	case forward.KindResponseTimeout:
		x.page(fe.Status(), reasonOriginTimeout, "OriginReadTimeout")
	case forward.KindConnect, forward.KindTLS:
		x.page(fe.Status(), reasonOriginUnreachable, "OriginConnectError")
	case forward.KindViewerBody:
		x.page(fe.Status(), reasonViewerBody, "ClientCommError")
	case forward.KindCanceled:
		x.detailed = "ClientCommError" // nobody is left to answer
		x.result = resultError
	default:
		x.page(fe.Status(), reasonOriginInvalid, "OriginError")
	}
}

// generated writes a response a viewer-request function returned (spec §9.6). Viewer-response
// functions do not run on it.
func (x *exchange) generated(fn *function, resp *runtime.Response) {
	h, err := generatedHeader(resp)
	var body []byte
	if err == nil && resp.Body != nil {
		body, err = bodyBytes(resp.Body)
	}
	if err != nil {
		x.invalid(fn, err)
		return
	}
	wh := x.w.Header()
	for k, v := range h {
		wh[k] = v
	}
	if _, ok := wh["Content-Type"]; !ok {
		wh["Content-Type"] = nil // never guessed: the function sent none
	}
	if _, ok := wh["Server"]; !ok {
		wh["Server"] = []string{"CloudFront"}
	}
	x.edgeHeaders(wh, "FunctionGeneratedResponse from cloudfront", true)
	status := resp.StatusCode
	bodyless := status == http.StatusNoContent || status == http.StatusNotModified
	if !bodyless {
		wh["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	x.result, x.detailed = resultGenerated, resultGenerated
	x.w.WriteHeader(status)
	if !bodyless && x.r.Method != http.MethodHead && len(body) > 0 {
		x.w.Write(body)
	}
}

// page writes one of the edge's own error pages.
func (x *exchange) page(status int, reason pageReason, detailed string) {
	body := errorPage(status, reason.text, x.id)
	h := x.w.Header()
	h["Content-Type"] = []string{"text/html"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["Server"] = []string{"CloudFront"}
	x.edgeHeaders(h, reason.xcache, true)
	x.result, x.detailed = resultError, detailed
	x.w.WriteHeader(status)
	if x.r.Method != http.MethodHead {
		x.w.Write([]byte(body))
	}
}

// redirectHTTPS answers redirect-to-https behaviours on plain HTTP with 301 to the same URL
// over HTTPS.
func (x *exchange) redirectHTTPS(path string) {
	loc := "https://" + httpsHost(x.r.Host, int(x.e.httpsPort.Load())) + path
	if x.r.URL.RawQuery != "" || x.r.URL.ForceQuery {
		loc += "?" + x.r.URL.RawQuery
	}
	h := x.w.Header()
	h["Location"] = []string{loc}
	h["Content-Type"] = []string{"text/html"}
	h["Content-Length"] = []string{strconv.Itoa(len(redirectPage))}
	h["Server"] = []string{"CloudFront"}
	x.edgeHeaders(h, "Redirect from cloudfront", true)
	x.result, x.detailed = resultRedirect, resultRedirect
	x.w.WriteHeader(http.StatusMovedPermanently)
	if x.r.Method != http.MethodHead {
		x.w.Write([]byte(redirectPage))
	}
}

// httpsHost is the host of the redirect-to-https location: the viewer's Host, with the HTTPS
// listener's port in place of the port it named (none for 443). Without an HTTPS listener
// the Host stays as the viewer sent it.
func httpsHost(host string, httpsPort int) string {
	if httpsPort == 0 {
		return host
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
		if strings.IndexByte(name, ':') >= 0 {
			name = "[" + name + "]" // an IPv6 literal
		}
	}
	if httpsPort == 443 {
		return name
	}
	return name + ":" + strconv.Itoa(httpsPort)
}

// edgeHeaders adds CloudFront's response headers. withVia is for responses the edge makes
// itself; the forwarder adds Via to origin responses.
func (x *exchange) edgeHeaders(h http.Header, xcache string, withVia bool) {
	if withVia {
		proto := "1.1 "
		if x.r.ProtoMajor == 2 {
			proto = "2.0 "
		}
		h["Via"] = []string{proto + x.e.via}
	}
	if xcache == xcacheMiss {
		h["X-Cache"] = x.e.missValue
	} else {
		h["X-Cache"] = []string{xcache}
	}
	h["X-Amz-Cf-Pop"] = x.e.popValue
	h["X-Amz-Cf-Id"] = x.ids
}

// hostOnly returns the lower-case host name of a Host header, without port or final dot.
func hostOnly(host string) string {
	// Only a host with a colon can carry a port: SplitHostPort's "missing port" error would
	// cost an allocation on every request to a plain host name.
	hasPort := false
	if strings.IndexByte(host, ':') >= 0 {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host, hasPort = h, true
		}
	}
	if !hasPort && strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}

// requestPath returns the path as the viewer sent it (still percent-encoded), without query.
func requestPath(r *http.Request) (string, bool) {
	u := r.RequestURI
	if u == "" || u[0] != '/' {
		// Absolute form ("http://host/path") or a test-built request: use the parsed URL.
		if u == "*" {
			return "", false
		}
		p := r.URL.EscapedPath()
		if p == "" {
			p = "/"
		}
		return p, p[0] == '/'
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u, true
}

func clientIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}

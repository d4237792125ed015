package edge

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/h1server"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const testAccount = "111122223333"

// liveResolver lets the distributions service check associations against the functions
// service, as the server wires it.
type liveResolver struct{ fns *functions.Service }

func (l *liveResolver) LiveFunctionExists(ctx context.Context, account, arn string) (bool, error) {
	return l.fns.LiveFunctionExists(ctx, account, arn)
}

// fixture is the services, an edge on a loopback listener and an origin that reports what it
// received.
type fixture struct {
	t      testing.TB
	fns    *functions.Service
	dists  *distributions.Service
	engine *runtime.Engine
	edge   *Edge
	srv    *viewerServer
	client *http.Client
	origin *testOrigin
	seq    atomic.Int64
}

type fixtureOptions struct {
	engine runtime.Options
	edge   Options
}

func newFixture(t testing.TB, fo ...fixtureOptions) *fixture {
	t.Helper()
	var o fixtureOptions
	if len(fo) > 0 {
		o = fo[0]
	}
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, engine: runtime.NewEngine(o.engine)}
	resolver := &liveResolver{}
	f.dists = distributions.New(st, distributions.Options{Functions: resolver})
	f.fns = functions.New(st, f.engine, functions.Options{Associations: f.dists})
	resolver.fns = f.fns

	opts := o.edge
	opts.Distributions, opts.Functions, opts.Engine = f.dists, f.fns, f.engine
	f.edge, err = New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.edge.Close)
	f.srv = newViewerServer(t, f.edge)
	t.Cleanup(f.srv.Close)
	f.client = &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 30 * time.Second,
	}
	t.Cleanup(f.client.CloseIdleConnections)
	f.origin = newTestOrigin(t)
	return f
}

// publish creates and publishes a function and returns its ARN.
func (f *fixture) publish(name, rt, code string) string {
	f.t.Helper()
	ctx := context.Background()
	sum, err := f.fns.Create(ctx, testAccount, functions.CreateInput{Name: name, Config: functions.Config{Comment: "test", Runtime: rt}, Code: []byte(code)})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.fns.Publish(ctx, testAccount, name, sum.ETag); err != nil {
		f.t.Fatal(err)
	}
	return functions.FunctionARN(testAccount, name)
}

// republish updates a published function's code and publishes it again, then tells the
// distributions service, as the API does.
func (f *fixture) republish(name, code string) {
	f.t.Helper()
	ctx := context.Background()
	sum, err := f.fns.Describe(ctx, testAccount, name, functions.Development)
	if err != nil {
		f.t.Fatal(err)
	}
	sum, err = f.fns.Update(ctx, testAccount, name, sum.ETag, sum.Config, []byte(code))
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.fns.Publish(ctx, testAccount, name, sum.ETag); err != nil {
		f.t.Fatal(err)
	}
	if err := f.dists.FunctionPublished(ctx, testAccount, functions.FunctionARN(testAccount, name)); err != nil {
		f.t.Fatal(err)
	}
}

// originAt describes a custom origin on a loopback test server.
func originAt(id string, srv *httptest.Server) distributions.Origin {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	p, _ := strconv.Atoi(port)
	return distributions.Origin{
		ID: id, DomainName: "127.0.0.1",
		Custom: &distributions.CustomOriginConfig{
			HTTPPort: p, HTTPSPort: 443, ProtocolPolicy: distributions.OriginHTTPOnly,
			ReadTimeout: 30, KeepaliveTimeout: 5,
		},
		ConnectionAttempts: 1, ConnectionTimeout: 5,
	}
}

// behaviorTo is a behaviour to an origin with the given functions (viewer-request first,
// then viewer-response; "" for none).
func behaviorTo(pattern, originID, vreq, vresp string) distributions.Behavior {
	b := distributions.Behavior{
		PathPattern: pattern, TargetOriginID: originID,
		ViewerProtocolPolicy: distributions.ViewerAllowAll,
		AllowedMethods:       []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"},
		CachedMethods:        []string{"GET", "HEAD"},
		CachePolicyID:        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
	}
	if vreq != "" {
		b.FunctionAssociations = append(b.FunctionAssociations, distributions.FunctionAssociation{FunctionARN: vreq, EventType: distributions.EventViewerRequest})
	}
	if vresp != "" {
		b.FunctionAssociations = append(b.FunctionAssociations, distributions.FunctionAssociation{FunctionARN: vresp, EventType: distributions.EventViewerResponse})
	}
	return b
}

// distribution creates an enabled distribution whose default behaviour goes to the fixture's
// origin with the given functions.
func (f *fixture) distribution(vreq, vresp string, edit ...func(*distributions.Config)) distributions.Distribution {
	f.t.Helper()
	cfg := distributions.Config{
		CallerReference: "ref-" + strconv.FormatInt(f.seq.Add(1), 10),
		Comment:         "edge test",
		Enabled:         true,
		Origins:         []distributions.Origin{originAt("origin", f.origin.srv)},
		DefaultBehavior: behaviorTo("", "origin", vreq, vresp),
	}
	for _, fn := range edit {
		fn(&cfg)
	}
	d, err := f.dists.Create(context.Background(), testAccount, cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// do sends a request to the edge with the given Host.
func (f *fixture) do(method, host, target string, hdr http.Header, body io.Reader) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+target, body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Host = host
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, string(b)
}

func (f *fixture) get(host, target string) (*http.Response, string) {
	f.t.Helper()
	return f.do("GET", host, target, nil, nil)
}

// received is what the test origin saw.
type received struct {
	Method     string              `json:"method"`
	RequestURI string              `json:"uri"`
	Host       string              `json:"host"`
	Header     map[string][]string `json:"header"`
	Body       string              `json:"body"`
}

// testOrigin answers every request with 200 and a JSON report of the request, unless a
// test installs another handler.
type testOrigin struct {
	srv     *httptest.Server
	mu      sync.Mutex
	handler http.HandlerFunc
	last    received
	count   atomic.Int64
}

func newTestOrigin(t testing.TB) *testOrigin {
	o := &testOrigin{}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := received{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header, Body: string(body)}
		o.mu.Lock()
		o.last = rec
		h := o.handler
		o.mu.Unlock()
		o.count.Add(1)
		if h != nil {
			h(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Origin", "yes")
		json.NewEncoder(w).Encode(rec)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *testOrigin) setHandler(h http.HandlerFunc) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.handler = h
}

func (o *testOrigin) lastRequest() received {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.last
}

func decodeReceived(t testing.TB, body string) received {
	t.Helper()
	var r received
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("origin report %q: %v", body, err)
	}
	return r
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// runtimeOptionsFastKill stops runaway functions quickly so tests that hit one stay short.
func runtimeOptionsFastKill() runtime.Options {
	return runtime.Options{WallTimeout: 50 * time.Millisecond}
}

// functionsInput is a CreateFunction input for a 2.0 function associated with a key value
// store.
func functionsInput(name, code, kvsARN string) functions.CreateInput {
	return functions.CreateInput{Name: name, Code: []byte(code), Config: functions.Config{
		Comment: "kvs", Runtime: js2, KeyValueStoreARNs: []string{kvsARN},
	}}
}

// viewerServer serves the edge on a loopback port through h1server, as `localfront serve`
// serves its plain-HTTP edge listener, so every edge test also tests that server.
type viewerServer struct {
	URL string
	srv *h1server.Server
}

func newViewerServer(t testing.TB, h http.Handler) *viewerServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	v := &viewerServer{URL: "http://" + l.Addr().String(), srv: &h1server.Server{Handler: h, IdleTimeout: time.Minute}}
	go v.srv.Serve(l)
	return v
}

// Close waits for the requests in flight (as httptest.Server.Close does), then closes.
func (v *viewerServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v.srv.Shutdown(ctx)
	v.srv.Close()
}

package edge

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store/sqlite"
)

func portOf(t *testing.T, o *testOrigin) int {
	t.Helper()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(o.srv.URL, "http://"))
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The origin-modification helpers of cloudfront-js-2.0 (spec §10.5), end to end.
func TestEdgeOriginHelpers(t *testing.T) {
	f := newFixture(t)
	other := newTestOrigin(t)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			http.Error(w, "down", 503)
			return
		}
		w.Write([]byte("assigned"))
	})
	withOther := func(c *distributions.Config) { c.Origins = append(c.Origins, originAt("other", other.srv)) }
	fn := func(name, body string) string {
		return f.publish(name, js2, "import cf from 'cloudfront';\nfunction handler(event) {\n"+body+"\nreturn event.request;\n}")
	}

	d := f.distribution(fn("select", `cf.selectRequestOriginById('other', {hostHeader: 'picked.example.com'});`), "", withOther)
	resp, body := f.get(d.DomainName, "/a?b=1")
	got := decodeReceived(t, body)
	if resp.StatusCode != 200 || got.RequestURI != "/a?b=1" || got.Host != "picked.example.com" {
		t.Errorf("selectRequestOriginById: %d %+v", resp.StatusCode, got)
	}

	update := `cf.updateRequestOrigin({domainName: '127.0.0.1', hostHeader: 'virtual.example.com',
		customOriginConfig: {port: ` + strconv.Itoa(portOf(t, other)) + `, protocol: 'http'},
		originPath: '/prefix', customHeaders: {'x-origin-secret': 's3cr3t'}, connectionAttempts: 1,
		timeouts: {readTimeout: 5, connectionTimeout: 2}});`
	d = f.distribution(fn("update", update), "")
	resp, body = f.get(d.DomainName, "/path")
	got = decodeReceived(t, body)
	if resp.StatusCode != 200 || got.RequestURI != "/prefix/path" || got.Host != "virtual.example.com" || got.Header["X-Origin-Secret"][0] != "s3cr3t" {
		t.Errorf("updateRequestOrigin: %d %+v", resp.StatusCode, got)
	}

	group := `cf.createRequestOriginGroup({originIds: ['origin', {originId: 'other', originOverrides: {hostHeader: 'failover.example.com'}}],
		failoverCriteria: {statusCodes: [500, 503]}});`
	d = f.distribution(fn("group", group), "", withOther)
	if _, body := f.get(d.DomainName, "/up"); body != "assigned" {
		t.Errorf("group, primary up: %q", body)
	}
	resp, body = f.get(d.DomainName, "/down")
	if got := decodeReceived(t, body); resp.StatusCode != 200 || got.Host != "failover.example.com" || got.RequestURI != "/down" {
		t.Errorf("group, primary 503: %d %+v", resp.StatusCode, got)
	}

	invalid := map[string]string{
		"unknown":   `cf.selectRequestOriginById('nope');`,
		"badpath":   `cf.updateRequestOrigin({originPath: 'no-slash'});`,
		"duplicate": `cf.updateRequestOrigin({customHeaders: {'user-agent': 'x'}});`,
		"grouporig": `cf.createRequestOriginGroup({originIds: ['origin', 'ghost'], failoverCriteria: {statusCodes: [500]}});`,
		"badcode":   `cf.createRequestOriginGroup({originIds: ['origin', 'other'], failoverCriteria: {statusCodes: [200]}});`,
	}
	for name, call := range invalid {
		d := f.distribution(fn("bad-"+name, call), "", withOther)
		before := f.origin.count.Load() + other.count.Load()
		resp, _ := f.do("GET", d.DomainName, "/", http.Header{"User-Agent": {"test"}}, nil)
		if resp.StatusCode != 502 || resp.Header.Get("X-Cache") != "FunctionValidationError from cloudfront" {
			t.Errorf("%s: %d %q", name, resp.StatusCode, resp.Header.Get("X-Cache"))
		}
		if f.origin.count.Load()+other.count.Load() != before {
			t.Errorf("%s: an origin was called", name)
		}
	}
}

func TestApplyOriginStepsTurnsS3IntoCustom(t *testing.T) {
	d := &distEntry{cfg: distributions.Config{Origins: []distributions.Origin{
		{ID: "s3", DomainName: "bucket.s3.amazonaws.com", S3: true, ConnectionAttempts: 3, ConnectionTimeout: 10},
	}}}
	tg, err := d.targetFor("s3")
	if err != nil {
		t.Fatal(err)
	}
	r := tg.route("http")
	if r.primary.Scheme != "https" || r.primary.Host != "bucket.s3.amazonaws.com" || r.primary.Port != 0 {
		t.Fatalf("S3 route %+v", r.primary)
	}
	tg, err = d.applyOriginSteps(tg, []runtime.OriginStep{{Kind: runtime.StepUpdateOrigin, Update: runtime.OriginUpdate{
		DomainName: "api.example.com", Custom: &runtime.CustomOriginParams{Port: 8080, Protocol: "http"},
		Timeouts: runtime.OriginTimeouts{Read: 7, KeepAlive: 9},
	}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r = tg.route("https")
	if r.err != "" || r.primary.Scheme != "http" || r.primary.Host != "api.example.com" || r.primary.Port != 8080 ||
		r.primary.ReadTimeout.Seconds() != 7 || r.primary.KeepAliveTimeout.Seconds() != 9 {
		t.Fatalf("updated route %+v %s", r.primary, r.err)
	}
	if d.cfg.Origins[0].Custom != nil || d.cfg.Origins[0].DomainName != "bucket.s3.amazonaws.com" {
		t.Fatalf("the snapshot's origin was changed: %+v", d.cfg.Origins[0])
	}
}

func TestForwardOriginProtocolPolicies(t *testing.T) {
	o := distributions.Origin{ID: "o", DomainName: "example.com", ConnectionAttempts: 2, ConnectionTimeout: 3,
		Custom:        &distributions.CustomOriginConfig{HTTPPort: 8080, HTTPSPort: 8443, ProtocolPolicy: distributions.OriginMatchViewer, ReadTimeout: 4, KeepaliveTimeout: 5},
		CustomHeaders: []distributions.Header{{Name: "X-Secret", Value: "v"}}, OriginPath: "/base"}
	for scheme, want := range map[string]string{"http": "http:8080", "https": "https:8443"} {
		fo, err := forwardOrigin(&o, scheme, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := fo.Scheme + ":" + strconv.Itoa(fo.Port); got != want || fo.Path != "/base" || len(fo.Headers) != 1 || fo.ConnectionAttempts != 2 {
			t.Errorf("match-viewer over %s: %+v", scheme, fo)
		}
	}
	o.VPC = true
	if _, err := forwardOrigin(&o, "http", ""); err == nil {
		t.Error("a VPC origin must not be reachable")
	}
}

// cf.kvs() reads the function's associated store through the edge.
func TestEdgeKeyValueStore(t *testing.T) {
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ks := kvs.New(st, kvs.Options{})
	defer ks.Close()
	ctx := context.Background()
	store, err := ks.Create(ctx, testAccount, kvs.CreateInput{Name: "redirects"})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := ks.DescribeData(ctx, testAccount, store.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.PutKey(ctx, testAccount, store.ARN, desc.ETag, "/old", "/new"); err != nil {
		t.Fatal(err)
	}

	f := newFixture(t, fixtureOptions{edge: Options{KVS: kvsReaders{ks}}})
	code := `import cf from 'cloudfront';
	async function handler(event) {
		const target = await cf.kvs().get(event.request.uri).catch(() => null);
		if (target) return {statusCode: 301, headers: {location: {value: target}}};
		return event.request;
	}`
	sum, err := f.fns.Create(ctx, testAccount, functionsInput("kvsfn", code, store.ARN))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.fns.Publish(ctx, testAccount, "kvsfn", sum.ETag); err != nil {
		t.Fatal(err)
	}
	d := f.distribution(sum.ARN, "")
	resp, _ := f.get(d.DomainName, "/old")
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/new" {
		t.Errorf("KVS redirect: %d %v %v", resp.StatusCode, resp.Header, f.edge.Logs().Lines(testAccount, "kvsfn", 0))
	}
	if resp, _ := f.get(d.DomainName, "/other"); resp.StatusCode != 200 {
		t.Errorf("KVS miss: %d", resp.StatusCode)
	}
}

// kvsReaders adapts the KVS service to functions.KVSReaderSource, as the server does.
type kvsReaders struct{ svc *kvs.Service }

func (k kvsReaders) KVSReader(ctx context.Context, arn string) (runtime.KVSReader, error) {
	return k.svc.Snapshot(ctx, arn)
}

package edge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/distributions"
)

// End-to-end tests of the request pipeline over real services (store, functions,
// distributions, runtime), a loopback edge listener and a loopback origin.

const js2 = "cloudfront-js-2.0"

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{54}==$`)

func TestEdgeRoutesByHostAndAlias(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "", func(c *distributions.Config) {
		c.Aliases = []string{"www.example.com", "*.apps.example.com"}
	})
	for _, host := range []string{d.DomainName, strings.ToUpper(d.DomainName) + ":8081", "www.example.com", "a.apps.example.com", "www.example.com."} {
		resp, body := f.get(host, "/x")
		if resp.StatusCode != 200 || decodeReceived(t, body).RequestURI != "/x" {
			t.Errorf("host %s: %d %s", host, resp.StatusCode, body)
		}
	}
	for _, host := range []string{"other.example.com", "b.a.apps.example.com", "apps.example.com", "127.0.0.1"} {
		resp, body := f.get(host, "/x")
		if resp.StatusCode != 403 || !strings.Contains(body, "<H1>403 ERROR</H1>") || resp.Header.Get("X-Cache") != "Error from cloudfront" {
			t.Errorf("host %s: want CloudFront's 403 page, got %d %v", host, resp.StatusCode, resp.Header)
		}
		id := resp.Header.Get("X-Amz-Cf-Id")
		if !requestIDPattern.MatchString(id) || !strings.Contains(body, "Request ID: "+id+"\n") || resp.Header.Get("Server") != "CloudFront" {
			t.Errorf("host %s: request ID %q not on the page or malformed", host, id)
		}
	}
	if f.origin.count.Load() != 5 {
		t.Errorf("origin saw %d requests, want 5", f.origin.count.Load())
	}
}

func TestEdgeDisabledDistributionIsNotServed(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "", func(c *distributions.Config) { c.Enabled = false })
	resp, _ := f.get(d.DomainName, "/")
	if resp.StatusCode != 403 {
		t.Fatalf("disabled distribution answered %d", resp.StatusCode)
	}
}

func TestEdgeForwardsWithCloudFrontHeaders(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "")
	resp, body := f.do("POST", d.DomainName, "/api/items?q=a%20b", http.Header{"X-Custom": {"1"}, "Cookie": {"a=1; b=2"}}, strings.NewReader("payload"))
	got := decodeReceived(t, body)
	id := resp.Header.Get("X-Amz-Cf-Id")
	if resp.StatusCode != 200 || got.Method != "POST" || got.RequestURI != "/api/items?q=a%20b" || got.Body != "payload" {
		t.Fatalf("origin got %+v", got)
	}
	if got.Header["X-Amz-Cf-Id"][0] != id || got.Header["X-Custom"][0] != "1" || got.Header["Cookie"][0] != "a=1; b=2" {
		t.Errorf("origin headers %v (request id %s)", got.Header, id)
	}
	if !strings.HasSuffix(got.Header["Via"][0], ".cloudfront.localhost (CloudFront)") || !strings.HasPrefix(got.Header["Via"][0], "1.1 ") {
		t.Errorf("Via to origin %v", got.Header["Via"])
	}
	if resp.Header.Get("X-Cache") != "Miss from cloudfront" || resp.Header.Get("X-Amz-Cf-Pop") != DefaultPop ||
		!strings.Contains(resp.Header.Get("Via"), "(CloudFront)") || resp.Header.Get("X-Origin") != "yes" {
		t.Errorf("response headers %v", resp.Header)
	}
}

func TestEdgeBehaviorsFollowPathPatternsInOrder(t *testing.T) {
	f := newFixture(t)
	other := newTestOrigin(t)
	other.setHandler(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("other")) })
	d := f.distribution("", "", func(c *distributions.Config) {
		c.Origins = append(c.Origins, originAt("other", other.srv))
		c.Behaviors = []distributions.Behavior{
			behaviorTo("/images/*.png", "origin", "", ""),
			behaviorTo("*.png", "other", "", ""),
			behaviorTo("/static/?/x", "other", "", ""),
		}
	})
	cases := map[string]bool{ // path → served by "other"
		"/images/a.png": false, "/images/sub/b.png": false, "/a.png": true, "/deep/c.png": true,
		"/IMAGES/a.png": true, "/static/1/x": true, "/static/12/x": false, "/index.html": false,
	}
	for path, wantOther := range cases {
		_, body := f.get(d.DomainName, path)
		if (body == "other") != wantOther {
			t.Errorf("%s: served by other = %v, want %v", path, body == "other", wantOther)
		}
	}
}

func TestEdgeViewerProtocolPolicy(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "", func(c *distributions.Config) {
		c.DefaultBehavior.ViewerProtocolPolicy = distributions.ViewerRedirectToHTTPS
		b := behaviorTo("/secure/*", "origin", "", "")
		b.ViewerProtocolPolicy = distributions.ViewerHTTPSOnly
		c.Behaviors = []distributions.Behavior{b}
	})
	resp, body := f.get(d.DomainName, "/a/b?x=1%202")
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "https://"+d.DomainName+"/a/b?x=1%202" ||
		resp.Header.Get("X-Cache") != "Redirect from cloudfront" || !strings.Contains(body, "301 Moved Permanently") {
		t.Errorf("redirect-to-https: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = f.get(d.DomainName, "/secure/a")
	if resp.StatusCode != 403 {
		t.Errorf("https-only over http: %d", resp.StatusCode)
	}
	if f.origin.count.Load() != 0 {
		t.Errorf("the origin was called")
	}
}

func TestEdgeAllowedMethods(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "", func(c *distributions.Config) {
		c.DefaultBehavior.AllowedMethods = []string{"GET", "HEAD"}
	})
	if resp, _ := f.do("HEAD", d.DomainName, "/", nil, nil); resp.StatusCode != 200 {
		t.Errorf("HEAD: %d", resp.StatusCode)
	}
	resp, body := f.do("POST", d.DomainName, "/", nil, strings.NewReader("x"))
	if resp.StatusCode != 403 || !strings.Contains(body, "not configured to allow the HTTP request method") {
		t.Errorf("POST on GET/HEAD: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.do("PROPFIND", d.DomainName, "/", nil, nil)
	if resp.StatusCode != 405 {
		t.Errorf("PROPFIND: %d", resp.StatusCode)
	}
}

// eventEcho returns the event it received as the body of a generated response.
const eventEcho = `function handler(event) {
	return {statusCode: 200, headers: {'content-type': {value: 'application/json'}}, body: JSON.stringify(event)};
}`

type echoedValue struct {
	Value      string `json:"value"`
	Attributes string `json:"attributes"`
	MultiValue []struct {
		Value string `json:"value"`
	} `json:"multiValue"`
}

type echoedEvent struct {
	Version string `json:"version"`
	Context struct {
		DistributionDomainName string `json:"distributionDomainName"`
		DistributionID         string `json:"distributionId"`
		EventType              string `json:"eventType"`
		RequestID              string `json:"requestId"`
	} `json:"context"`
	Viewer  struct{ IP string } `json:"viewer"`
	Request struct {
		Method      string                 `json:"method"`
		URI         string                 `json:"uri"`
		Querystring map[string]echoedValue `json:"querystring"`
		Headers     map[string]echoedValue `json:"headers"`
		Cookies     map[string]echoedValue `json:"cookies"`
	} `json:"request"`
	Response *struct {
		StatusCode int                    `json:"statusCode"`
		Headers    map[string]echoedValue `json:"headers"`
		Cookies    map[string]echoedValue `json:"cookies"`
	} `json:"response"`
}

func TestEdgeViewerRequestEventShape(t *testing.T) {
	f := newFixture(t)
	d := f.distribution(f.publish("echo", js2, eventEcho), "")
	hdr := http.Header{
		"X-Multi":           {"one", "two, three"},
		"Cookie":            {"session=a%3Db; theme=dark", "session=second"},
		"X-Forwarded-Proto": {"https"}, "X-Amz-Cf-Id": {"spoofed"}, "X-Edge-Thing": {"1"},
		"Latin": {"caf\xe9"},
	}
	resp, body := f.do("GET", d.DomainName, "/p%20a/th?q=a%20b&flag&q=c+d&e=", hdr, nil)
	if resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "FunctionGeneratedResponse from cloudfront" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
	}
	var ev echoedEvent
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	c := ev.Context
	if ev.Version != "1.0" || c.EventType != "viewer-request" || c.DistributionID != d.ID ||
		c.DistributionDomainName != d.DomainName || c.RequestID != resp.Header.Get("X-Amz-Cf-Id") || ev.Viewer.IP != "127.0.0.1" {
		t.Errorf("context/viewer: %+v %+v", c, ev.Viewer)
	}
	r := ev.Request
	if r.Method != "GET" || r.URI != "/p%20a/th" {
		t.Errorf("method/uri %q %q", r.Method, r.URI)
	}
	q := r.Querystring
	if q["q"].Value != "a%20b" || len(q["q"].MultiValue) != 2 || q["q"].MultiValue[1].Value != "c+d" ||
		q["flag"].Value != "" || q["e"].Value != "" || len(q) != 3 {
		t.Errorf("querystring %+v", q)
	}
	h := r.Headers
	if h["host"].Value != d.DomainName || h["x-multi"].Value != "one" || len(h["x-multi"].MultiValue) != 2 ||
		h["x-multi"].MultiValue[1].Value != "two, three" || h["latin"].Value != "café" {
		t.Errorf("headers %+v", h)
	}
	for name := range h {
		if name != strings.ToLower(name) {
			t.Errorf("header name %q is not lower case", name)
		}
	}
	for _, hidden := range []string{"cookie", "x-forwarded-proto", "x-amz-cf-id", "x-edge-thing"} {
		if _, ok := h[hidden]; ok {
			t.Errorf("header %s must not be exposed", hidden)
		}
	}
	ck := r.Cookies
	if ck["session"].Value != "a%3Db" || len(ck["session"].MultiValue) != 2 || ck["session"].MultiValue[1].Value != "second" || ck["theme"].Value != "dark" {
		t.Errorf("cookies %+v", ck)
	}
	if ev.Response != nil {
		t.Errorf("a viewer-request event has no response")
	}
}

func TestEdgeRewriteAndHeaderChangesReachTheOrigin(t *testing.T) {
	f := newFixture(t)
	code := `function handler(event) {
		var r = event.request;
		if (r.uri.endsWith('/')) r.uri += 'index.html';
		r.headers['x-added'] = {value: 'added'};
		r.headers['user-agent'] = {value: 'rewritten'};
		delete r.headers['x-remove'];
		r.cookies['extra'] = {value: 'e1'};
		r.querystring = 'a=1&b=%20';
		return r;
	}`
	d := f.distribution(f.publish("rw", js2, code), "")
	resp, body := f.do("GET", d.DomainName, "/dir/?old=1", http.Header{"X-Remove": {"x"}, "Cookie": {"a=1"}, "X-Keep": {"k"}}, nil)
	got := decodeReceived(t, body)
	if resp.StatusCode != 200 || got.RequestURI != "/dir/index.html?a=1&b=%20" {
		t.Fatalf("%d origin got %+v", resp.StatusCode, got)
	}
	h := got.Header
	if h["X-Added"][0] != "added" || h["User-Agent"][0] != "rewritten" || h["X-Remove"] != nil || h["X-Keep"][0] != "k" {
		t.Errorf("origin headers %v", h)
	}
	if h["Cookie"][0] != "a=1; extra=e1" {
		t.Errorf("Cookie %v", h["Cookie"])
	}
	if h["X-Amz-Cf-Id"][0] != resp.Header.Get("X-Amz-Cf-Id") {
		t.Errorf("request id to origin %v", h["X-Amz-Cf-Id"])
	}
}

func TestEdgeRejectsReadOnlyAndDisallowedHeaderEdits(t *testing.T) {
	f := newFixture(t)
	cases := map[string]string{
		"host":      `r.headers.host = {value: 'evil.example.com'}`,
		"delhost":   `delete r.headers.host`,
		"via":       `r.headers.via = {value: '1.1 me'}`,
		"cdnloop":   `r.headers['cdn-loop'] = {value: 'x'}`,
		"proto":     `r.headers['x-forwarded-proto'] = {value: 'https'}`,
		"amzcf":     `r.headers['x-amz-cf-id'] = {value: 'mine'}`,
		"xcache":    `r.headers['x-cache'] = {value: 'Hit'}`,
		"badvalue":  `r.headers['x-a'] = {value: 'a\r\nInjected: yes'}`,
		"badname":   `r.headers['bad name'] = {value: 'x'}`,
		"method":    `r.method = 'POST'`,
		"query":     `r.querystring = 'a=1 2'`,
		"long":      `r.uri = '/' + 'a'.repeat(9000)`,
		"cookiebad": `r.cookies['a;b'] = {value: 'x'}`,
	}
	for name, edit := range cases {
		arn := f.publish("ro-"+name, js2, "function handler(event) { var r = event.request; "+edit+"; return r; }")
		d := f.distribution(arn, "")
		before := f.origin.count.Load()
		resp, body := f.get(d.DomainName, "/x")
		if resp.StatusCode != 502 || resp.Header.Get("X-Cache") != "FunctionValidationError from cloudfront" || !strings.Contains(body, "<H1>502 ERROR</H1>") {
			t.Errorf("%s: got %d %v", name, resp.StatusCode, resp.Header)
		}
		if f.origin.count.Load() != before {
			t.Errorf("%s: the origin was called", name)
		}
		lines := f.edge.Logs().Lines(testAccount, "ro-"+name, 0)
		if len(lines) != 3 || !strings.Contains(lines[1].Text, " ERROR FunctionValidationError") {
			t.Errorf("%s: function log %+v", name, lines)
		}
	}
}

func TestEdgeReadOnlyHeadersMayBeReadAndKept(t *testing.T) {
	f := newFixture(t)
	code := `function handler(event) {
		var r = event.request;
		r.headers['x-seen-host'] = {value: r.headers.host.value};
		r.headers.host = {value: r.headers.host.value};
		return r;
	}`
	d := f.distribution(f.publish("readhost", js2, code), "")
	resp, body := f.get(d.DomainName, "/")
	if resp.StatusCode != 200 || decodeReceived(t, body).Header["X-Seen-Host"][0] != d.DomainName {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestEdgeGeneratedResponses(t *testing.T) {
	f := newFixture(t)
	redirect := `function handler(event) {
		return {statusCode: 302, statusDescription: 'Found',
			headers: {location: {value: 'https://example.com/new'}, 'x-multi': {value: 'a', multiValue: [{value: 'a'}, {value: 'b'}]}},
			cookies: {sid: {value: 'abc', attributes: 'Secure; Path=/'}, pref: {value: 'x', multiValue: [{value: 'x'}, {value: 'y', attributes: 'Max-Age=60'}]}}};
	}`
	d := f.distribution(f.publish("redirect", js2, redirect), "")
	resp, body := f.get(d.DomainName, "/old")
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://example.com/new" || body != "" {
		t.Fatalf("redirect: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	if got := resp.Header["X-Multi"]; len(got) != 2 || got[1] != "b" {
		t.Errorf("multiValue header %v", got)
	}
	wantCookies := []string{"sid=abc; Secure; Path=/", "pref=x", "pref=y; Max-Age=60"}
	if got := resp.Header["Set-Cookie"]; strings.Join(got, "|") != strings.Join(wantCookies, "|") {
		t.Errorf("Set-Cookie %q", got)
	}
	if resp.Header.Get("X-Cache") != "FunctionGeneratedResponse from cloudfront" || resp.Header.Get("Server") != "CloudFront" ||
		resp.Header["Content-Type"] != nil || resp.Header.Get("Via") == "" {
		t.Errorf("headers %v", resp.Header)
	}

	text := `function handler(event) { return {statusCode: 404, headers: {'content-type': {value: 'text/plain'}}, body: 'not here'}; }`
	d = f.distribution(f.publish("text", js2, text), "")
	resp, body = f.get(d.DomainName, "/")
	if resp.StatusCode != 404 || body != "not here" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("text body: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	b64 := `function handler(event) { return {statusCode: 200, body: {encoding: 'base64', data: 'AAEC/w=='}}; }`
	d = f.distribution(f.publish("b64", js2, b64), "")
	resp, body = f.get(d.DomainName, "/")
	if resp.StatusCode != 200 || body != "\x00\x01\x02\xff" || resp.Header.Get("Content-Length") != "4" {
		t.Errorf("base64 body: %d %q", resp.StatusCode, body)
	}

	badB64 := `function handler(event) { return {statusCode: 200, body: {encoding: 'base64', data: '!!!'}}; }`
	d = f.distribution(f.publish("badb64", js2, badB64), "")
	if resp, _ = f.get(d.DomainName, "/"); resp.StatusCode != 502 {
		t.Errorf("invalid base64: %d", resp.StatusCode)
	}

	disallowed := `function handler(event) { return {statusCode: 200, headers: {'x-amz-cf-pop': {value: 'X'}}}; }`
	d = f.distribution(f.publish("genbad", js2, disallowed), "")
	if resp, _ = f.get(d.DomainName, "/"); resp.StatusCode != 502 {
		t.Errorf("disallowed header in a generated response: %d", resp.StatusCode)
	}
	if f.origin.count.Load() != 0 {
		t.Errorf("generated responses reached the origin")
	}
}

func TestEdgeViewerResponseFunction(t *testing.T) {
	f := newFixture(t)
	code := `function handler(event) {
		var res = event.response;
		res.headers['strict-transport-security'] = {value: 'max-age=63072000'};
		res.headers['x-request-id'] = {value: event.context.requestId};
		res.headers['x-status-seen'] = {value: String(res.statusCode) + ' ' + res.statusDescription};
		res.headers['x-uri-seen'] = {value: event.request.uri};
		res.cookies['added'] = {value: '1', attributes: 'HttpOnly'};
		delete res.headers['x-origin'];
		return res;
	}`
	vreq := f.publish("vreq", js2, `function handler(event) { event.request.uri = '/rewritten'; return event.request; }`)
	d := f.distribution(vreq, f.publish("secheaders", js2, code))
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Origin", "yes")
		w.Header().Add("Set-Cookie", "o=1; Path=/")
		w.Write([]byte("origin body"))
	})
	resp, body := f.get(d.DomainName, "/page")
	h := resp.Header
	if resp.StatusCode != 200 || body != "origin body" || h.Get("Strict-Transport-Security") != "max-age=63072000" || h.Get("X-Origin") != "" {
		t.Fatalf("%d %q %v", resp.StatusCode, body, h)
	}
	if h.Get("X-Request-Id") != h.Get("X-Amz-Cf-Id") || h.Get("X-Status-Seen") != "200 OK" || h.Get("X-Uri-Seen") != "/rewritten" {
		t.Errorf("event seen by viewer-response: %v", h)
	}
	if got := strings.Join(h["Set-Cookie"], "|"); got != "o=1; Path=/|added=1; HttpOnly" {
		t.Errorf("Set-Cookie %q", got)
	}

	// Origin errors (≥ 400) skip the viewer-response function (spec §9.8).
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", 404) })
	resp, body = f.get(d.DomainName, "/missing")
	if resp.StatusCode != 404 || resp.Header.Get("Strict-Transport-Security") != "" || !strings.Contains(body, "gone") {
		t.Errorf("origin 404: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestEdgeViewerResponseChangesStatusAndBody(t *testing.T) {
	f := newFixture(t)
	code := `function handler(event) {
		var res = event.response;
		res.statusCode = 201; res.statusDescription = 'Created';
		res.headers['content-type'] = {value: 'text/plain'};
		res.body = {encoding: 'text', data: 'replaced'};
		return res;
	}`
	d := f.distribution("", f.publish("body", js2, code))
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("long origin body ", 1000)))
	})
	resp, body := f.get(d.DomainName, "/")
	if resp.StatusCode != 201 || body != "replaced" || resp.Header.Get("Content-Type") != "text/plain" || resp.Header.Get("Content-Length") != "8" {
		t.Fatalf("%d %q %v", resp.StatusCode, body, resp.Header)
	}

	readOnly := `function handler(event) { event.response.headers.via = {value: 'x'}; return event.response; }`
	d = f.distribution("", f.publish("resvia", js2, readOnly))
	if resp, _ := f.get(d.DomainName, "/"); resp.StatusCode != 502 {
		t.Errorf("viewer-response changing Via: %d", resp.StatusCode)
	}
	warning := `function handler(event) { event.response.headers.warning = {value: '199 - x'}; return event.response; }`
	d = f.distribution("", f.publish("reswarn", js2, warning))
	if resp, _ := f.get(d.DomainName, "/"); resp.StatusCode != 502 {
		t.Errorf("viewer-response adding Warning: %d", resp.StatusCode)
	}
}

func TestEdgeFunctionErrors(t *testing.T) {
	f := newFixture(t, fixtureOptions{engine: runtimeOptionsFastKill()})
	cases := []struct {
		name, code, xcache string
		status             int
	}{
		{"throws", `function handler(event) { console.log('about to fail'); throw new Error('boom'); }`, "FunctionExecutionError from cloudfront", 503},
		{"syntax", `function handler(event) { return event.request `, "FunctionExecutionError from cloudfront", 503},
		{"nohandler", `function other(event) { return event.request; }`, "FunctionExecutionError from cloudfront", 503},
		{"returns42", `function handler(event) { return 42; }`, "FunctionValidationError from cloudfront", 502},
		{"baduri", `function handler(event) { event.request.uri = 'no-slash'; return event.request; }`, "FunctionValidationError from cloudfront", 502},
		{"runaway", `function handler(event) { for (;;) {} }`, "FunctionThrottledError from cloudfront", 503},
	}
	for _, c := range cases {
		d := f.distribution(f.publish(c.name, js2, c.code), "")
		resp, body := f.get(d.DomainName, "/")
		if resp.StatusCode != c.status || resp.Header.Get("X-Cache") != c.xcache {
			t.Errorf("%s: %d %q", c.name, resp.StatusCode, resp.Header.Get("X-Cache"))
		}
		if c.status == 503 && !strings.Contains(body, "The CloudFront function associated with the CloudFront distribution") {
			t.Errorf("%s: page %s", c.name, body)
		}
		lines := f.edge.Logs().Lines(testAccount, c.name, 0)
		id := resp.Header.Get("X-Amz-Cf-Id")
		if len(lines) < 3 || lines[0].Text != id+" START DistributionID: "+d.ID || lines[len(lines)-1].Text != id+" END" ||
			!strings.HasPrefix(lines[len(lines)-2].Text, id+" ERROR ") {
			t.Errorf("%s: log %+v", c.name, lines)
		}
	}
	if l := f.edge.Logs().Lines(testAccount, "throws", 0); len(l) != 4 || l[1].Text != l[1].RequestID+" about to fail" ||
		!strings.Contains(l[2].Text, "Error: boom") {
		t.Errorf("throws: log %+v", l)
	}
	if f.origin.count.Load() != 0 {
		t.Errorf("failed functions reached the origin")
	}
}

func TestEdgeOriginFailures(t *testing.T) {
	f := newFixture(t)
	dead := newTestOrigin(t)
	dead.srv.Close()
	d := f.distribution("", "", func(c *distributions.Config) { c.Origins[0] = originAt("origin", dead.srv) })
	resp, body := f.get(d.DomainName, "/")
	if resp.StatusCode != 502 || resp.Header.Get("X-Cache") != "Error from cloudfront" || !strings.Contains(body, "<H1>502 ERROR</H1>") {
		t.Errorf("unreachable origin: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestEdgeOriginGroupFailover(t *testing.T) {
	f := newFixture(t)
	secondary := newTestOrigin(t)
	secondary.setHandler(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secondary")) })
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/fail") {
			http.Error(w, "down", 503)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/missing") {
			http.Error(w, "missing", 404)
			return
		}
		w.Write([]byte("primary"))
	})
	d := f.distribution("", "", func(c *distributions.Config) {
		c.Origins = append(c.Origins, originAt("backup", secondary.srv))
		c.OriginGroups = []distributions.OriginGroup{{ID: "group", PrimaryOriginID: "origin", SecondaryOriginID: "backup", FailoverStatusCodes: []int{500, 503}}}
		c.DefaultBehavior.TargetOriginID = "group"
	})
	for path, want := range map[string]string{"/ok": "primary", "/fail": "secondary"} {
		if _, body := f.get(d.DomainName, path); body != want {
			t.Errorf("%s: %q, want %q", path, body, want)
		}
	}
	if resp, _ := f.get(d.DomainName, "/missing"); resp.StatusCode != 404 {
		t.Errorf("404 is not a failover status: %d", resp.StatusCode)
	}
	if resp, _ := f.do("POST", d.DomainName, "/fail", nil, strings.NewReader("x")); resp.StatusCode != 503 {
		t.Errorf("POST must not fail over: %d", resp.StatusCode)
	}
	f.origin.srv.Close() // primary down: connection failures fail over too
	if _, body := f.get(d.DomainName, "/ok"); body != "secondary" {
		t.Errorf("primary down: %q", body)
	}
}

func TestEdgeConsoleLogsAreKeptPerFunction(t *testing.T) {
	f := newFixture(t)
	code := `function handler(event) { console.log('uri', event.request.uri); console.log({a: 1}); return event.request; }`
	d := f.distribution(f.publish("logger", js2, code), "")
	history, sub := f.edge.Logs().Subscribe(testAccount, "logger")
	defer sub.Close()
	if len(history) != 0 {
		t.Fatalf("history %v", history)
	}
	resp, _ := f.get(d.DomainName, "/one")
	id := resp.Header.Get("X-Amz-Cf-Id")
	want := []string{id + " START DistributionID: " + d.ID, id + " uri /one", id + " {a:1}", id + " END"}
	for i, w := range want {
		l := <-sub.Lines()
		if l.Text != w || l.RequestID != id || l.Seq != uint64(i+1) || l.DistributionID != d.ID {
			t.Errorf("line %d: %+v, want %q", i, l, w)
		}
	}
	if got := f.edge.Logs().Lines(testAccount, "logger", 2); len(got) != 2 || got[0].Seq != 3 {
		t.Errorf("Lines after 2: %+v", got)
	}
	// A function that logs nothing and succeeds leaves no lines.
	d2 := f.distribution(f.publish("quiet", js2, `function handler(e) { return e.request; }`), "")
	f.get(d2.DomainName, "/")
	if got := f.edge.Logs().Lines(testAccount, "quiet", 0); len(got) != 0 {
		t.Errorf("quiet function logged %+v", got)
	}
}

func TestEdgeUsesSnapshotsAcrossContextCancel(t *testing.T) {
	// Reload from the sources builds the same routing as the incremental path.
	f := newFixture(t)
	d := f.distribution("", "")
	if err := f.edge.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(d.DomainName, "/"); resp.StatusCode != 200 {
		t.Fatalf("after Reload: %d", resp.StatusCode)
	}
}

func TestEdgeDefaultRootObject(t *testing.T) {
	f := newFixture(t)
	seen := f.publish("seeuri", js2, `function handler(e) { e.request.headers['x-seen'] = {value: e.request.uri}; return e.request; }`)
	d := f.distribution(seen, "", func(c *distributions.Config) { c.DefaultRootObject = "home.html" })
	for path, want := range map[string]string{"/": "/home.html", "/sub/": "/sub/", "/?q=1": "/home.html?q=1"} {
		_, body := f.get(d.DomainName, path)
		got := decodeReceived(t, body)
		if got.RequestURI != want || got.Header["X-Seen"][0] != strings.SplitN(path, "?", 2)[0] {
			t.Errorf("%s: origin got %q (function saw %v), want %q", path, got.RequestURI, got.Header["X-Seen"], want)
		}
	}
}

// Exchanges and their event storage are recycled from request to request (exchangePool): each
// event must show only its own request's headers, and a response's header map, which a writer
// may read after the handler returned, must keep its own request id.
func TestEdgeRecycledExchangesShareNothing(t *testing.T) {
	f := newFixture(t)
	echo := `function handler(event) {
		return {statusCode: 200, body: Object.keys(event.request.headers).join(',') + '|' + event.context.requestId};
	}`
	d := f.distribution(f.publish("echo", js2, echo), "")
	serve := func(hdr map[string]string) (*httptest.ResponseRecorder, string) {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Host = d.DomainName
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		f.edge.ServeHTTP(w, r)
		return w, w.Body.String()
	}
	many := map[string]string{}
	for i := 0; i < 20; i++ { // more than the exchange's room for headers
		many[fmt.Sprintf("X-H%02d", i)] = "v"
	}
	w1, body1 := serve(many)
	w2, body2 := serve(map[string]string{"X-Only": "1"})
	if w1.Code != 200 || w2.Code != 200 {
		t.Fatalf("status %d, %d", w1.Code, w2.Code)
	}
	if keys, _, _ := strings.Cut(body1, "|"); strings.Count(keys, ",") != 20 {
		t.Errorf("first event headers %q, want host and 20 others", keys)
	}
	if keys, _, _ := strings.Cut(body2, "|"); keys != "host,x-only" {
		t.Errorf("second event headers %q, want host,x-only only", keys)
	}
	for i, c := range []struct {
		w    *httptest.ResponseRecorder
		body string
	}{{w1, body1}, {w2, body2}} {
		_, id, _ := strings.Cut(c.body, "|")
		if got := c.w.Header().Get("X-Amz-Cf-Id"); id == "" || got != id {
			t.Errorf("response %d: X-Amz-Cf-Id read after the handler returned is %q, event requestId %q", i+1, got, id)
		}
	}
}

// A request forwarded with its headers unchanged lends its header map to the origin request,
// which gets the request id: that value must not point into the recycled exchange, or a
// caller reading its request after ServeHTTP would see the next request's id.
func TestEdgeForwardedHeaderMapKeepsItsOwnID(t *testing.T) {
	f := newFixture(t)
	d := f.distribution("", "")
	var reqs []*http.Request
	var recs []*httptest.ResponseRecorder
	for i := 0; i < 3; i++ {
		r := httptest.NewRequest("GET", "/p", nil)
		r.Host = d.DomainName
		w := httptest.NewRecorder()
		f.edge.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
		reqs, recs = append(reqs, r), append(recs, w)
	}
	for i := range reqs {
		id := recs[i].Result().Header.Get("X-Amz-Cf-Id")
		if got := reqs[i].Header.Get("X-Amz-Cf-Id"); id == "" || got != id {
			t.Errorf("request %d: X-Amz-Cf-Id %q in its header map after ServeHTTP, response id %q", i+1, got, id)
		}
	}
}

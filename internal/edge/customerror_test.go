package edge

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/distributions"
)

// Custom error responses: the page comes from the origin of the behaviour its path matches
// and goes out with ResponseCode (or the error's status); a missing page gives the status
// its origin answered; statuses without a page, function errors and generated responses
// are left alone; no function runs on the page.
func TestCustomErrorResponses(t *testing.T) {
	f := newFixture(t)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/app/index.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>app</p>"))
		case "/forbidden":
			w.WriteHeader(403)
		case "/boom":
			w.WriteHeader(500)
		case "/bad":
			http.Error(w, "bad request body", 400)
		default:
			http.Error(w, "origin 404", 404)
		}
	})
	pages := newTestOrigin(t)
	pages.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/errors/404.html" || r.URL.Path == "/errors/down.html" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>page " + r.URL.Path + "</p>"))
			return
		}
		http.Error(w, "no such page", 404)
	})
	stamp := f.publish("stamp", js2, `function handler(event) { event.response.headers['x-stamp'] = {value: 'ran'}; return event.response; }`)
	errorPages := []distributions.CustomErrorResponse{
		{ErrorCode: 404, ResponsePagePath: "/errors/404.html", ResponseCode: "200"},
		{ErrorCode: 403, ResponsePagePath: "/app/index.html"},
		{ErrorCode: 500, ResponsePagePath: "/errors/missing.html", ResponseCode: "503"},
		{ErrorCode: 502, ResponsePagePath: "/errors/down.html", ResponseCode: "503"},
		{ErrorCode: 400}, // an error caching TTL only
	}
	withPages := func(c *distributions.Config) {
		c.Origins = append(c.Origins, originAt("pages", pages.srv))
		c.Behaviors = []distributions.Behavior{behaviorTo("/errors/*", "pages", "", "")}
		c.CustomErrorResponses = errorPages
	}
	d := f.distribution("", stamp, withPages)

	resp, body := f.get(d.DomainName, "/missing")
	if resp.StatusCode != 200 || body != "<p>page /errors/404.html</p>" || resp.Header.Get("X-Cache") != "Error from cloudfront" ||
		resp.Header.Get("Content-Type") != "text/html" || resp.Header.Get("X-Stamp") != "" {
		t.Errorf("404 → page with 200: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if got := pages.lastRequest(); got.Method != "GET" || got.RequestURI != "/errors/404.html" || http.Header(got.Header).Get("X-Amz-Cf-Id") != resp.Header.Get("X-Amz-Cf-Id") {
		t.Errorf("the page request: %+v (viewer's request id %q)", got, resp.Header.Get("X-Amz-Cf-Id"))
	}

	if resp, body = f.get(d.DomainName, "/forbidden"); resp.StatusCode != 403 || body != "<p>app</p>" {
		t.Errorf("403 → page, status kept: %d %q", resp.StatusCode, body)
	}
	if resp, body = f.get(d.DomainName, "/boom"); resp.StatusCode != 404 || body != "no such page\n" {
		t.Errorf("500 with a missing page → the page origin's status: %d %q", resp.StatusCode, body)
	}
	if resp, body = f.get(d.DomainName, "/bad"); resp.StatusCode != 400 || body != "bad request body\n" || resp.Header.Get("X-Cache") == "Error from cloudfront" {
		t.Errorf("a status without a page passes: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp, body = f.get(d.DomainName, "/app/index.html"); resp.StatusCode != 200 || resp.Header.Get("X-Stamp") != "ran" {
		t.Errorf("a success still runs the viewer-response function: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp, body = f.do("HEAD", d.DomainName, "/missing", nil, nil); resp.StatusCode != 200 || body != "" {
		t.Errorf("HEAD: %d %q", resp.StatusCode, body)
	}

	// An origin that cannot be reached: 502, replaced by its page.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	down := f.distribution("", "", withPages, func(c *distributions.Config) {
		c.Origins[0].Custom.HTTPPort = deadPort
	})
	if resp, body = f.get(down.DomainName, "/anything"); resp.StatusCode != 503 || body != "<p>page /errors/down.html</p>" || resp.Header.Get("X-Cache") != "Error from cloudfront" {
		t.Errorf("unreachable origin → page: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	// ... and when the page's origin is the unreachable one, the edge's own 502 page.
	deadPages := f.distribution("", "", func(c *distributions.Config) {
		c.Origins[0].Custom.HTTPPort = deadPort
		c.CustomErrorResponses = errorPages
	})
	if resp, body = f.get(deadPages.DomainName, "/anything"); resp.StatusCode != 502 || !strings.Contains(body, "<H1>502 ERROR</H1>") {
		t.Errorf("page origin unreachable: %d %q", resp.StatusCode, body)
	}

	// An origin the edge cannot use at all (a VPC origin): 502, replaced by its page too.
	vpc := f.distribution("", "", withPages, func(c *distributions.Config) {
		c.Origins[0].Custom, c.Origins[0].VPC = nil, true
	})
	if resp, body = f.get(vpc.DomainName, "/anything"); resp.StatusCode != 503 || body != "<p>page /errors/down.html</p>" {
		t.Errorf("unusable origin → page: %d %q", resp.StatusCode, body)
	}

	// Responses a function generated, and function failures, are not replaced.
	gen := f.publish("gen404", js2, `function handler(event) { return {statusCode: 404, body: 'from the function'}; }`)
	d = f.distribution(gen, "", withPages)
	if resp, body = f.get(d.DomainName, "/x"); resp.StatusCode != 404 || body != "from the function" {
		t.Errorf("generated 404: %d %q", resp.StatusCode, body)
	}
	throws := f.publish("throws", js2, `function handler(event) { throw new Error('no'); }`)
	d = f.distribution(throws, "", withPages, func(c *distributions.Config) {
		c.CustomErrorResponses = append(c.CustomErrorResponses, distributions.CustomErrorResponse{ErrorCode: 503, ResponsePagePath: "/errors/down.html", ResponseCode: "200"})
	})
	if resp, body = f.get(d.DomainName, "/x"); resp.StatusCode != 503 || !strings.Contains(body, "<H1>503 ERROR</H1>") {
		t.Errorf("function error: %d %q", resp.StatusCode, body)
	}
}

package localfronttest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Edge is the server's edge proxy on its own loopback listener: the viewer side of the
// distributions created through the API.
//
//	e := lf.StartEdge(t)
//	resp, err := e.Client().Get("http://" + *dist.Distribution.DomainName + "/index.html")
type Edge struct {
	// URL is the edge listener, e.g. http://127.0.0.1:41235. A request reaches a
	// distribution when its Host is the distribution's DomainName or one of its aliases.
	URL  string
	http *httptest.Server
	srv  *Server
}

// StartEdge starts the edge on a loopback listener; it stops when tb's test ends.
func (s *Server) StartEdge(tb testing.TB) *Edge {
	tb.Helper()
	hs := httptest.NewServer(s.srv.Edge())
	tb.Cleanup(hs.Close)
	return &Edge{URL: hs.URL, http: hs, srv: s}
}

// Client is an HTTP client that sends every request to the edge whatever its host name, as
// DNS would for a CloudFront domain: http://<distribution domain>/path works without any
// name resolution. It does not follow redirects, so a test sees them as a viewer would.
func (e *Edge) Client() *http.Client {
	addr := e.http.Listener.Addr().String()
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Logs returns the log lines the edge kept for a function of the server's default account,
// oldest first, as CloudWatch shows them: "<request id> START DistributionID: <id>",
// "<request id> <console.log line>", "<request id> END".
func (e *Edge) Logs(functionName string) []string {
	var out []string
	for _, l := range e.srv.srv.Edge().Logs().Lines(e.srv.AccountID, functionName, 0) {
		out = append(out, l.Text)
	}
	return out
}

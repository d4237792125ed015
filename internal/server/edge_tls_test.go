package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/selfsigned"
)

// The HTTPS edge listener: https-only and redirect-to-https behaviours work end to end, the
// redirect names the HTTPS listener's port, and HTTP/2 viewers are served.
func TestEdgeOverTLS(t *testing.T) {
	e := startEdgeEnv(t)
	ctx := context.Background()
	certPEM, keyPEM, err := selfsigned.Generate(distributions.DefaultEdgeDomain, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- e.srv.ServeEdgeTLS(l, cert) }()
	tlsAddr := l.Addr().String()
	_, tlsPort, _ := net.SplitHostPort(tlsAddr)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	secure := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, tlsAddr)
		},
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
	}, Timeout: 30 * time.Second}
	defer secure.CloseIdleConnections()

	create := func(ref string, policy types.ViewerProtocolPolicy) string {
		b := behavior("app")
		b.ViewerProtocolPolicy = policy
		out, err := e.cf.CreateDistribution(ctx, &cloudfront.CreateDistributionInput{DistributionConfig: &types.DistributionConfig{
			CallerReference: aws.String(ref), Comment: aws.String(""), Enabled: aws.Bool(true),
			Origins: e.origins(t), DefaultCacheBehavior: b,
		}})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Distribution.DomainName)
	}
	httpsOnly := create("https-only", types.ViewerProtocolPolicyHttpsOnly)
	redirect := create("redirect", types.ViewerProtocolPolicyRedirectToHttps)

	// https-only: plain HTTP is refused, HTTPS (here HTTP/2) reaches the origin.
	if resp, _ := e.get(t, "http://"+httpsOnly+"/a"); resp.StatusCode != 403 {
		t.Errorf("https-only over HTTP: %d", resp.StatusCode)
	}
	resp, err := secure.Get("https://" + httpsOnly + "/a?x=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "uri=/a?x=1") || resp.Proto != "HTTP/2.0" ||
		!strings.HasPrefix(resp.Header.Get("Via"), "2.0 ") || resp.Header.Get("X-Amz-Cf-Id") == "" {
		t.Errorf("https-only over HTTPS: %d %s %q %v", resp.StatusCode, resp.Proto, body, resp.Header)
	}

	// redirect-to-https: 301 to the HTTPS listener's port, which then serves.
	noFollow := *e.viewer
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, edgePort, _ := net.SplitHostPort(e.edge)
	resp, err = noFollow.Get("http://" + redirect + ":" + edgePort + "/p/q?y=2")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "https://" + redirect + ":" + tlsPort + "/p/q?y=2"
	if resp.StatusCode != 301 || resp.Header.Get("Location") != want {
		t.Fatalf("redirect: %d %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	resp, err = secure.Get(want)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "uri=/p/q?y=2") {
		t.Errorf("after the redirect: %d %q", resp.StatusCode, body)
	}

	// A client that does not trust the certificate is refused by its own TLS check.
	if _, err := (&http.Client{Transport: &http.Transport{DialContext: secure.Transport.(*http.Transport).DialContext}}).Get("https://" + httpsOnly + "/"); err == nil {
		t.Error("an untrusted certificate was accepted")
	}

	shutdownCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(shutdownCtx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ServeEdgeTLS: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("ServeEdgeTLS did not return after Shutdown")
	}
}

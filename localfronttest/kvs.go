package localfronttest

import (
	"context"
	"net"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/localfront/localfront/internal/sdkhttp"
)

// KVSConfig is AWSConfig for the key value store data plane:
//
//	kv := cloudfrontkeyvaluestore.NewFromConfig(lf.KVSConfig())
//
// The data plane shares the server's address, but its SDK puts the store's account in
// front of the endpoint host (http://123456789012.localhost:PORT), a name that does not
// resolve; this config's HTTP client connects every request to the server whatever the
// host name, and the server accepts any such Host.
func (s *Server) KVSConfig() aws.Config {
	cfg := s.AWSConfig()
	addr := s.http.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	cfg.BaseEndpoint = aws.String("http://localhost:" + port)
	cfg.HTTPClient = sdkhttp.Client(&http.Client{Transport: transport})
	return cfg
}

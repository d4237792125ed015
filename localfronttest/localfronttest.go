// Package localfronttest starts a complete LocalFront server inside a Go test, so code that
// talks to CloudFront Functions can be tested against the real API without AWS:
//
//	func TestMyDeploy(t *testing.T) {
//		lf := localfronttest.Start(t)
//		client := cloudfront.NewFromConfig(lf.AWSConfig())
//		// … create, update, publish and test functions as against CloudFront …
//	}
//
// The server runs on a loopback httptest listener and stops when the test ends.
package localfronttest

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/sdkhttp"
	"github.com/localfront/localfront/internal/server"
)

// DefaultAccountID is the account of every request when no credentials are configured.
const DefaultAccountID = server.DefaultAccountID

// Credential is one access key the server accepts, and the account it acts for.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	AccountID       string
}

// Options configures the server. The zero value is an in-memory server without
// authentication, where every request acts for DefaultAccountID.
type Options struct {
	// Credentials, when set, make the server verify SigV4 signatures; AWSConfig then signs
	// with the first one.
	Credentials []Credential
	// AccountID replaces DefaultAccountID when no credentials are set.
	AccountID string
	// FunctionQuota is the number of functions per account (default 100).
	FunctionQuota int
	// DataDir, when set, keeps the data in a SQLite database in that directory (for
	// example t.TempDir()) instead of memory.
	DataDir string
	// Clock pins the server's time (default time.Now).
	Clock func() time.Time
	// Logger receives the access log (default: discarded).
	Logger *slog.Logger
}

// Server is a running in-process LocalFront.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:41234.
	URL string
	// AccountID is the account of unauthenticated requests.
	AccountID string

	opts      Options
	srv       *server.Server
	http      *httptest.Server
	closeOnce sync.Once
}

// Start starts a server and stops it when tb's test ends. It fails tb if the server
// cannot start.
func Start(tb testing.TB, opts ...Options) *Server {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := server.Config{
		DataDir:       o.DataDir,
		InMemory:      o.DataDir == "",
		AccountID:     o.AccountID,
		FunctionQuota: o.FunctionQuota,
		Logger:        o.Logger,
		Clock:         o.Clock,
	}
	for _, c := range o.Credentials {
		cfg.Credentials = append(cfg.Credentials, auth.Credential{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, AccountID: c.AccountID})
	}
	srv, err := server.New(cfg)
	if err != nil {
		tb.Fatalf("localfronttest: %v", err)
	}
	s := &Server{opts: o, srv: srv, http: httptest.NewServer(srv.Handler())}
	s.URL = s.http.URL
	s.AccountID = o.AccountID
	if s.AccountID == "" {
		s.AccountID = DefaultAccountID
	}
	tb.Cleanup(s.Close)
	return s
}

// AWSConfig is an aws.Config for the server: its endpoint, region us-east-1, static
// credentials (the first configured Credential, else a dummy key) and no retries, so a
// test sees every error as the server sent it. Its HTTP client avoids a race in the SDK
// that otherwise fails the odd call with a large body (see internal/sdkhttp).
func (s *Server) AWSConfig() aws.Config {
	if len(s.opts.Credentials) > 0 {
		c := s.opts.Credentials[0]
		return s.AWSConfigFor(c.AccessKeyID, c.SecretAccessKey)
	}
	return s.AWSConfigFor("AKIDLOCALFRONT", "localfront-secret")
}

// AWSConfigFor is AWSConfig signing with the given access key.
func (s *Server) AWSConfigFor(accessKeyID, secretAccessKey string) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(s.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkhttp.Client(s.http.Client()),
	}
}

// Close stops the server and releases its store. Start registers it with tb.Cleanup.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.http.Close()
		s.srv.Close()
	})
}

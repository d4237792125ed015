package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/edge"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/h1server"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store"
)

// The distributions service and the edge proxy: the distribution operations of the API,
// function associations (Status DEPLOYED, FunctionInUse), redeploys on publish, the edge
// listener and the function logs endpoint.

// edgeWiring holds what the server adds for distributions and the edge.
type edgeWiring struct {
	dists    *distributions.Service
	resolver *liveFunctions
	edge     *edge.Edge
	auth     cfapi.Authenticator // nil: the logs endpoint is open, like the API
	stopping chan struct{}       // closed by Shutdown: ends log streams
	stopOnce sync.Once

	mu      sync.Mutex
	servers [2]edgeServer // the edge listeners' servers: plain HTTP, HTTPS (once serving)
}

// edgeServer is an edge listener's server: h1server's for plain HTTP, net/http's for HTTPS
// (HTTP/2).
type edgeServer interface {
	Shutdown(context.Context) error
	Close() error
}

// Indexes of edgeWiring.servers.
const (
	plainEdge = iota
	tlsEdge
)

// liveFunctions tells the distributions service whether an associated function has a LIVE
// stage. It is set up before the functions service exists (each needs the other).
type liveFunctions struct{ fns *functions.Service }

func (l *liveFunctions) LiveFunctionExists(ctx context.Context, account, arn string) (bool, error) {
	return l.fns.LiveFunctionExists(ctx, account, arn)
}

// associations lets the functions service check associations inside its own delete
// transaction (functions.TxAssociationChecker), so a function cannot gain an association
// while it is being deleted.
type associations struct{ *distributions.Service }

func (associations) FunctionInUseTx(tx store.ReadTx, account, arn string) (bool, error) {
	return distributions.FunctionInUseTx(tx, account, arn)
}

// publishingFunctions is the functions service as the API sees it: PublishFunction also
// redeploys the distributions that use the function (spec §11), so the edge serves the new
// LIVE code once the call returns.
type publishingFunctions struct {
	*functions.Service
	dists *distributions.Service
	log   *slog.Logger
}

func (p publishingFunctions) Publish(ctx context.Context, account, name, ifMatch string) (functions.Summary, error) {
	sum, err := p.Service.Publish(ctx, account, name, ifMatch)
	if err != nil {
		return sum, err
	}
	if err := p.dists.FunctionPublished(ctx, account, sum.ARN); err != nil {
		// The publish is committed; the edge picks the code up on the next change or restart.
		p.log.Error("redeploying the distributions of a published function failed", "function", sum.ARN, "error", err)
	}
	return sum, nil
}

// newDistributions builds the distributions service; the functions service is attached by
// newEdge once it exists.
func (s *Server) newDistributions() {
	s.ew.resolver = &liveFunctions{}
	s.ew.stopping = make(chan struct{})
	s.ew.dists = distributions.New(s.store, distributions.Options{
		EdgeDomain: s.cfg.EdgeDomain,
		Clock:      s.cfg.Clock,
		Functions:  s.ew.resolver,
	})
}

// functionAssociations is what the functions service asks about associations.
func (s *Server) functionAssociations() functions.AssociationChecker {
	return associations{s.ew.dists}
}

// apiFunctions is the functions service the API calls.
func (s *Server) apiFunctions() cfapi.FunctionService {
	return publishingFunctions{Service: s.functions, dists: s.ew.dists, log: s.log}
}

// newEdge builds the edge over the services, with its own engine so viewer traffic and
// TestFunction calls do not compete for the same slots.
func (s *Server) newEdge() error {
	s.ew.resolver.fns = s.functions
	e, err := edge.New(context.Background(), edge.Options{
		Distributions: s.ew.dists,
		Functions:     s.functions,
		KVS:           kvsReaders{s.kvs},
		Engine:        runtime.NewEngine(runtime.Options{}),
		EdgeDomain:    s.ew.dists.EdgeDomain(),
		Logger:        s.log,
	})
	if err != nil {
		return fmt.Errorf("server: edge: %w", err)
	}
	s.ew.edge = e
	return nil
}

// Distributions is the distributions service, for embedding programs and tests.
func (s *Server) Distributions() *distributions.Service { return s.ew.dists }

// Edge is the edge proxy (an http.Handler), for embedding programs and tests.
func (s *Server) Edge() *edge.Edge { return s.ew.edge }

// EdgeDomain is the suffix of distribution domain names.
func (s *Server) EdgeDomain() string { return s.ew.dists.EdgeDomain() }

// ServeEdge answers viewer traffic on l until Shutdown or Close; it then returns nil.
func (s *Server) ServeEdge(l net.Listener) error {
	return s.serveEdge(l, plainEdge, nil)
}

// ServeEdgeTLS answers viewer traffic over HTTPS (HTTP/1.1 and HTTP/2) on l with the
// certificate cert, until Shutdown or Close; it then returns nil. The edge's redirect-to-https
// answers point at l's port.
func (s *Server) ServeEdgeTLS(l net.Listener, cert tls.Certificate) error {
	return s.serveEdge(l, tlsEdge, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
}

func (s *Server) serveEdge(l net.Listener, which int, tc *tls.Config) error {
	s.ew.mu.Lock()
	if s.ew.servers[which] != nil {
		s.ew.mu.Unlock()
		l.Close() // as http.Server.Serve does on every return
		return errors.New("server: the edge is already serving")
	}
	select {
	case <-s.ew.stopping: // shut down (or closed) before it started
		s.ew.mu.Unlock()
		l.Close()
		return nil
	default:
	}
	var serve func() error
	if tc == nil {
		// The lean HTTP/1.1 server: a fifth less CPU per proxied request than net/http's
		// (bench/edge, h1server's package documentation).
		srv := &h1server.Server{
			Handler:           s.ew.edge,
			ReadHeaderTimeout: edgeReadHeaderTimeout,
			IdleTimeout:       edgeIdleTimeout,
			MaxHeaderBytes:    edgeMaxHeaderBytes,
			ErrorLog:          s.log,
		}
		s.ew.servers[which] = srv
		serve = func() error { return srv.Serve(l) }
	} else {
		srv := &http.Server{
			Handler:           s.ew.edge,
			ReadHeaderTimeout: edgeReadHeaderTimeout,
			IdleTimeout:       edgeIdleTimeout,
			MaxHeaderBytes:    edgeMaxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
			TLSConfig:         tc,
		}
		s.ew.servers[which] = srv
		if a, ok := l.Addr().(*net.TCPAddr); ok {
			s.ew.edge.SetHTTPSPort(a.Port) // redirect-to-https answers point here
		}
		serve = func() error { return srv.ServeTLS(l, "", "") }
	}
	s.ew.mu.Unlock()
	if err := serve(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// The edge listeners' limits. CloudFront's limit on a viewer request's headers is about 20 KB.
const (
	edgeReadHeaderTimeout = 10 * time.Second
	edgeIdleTimeout       = 120 * time.Second
	edgeMaxHeaderBytes    = 64 << 10
)

// edgeServers returns the edge listeners' servers that are serving.
func (s *Server) edgeServers() []edgeServer {
	s.ew.mu.Lock()
	defer s.ew.mu.Unlock()
	var out []edgeServer
	for _, srv := range s.ew.servers {
		if srv != nil {
			out = append(out, srv)
		}
	}
	return out
}

// shutdownEdge stops the edge listeners gracefully (in-flight viewer requests finish).
func (s *Server) shutdownEdge(ctx context.Context) error {
	s.ew.stopOnce.Do(func() { close(s.ew.stopping) })
	var errs []error
	for _, srv := range s.edgeServers() {
		errs = append(errs, srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// closeEdge stops the edge at once and releases its origin connections.
func (s *Server) closeEdge() error {
	s.ew.stopOnce.Do(func() { close(s.ew.stopping) })
	var errs []error
	for _, srv := range s.edgeServers() {
		errs = append(errs, srv.Close())
	}
	err := errors.Join(errs...)
	if s.ew.edge != nil {
		s.ew.edge.Close()
	}
	return err
}

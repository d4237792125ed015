// Package server wires LocalFront together: the store, the services, authentication and
// the HTTP API. It is used by `localfront serve` and, in-process, by tests (see the public
// localfronttest package).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/cfapi"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const (
	// DefaultAccountID is the account of requests when no credentials are configured.
	DefaultAccountID = auth.DefaultAccountID
	// DBFileName is the SQLite database inside the data directory.
	DBFileName = "localfront.db"
	// HealthPath answers 200 while the server is serving and its store is readable.
	HealthPath = "/_localfront/health"
)

// Config configures a Server. Zero values select the defaults.
type Config struct {
	// DataDir holds the database; it is created if missing. Required unless InMemory.
	DataDir string
	// InMemory keeps everything in memory; nothing survives Close.
	InMemory bool
	// AccountID is the account of every request when Credentials is empty.
	AccountID string
	// Credentials, when not empty, turn on SigV4 verification: every request must be
	// signed by one of them and acts for that credential's account.
	Credentials []auth.Credential
	// FunctionQuota is the number of functions per account; default 100.
	FunctionQuota int
	// Logger receives the access log and server events; default discards.
	Logger *slog.Logger
	// Clock is the time source of the services; default time.Now.
	Clock func() time.Time
	// EdgeDomain is the suffix of distribution domain names (<id>.<EdgeDomain>); default
	// distributions.DefaultEdgeDomain.
	EdgeDomain string
	// PublicAPI says the API accepts callers other than the local user without credentials
	// (serve's --insecure-public). Like Credentials, it restricts KVS imports.
	PublicAPI bool
	// KVSImportDir is the only directory key value store imports may read files from when
	// imports are restricted; setting it restricts them too. Imports are unrestricted (any
	// file the server can read, any http(s) URL) only when there are no Credentials, no
	// PublicAPI and no KVSImportDir: then every caller is the local user.
	KVSImportDir string
}

// KVSImportPolicy is what CreateKeyValueStore's ImportSource may make the server read.
func (c Config) KVSImportPolicy() kvs.ImportPolicy {
	restricted := len(c.Credentials) > 0 || c.PublicAPI || c.KVSImportDir != ""
	return kvs.ImportPolicy{Restricted: restricted, Dir: c.KVSImportDir}
}

// Server is one LocalFront instance.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	unlock    func() error
	functions *functions.Service
	kvs       *kvs.Service
	ew        edgeWiring // distributions and the edge (edge.go)
	handler   http.Handler

	mu       sync.Mutex
	http     *http.Server
	closeErr error
	closed   bool
	stopping bool // Shutdown was called: a Serve that comes later returns at once
}

// New opens the store and builds the server. Call Close when done.
func New(cfg Config) (*Server, error) {
	if cfg.AccountID == "" {
		cfg.AccountID = DefaultAccountID
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if !cfg.InMemory && cfg.DataDir == "" {
		return nil, errors.New("server: a data directory is required unless InMemory is set")
	}
	if cfg.KVSImportDir != "" {
		if fi, err := os.Stat(cfg.KVSImportDir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("server: the KVS import directory %s is not a readable directory", cfg.KVSImportDir)
		}
	}
	s := &Server{cfg: cfg, log: cfg.Logger, unlock: func() error { return nil }}
	if err := s.openStore(); err != nil {
		return nil, err
	}

	engine := runtime.NewEngine(runtime.Options{})
	s.kvs = s.newKVS()
	s.newDistributions()
	s.functions = functions.New(s.store, engine, functions.Options{
		AccountQuota: cfg.FunctionQuota,
		Clock:        cfg.Clock,
		Associations: s.functionAssociations(),
		KVS:          s.kvs,
		KVSReaders:   kvsReaders{s.kvs},
	})
	s.kvs.SetUsageChecker(s.functions)
	var authn cfapi.Authenticator
	if len(cfg.Credentials) > 0 {
		v, err := auth.NewVerifier(cfg.Credentials, auth.Options{Services: []string{"cloudfront"}})
		if err != nil {
			s.closeStore()
			return nil, fmt.Errorf("server: credentials: %w", err)
		}
		authn = verifierAuth{v}
	}
	s.ew.auth = authn
	if err := s.newEdge(); err != nil {
		s.closeStore()
		return nil, err
	}
	api := cfapi.New(s.apiFunctions(), cfapi.Options{
		Auth:           authn,
		DefaultAccount: cfg.AccountID,
		Logger:         cfg.Logger,
		KVS:            s.kvs,
		Distributions:  s.ew.dists,
	})
	dataPlane, err := s.newDataPlane()
	if err != nil {
		s.closeStore()
		return nil, err
	}
	s.handler = s.routes(api, dataPlane)
	return s, nil
}

func (s *Server) openStore() error {
	if s.cfg.InMemory {
		db, err := sqlite.OpenMemory()
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		s.store = db
		return nil
	}
	if err := os.MkdirAll(s.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("server: data directory: %w", err)
	}
	unlock, err := lockDataDir(s.cfg.DataDir)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(s.DBPath())
	if err != nil {
		unlock()
		return fmt.Errorf("server: %w", err)
	}
	s.store, s.unlock = db, unlock
	return nil
}

// verifierAuth adapts the SigV4 verifier to cfapi.Authenticator.
type verifierAuth struct{ v *auth.Verifier }

func (a verifierAuth) Authenticate(r *http.Request, body []byte) (string, error) {
	cred, err := a.v.Verify(r, body)
	if err != nil {
		return "", err
	}
	return cred.AccountID, nil
}

// routes puts the health check beside the API. It deliberately avoids http.ServeMux,
// which cleans and redirects paths and would rewrite percent-encoded names.
func (s *Server) routes(api, dataPlane http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == HealthPath {
			s.health(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, LogsPathPrefix) {
			s.functionLogs(w, r)
			return
		}
		if isDataPlane(r) {
			dataPlane.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString() // every LocalFront answer carries one, as AWS's do
	w.Header()["x-amzn-RequestId"] = []string{requestID}
	err := s.store.View(r.Context(), func(tx store.ReadTx) error {
		_, err := tx.Count("function", "")
		return err
	})
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		s.log.Error("health check failed", "request_id", requestID, "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"unavailable"}`+"\n")
		return
	}
	io.WriteString(w, `{"status":"ok"}`+"\n")
}

// Handler is the whole HTTP API: control plane, KVS data plane and health check.
func (s *Server) Handler() http.Handler { return s.handler }

// Functions is the functions service, for embedding programs and tests.
func (s *Server) Functions() *functions.Service { return s.functions }

// DBPath is the database file, or "" in memory.
func (s *Server) DBPath() string {
	if s.cfg.InMemory {
		return ""
	}
	return filepath.Join(s.cfg.DataDir, DBFileName)
}

// Serve answers HTTP on l until Shutdown or Close; it then returns nil.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close() // as http.Server.Serve does on every return
		return errors.New("server: closed")
	}
	if s.stopping {
		s.mu.Unlock()
		l.Close()
		return nil // shut down before it started: as if it had served and stopped
	}
	if s.http != nil {
		s.mu.Unlock()
		l.Close()
		return errors.New("server: already serving")
	}
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv := s.http
	s.mu.Unlock()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits, until ctx ends, for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error {
	edgeErr := s.shutdownEdge(ctx) // also ends log streams, which would hold up the API's shutdown
	s.mu.Lock()
	s.stopping = true
	srv := s.http
	s.mu.Unlock()
	if srv == nil {
		return edgeErr
	}
	return errors.Join(edgeErr, srv.Shutdown(ctx))
}

// Close stops serving at once (use Shutdown first for a graceful stop) and closes the
// store cleanly. It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.closeErr
	}
	s.closed = true
	var errs []error
	if s.http != nil {
		errs = append(errs, s.http.Close())
	}
	errs = append(errs, s.closeEdge())
	errs = append(errs, s.closeStore())
	s.closeErr = errors.Join(errs...)
	return s.closeErr
}

func (s *Server) closeStore() error {
	var kvsErr error
	if s.kvs != nil {
		kvsErr = s.kvs.Close() // cancels running imports before the store goes away
	}
	return errors.Join(kvsErr, s.store.Close(), s.unlock())
}

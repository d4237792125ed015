package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/selfsigned"
	"github.com/localfront/localfront/internal/server"
)

// shutdownGrace bounds how long in-flight requests may take after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

// servingPrefix starts the startup line that names the listening address; tests read it.
const servingPrefix = "localfront: serving the CloudFront API on "

// serveConfig is the parsed `localfront serve` command line.
type serveConfig struct {
	listen         string
	edgeListen     string
	edgeDomain     string
	dataDir        string
	dataDirSet     bool
	inMemory       bool
	accountID      string
	credentials    string
	functionQuota  int
	insecurePublic bool
	kvsImportDir   string
	logLevel       slog.Level
	cpuProfile     string
	edgeTLSListen  string
	edgeTLSCert    string
	edgeTLSKey     string
}

// parseServeFlags reads flags, then LOCALFRONT_<NAME> environment variables for every
// flag not given on the command line (the flag wins).
func parseServeFlags(args []string, getenv func(string) string, stdout io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("localfront serve", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "`address` of the CloudFront API (port 0 picks a free port)")
	fs.StringVar(&c.edgeListen, "edge-listen", "127.0.0.1:8081", "`address` of the edge proxy that serves the distributions to viewers (port 0 picks a free port)")
	fs.StringVar(&c.edgeDomain, "edge-domain", distributions.DefaultEdgeDomain, "`domain` of distribution domain names: a distribution answers for <id>.<domain> and its aliases")
	fs.StringVar(&c.dataDir, "data-dir", defaultDataDir(getenv), "`directory` of the database")
	fs.BoolVar(&c.inMemory, "in-memory", false, "keep everything in memory; nothing survives a restart")
	fs.StringVar(&c.accountID, "account-id", server.DefaultAccountID, "12-digit `account` of requests when no credentials are configured")
	fs.StringVar(&c.credentials, "credentials", "", "`file` of access keys; when set, every request must be SigV4-signed by one of them")
	fs.IntVar(&c.functionQuota, "function-quota", 100, "functions per account (CloudFront's quota is 100)")
	fs.BoolVar(&c.insecurePublic, "insecure-public", false, "allow a non-loopback --listen address without --credentials")
	fs.StringVar(&c.kvsImportDir, "kvs-import-dir", "", "the only `directory` key value store imports may read files from; with --credentials or --insecure-public, URL imports are refused and file imports need it")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.edgeTLSListen, "edge-tls-listen", "", "`address` of an HTTPS edge listener (HTTP/1.1 and HTTP/2), for https-only and redirect-to-https behaviours; off when empty")
	fs.StringVar(&c.edgeTLSCert, "edge-tls-cert", "", "PEM certificate `file` of the HTTPS edge listener (with --edge-tls-key); without both, a self-signed one for *.<edge domain> and loopback is made and kept")
	fs.StringVar(&c.edgeTLSKey, "edge-tls-key", "", "PEM private key `file` of --edge-tls-cert")
	fs.StringVar(&c.cpuProfile, "cpu-profile", "", "write a Go CPU profile of the whole run to `file` (for `go tool pprof`)")
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: localfront serve [flags]\n\nEvery flag can also be set as LOCALFRONT_<NAME> (e.g. LOCALFRONT_DATA_DIR); the flag wins.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := "LOCALFRONT_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := getenv(env)
		if given[f.Name] || v == "" || envErr != nil {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			envErr = fmt.Errorf("%s=%q: %v", env, v, err)
		}
		given[f.Name] = true
	})
	if envErr != nil {
		return c, envErr
	}
	c.dataDirSet = given["data-dir"]
	if err := c.logLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return c, fmt.Errorf("--log-level %q: use debug, info, warn or error", *logLevel)
	}
	return c, c.validate()
}

func (c *serveConfig) validate() error {
	if c.inMemory && c.dataDirSet {
		return errors.New("--in-memory and --data-dir exclude each other: choose one")
	}
	if !c.inMemory && c.dataDir == "" {
		return errors.New("--data-dir is empty")
	}
	if !auth.IsAccountID(c.accountID) {
		return fmt.Errorf("--account-id %q: an account id is exactly 12 digits", c.accountID)
	}
	if c.functionQuota < 1 {
		return fmt.Errorf("--function-quota %d: must be at least 1", c.functionQuota)
	}
	if err := checkAddress("--listen", c.listen); err != nil {
		return err
	}
	if err := checkAddress("--edge-listen", c.edgeListen); err != nil {
		return err
	}
	if err := checkEdgeDomain(c.edgeDomain); err != nil {
		return err
	}
	if (c.edgeTLSCert == "") != (c.edgeTLSKey == "") {
		return errors.New("--edge-tls-cert and --edge-tls-key go together: give both or neither")
	}
	if c.edgeTLSListen == "" && c.edgeTLSCert != "" {
		return errors.New("--edge-tls-cert needs --edge-tls-listen")
	}
	if c.edgeTLSListen != "" {
		if err := checkAddress("--edge-tls-listen", c.edgeTLSListen); err != nil {
			return err
		}
	}
	if c.credentials == "" && !c.insecurePublic && !isLoopback(hostOf(c.listen)) {
		return fmt.Errorf("refusing to listen on %s without credentials: anyone who can reach it could change your functions.\n"+
			"Use a loopback address (127.0.0.1:PORT), pass --credentials FILE, or pass --insecure-public to accept unsigned requests from the network", c.listen)
	}
	return nil
}

// checkAddress validates a host:port listen address.
func checkAddress(flagName, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: want HOST:PORT, e.g. 127.0.0.1:8080 (%v)", flagName, addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s %q: the port must be a number from 0 to 65535", flagName, addr)
	}
	return nil
}

func hostOf(addr string) string {
	host, _, _ := net.SplitHostPort(addr)
	return host
}

// isLoopback reports whether host names only loopback addresses. "" means every
// interface, so it is not loopback.
func isLoopback(host string) bool {
	if host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "localfront")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "share", "localfront")
	}
	return "localfront-data"
}

// runServe implements `localfront serve`. It returns when ctx ends (SIGINT/SIGTERM), after
// in-flight requests have finished and the store is closed.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	c, err := parseServeFlags(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "localfront serve: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.logLevel}))
	tuneGC(getenv)
	if c.cpuProfile != "" {
		stop, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "localfront serve: --cpu-profile: %v\n", err)
			return 1
		}
		defer stop()
	}

	cfg := server.Config{
		DataDir:       c.dataDir,
		InMemory:      c.inMemory,
		AccountID:     c.accountID,
		FunctionQuota: c.functionQuota,
		Logger:        log,
		EdgeDomain:    c.edgeDomain,
		PublicAPI:     c.insecurePublic,
		KVSImportDir:  c.kvsImportDir,
	}
	if c.inMemory {
		cfg.DataDir = ""
	}
	if c.credentials != "" {
		creds, err := auth.LoadCredentialsFile(c.credentials)
		if err != nil {
			fmt.Fprintf(stderr, "localfront serve: --credentials: %v\n", err)
			return 2
		}
		cfg.Credentials = creds
	}
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "localfront serve: %v\n", err)
		return 1
	}
	defer srv.Close()
	l, err := net.Listen("tcp", c.listen)
	if err != nil {
		fmt.Fprintf(stderr, "localfront serve: %v\n", err)
		return 1
	}
	el, err := net.Listen("tcp", c.edgeListen)
	if err != nil {
		l.Close()
		fmt.Fprintf(stderr, "localfront serve: --edge-listen: %v\n", err)
		return 1
	}
	edgeTLS, err := listenEdgeTLS(c, getenv)
	if err != nil {
		l.Close()
		el.Close()
		fmt.Fprintf(stderr, "localfront serve: --edge-tls-listen: %v\n", err)
		return 1
	}
	printBanner(stdout, c, cfg, srv, l.Addr().String(), el.Addr().String(), edgeTLS)

	served := make(chan error, 1)
	edgeServed := make(chan error, 2)
	go func() { served <- srv.Serve(l) }()
	go func() { edgeServed <- srv.ServeEdge(el) }()
	edges := 1
	if edgeTLS != nil {
		edges++
		go func() { edgeServed <- srv.ServeEdgeTLS(edgeTLS.l, edgeTLS.cert) }()
	}
	select {
	case err := <-served:
		log.Error("server stopped", "error", err)
		return 1
	case err := <-edgeServed:
		log.Error("edge stopped", "error", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("in-flight requests did not finish in time", "error", err)
	}
	<-served
	for range edges {
		<-edgeServed
	}
	if err := srv.Close(); err != nil {
		log.Error("closing the store", "error", err)
		return 1
	}
	log.Info("stopped cleanly")
	return 0
}

func printBanner(w io.Writer, c serveConfig, cfg server.Config, srv *server.Server, addr, edgeAddr string, edgeTLS *edgeTLS) {
	endpoint := "http://" + addr
	fmt.Fprintf(w, "%s%s (localfront %s)\n", servingPrefix, endpoint, version())
	if cfg.InMemory {
		fmt.Fprintln(w, "  data: in memory; nothing is kept after exit")
	} else {
		fmt.Fprintf(w, "  data: %s\n", srv.DBPath())
	}
	if len(cfg.Credentials) == 0 {
		fmt.Fprintf(w, "  auth: none; every request, signed or not, acts for account %s\n", cfg.AccountID)
	} else {
		fmt.Fprintf(w, "  auth: SigV4 required; %d access key(s) from %s\n", len(cfg.Credentials), c.credentials)
	}
	fmt.Fprintf(w, "  kvs:  the key value store data plane is on the same address under /key-value-stores/ (clients add the account to the host: see the README)\n")
	switch p := cfg.KVSImportPolicy(); {
	case !p.Restricted:
		fmt.Fprintln(w, "  kvs imports: from any local file or http(s) URL the caller names (every caller is the local user)")
	case p.Dir != "":
		fmt.Fprintf(w, "  kvs imports: only from files in %s\n", p.Dir)
	default:
		fmt.Fprintln(w, "  kvs imports: off (callers may not be the local user; --kvs-import-dir DIR allows files in DIR)")
	}
	fmt.Fprintf(w, "  edge: http://%s  (a distribution answers for Host <id>.%s and its aliases; function logs: localfront logs FUNCTION)\n", edgeAddr, srv.EdgeDomain())
	if edgeTLS != nil {
		fmt.Fprintf(w, "  edge (HTTPS, HTTP/2): https://%s  (certificate %s%s)\n", edgeTLS.l.Addr(), edgeTLS.certPath, edgeTLS.note)
	}
	fmt.Fprintf(w, "Point the AWS CLI at it:  export AWS_ENDPOINT_URL_CLOUDFRONT=%s   (or pass --endpoint-url %s)\n", endpoint, endpoint)
}

// checkEdgeDomain validates --edge-domain: a DNS name without port or trailing dot.
func checkEdgeDomain(d string) error {
	if d == "" || len(d) > 200 || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.ContainsAny(d, ":/ ") {
		return fmt.Errorf("--edge-domain %q: want a domain name such as cloudfront.localhost", d)
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || strings.Trim(strings.ToLower(label), "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return fmt.Errorf("--edge-domain %q: %q is not a DNS label", d, label)
		}
	}
	return nil
}

// edgeTLS is the HTTPS edge listener and its certificate.
type edgeTLS struct {
	l        net.Listener
	cert     tls.Certificate
	certPath string // the certificate file, for the banner
	note     string
}

// listenEdgeTLS opens the HTTPS edge listener, if asked for, with the given certificate or a
// self-signed one kept in the data directory (with --in-memory, in the user's cache
// directory), so a certificate the user trusted once stays the same across restarts.
func listenEdgeTLS(c serveConfig, getenv func(string) string) (*edgeTLS, error) {
	if c.edgeTLSListen == "" {
		return nil, nil
	}
	t := &edgeTLS{certPath: c.edgeTLSCert}
	var err error
	if c.edgeTLSCert != "" {
		t.cert, err = tls.LoadX509KeyPair(c.edgeTLSCert, c.edgeTLSKey)
	} else {
		dir := filepath.Join(c.dataDir, "edge-tls")
		if c.inMemory {
			cache, err := userCacheDir(getenv)
			if err != nil {
				return nil, fmt.Errorf("no directory to keep the self-signed certificate in (give --edge-tls-cert and --edge-tls-key): %w", err)
			}
			dir = filepath.Join(cache, "localfront", "edge-tls")
		}
		t.cert, t.certPath, err = selfsigned.LoadOrGenerate(dir, c.edgeDomain, time.Now())
		t.note = ", self-signed: trust it with curl --cacert " + t.certPath
	}
	if err != nil {
		return nil, err
	}
	if t.l, err = net.Listen("tcp", c.edgeTLSListen); err != nil {
		return nil, err
	}
	return t, nil
}

// userCacheDir is os.UserCacheDir read through getenv: $XDG_CACHE_HOME, else $HOME/.cache.
func userCacheDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return d, nil
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache"), nil
	}
	return "", errors.New("neither XDG_CACHE_HOME nor HOME is set")
}

// serveGCPercent is the garbage collector's target when GOGC is not set. The server's live
// heap is small (a few MB: compiled programs, pooled VMs, snapshots), so Go's default of 100
// collects every few MB of garbage, dozens of times a second under load; 400 collects four
// times less often for a few more MB of memory (measured: about 8% less CPU per edge request,
// bench/edge/run.sh). GOGC, when set, wins.
const serveGCPercent = 400

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

// startCPUProfile profiles the process into path until the returned stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

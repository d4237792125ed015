package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudfront"

	"github.com/localfront/localfront/internal/selfsigned"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestServeFlagsDefaultsAndEnv(t *testing.T) {
	c, err := parseServeFlags(nil, env(map[string]string{"HOME": "/home/u"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.listen != "127.0.0.1:8080" || c.edgeListen != "127.0.0.1:8081" || c.dataDir != "/home/u/.local/share/localfront" ||
		c.accountID != "123456789012" || c.functionQuota != 100 || c.inMemory || c.insecurePublic || c.credentials != "" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = parseServeFlags([]string{"--listen", "127.0.0.1:9000"}, env(map[string]string{
		"XDG_DATA_HOME":             "/xdg",
		"LOCALFRONT_LISTEN":         "127.0.0.1:7000", // the flag wins
		"LOCALFRONT_FUNCTION_QUOTA": "7",
		"LOCALFRONT_ACCOUNT_ID":     "000000000042",
		"LOCALFRONT_LOG_LEVEL":      "debug",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.listen != "127.0.0.1:9000" || c.functionQuota != 7 || c.accountID != "000000000042" || c.dataDir != "/xdg/localfront" || c.logLevel.String() != "DEBUG" {
		t.Errorf("env: %+v", c)
	}
	c, err = parseServeFlags(nil, env(map[string]string{"LOCALFRONT_IN_MEMORY": "true"}), io.Discard)
	if err != nil || !c.inMemory {
		t.Errorf("LOCALFRONT_IN_MEMORY: %+v %v", c, err)
	}
}

func TestServeFlagsRejects(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--in-memory", "--data-dir", "/d"}, nil, "exclude each other"},
		{[]string{"--in-memory"}, map[string]string{"LOCALFRONT_DATA_DIR": "/d"}, "exclude each other"},
		{[]string{"--account-id", "12345"}, nil, "12 digits"},
		{[]string{"--function-quota", "0"}, nil, "at least 1"},
		{nil, map[string]string{"LOCALFRONT_FUNCTION_QUOTA": "many"}, "LOCALFRONT_FUNCTION_QUOTA"},
		{[]string{"--listen", "8080"}, nil, "HOST:PORT"},
		{[]string{"--listen", "127.0.0.1:99999"}, nil, "0 to 65535"},
		{[]string{"--edge-listen", "nowhere"}, nil, "--edge-listen"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
		{[]string{"--listen", "0.0.0.0:8080"}, nil, "refusing to listen"},
		{[]string{"--listen", ":8080"}, nil, "refusing to listen"},
		{[]string{"--listen", "192.0.2.1:8080"}, nil, "--insecure-public"},
		{[]string{"extra"}, nil, "unexpected argument"},
		{[]string{"--edge-tls-listen", "127.0.0.1:0", "--edge-tls-cert", "c.pem"}, nil, "go together"},
		{[]string{"--edge-tls-key", "k.pem"}, nil, "go together"},
		{[]string{"--edge-tls-cert", "c.pem", "--edge-tls-key", "k.pem"}, nil, "needs --edge-tls-listen"},
		{[]string{"--edge-tls-listen", "8443"}, nil, "--edge-tls-listen"},
	}
	for _, c := range cases {
		_, err := parseServeFlags(c.args, env(c.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: got %v, want an error mentioning %q", c.args, c.env, err, c.want)
		}
	}
	for _, ok := range [][]string{
		{"--listen", "0.0.0.0:8080", "--insecure-public"},
		{"--listen", "0.0.0.0:8080", "--credentials", "creds.txt"},
		{"--listen", "localhost:8080"},
		{"--listen", "[::1]:0"},
	} {
		if _, err := parseServeFlags(ok, env(nil), io.Discard); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	var help bytes.Buffer
	if _, err := parseServeFlags([]string{"-h"}, env(nil), &help); !errors.Is(err, flag.ErrHelp) || !strings.Contains(help.String(), "LOCALFRONT_") {
		t.Errorf("-h: %v %q", err, help.String())
	}
}

func TestRunCommands(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "localfront ") {
		t.Errorf("version: %d %q", code, out.String())
	}
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut.String())
	}
	if code := run(context.Background(), nil, &out, &errOut); code != 2 {
		t.Errorf("no command: %d", code)
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"serve", "--listen", "0.0.0.0:1"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "refusing") {
		t.Errorf("serve with a bad flag: %d %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"serve", "--in-memory", "--listen", "127.0.0.1:0", "--credentials", filepath.Join(t.TempDir(), "missing")}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "--credentials") {
		t.Errorf("missing credentials file: %d %q", code, errOut.String())
	}
}

// lineWriter hands complete stdout lines to a channel.
type lineWriter struct {
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- strings.TrimSuffix(line, "\n"):
		default:
		}
	}
}

// inProcess is `localfront serve` running in this test process.
type inProcess struct {
	endpoint string
	banner   string
	stderr   *lockedWriter
	cancel   context.CancelFunc
	done     chan int
}

// serveInProcess runs `serve` on port 0 and reads the address from its banner.
func serveInProcess(t *testing.T, args ...string) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcess{stderr: &lockedWriter{}, cancel: cancel, done: make(chan int, 1)}
	stdout := &lineWriter{lines: make(chan string, 64)}
	go func() {
		p.done <- runServe(ctx, append([]string{"--listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"}, args...), env(nil), stdout, p.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	var banner []string
	timeout := time.After(20 * time.Second)
	for p.endpoint == "" || !strings.HasPrefix(banner[len(banner)-1], "Point the AWS CLI") {
		select {
		case line := <-stdout.lines:
			banner = append(banner, line)
			if rest, ok := strings.CutPrefix(line, servingPrefix); ok {
				p.endpoint = strings.Fields(rest)[0]
			}
		case code := <-p.done:
			t.Fatalf("serve exited %d: %s", code, p.stderr)
		case <-timeout:
			t.Fatalf("no banner; stderr: %s", p.stderr)
		}
	}
	p.banner = strings.Join(banner, "\n")
	return p
}

// stop cancels the context, as SIGINT/SIGTERM do, and returns the exit status.
func (p *inProcess) stop(t *testing.T) int {
	t.Helper()
	p.cancel()
	select {
	case code := <-p.done:
		p.done <- code // for the cleanup
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

// TestServeInProcess runs `serve`, checks its banner and health, and stops it.
func TestServeInProcess(t *testing.T) {
	dir := t.TempDir()
	p := serveInProcess(t, "--data-dir", dir, "--edge-listen", "127.0.0.1:0")
	for _, want := range []string{"export AWS_ENDPOINT_URL_CLOUDFRONT=" + p.endpoint, "--endpoint-url " + p.endpoint, "edge: http://127.0.0.1:", filepath.Join(dir, "localfront.db"), "acts for account 123456789012"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, p.banner)
		}
	}
	resp, err := http.Get(p.endpoint + "/_localfront/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health %d", resp.StatusCode)
	}
	if code := p.stop(t); code != 0 {
		t.Fatalf("serve exited %d: %s", code, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "stopped cleanly") {
		t.Errorf("log lacks the clean stop: %s", p.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "localfront.db")); err != nil {
		t.Error(err)
	}
}

// TestServeWithCredentialsFile: --credentials turns on SigV4, on any address.
func TestServeWithCredentialsFile(t *testing.T) {
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte("# team keys\nAKIDCI secret-ci 210987654321\n"), 0o600)
	p := serveInProcess(t, "--in-memory", "--credentials", creds)
	if !strings.Contains(p.banner, "SigV4 required; 1 access key(s)") {
		t.Errorf("banner: %s", p.banner)
	}
	resp, err := http.Get(p.endpoint + "/2020-05-31/function")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "MissingAuthenticationToken") {
		t.Fatalf("unsigned: %d %s", resp.StatusCode, body)
	}
	cf := (&child{endpoint: p.endpoint}).client() // signs as AKID, which is not in the file
	_, err = cf.ListFunctions(context.Background(), &cloudfront.ListFunctionsInput{})
	if err == nil || !strings.Contains(err.Error(), "InvalidClientTokenId") {
		t.Fatalf("unknown key: %v", err)
	}
}

// --cpu-profile writes a profile that go tool pprof can read, closed on a clean stop.
func TestServeCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	p := serveInProcess(t, "--in-memory", "--cpu-profile", path)
	if code := p.stop(t); code != 0 {
		t.Fatalf("serve exited %d: %s", code, p.stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A pprof profile is a gzip-compressed protocol buffer.
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("not a profile: %v", err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n == 0 {
		t.Fatalf("profile: %d bytes, %v", n, err)
	}
	var stderr bytes.Buffer
	if code := runServe(context.Background(), []string{"--in-memory", "--cpu-profile", filepath.Join(t.TempDir(), "no", "such", "dir", "p")}, env(nil), io.Discard, &stderr); code != 1 || !strings.Contains(stderr.String(), "--cpu-profile") {
		t.Errorf("unwritable profile: exit %d, %q", code, stderr.String())
	}
}

// Without GOGC the server collects less often than Go's default; GOGC, when set, wins.
func TestServeGCPercent(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	tuneGC(env(nil))
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GC percent %d, want %d", got, serveGCPercent)
	}
	tuneGC(env(map[string]string{"GOGC": "50"}))
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GC percent changed to %d", got)
	}
}

// --edge-tls-listen serves the edge over HTTPS with a kept self-signed certificate, or with
// the one given.
func TestServeEdgeTLS(t *testing.T) {
	dir := t.TempDir()
	p := serveInProcess(t, "--data-dir", dir, "--edge-tls-listen", "127.0.0.1:0")
	certPath := filepath.Join(dir, "edge-tls", "cloudfront.localhost", selfsigned.CertFile)
	m := regexp.MustCompile(`edge \(HTTPS, HTTP/2\): https://(127\.0\.0\.1:\d+)  \(certificate (\S+), self-signed`).FindStringSubmatch(p.banner)
	if m == nil || m[2] != certPath {
		t.Fatalf("banner:\n%s", p.banner)
	}
	pem, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	getOverTLS := func(addr string, pem []byte) (*http.Response, error) {
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		c := &http.Client{Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			},
		}}
		defer c.CloseIdleConnections()
		return c.Get("https://nothing.cloudfront.localhost/")
	}
	resp, err := getOverTLS(m[1], pem)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("Server") != "CloudFront" {
		t.Errorf("unknown host over HTTPS: %d %v", resp.StatusCode, resp.Header)
	}
	if code := p.stop(t); code != 0 {
		t.Fatalf("exit %d: %s", code, p.stderr)
	}

	// Given files: used as they are.
	certPEM, keyPEM, err := selfsigned.Generate("cloudfront.localhost", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	own := t.TempDir()
	if err := os.WriteFile(filepath.Join(own, "c.pem"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(own, "k.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	p = serveInProcess(t, "--in-memory", "--edge-tls-listen", "127.0.0.1:0",
		"--edge-tls-cert", filepath.Join(own, "c.pem"), "--edge-tls-key", filepath.Join(own, "k.pem"))
	m = regexp.MustCompile(`https://(127\.0\.0\.1:\d+)  \(certificate (\S+)\)`).FindStringSubmatch(p.banner)
	if m == nil || m[2] != filepath.Join(own, "c.pem") {
		t.Fatalf("banner:\n%s", p.banner)
	}
	if resp, err := getOverTLS(m[1], certPEM); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}

	// A key file that is no key: the server does not start.
	var stderr bytes.Buffer
	code := runServe(context.Background(), []string{"--in-memory", "--listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0",
		"--edge-tls-listen", "127.0.0.1:0", "--edge-tls-cert", filepath.Join(own, "c.pem"), "--edge-tls-key", filepath.Join(own, "c.pem")}, env(nil), io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "--edge-tls-listen") {
		t.Errorf("bad key: exit %d %q", code, stderr.String())
	}
}

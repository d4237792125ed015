package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/auth"
	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/functions"
	"github.com/localfront/localfront/internal/server"
)

// logsEnv is a server with one distribution whose viewer-request function logs the URI.
type logsEnv struct {
	srv    *server.Server
	api    *httptest.Server
	domain string
}

func startLogsEnv(t *testing.T, creds []auth.Credential) *logsEnv {
	t.Helper()
	srv, err := server.New(server.Config{InMemory: true, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { api.Close(); srv.Close() })
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(origin.Close)

	account := server.DefaultAccountID
	if len(creds) > 0 {
		account = creds[0].AccountID
	}
	ctx := context.Background()
	sum, err := srv.Functions().Create(ctx, account, functions.CreateInput{Name: "logger", Code: []byte(
		`function handler(event) { console.log('saw ' + event.request.uri); return event.request; }`),
		Config: functions.Config{Comment: "", Runtime: functions.RuntimeJS2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Functions().Publish(ctx, account, "logger", sum.ETag); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(origin.URL, "http://"))
	p, _ := strconv.Atoi(port)
	d, err := srv.Distributions().Create(ctx, account, distributions.Config{
		CallerReference: "logs", Enabled: true,
		Origins: []distributions.Origin{{ID: "o", DomainName: "127.0.0.1", ConnectionAttempts: 1, ConnectionTimeout: 5,
			Custom: &distributions.CustomOriginConfig{HTTPPort: p, HTTPSPort: 443, ProtocolPolicy: distributions.OriginHTTPOnly, ReadTimeout: 30, KeepaliveTimeout: 5}}},
		DefaultBehavior: distributions.Behavior{TargetOriginID: "o", ViewerProtocolPolicy: distributions.ViewerAllowAll,
			AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"}, CachePolicyID: "x",
			FunctionAssociations: []distributions.FunctionAssociation{{FunctionARN: sum.ARN, EventType: distributions.EventViewerRequest}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &logsEnv{srv: srv, api: api, domain: d.DomainName}
}

// view sends one viewer request through the edge and returns its request ID.
func (e *logsEnv) view(t *testing.T, path string) string {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Host = e.domain
	w := httptest.NewRecorder()
	e.srv.Edge().ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("edge answered %d: %s", w.Code, w.Body)
	}
	return w.Header().Get("X-Amz-Cf-Id")
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogsCommand(t *testing.T) {
	e := startLogsEnv(t, nil)
	id := e.view(t, "/first")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"logs", "logger", "--endpoint", e.api.URL}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[1], " "+id+" saw /first") || !strings.Contains(lines[0], id+" START DistributionID: E") {
		t.Fatalf("output:\n%s", out.String())
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", strings.Fields(lines[0])[0]); err != nil {
		t.Errorf("timestamp: %v", err)
	}

	// A name that is no function (and left no logs) is an error, not an empty answer.
	out.Reset()
	if code := run(context.Background(), []string{"logs", "loger", "--endpoint", e.api.URL}, &out, &errOut); code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), `404 Not Found: no function named "loger"`) {
		t.Fatalf("unknown function: exit %d, %q %q", code, out.String(), errOut.String())
	}
	errOut.Reset()

	// --follow prints new lines until interrupted.
	ctx, cancel := context.WithCancel(context.Background())
	var follow syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runLogs(ctx, []string{"-f", "logger"}, env(map[string]string{"LOCALFRONT_ENDPOINT": e.api.URL}), &follow, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	var id2 string
	for !strings.Contains(follow.String(), id2+" END") || id2 == "" {
		if id2 == "" && strings.Contains(follow.String(), id+" END") {
			id2 = e.view(t, "/second")
		}
		if time.Now().After(deadline) {
			t.Fatalf("follow output:\n%s", follow.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("follow exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(follow.String(), id2+" saw /second") {
		t.Fatalf("follow output:\n%s", follow.String())
	}
}

func TestLogsCommandSignsWithEnvironmentCredentials(t *testing.T) {
	creds := []auth.Credential{{AccessKeyID: "AKIDLOGS", SecretAccessKey: "logs-secret", AccountID: "210987654321"}}
	e := startLogsEnv(t, creds)
	id := e.view(t, "/signed")
	var out, errOut bytes.Buffer
	code := runLogs(context.Background(), []string{"logger", "--endpoint", e.api.URL}, env(nil), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "403") {
		t.Fatalf("unsigned: exit %d %q", code, errOut.String())
	}
	errOut.Reset()
	signed := env(map[string]string{"AWS_ACCESS_KEY_ID": "AKIDLOGS", "AWS_SECRET_ACCESS_KEY": "logs-secret"})
	if code := runLogs(context.Background(), []string{"logger", "--endpoint", e.api.URL}, signed, &out, &errOut); code != 0 {
		t.Fatalf("signed: exit %d %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), id+" saw /signed") {
		t.Fatalf("output %q", out.String())
	}
}

func TestLogsCommandArguments(t *testing.T) {
	var out, errOut bytes.Buffer
	for _, args := range [][]string{nil, {"--follow"}, {"a", "b"}, {"--nope", "x"}} {
		errOut.Reset()
		if code := runLogs(context.Background(), args, env(nil), &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d", args, code)
		}
	}
	if code := runLogs(context.Background(), []string{"-h"}, env(nil), &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "usage: localfront logs") {
		t.Errorf("-h: %d %q", code, errOut.String())
	}
	if code := runLogs(context.Background(), []string{"f", "--endpoint", "http://127.0.0.1:1"}, env(nil), &out, &errOut); code != 1 {
		t.Errorf("unreachable server: exit %d", code)
	}
}

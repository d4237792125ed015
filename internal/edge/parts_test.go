package edge

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/distributions"
)

func TestSnapshotLookup(t *testing.T) {
	a := &distEntry{id: "A", domain: "ea.cloudfront.localhost", cfg: distributions.Config{Aliases: []string{"WWW.Example.com", "*.example.org"}}}
	b := &distEntry{id: "B", domain: "eb.cloudfront.localhost", cfg: distributions.Config{Aliases: []string{"x.example.org"}}}
	s := newSnapshot(map[string]*distEntry{"1/A": a, "1/B": b})
	for host, want := range map[string]*distEntry{
		"ea.cloudfront.localhost": a, "www.example.com": a, "y.example.org": a,
		"x.example.org": b, // an exact alias wins over a wildcard
		"example.org":   nil, "a.b.example.org": nil, "eb.cloudfront.localhost": b, "": nil, "localhost": nil,
	} {
		if got := s.lookup(host); got != want {
			t.Errorf("%q: got %v, want %v", host, got, want)
		}
	}
}

func TestMethodSet(t *testing.T) {
	s := methodsOf(nil)
	if !s.has("GET") || !s.has("HEAD") || s.has("POST") || s.has("FOO") {
		t.Errorf("default methods %b", s)
	}
	all := methodsOf([]string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})
	for m := range methodBits {
		if !all.has(m) || !knownMethod(m) {
			t.Errorf("%s", m)
		}
	}
	if knownMethod("TRACE") || knownMethod("get") {
		t.Error("unknown methods accepted")
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(1, 1)
	ctx := context.Background()
	if !l.acquire(ctx, time.Second) {
		t.Fatal("first acquire")
	}
	// Second waits; a third finds the waiting room full and is throttled at once.
	got := make(chan bool, 1)
	go func() { got <- l.acquire(ctx, 10*time.Second) }()
	waitFor(t, "a waiter", func() bool { return l.waiting.Load() == 1 })
	if l.acquire(ctx, 10*time.Second) {
		t.Fatal("acquire beyond the waiting room succeeded")
	}
	l.release()
	if !<-got {
		t.Fatal("the waiter did not get the slot")
	}
	// A wait that outlasts the throttle wait fails; so does a cancelled context.
	if l.acquire(ctx, time.Millisecond) {
		t.Fatal("timed wait succeeded while the slot was held")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if l.acquire(cctx, time.Hour) {
		t.Fatal("cancelled wait succeeded")
	}
	l.release()
	if l.running() != 0 || l.finished.Load() != 2 {
		t.Fatalf("running %d finished %d", l.running(), l.finished.Load())
	}
}

func TestFunctionLogsBounds(t *testing.T) {
	fl := NewFunctionLogs(LogLimits{MaxLines: 10, MaxBytes: 1 << 20, Buffer: 4})
	now := time.Now()
	for i := 0; i < 5; i++ { // 5 invocations × 3 lines
		fl.record("1", "f", "E1", "req"+string(rune('a'+i)), now, []string{"line"}, "")
	}
	lines := fl.Lines("1", "f", 0)
	if len(lines) != 10 || lines[0].Seq != 6 || lines[9].Seq != 15 {
		t.Fatalf("kept %d lines, seq %d..%d", len(lines), lines[0].Seq, lines[len(lines)-1].Seq)
	}
	if lines[9].Text != "reqe END" || lines[8].Text != "reqe line" {
		t.Fatalf("newest lines %+v", lines[8:])
	}
	if fl.Lines("1", "other", 0) != nil || fl.Lines("2", "f", 0) != nil {
		t.Fatal("logs leak between functions or accounts")
	}

	byBytes := NewFunctionLogs(LogLimits{MaxLines: 1000, MaxBytes: 2000})
	big := strings.Repeat("x", 500)
	for i := 0; i < 20; i++ {
		byBytes.record("1", "f", "E1", "r", now, []string{big}, "")
	}
	total := 0
	kept := byBytes.Lines("1", "f", 0)
	for _, l := range kept {
		total += lineCost(&l)
	}
	if total > 2000 || len(kept) == 0 || kept[len(kept)-1].Text != "r END" {
		t.Fatalf("byte bound: %d bytes in %d lines", total, len(kept))
	}
}

func TestFunctionLogsSubscribe(t *testing.T) {
	fl := NewFunctionLogs(LogLimits{Buffer: 4})
	now := time.Now()
	fl.record("1", "f", "E1", "old", now, nil, "")
	history, sub := fl.Subscribe("1", "f")
	if len(history) != 2 || history[0].Text != "old START DistributionID: E1" {
		t.Fatalf("history %+v", history)
	}
	fl.record("1", "f", "E1", "new", now, []string{"a", "b"}, "TypeError: x")
	var got []string
	for i := 0; i < 4; i++ {
		got = append(got, (<-sub.Lines()).Text)
	}
	want := "new START DistributionID: E1|new a|new b|new ERROR TypeError: x"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %q", got)
	}
	// Six more lines into a buffer of four: the edge never blocks, it counts what it dropped.
	fl.record("1", "f", "E1", "more", now, []string{"1", "2", "3", "4"}, "")
	if sub.Dropped() == 0 {
		t.Fatal("a slow follower must lose lines rather than block the edge")
	}
	sub.Close()
	sub.Close()             // idempotent
	for range sub.Lines() { // ends: Close closed the channel after its buffered lines
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ { // concurrent writers and followers
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				fl.record("1", "f", "E1", "c", now, []string{"x"}, "")
			}
		}()
		go func() {
			defer wg.Done()
			_, s := fl.Subscribe("1", "f")
			s.Close()
		}()
	}
	wg.Wait()
}

func TestRequestIDAndErrorPage(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		id := newRequestID()
		if len(id) != 56 || !requestIDPattern.MatchString(id) || seen[id] {
			t.Fatalf("request id %q", id)
		}
		seen[id] = true
	}
	p := errorPage(503, reasonFunctionError.text, "ID==")
	for _, want := range []string{
		`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"`,
		"<TITLE>ERROR: The request could not be satisfied</TITLE>",
		"<H1>503 ERROR</H1>",
		"<H2>The request could not be satisfied.</H2>",
		"The CloudFront function associated with the CloudFront distribution is invalid or could not run.",
		"<PRE>\nGenerated by cloudfront (CloudFront)\nRequest ID: ID==\n</PRE>",
		"</BODY></HTML>",
	} {
		if !strings.Contains(p, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTTPSHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		want string
	}{
		{"d1.cloudfront.localhost:8081", 0, "d1.cloudfront.localhost:8081"}, // no HTTPS listener: as sent
		{"d1.cloudfront.localhost:8081", 8443, "d1.cloudfront.localhost:8443"},
		{"d1.cloudfront.localhost", 8443, "d1.cloudfront.localhost:8443"},
		{"d1.cloudfront.localhost:80", 443, "d1.cloudfront.localhost"},
		{"www.example.com", 443, "www.example.com"},
		{"[::1]:8081", 8443, "[::1]:8443"},
		{"[::1]", 443, "[::1]"},
	} {
		if got := httpsHost(tc.host, tc.port); got != tc.want {
			t.Errorf("httpsHost(%q, %d) = %q, want %q", tc.host, tc.port, got, tc.want)
		}
	}
}

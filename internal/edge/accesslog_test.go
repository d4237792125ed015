package edge

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// lineSink collects the JSON log lines an edge writes; the access log line is written after
// the response may have reached the client, so tests wait for it.
type lineSink struct {
	lines chan map[string]any
}

func (s *lineSink) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		return 0, err
	}
	s.lines <- m
	return len(p), nil
}

func (s *lineSink) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case m := <-s.lines:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no access log line")
		return nil
	}
}

func accessLogFixture(t *testing.T, level slog.Level) (*fixture, *lineSink) {
	sink := &lineSink{lines: make(chan map[string]any, 16)}
	log := slog.New(slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: level}))
	return newFixture(t, fixtureOptions{edge: Options{Logger: log}}), sink
}

func TestAccessLogLine(t *testing.T) {
	f, sink := accessLogFixture(t, slog.LevelInfo)
	gen := f.publish("gen", js2, `function handler(event) { return {statusCode: 302, statusDescription: 'Found', headers: {location: {value: '/x'}}}; }`)
	plain := f.distribution("", "")
	generated := f.distribution(gen, "")

	check := func(res *http.Response, want map[string]any) {
		t.Helper()
		m := sink.next(t)
		if m["msg"] != "edge request" {
			t.Fatalf("line %v", m)
		}
		if id := res.Header.Get("X-Amz-Cf-Id"); m["x-edge-request-id"] != id || len(id) != 56 {
			t.Errorf("request id %v, response header %q", m["x-edge-request-id"], id)
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %v, want %v (line %v)", k, m[k], v, m)
			}
		}
		if tt, ok := m["time-taken"].(float64); !ok || tt < 0 {
			t.Errorf("time-taken %v", m["time-taken"])
		}
	}

	res, _ := f.get(plain.DomainName, "/a/b?q=1")
	check(res, map[string]any{"sc-status": 200.0, "cs-method": "GET", "cs-uri-stem": "/a/b", "cs-uri-query": "q=1",
		"x-edge-result-type": "Miss", "x-edge-detailed-result-type": "Miss", "distribution-id": plain.ID, "function": ""})

	res, _ = f.get("unknown.example", "/")
	check(res, map[string]any{"sc-status": 403.0, "x-edge-result-type": "Error", "distribution-id": ""})

	res, _ = f.get(generated.DomainName, "/g")
	check(res, map[string]any{"sc-status": 302.0, "x-edge-result-type": "FunctionGeneratedResponse",
		"x-edge-detailed-result-type": "FunctionGeneratedResponse", "function": "gen"})
}

func TestAccessLogOffBelowInfo(t *testing.T) {
	f, sink := accessLogFixture(t, slog.LevelWarn)
	d := f.distribution("", "")
	if res, _ := f.get(d.DomainName, "/"); res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	f.srv.Close() // waits for the handler, so its access log line would be written by now
	select {
	case m := <-sink.lines:
		t.Fatalf("access log at warn level: %v", m)
	default:
	}
	if f.edge.log.Enabled(context.Background(), slog.LevelInfo) {
		t.Fatal("logger enabled at info")
	}
}

// The access log line alone, as `localfront serve` writes it by default (text, info level).
func BenchmarkAccessLogLine(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e := &Edge{log: log, pop: "LOCAL1-P1"}
	r := httptest.NewRequest("GET", "/dir/?a=b", nil)
	r.Host = "d111111abcdef8.cloudfront.net"
	x := &exchange{e: e, r: r, id: newRequestID(), logged: true, start: time.Now(), path: "/dir/",
		result: resultMiss, detailed: resultMiss}
	x.w.Status, x.w.Bytes = 200, 64
	b.ReportAllocs()
	for b.Loop() {
		x.accessLog()
	}
}

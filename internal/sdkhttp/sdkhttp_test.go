package sdkhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/sdkhttp"
)

// recorder is a RoundTripper that keeps the request it was given.
type recorder struct {
	got        *http.Request
	closedIdle bool
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = req
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

func (r *recorder) CloseIdleConnections() { r.closedIdle = true }

// fastBody is a request body with the io.WriterTo fast path, like smithy-go's.
type fastBody struct {
	*bytes.Reader
	closes int
}

func (b *fastBody) Close() error { b.closes++; return nil }

func TestTransportHidesWriteTo(t *testing.T) {
	rec := &recorder{}
	body := &fastBody{Reader: bytes.NewReader([]byte("payload"))}
	req, err := http.NewRequest("PUT", "http://127.0.0.1/x", body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = 7
	if _, err := sdkhttp.Transport(rec).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if req.Body != io.ReadCloser(body) {
		t.Error("the caller's request was modified")
	}
	sent := rec.got.Body
	if _, ok := sent.(io.WriterTo); ok {
		t.Fatalf("the transport got a body with WriteTo (%T)", sent)
	}
	if b, err := io.ReadAll(sent); err != nil || string(b) != "payload" {
		t.Errorf("body read %q, %v", b, err)
	}
	if err := sent.Close(); err != nil || body.closes != 1 {
		t.Errorf("Close: %v, %d closes reached the original body", err, body.closes)
	}
	if rec.got.ContentLength != 7 || rec.got.Method != "PUT" || rec.got.URL.String() != "http://127.0.0.1/x" {
		t.Errorf("request changed: %s %s length %d", rec.got.Method, rec.got.URL, rec.got.ContentLength)
	}
}

func TestTransportWrapsGetBody(t *testing.T) {
	rec := &recorder{}
	req, err := http.NewRequest("POST", "http://127.0.0.1/x", strings.NewReader("again"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdkhttp.Transport(rec).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	b, err := rec.got.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(io.WriterTo); ok {
		t.Errorf("GetBody gave a body with WriteTo (%T)", b)
	}
	if got, _ := io.ReadAll(b); string(got) != "again" {
		t.Errorf("GetBody body %q", got)
	}
}

func TestTransportPassesEmptyBodiesThrough(t *testing.T) {
	for _, body := range []io.ReadCloser{nil, http.NoBody} {
		rec := &recorder{}
		req, err := http.NewRequest("GET", "http://127.0.0.1/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Body = body
		if _, err := sdkhttp.Transport(rec).RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		// net/http recognises http.NoBody by identity; a wrapped one would look like a
		// body of unknown length.
		if rec.got != req || rec.got.Body != body {
			t.Errorf("body %v: the transport got %T instead of the request as is", body, rec.got.Body)
		}
	}
}

func TestClientKeepsSettingsAndForwardsCloseIdle(t *testing.T) {
	rec := &recorder{}
	base := &http.Client{Transport: rec, Timeout: 7 * time.Second}
	c := sdkhttp.Client(base)
	if c == base || base.Transport != rec {
		t.Fatal("Client must not change its argument")
	}
	if c.Timeout != 7*time.Second {
		t.Errorf("Timeout %v", c.Timeout)
	}
	if again := sdkhttp.Transport(c.Transport); again != c.Transport {
		t.Error("wrapping twice should be a no-op")
	}
	c.CloseIdleConnections()
	if !rec.closedIdle {
		t.Error("CloseIdleConnections did not reach the wrapped transport")
	}
	if d := sdkhttp.Client(nil); d.Transport == nil {
		t.Error("Client(nil) has no transport")
	}
}

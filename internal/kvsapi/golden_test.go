package kvsapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/wirecapture"
)

const exampleID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" // the id every KVS capture uses

// Every data-plane request real clients sent (wire-captures/*-kvs-*) is accepted: replayed
// byte for byte over TCP (origin-form and absolute-form targets, every client's headers),
// it gets the capture's status, the same JSON members and the same ETag presence. If-Match
// is rewritten to the store's current ETag where the capture expected success, since our
// ETags are not the recorder's canned "KV1"/"KV2".
func TestGoldenCapturesAccepted(t *testing.T) {
	caps, err := wirecapture.ParseDir(wirecapture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range caps {
		if !strings.Contains(c.Name, "-kvs-") || !strings.HasPrefix(c.Path, collection) {
			continue
		}
		n++
		t.Run(c.Name, func(t *testing.T) { replayCapture(t, c) })
	}
	if n < 30 {
		t.Fatalf("only %d data-plane captures found", n)
	}
}

func replayCapture(t *testing.T, c wirecapture.Capture) {
	f := newFixture(t, Options{}, kvs.Options{NewID: func() string { return exampleID }})
	ctx := context.Background()
	arn := f.createStore(t, "golden")
	w, err := f.svc.UpdateKeys(ctx, acct, arn, "KVTVPDKIKX0DER", kvs.UpdateKeysInput{Puts: []kvs.KeyValue{{Key: "k1", Value: "v1"}, {Key: "dir/a b", Value: "v1"}, {Key: "c", Value: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Response == nil {
		t.Fatal("capture has no response")
	}
	for i, h := range c.Headers {
		if strings.EqualFold(h.Name, "If-Match") && c.Response.Status == http.StatusOK {
			c.Headers[i].Value = w.ETag
		}
	}

	conn, err := net.Dial("tcp", f.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write(c.Raw()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: c.Method})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	if resp.StatusCode != c.Response.Status {
		t.Fatalf("status %d, capture %d; body %s", resp.StatusCode, c.Response.Status, body)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", resp.Header)
	}
	if got, want := resp.Header.Get("ETag") != "", captureHeader(c, "ETag") != ""; got != want {
		t.Fatalf("ETag present %v, capture %v", got, want)
	}
	if want := captureHeader(c, "x-amzn-ErrorType"); resp.Header.Get("x-amzn-ErrorType") != want {
		t.Fatalf("x-amzn-ErrorType %q, capture %q", resp.Header.Get("x-amzn-ErrorType"), want)
	}
	if got, want := jsonMembers(t, body), jsonMembers(t, c.Response.Body); got != want {
		t.Fatalf("members %s, capture %s (body %s)", got, want, body)
	}
}

func captureHeader(c wirecapture.Capture, name string) string {
	for _, h := range c.Response.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func jsonMembers(t *testing.T, body []byte) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

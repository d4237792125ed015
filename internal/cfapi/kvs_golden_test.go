package cfapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/wirecapture"
)

// TestReplayKVSControlPlaneCaptures replays, byte for byte, every KVS control-plane
// request real clients sent (CreateKeyValueStore and DescribeKeyValueStore from the CLI
// v1, boto3, Go and JS SDKs). The server gives new stores the id the captured answers
// carried, so ETag, Location and Content-Type must equal the captured headers, and the
// body must have the captured answer's shape.
func TestReplayKVSControlPlaneCaptures(t *testing.T) {
	all, err := wirecapture.ParseDir(wirecapture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	replayed := 0
	for _, c := range all {
		if !strings.HasPrefix(c.Path, "/2020-05-31/key-value-store") {
			continue
		}
		replayed++
		t.Run(c.Name, func(t *testing.T) {
			s := newKVSStack(t, kvs.Options{NewID: func() string { return exampleKVSID }})
			if c.Method == http.MethodGet {
				// The describe captures answered a store created without a comment.
				if _, err := s.KVS.Create(context.Background(), "123456789012", kvs.CreateInput{Name: "cap-kvs"}); err != nil {
					t.Fatal(err)
				}
			}
			resp, body := replay(t, s.stack, c)
			want := *c.Response
			if resp.StatusCode != want.Status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, want.Status, body)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			for _, h := range want.Headers {
				switch strings.ToLower(h.Name) {
				case "etag", "location", "content-type":
					if got := resp.Header.Get(h.Name); got != h.Value {
						t.Errorf("header %s = %q, want %q", h.Name, got, h.Value)
					}
				}
			}
			compareBodies(t, resp.Header.Get("Content-Type"), body, want.Body)
			for _, v := range []string{"<Name>cap-kvs</Name>", "<Id>" + exampleKVSID + "</Id>", "<Status>READY</Status>"} {
				if !strings.Contains(string(body), v) {
					t.Errorf("body lacks %s:\n%s", v, body)
				}
			}
			if c.Method == http.MethodPost && !strings.Contains(string(body), "<Comment>kvs comment</Comment>") {
				t.Errorf("comment not kept:\n%s", body)
			}
		})
	}
	if replayed != 8 {
		t.Fatalf("replayed %d captures, want 8 (4 clients x create and describe)", replayed)
	}
}

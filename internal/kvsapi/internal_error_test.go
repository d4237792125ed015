package kvsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/kvs"
	"github.com/localfront/localfront/internal/store"
)

// brokenStore fails every transaction with err, whose message must stay on the server.
type brokenStore struct{ err error }

func (s brokenStore) Update(context.Context, func(store.Tx) error) error   { return s.err }
func (s brokenStore) View(context.Context, func(store.ReadTx) error) error { return s.err }
func (brokenStore) Close() error                                           { return nil }

func TestInternalErrorDetailsAreLoggedNotSent(t *testing.T) {
	disk := errors.New("read /var/lib/localfront/secret.db: input/output error")
	for _, err := range []error{disk, apierror.InternalServerException("Internal error: %v", disk)} {
		t.Run(err.Error(), func(t *testing.T) { checkInternalErrorHidden(t, brokenStore{err}) })
	}
}

func checkInternalErrorHidden(t *testing.T, st store.Store) {
	svc := kvs.New(st, kvs.Options{})
	t.Cleanup(func() { svc.Close() })
	var logs bytes.Buffer
	srv := httptest.NewServer(New(svc, Options{Log: slog.New(slog.NewJSONHandler(&logs, nil))}))
	t.Cleanup(srv.Close)

	arn := "arn:aws:cloudfront::123456789012:key-value-store/9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d"
	resp, err := srv.Client().Get(srv.URL + collection + url.PathEscape(arn))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var env map[string]string
	json.Unmarshal(body, &env)
	if resp.StatusCode != 500 || env["__type"] != "InternalServerException" || env["Message"] != apierror.InternalMessage {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	rid := resp.Header.Get("x-amzn-RequestId")
	var logged map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(line), &e) == nil && e["level"] == "ERROR" {
			logged = e
		}
	}
	if logged == nil || logged["requestId"] != rid || logged["op"] != "DescribeKeyValueStore" || !strings.Contains(logged["err"].(string), "secret.db") {
		t.Errorf("error log %v (request id %s)", logged, rid)
	}
}

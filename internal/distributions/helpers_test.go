package distributions

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/apierror/apierrortest"
	"github.com/localfront/localfront/internal/store/sqlite"
)

const (
	acct      = "111122223333"
	otherAcct = "444455556666"
)

var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

func fnARN(account, name string) string {
	return "arn:aws:cloudfront::" + account + ":function/" + name
}

// fakeFunctions is a FunctionResolver over a set of LIVE function ARNs.
type fakeFunctions struct {
	mu   sync.Mutex
	live map[string]bool
}

func (f *fakeFunctions) LiveFunctionExists(_ context.Context, account, arn string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live[arn], nil
}

type fixture struct {
	svc     *Service
	fns     *fakeFunctions
	changes []string // "account/id", in notification order
	mu      sync.Mutex
	clock   time.Time
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{fns: &fakeFunctions{live: map[string]bool{
		fnARN(acct, "rewrite"): true, fnARN(acct, "headers"): true, fnARN(otherAcct, "rewrite"): true,
	}}, clock: t0}
	if opts.Functions == nil {
		opts.Functions = f.fns
	}
	opts.Clock = func() time.Time {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.clock
	}
	f.svc = New(st, opts)
	f.svc.OnChange(func(account, id string) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.changes = append(f.changes, account+"/"+id)
	})
	return f
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(d)
}

func (f *fixture) takeChanges() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.changes
	f.changes = nil
	return c
}

// testConfig is a minimal valid config: one custom origin, the default behaviour with a
// cache policy.
func testConfig(ref string) Config {
	return Config{
		CallerReference: ref,
		Enabled:         true,
		Origins: []Origin{{
			ID: "app", DomainName: "127.0.0.1",
			ConnectionAttempts: DefaultConnectionAttempts, ConnectionTimeout: DefaultConnectionTimeout,
			Custom: &CustomOriginConfig{HTTPPort: 8080, HTTPSPort: 8443, ProtocolPolicy: OriginHTTPOnly,
				ReadTimeout: DefaultReadTimeout, KeepaliveTimeout: DefaultKeepaliveTimeout},
		}},
		DefaultBehavior: testBehavior("", "app"),
	}
}

func testBehavior(pattern, origin string) Behavior {
	return Behavior{
		PathPattern: pattern, TargetOriginID: origin, ViewerProtocolPolicy: ViewerAllowAll,
		AllowedMethods: slices.Clone(DefaultMethods), CachedMethods: slices.Clone(DefaultMethods),
		CachePolicyID: "658327ea-f89d-4fab-a63d-7e88639e58f6",
	}
}

func withFunctions(c Config, fas ...FunctionAssociation) Config {
	c.DefaultBehavior.FunctionAssociations = fas
	return c
}

func viewerRequest(arn string) FunctionAssociation {
	return FunctionAssociation{FunctionARN: arn, EventType: EventViewerRequest}
}

// wantAPIError fails unless err is an *apierror.Error with the code and status.
var wantAPIError = apierrortest.Want

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

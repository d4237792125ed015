package distributions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/etag"
)

var ctx = context.Background()

func TestCreateGet(t *testing.T) {
	f := newFixture(t, Options{})
	cfg := testConfig("ref-1")
	cfg.Raw = []byte("<DistributionConfig>kept as is</DistributionConfig>")
	d := must[Distribution](t)(f.svc.Create(ctx, acct, cfg))

	if !regexp.MustCompile(`^E[A-Z0-9]{13}$`).MatchString(d.ID) {
		t.Errorf("ID %q is not CloudFront-shaped", d.ID)
	}
	if want := "arn:aws:cloudfront::" + acct + ":distribution/" + d.ID; d.ARN != want {
		t.Errorf("ARN %q, want %q", d.ARN, want)
	}
	if want := strings.ToLower(d.ID) + ".cloudfront.localhost"; d.DomainName != want {
		t.Errorf("DomainName %q, want %q", d.DomainName, want)
	}
	if d.Status != "Deployed" || d.ETag != "ETVPDKIKX0DER" {
		t.Errorf("Status %q ETag %q", d.Status, d.ETag)
	}
	if !d.LastModifiedTime.Equal(t0.Truncate(time.Millisecond)) {
		t.Errorf("LastModifiedTime %v", d.LastModifiedTime)
	}
	if got := f.takeChanges(); !slices.Equal(got, []string{acct + "/" + d.ID}) {
		t.Errorf("changes %v", got)
	}

	got := must[Distribution](t)(f.svc.Get(ctx, acct, d.ID))
	if got.ID != d.ID || got.ETag != d.ETag || !got.LastModifiedTime.Equal(d.LastModifiedTime) ||
		string(got.Config.Raw) != string(cfg.Raw) || got.Config.Origins[0].Custom.HTTPPort != 8080 {
		t.Errorf("Get = %+v", got)
	}
	c, tag, err := f.svc.GetConfig(ctx, acct, d.ID)
	if err != nil || tag != "ETVPDKIKX0DER" || c.CallerReference != "ref-1" {
		t.Errorf("GetConfig = %v %q %v", c.CallerReference, tag, err)
	}

	// Another account does not see it; malformed and unknown IDs are 404.
	for _, tc := range []struct{ account, id string }{
		{otherAcct, d.ID}, {acct, "EDOESNOTEXIST1"}, {acct, "nope"}, {acct, ""}, {acct, strings.ToLower(d.ID)},
	} {
		_, err := f.svc.Get(ctx, tc.account, tc.id)
		wantAPIError(t, err, "NoSuchDistribution", 404)
	}
}

func TestEdgeDomainOption(t *testing.T) {
	f := newFixture(t, Options{EdgeDomain: "cdn.test"})
	d := must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("r")))
	if d.DomainName != strings.ToLower(d.ID)+".cdn.test" {
		t.Errorf("DomainName %q", d.DomainName)
	}
}

func TestCallerReferenceIsUniquePerAccount(t *testing.T) {
	f := newFixture(t, Options{})
	d := must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("same")))
	// Even an identical config is refused (model documentation; aws-sdk-go #2213).
	_, err := f.svc.Create(ctx, acct, testConfig("same"))
	e := wantAPIError(t, err, "DistributionAlreadyExists", 409)
	if !strings.HasSuffix(e.Message, "Already exists: "+d.ID) {
		t.Errorf("message %q does not name %s", e.Message, d.ID)
	}
	// Another account may use the same reference.
	must[Distribution](t)(f.svc.Create(ctx, otherAcct, testConfig("same")))
}

func TestConcurrentCreatesWithOneCallerReference(t *testing.T) {
	f := newFixture(t, Options{})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Create(ctx, acct, testConfig("race"))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantAPIError(t, err, "DistributionAlreadyExists", 409)
		}
	}
	if ok != 1 {
		t.Fatalf("%d creates succeeded, want 1", ok)
	}
}

func TestUpdate(t *testing.T) {
	f := newFixture(t, Options{})
	d := must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("ref")))
	f.takeChanges()
	f.advance(time.Minute)

	cfg := testConfig("ref")
	cfg.Comment = "second"
	_, err := f.svc.Update(ctx, acct, d.ID, "", cfg)
	wantAPIError(t, err, "InvalidIfMatchVersion", 400)
	_, err = f.svc.Update(ctx, acct, d.ID, `"ETVPDKIKX0DER"`, cfg) // quotes are not stripped
	wantAPIError(t, err, "InvalidIfMatchVersion", 400)
	_, err = f.svc.Update(ctx, acct, d.ID, "E3UN6WX5RRO2AG", cfg)
	wantAPIError(t, err, "PreconditionFailed", 412)
	_, err = f.svc.Update(ctx, acct, "EAAAAAAAAAAAAA", "ETVPDKIKX0DER", cfg)
	wantAPIError(t, err, "NoSuchDistribution", 404)
	changed := testConfig("other-ref")
	_, err = f.svc.Update(ctx, acct, d.ID, "ETVPDKIKX0DER", changed)
	wantAPIError(t, err, "IllegalUpdate", 400)
	if c := f.takeChanges(); len(c) != 0 {
		t.Errorf("failed updates notified %v", c)
	}

	u := must[Distribution](t)(f.svc.Update(ctx, acct, d.ID, "ETVPDKIKX0DER", cfg))
	if u.ETag != "E3UN6WX5RRO2AG" || u.Config.Comment != "second" || !u.LastModifiedTime.Equal(t0.Add(time.Minute).Truncate(time.Millisecond)) {
		t.Errorf("update 1 = %q %q %v", u.ETag, u.Config.Comment, u.LastModifiedTime)
	}
	u = must[Distribution](t)(f.svc.Update(ctx, acct, d.ID, "E3UN6WX5RRO2AG", cfg))
	if u.ETag != "E1F83G8C2ARO7P" {
		t.Errorf("update 2 ETag %q", u.ETag)
	}
	// The old ETag is now stale.
	_, err = f.svc.Update(ctx, acct, d.ID, "ETVPDKIKX0DER", cfg)
	wantAPIError(t, err, "PreconditionFailed", 412)
	if got := f.takeChanges(); len(got) != 2 {
		t.Errorf("changes %v, want 2", got)
	}
}

func TestDeleteRequiresDisabled(t *testing.T) {
	f := newFixture(t, Options{})
	cfg := testConfig("ref")
	cfg.Aliases = []string{"www.example.com"}
	cfg = withFunctions(cfg, viewerRequest(fnARN(acct, "rewrite")))
	d := must[Distribution](t)(f.svc.Create(ctx, acct, cfg))

	wantAPIError(t, f.svc.Delete(ctx, acct, d.ID, ""), "InvalidIfMatchVersion", 400)
	wantAPIError(t, f.svc.Delete(ctx, acct, d.ID, "E3UN6WX5RRO2AG"), "PreconditionFailed", 412)
	wantAPIError(t, f.svc.Delete(ctx, acct, d.ID, d.ETag), "DistributionNotDisabled", 409)
	wantAPIError(t, f.svc.Delete(ctx, acct, "EAAAAAAAAAAAAA", d.ETag), "NoSuchDistribution", 404)

	cfg.Enabled = false
	u := must[Distribution](t)(f.svc.Update(ctx, acct, d.ID, d.ETag, cfg))
	wantAPIError(t, f.svc.Delete(ctx, acct, d.ID, d.ETag), "PreconditionFailed", 412)
	f.takeChanges()
	if err := f.svc.Delete(ctx, acct, d.ID, u.ETag); err != nil {
		t.Fatal(err)
	}
	if got := f.takeChanges(); !slices.Equal(got, []string{acct + "/" + d.ID}) {
		t.Errorf("changes %v", got)
	}
	_, err := f.svc.Get(ctx, acct, d.ID)
	wantAPIError(t, err, "NoSuchDistribution", 404)
	wantAPIError(t, f.svc.Delete(ctx, acct, d.ID, u.ETag), "NoSuchDistribution", 404)

	// Everything it held is free again: the caller reference, the alias, the function.
	if used := must[bool](t)(f.svc.FunctionInUse(ctx, acct, fnARN(acct, "rewrite"))); used {
		t.Error("function still in use after delete")
	}
	cfg.Enabled = true
	must[Distribution](t)(f.svc.Create(ctx, acct, cfg))
	if all := must[[]Distribution](t)(f.svc.All(ctx)); len(all) != 1 {
		t.Errorf("All has %d distributions, want 1", len(all))
	}
}

func TestAliasesAreUniqueAcrossAccounts(t *testing.T) {
	f := newFixture(t, Options{})
	a := testConfig("a")
	a.Aliases = []string{"www.example.com", "*.example.org"}
	da := must[Distribution](t)(f.svc.Create(ctx, acct, a))

	b := testConfig("b")
	b.Aliases = []string{"WWW.Example.COM"} // DNS names compare case-insensitively
	_, err := f.svc.Create(ctx, otherAcct, b)
	wantAPIError(t, err, "CNAMEAlreadyExists", 409)
	b.Aliases = []string{"*.example.org"}
	_, err = f.svc.Create(ctx, acct, b)
	wantAPIError(t, err, "CNAMEAlreadyExists", 409)

	// Keeping its own alias on update is fine; dropping one frees it.
	a.Aliases = []string{"www.example.com"}
	da = must[Distribution](t)(f.svc.Update(ctx, acct, da.ID, da.ETag, a))
	must[Distribution](t)(f.svc.Create(ctx, otherAcct, b))

	// A failed update changes nothing: a takes db's alias → conflict, and a keeps its own.
	a.Aliases = []string{"www.example.com", "*.example.org"}
	_, err = f.svc.Update(ctx, acct, da.ID, da.ETag, a)
	wantAPIError(t, err, "CNAMEAlreadyExists", 409)
	c := testConfig("c")
	c.Aliases = []string{"www.example.com"}
	_, err = f.svc.Create(ctx, otherAcct, c)
	wantAPIError(t, err, "CNAMEAlreadyExists", 409)
}

func TestFunctionAssociations(t *testing.T) {
	f := newFixture(t, Options{})
	rewrite, headers := fnARN(acct, "rewrite"), fnARN(acct, "headers")

	tests := []struct {
		name string
		fas  []FunctionAssociation
		code string
	}{
		{"not published", []FunctionAssociation{viewerRequest(fnARN(acct, "draft"))}, "InvalidFunctionAssociation"},
		{"other account", []FunctionAssociation{viewerRequest(fnARN(otherAcct, "rewrite"))}, "InvalidFunctionAssociation"},
		{"malformed ARN", []FunctionAssociation{viewerRequest("arn:aws:lambda:us-east-1:111122223333:function:x:1")}, "InvalidFunctionAssociation"},
		{"origin event", []FunctionAssociation{{FunctionARN: rewrite, EventType: "origin-request"}}, "InvalidFunctionAssociation"},
		{"same event twice", []FunctionAssociation{viewerRequest(rewrite), viewerRequest(headers)}, "InvalidFunctionAssociation"},
		{"three", []FunctionAssociation{viewerRequest(rewrite), {FunctionARN: headers, EventType: EventViewerResponse}, viewerRequest(headers)}, "TooManyFunctionAssociations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Create(ctx, acct, withFunctions(testConfig(tt.name), tt.fas...))
			wantAPIError(t, err, tt.code, 400)
		})
	}

	t.Run("mixed with Lambda@Edge on viewer events", func(t *testing.T) {
		cfg := withFunctions(testConfig("mixed"), viewerRequest(rewrite))
		cfg.DefaultBehavior.LambdaAssociations = []LambdaAssociation{{
			LambdaFunctionARN: "arn:aws:lambda:us-east-1:111122223333:function:auth:3", EventType: EventViewerResponse}}
		_, err := f.svc.Create(ctx, acct, cfg)
		wantAPIError(t, err, "InvalidFunctionAssociation", 400)
		cfg.DefaultBehavior.LambdaAssociations[0].EventType = "origin-request" // allowed
		must[Distribution](t)(f.svc.Create(ctx, acct, cfg))
	})

	t.Run("both viewer events in a cache behavior", func(t *testing.T) {
		cfg := testConfig("both")
		b := testBehavior("/api/*", "app")
		b.FunctionAssociations = []FunctionAssociation{viewerRequest(rewrite), {FunctionARN: headers, EventType: EventViewerResponse}}
		cfg.Behaviors = []Behavior{b}
		must[Distribution](t)(f.svc.Create(ctx, acct, cfg))
	})
}

func TestNilFunctionResolverAcceptsWellFormedARNs(t *testing.T) {
	f := newFixture(t, Options{})
	f.svc.opts.Functions = nil
	must[Distribution](t)(f.svc.Create(ctx, acct, withFunctions(testConfig("x"), viewerRequest(fnARN(acct, "anything")))))
	_, err := f.svc.Create(ctx, acct, withFunctions(testConfig("y"), viewerRequest(fnARN(otherAcct, "anything"))))
	wantAPIError(t, err, "InvalidFunctionAssociation", 400)
}

func TestFunctionUsage(t *testing.T) {
	f := newFixture(t, Options{})
	rewrite, headers := fnARN(acct, "rewrite"), fnARN(acct, "headers")
	inUse := func(arn string) bool { return must[bool](t)(f.svc.FunctionInUse(ctx, acct, arn)) }
	using := func(arn string) []string { return must[[]string](t)(f.svc.DistributionsUsing(ctx, acct, arn)) }

	if inUse(rewrite) {
		t.Fatal("in use before any distribution")
	}
	d1 := must[Distribution](t)(f.svc.Create(ctx, acct, withFunctions(testConfig("1"), viewerRequest(rewrite))))
	cfg2 := testConfig("2")
	b := testBehavior("/api/*", "app")
	b.FunctionAssociations = []FunctionAssociation{viewerRequest(rewrite), {FunctionARN: headers, EventType: EventViewerResponse}}
	cfg2.Behaviors = []Behavior{b}
	d2 := must[Distribution](t)(f.svc.Create(ctx, acct, cfg2))

	want := []string{d1.ID, d2.ID}
	slices.Sort(want)
	if got := using(rewrite); !slices.Equal(got, want) {
		t.Errorf("using rewrite = %v, want %v", got, want)
	}
	if got := using(headers); !slices.Equal(got, []string{d2.ID}) {
		t.Errorf("using headers = %v", got)
	}
	// Per account: the same ARN text is not used in another account.
	if used := must[bool](t)(f.svc.FunctionInUse(ctx, otherAcct, rewrite)); used {
		t.Error("in use in another account")
	}

	// Publishing redeploys exactly the distributions that use the function.
	f.takeChanges()
	if err := f.svc.FunctionPublished(ctx, acct, headers); err != nil {
		t.Fatal(err)
	}
	if got := f.takeChanges(); !slices.Equal(got, []string{acct + "/" + d2.ID}) {
		t.Errorf("publish notified %v", got)
	}
	if err := f.svc.FunctionPublished(ctx, acct, fnARN(acct, "unused")); err != nil || len(f.takeChanges()) != 0 {
		t.Error("publishing an unused function notified someone")
	}

	// Dissociating (a disabled distribution still counts) and deleting.
	cfg2.Behaviors[0].FunctionAssociations = nil
	cfg2.Enabled = false
	u2 := must[Distribution](t)(f.svc.Update(ctx, acct, d2.ID, d2.ETag, cfg2))
	if inUse(headers) || !slices.Equal(using(rewrite), []string{d1.ID}) {
		t.Errorf("after update: headers in use %v, rewrite used by %v", inUse(headers), using(rewrite))
	}
	cfg2.DefaultBehavior.FunctionAssociations = []FunctionAssociation{viewerRequest(headers)}
	u2 = must[Distribution](t)(f.svc.Update(ctx, acct, d2.ID, u2.ETag, cfg2))
	if !inUse(headers) {
		t.Error("a disabled distribution's association does not count")
	}
	if err := f.svc.Delete(ctx, acct, d2.ID, u2.ETag); err != nil {
		t.Fatal(err)
	}
	if inUse(headers) {
		t.Error("in use after the distribution was deleted")
	}
}

func TestQuotas(t *testing.T) {
	t.Run("distributions per function", func(t *testing.T) {
		f := newFixture(t, Options{Limits: Limits{DistributionsPerFunction: 2}})
		arn := fnARN(acct, "rewrite")
		d := must[Distribution](t)(f.svc.Create(ctx, acct, withFunctions(testConfig("1"), viewerRequest(arn))))
		must[Distribution](t)(f.svc.Create(ctx, acct, withFunctions(testConfig("2"), viewerRequest(arn))))
		_, err := f.svc.Create(ctx, acct, withFunctions(testConfig("3"), viewerRequest(arn)))
		wantAPIError(t, err, "TooManyDistributionsWithFunctionAssociations", 400)
		// Updating one of the two that already use it is not a new association.
		cfg := withFunctions(testConfig("1"), viewerRequest(arn))
		cfg.Comment = "again"
		must[Distribution](t)(f.svc.Update(ctx, acct, d.ID, d.ETag, cfg))
	})
	t.Run("distributions per account", func(t *testing.T) {
		f := newFixture(t, Options{Limits: Limits{Distributions: 2}})
		must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("1")))
		must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("2")))
		_, err := f.svc.Create(ctx, acct, testConfig("3"))
		wantAPIError(t, err, "TooManyDistributions", 400)
		must[Distribution](t)(f.svc.Create(ctx, otherAcct, testConfig("3")))
	})
}

func TestList(t *testing.T) {
	f := newFixture(t, Options{})
	var ids []string
	for i := range 5 {
		ids = append(ids, must[Distribution](t)(f.svc.Create(ctx, acct, testConfig(fmt.Sprint(i)))).ID)
	}
	must[Distribution](t)(f.svc.Create(ctx, otherAcct, testConfig("x")))
	slices.Sort(ids)

	var got []string
	marker := ""
	for pages := 0; ; pages++ {
		out := must[ListOutput](t)(f.svc.List(ctx, acct, marker, 2))
		if out.Marker != marker || out.MaxItems != 2 {
			t.Errorf("page %d echoes Marker %q MaxItems %d", pages, out.Marker, out.MaxItems)
		}
		for _, d := range out.Items {
			got = append(got, d.ID)
		}
		if !out.IsTruncated {
			if out.NextMarker != "" || pages != 2 {
				t.Errorf("last page %d has NextMarker %q", pages, out.NextMarker)
			}
			break
		}
		if out.NextMarker != out.Items[len(out.Items)-1].ID {
			t.Errorf("NextMarker %q is not the last ID of the page", out.NextMarker)
		}
		marker = out.NextMarker
	}
	if !slices.Equal(got, ids) {
		t.Errorf("listed %v, want %v", got, ids)
	}
	out := must[ListOutput](t)(f.svc.List(ctx, acct, "", 0))
	if out.MaxItems != DefaultMaxItems || len(out.Items) != 5 || out.IsTruncated {
		t.Errorf("default page: MaxItems %d, %d items, truncated %v", out.MaxItems, len(out.Items), out.IsTruncated)
	}
	_, err := f.svc.List(ctx, acct, "", -1)
	wantAPIError(t, err, "InvalidArgument", 400)
	if out := must[ListOutput](t)(f.svc.List(ctx, "999999999999", "", 0)); len(out.Items) != 0 {
		t.Error("an empty account lists distributions")
	}
}

func TestAll(t *testing.T) {
	f := newFixture(t, Options{})
	a := must[Distribution](t)(f.svc.Create(ctx, acct, testConfig("1")))
	b := must[Distribution](t)(f.svc.Create(ctx, otherAcct, testConfig("1")))
	all := must[[]Distribution](t)(f.svc.All(ctx))
	accounts := map[string]string{}
	for _, d := range all {
		accounts[d.ID] = AccountOf(d)
	}
	if len(all) != 2 || accounts[a.ID] != acct || accounts[b.ID] != otherAcct {
		t.Errorf("All = %v", accounts)
	}
}

func TestETagsAndIDs(t *testing.T) {
	seen := map[string]bool{}
	for v := int64(1); v <= 5000; v++ {
		e := etag.ForVersion(v)
		if !etag.WellFormed(e) || e[0] != 'E' || len(e) < 13 || len(e) > 14 || seen[e] {
			t.Fatalf("etag.ForVersion(%d) = %q (duplicate %v)", v, e, seen[e])
		}
		seen[e] = true
	}
	ids := map[string]bool{}
	for range 2000 {
		id := newID()
		if !validID(id) || ids[id] {
			t.Fatalf("newID gave %q", id)
		}
		ids[id] = true
	}
}

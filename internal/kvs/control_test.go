package kvs

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/localfront/localfront/internal/store"
)

func TestCreateDescribe(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	st, err := s.Create(ctx, acct, CreateInput{Name: "store-1", Comment: "hello"})
	noErr(t, err)
	if st.ID != "00000000-0000-4000-8000-000000000001" || st.ARN != "arn:aws:cloudfront::123456789012:key-value-store/"+st.ID {
		t.Fatalf("id/arn: %+v", st)
	}
	if st.Status != StatusReady || st.ETag != "ETVPDKIKX0DER" || st.Comment != "hello" || st.LastModified.IsZero() {
		t.Fatalf("created: %+v", st)
	}
	got, err := s.Describe(ctx, acct, "store-1")
	noErr(t, err)
	if got != st {
		t.Fatalf("Describe = %+v, want %+v", got, st)
	}
	_, err = s.Describe(ctx, "210987654321", "store-1")
	wantCode(t, err, "EntityNotFound", 404)
	_, err = s.Describe(ctx, acct, "missing")
	wantCode(t, err, "EntityNotFound", 404)
	_, err = s.Describe(ctx, acct, "bad name!")
	wantCode(t, err, "EntityNotFound", 404)
}

func TestCreateValidation(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	for _, name := range []string{"", "bad name", "ü", strings.Repeat("a", 65)} {
		_, err := s.Create(ctx, acct, CreateInput{Name: name})
		wantCode(t, err, "MalformedXML", 400)
	}
	_, err := s.Create(ctx, acct, CreateInput{Name: strings.Repeat("a", 64), Comment: strings.Repeat("é", 128)})
	noErr(t, err)
	_, err = s.Create(ctx, acct, CreateInput{Name: "c", Comment: strings.Repeat("x", 129)})
	wantCode(t, err, "InvalidArgument", 400)
	mustCreate(t, s, "dup")
	_, err = s.Create(ctx, acct, CreateInput{Name: "dup"})
	wantCode(t, err, "EntityAlreadyExists", 409)
	// The same name in another account is another store.
	_, err = s.Create(ctx, "210987654321", CreateInput{Name: "dup"})
	noErr(t, err)
}

func TestCreateQuota(t *testing.T) {
	s := newTestService(t, Options{StoresPerAccount: 3})
	for i := 0; i < 3; i++ {
		mustCreate(t, s, fmt.Sprintf("s%d", i))
	}
	_, err := s.Create(context.Background(), acct, CreateInput{Name: "s3"})
	wantCode(t, err, "EntityLimitExceeded", 400)
	noErr(t, s.Delete(context.Background(), acct, "s0", "ETVPDKIKX0DER"))
	mustCreate(t, s, "s3")
}

func TestDefaultQuotaIs50(t *testing.T) {
	s := newTestService(t, Options{})
	for i := 0; i < 50; i++ {
		mustCreate(t, s, fmt.Sprintf("s%02d", i))
	}
	_, err := s.Create(context.Background(), acct, CreateInput{Name: "one-more"})
	wantCode(t, err, "EntityLimitExceeded", 400)
}

func TestUpdate(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	st := mustCreate(t, s, "u")
	_, err := s.Update(ctx, acct, "u", "", "c")
	wantCode(t, err, "InvalidIfMatchVersion", 400)
	_, err = s.Update(ctx, acct, "u", "E3UN6WX5RRO2AG", "c")
	wantCode(t, err, "PreconditionFailed", 412)
	_, err = s.Update(ctx, acct, "nope", st.ETag, "c")
	wantCode(t, err, "EntityNotFound", 404)
	_, err = s.Update(ctx, acct, "u", st.ETag, strings.Repeat("x", 129))
	wantCode(t, err, "InvalidArgument", 400)

	up, err := s.Update(ctx, acct, "u", st.ETag, "new comment")
	noErr(t, err)
	if up.Comment != "new comment" || up.ETag != "E3UN6WX5RRO2AG" || !up.LastModified.After(st.LastModified) || up.ID != st.ID {
		t.Fatalf("updated: %+v", up)
	}
	// The data plane's ETag is independent of the control plane's.
	d, err := s.DescribeData(ctx, acct, st.ARN)
	noErr(t, err)
	if d.ETag != "KVTVPDKIKX0DER" {
		t.Fatalf("data ETag %s", d.ETag)
	}
	_, err = s.Update(ctx, acct, "u", st.ETag, "again")
	wantCode(t, err, "PreconditionFailed", 412)
}

type usage map[string]bool

func (u usage) KeyValueStoreInUse(ctx context.Context, account, arn string) (bool, error) {
	if arn == "boom" {
		return false, errBoom
	}
	return u[arn], nil
}

func TestDelete(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	st := mustCreate(t, s, "d")
	_, err := s.PutKey(ctx, acct, st.ARN, "KVTVPDKIKX0DER", "k", "v")
	noErr(t, err)
	if _, err := s.Snapshot(ctx, st.ARN); err != nil {
		t.Fatal(err)
	}

	wantCode(t, s.Delete(ctx, acct, "d", ""), "InvalidIfMatchVersion", 400)
	wantCode(t, s.Delete(ctx, acct, "d", "EBAD"), "PreconditionFailed", 412)
	wantCode(t, s.Delete(ctx, acct, "nope", st.ETag), "EntityNotFound", 404)

	inUse := usage{st.ARN: true}
	s.SetUsageChecker(inUse)
	wantCode(t, s.Delete(ctx, acct, "d", st.ETag), "CannotDeleteEntityWhileInUse", 409)
	inUse[st.ARN] = false
	noErr(t, s.Delete(ctx, acct, "d", st.ETag))

	_, err = s.Describe(ctx, acct, "d")
	wantCode(t, err, "EntityNotFound", 404)
	_, err = s.DescribeData(ctx, acct, st.ARN)
	wantCode(t, err, "ResourceNotFoundException", 404)
	_, err = s.Snapshot(ctx, st.ARN)
	wantCode(t, err, "ResourceNotFoundException", 404)
	if ok, err := s.Exists(ctx, acct, st.ARN); ok || err != nil {
		t.Fatalf("Exists after delete: %v %v", ok, err)
	}
	// The name is free again; the new store has a new id and no keys.
	st2 := mustCreate(t, s, "d")
	if st2.ID == st.ID {
		t.Fatal("id reused")
	}
	d, err := s.DescribeData(ctx, acct, st2.ARN)
	noErr(t, err)
	if d.ItemCount != 0 {
		t.Fatalf("keys survived the delete: %+v", d)
	}
	// The old ARN's keys are gone from the store too.
	noErr(t, s.st.View(ctx, func(tx store.ReadTx) error {
		n, err := tx.Count(keyKind(st.ID), acct)
		if n != 0 {
			t.Errorf("%d key documents left", n)
		}
		return err
	}))
}

func TestDeleteUsageCheckerError(t *testing.T) {
	s := newTestService(t, Options{Usage: usage{}})
	st := mustCreate(t, s, "x")
	s.SetUsageChecker(errUsage{})
	if err := s.Delete(context.Background(), acct, "x", st.ETag); err != errBoom {
		t.Fatalf("got %v", err)
	}
	s.SetUsageChecker(nil)
	noErr(t, s.Delete(context.Background(), acct, "x", st.ETag))
}

type errUsage struct{}

func (errUsage) KeyValueStoreInUse(context.Context, string, string) (bool, error) {
	return false, errBoom
}

func TestListPagination(t *testing.T) {
	s := newTestService(t, Options{})
	ctx := context.Background()
	var names []string
	for i := 0; i < 25; i++ {
		n := fmt.Sprintf("store-%02d", i)
		names = append(names, n)
		mustCreate(t, s, n)
	}
	_, err := s.Create(ctx, "999999999999", CreateInput{Name: "other-account"})
	noErr(t, err)

	out, err := s.List(ctx, acct, ListInput{})
	noErr(t, err)
	if len(out.Items) != 25 || out.NextMarker != "" || out.MaxItems != 100 {
		t.Fatalf("default page: %d items, marker %q, max %d", len(out.Items), out.NextMarker, out.MaxItems)
	}

	var got []string
	marker := ""
	pages := 0
	for {
		out, err := s.List(ctx, acct, ListInput{Marker: marker, MaxItems: 7})
		noErr(t, err)
		pages++
		for _, it := range out.Items {
			got = append(got, it.Name)
		}
		// Deleting the store that ends a page must not make the next page skip or repeat.
		if pages == 1 {
			last := out.Items[len(out.Items)-1]
			noErr(t, s.Delete(ctx, acct, last.Name, last.ETag))
		}
		if out.NextMarker == "" {
			break
		}
		marker = out.NextMarker
	}
	if pages != 4 || strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("pages %d, names %v", pages, got)
	}

	_, err = s.List(ctx, acct, ListInput{MaxItems: -1})
	wantCode(t, err, "InvalidArgument", 400)
	out, err = s.List(ctx, acct, ListInput{MaxItems: 1000})
	noErr(t, err)
	if out.MaxItems != 100 {
		t.Fatalf("MaxItems %d", out.MaxItems)
	}
}

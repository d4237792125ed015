package functions

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func entries(items []Summary) string {
	var parts []string
	for _, s := range items {
		parts = append(parts, s.Name+"/"+string(s.Stage)[:1])
	}
	return strings.Join(parts, " ")
}

// listAll pages through List with the given page size and returns every entry.
func listAll(t *testing.T, e *env, stage Stage, size int) (string, int) {
	t.Helper()
	var all []Summary
	marker, pages := "", 0
	for {
		out, err := e.svc.List(ctx, acct, ListInput{Stage: stage, Marker: marker, MaxItems: size})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Items) > size || out.MaxItems != size {
			t.Fatalf("page of %d items, MaxItems %d, asked %d", len(out.Items), out.MaxItems, size)
		}
		all = append(all, out.Items...)
		if out.NextMarker == "" {
			return entries(all), pages
		}
		marker = out.NextMarker
	}
}

func TestListOrderFilterAndPages(t *testing.T) {
	e := newEnv(t, Options{})
	out, err := e.svc.List(ctx, acct, ListInput{})
	if err != nil || out.Items == nil || len(out.Items) != 0 || out.MaxItems != 100 || out.NextMarker != "" {
		t.Fatalf("empty list = %+v, %v", out, err)
	}
	// Created out of order; byte order puts "B" before "a" and "a" before "a-b".
	for _, n := range []string{"c", "a-b", "B", "a", "d"} {
		e.create(t, n)
	}
	e.publish(t, "a")
	e.publish(t, "c")
	e.publish(t, "d")
	all := "B/D a/D a/L a-b/D c/D c/L d/D d/L"
	for size := 1; size <= 9; size++ {
		got, pages := listAll(t, e, "", size)
		if got != all {
			t.Fatalf("pages of %d: %s\nwant %s", size, got, all)
		}
		if want := (8 + size - 1) / size; pages != want {
			t.Errorf("pages of %d: %d pages, want %d", size, pages, want)
		}
	}
	for size := 1; size <= 4; size++ {
		if got, _ := listAll(t, e, Live, size); got != "a/L c/L d/L" {
			t.Fatalf("LIVE pages of %d: %s", size, got)
		}
		if got, _ := listAll(t, e, Development, size); got != "B/D a/D a-b/D c/D d/D" {
			t.Fatalf("DEVELOPMENT pages of %d: %s", size, got)
		}
	}
	// Status and ETag are per function and stage.
	out, _ = e.svc.List(ctx, acct, ListInput{})
	for _, s := range out.Items {
		want := StatusUnpublished
		if s.Name != "B" && s.Name != "a-b" {
			want = StatusUnassociated
		}
		if s.Status != want || s.ETag != "ETVPDKIKX0DER" || s.ARN != FunctionARN(acct, s.Name) {
			t.Errorf("item %+v", s)
		}
	}
}

func TestListInputErrors(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []ListInput{
		{MaxItems: -1},
		{MaxItems: 101},
		{Stage: "live"},
		{Marker: "%%%"},
		{Marker: base64.RawURLEncoding.EncodeToString([]byte("no-stage"))},
		{Marker: base64.RawURLEncoding.EncodeToString([]byte("bad name/LIVE"))},
		{Marker: base64.RawURLEncoding.EncodeToString([]byte("a/PROD"))},
	}
	for _, in := range cases {
		_, err := e.svc.List(ctx, acct, in)
		wantCode(t, err, "InvalidArgument", 400)
	}
	if out, err := e.svc.List(ctx, acct, ListInput{MaxItems: 100}); err != nil || out.MaxItems != 100 {
		t.Fatalf("MaxItems 100: %+v, %v", out, err)
	}
}

// Functions created, published and deleted between pages: every function that existed
// before paging started and was not deleted is returned exactly once, in order.
func TestListStableUnderConcurrentChanges(t *testing.T) {
	e := newEnv(t, Options{})
	var before []string
	for i := 0; i < 40; i += 2 {
		name := fmt.Sprintf("f%03d", i)
		e.create(t, name)
		before = append(before, name)
	}
	seen := map[string]int{}
	var order []string
	marker, step := "", 0
	for {
		out, err := e.svc.List(ctx, acct, ListInput{Stage: Development, Marker: marker, MaxItems: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.Items {
			seen[s.Name]++
			order = append(order, s.Name)
		}
		// Between pages: create names all over the range, publish one, delete a later one.
		step++
		e.create(t, fmt.Sprintf("f%03d", 2*step+1))
		e.create(t, fmt.Sprintf("e%03d", step)) // before everything
		e.create(t, fmt.Sprintf("g%03d", step)) // after everything
		if step == 2 {
			e.publish(t, "f030")
		}
		if out.NextMarker == "" {
			break
		}
		marker = out.NextMarker
	}
	for _, n := range before {
		if seen[n] != 1 {
			t.Errorf("%s returned %d times", n, seen[n])
		}
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%s returned %d times", n, c)
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i-1] >= order[i] {
			t.Fatalf("out of order: %v", order)
		}
	}
}

// A marker left on a function's DEVELOPMENT entry resumes with its LIVE entry, even when
// the function was published or deleted meanwhile.
func TestListMarkerInsideAFunction(t *testing.T) {
	e := newEnv(t, Options{})
	e.create(t, "a")
	e.create(t, "b")
	e.publish(t, "a")
	out, _ := e.svc.List(ctx, acct, ListInput{MaxItems: 1})
	if entries(out.Items) != "a/D" {
		t.Fatalf("first page %s", entries(out.Items))
	}
	out, _ = e.svc.List(ctx, acct, ListInput{MaxItems: 5, Marker: out.NextMarker})
	if entries(out.Items) != "a/L b/D" {
		t.Fatalf("second page %s", entries(out.Items))
	}
	d, _ := e.svc.Describe(ctx, acct, "a", "")
	if err := e.svc.Delete(ctx, acct, "a", d.ETag); err != nil {
		t.Fatal(err)
	}
	out, err := e.svc.List(ctx, acct, ListInput{Marker: encodeMarker(position{"a", Development})})
	if err != nil || entries(out.Items) != "b/D" {
		t.Fatalf("after deleting the marker's function: %s, %v", entries(out.Items), err)
	}
}

func FuzzDecodeMarker(f *testing.F) {
	for _, s := range []string{"", "YS9ERVZFTE9QTUVOVA", encodeMarker(position{"fn", Live}), "%%", "YS9QUk9E", "Lw"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, m string) {
		p, err := decodeMarker(m)
		if err != nil {
			return
		}
		if m == "" {
			return
		}
		if !nameRE.MatchString(p.name) || (p.stage != Development && p.stage != Live) {
			t.Fatalf("decoded %q to invalid %+v", m, p)
		}
		if again, err := decodeMarker(encodeMarker(p)); err != nil || again != p {
			t.Fatalf("round trip of %+v: %+v, %v", p, again, err)
		}
	})
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"", "a", "A-b_9", "bad name", strings.Repeat("x", 64), strings.Repeat("x", 65), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := validateName(name)
		valid := len(name) >= 1 && len(name) <= 64 && strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
		if (err == nil) != valid {
			t.Fatalf("validateName(%q) = %v, valid = %v", name, err, valid)
		}
	})
}

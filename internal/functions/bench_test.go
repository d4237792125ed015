package functions

import (
	"fmt"
	"testing"
)

// Benchmarks run on a file-backed store with durable commits, as `localfront serve` does.

func BenchmarkCreate(b *testing.B) {
	e := newFileEnv(b, Options{})
	code := make([]byte, 2048)
	for i := 0; b.Loop(); i++ {
		// Fill accounts up to the default quota of 100, one after another.
		account := fmt.Sprintf("%012d", i/100)
		if _, err := e.svc.Create(ctx, account, CreateInput{Name: fmt.Sprintf("f%d", i), Config: cfg1(), Code: code}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribe(b *testing.B) {
	e := newFileEnv(b, Options{})
	e.create(b, "fn")
	e.publish(b, "fn")
	for b.Loop() {
		if _, err := e.svc.Describe(ctx, acct, "fn", Live); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList100(b *testing.B) {
	e := newFileEnv(b, Options{})
	for i := range 70 {
		e.create(b, fmt.Sprintf("f%03d", i))
		if i < 30 {
			e.publish(b, fmt.Sprintf("f%03d", i))
		}
	}
	// 70 functions, 30 of them published: one full page of 100 entries.
	for b.Loop() {
		out, err := e.svc.List(ctx, acct, ListInput{MaxItems: 100})
		if err != nil || len(out.Items) != 100 {
			b.Fatal(len(out.Items), err)
		}
	}
}

package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/isolation holds programs written to carry state from one run to the next through
// shared objects (prototypes, built-ins, modules, per-VM functions), most of them found by an
// adversarial review of the pooled-VM rules (shared.go, computed.go, ownkeys.go). Each logs
// what a leak would change. Whether the static check sends a program to a fresh VM or lets it
// run on a pooled one, its later runs must log exactly what its first did.
func TestIsolationCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/isolation/*.js")
	if err != nil || len(files) < 20 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		e := NewEngine(Options{MaxConcurrent: 1})
		p, err := e.Compile(name, src, RuntimeJS2)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var first string
		for run := 0; run < 3; run++ {
			res := e.Run(context.Background(), p, requestEvent(), Invocation{})
			got := strings.Join(res.Logs, "|")
			if res.Err != nil {
				got += " error: " + res.Err.Message
			}
			if run == 0 {
				first = got
			} else if got != first {
				t.Errorf("%s (shared=%v): run %d logged %q, the first %q", name, p.shared, run+1, got, first)
				break
			}
		}
	}
}

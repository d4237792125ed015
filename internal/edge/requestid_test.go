package edge

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// Every pooled generator has its own seed, so concurrent requests never share an ID.
func TestRequestIDsUniqueAcrossGenerators(t *testing.T) {
	a, b := idGenerators.New().(*rand.ChaCha8), idGenerators.New().(*rand.ChaCha8)
	if a.Uint64() == b.Uint64() {
		t.Fatal("two fresh generators start alike: not seeded independently")
	}
	const workers, each = 8, 500
	ids := make(chan string, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				ids <- newRequestID()
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := make(map[string]bool, workers*each)
	for id := range ids {
		if len(id) != 56 || !requestIDPattern.MatchString(id) || seen[id] {
			t.Fatalf("request id %q (repeated or malformed)", id)
		}
		seen[id] = true
	}
}

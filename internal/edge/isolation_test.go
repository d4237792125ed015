package edge

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/runtime"
)

// A runaway function (`for(;;){}`) under concurrent load on one behaviour must not hold up
// another behaviour's function: the other behaviour keeps answering while the runaway's
// runs are still waiting for the watchdog. The check is an ordering one, not a clock one:
// every request to the healthy behaviour completes before the first runaway run is killed.
func TestEdgeRunawayFunctionDoesNotStallOtherBehaviours(t *testing.T) {
	const kill = 1500 * time.Millisecond // far beyond what a healthy request takes
	f := newFixture(t, fixtureOptions{engine: runtime.Options{MaxConcurrent: 2, WallTimeout: kill}})
	spin := f.publish("spin", js2, `function handler(event) { for (;;) {} }`)
	rewrite := f.publish("rewrite", js2, `function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; return r; }`)
	d := f.distribution(rewrite, "", func(c *distributions.Config) {
		c.Behaviors = []distributions.Behavior{behaviorTo("/spin*", "origin", spin, "")}
	})
	snap := f.edge.snap.Load().dists[testAccount+"/"+d.ID]
	spinLim := snap.behaviors[0].request.lim

	healthy := func() {
		t.Helper()
		resp, body := f.get(d.DomainName, "/dir/")
		if resp.StatusCode != 200 || decodeReceived(t, body).RequestURI != "/dir/index.html" {
			t.Fatalf("healthy behaviour: %d %s", resp.StatusCode, body)
		}
	}
	for i := 0; i < 5; i++ { // warm up: VMs compiled and pooled, connections open
		healthy()
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	var spinStatus sync.Map // status → count
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				req, _ := http.NewRequest("GET", f.srv.URL+"/spin", nil)
				req.Host = d.DomainName
				resp, err := f.client.Do(req)
				if err != nil {
					return
				}
				resp.Body.Close()
				n, _ := spinStatus.LoadOrStore(resp.StatusCode, new(atomic.Int64))
				n.(*atomic.Int64).Add(1)
			}
		}()
	}
	waitFor(t, "a runaway run to start", func() bool { return spinLim.running() >= 1 })
	if spinLim.finished.Load() != 0 {
		t.Fatal("a runaway run finished before the check began")
	}

	for i := 0; i < 20; i++ {
		healthy()
	}
	if n := spinLim.finished.Load(); n != 0 {
		t.Errorf("the healthy behaviour's requests waited for the runaway function: %d runaway runs were killed before they completed", n)
	}
	if spinLim.running() > f.edge.perFn {
		t.Errorf("%d runaway runs at once, limit %d", spinLim.running(), f.edge.perFn)
	}

	stop.Store(true)
	wg.Wait()
	spinStatus.Range(func(k, v any) bool {
		if k.(int) != http.StatusServiceUnavailable {
			t.Errorf("runaway requests answered %d (%d times), want 503", k, v.(*atomic.Int64).Load())
		}
		return true
	})
	if _, ok := spinStatus.Load(http.StatusServiceUnavailable); !ok {
		t.Error("no runaway request was answered")
	}
	healthy()
}

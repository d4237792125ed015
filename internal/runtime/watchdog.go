package runtime

import (
	"context"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// The watchdog stops runs that go on too long or allocate too much. goja has no memory limit
// and a JS loop never yields, so one goroutine per Engine samples, every watchTick while runs
// are active, the wall clock and the process's cumulative heap allocation
// (/gc/heap/allocs:bytes, read without stopping the world), and interrupts with vm.Interrupt
// each run that is past its wall-clock limit, over its allocation budget, or whose context
// ended. Allocation is counted process-wide over the run's lifetime, which over-attributes
// when other goroutines allocate at the same time; the budget is far above what a function
// within CloudFront's 2 MB and ~1 ms can allocate, so only long runs are ever at risk, and a
// run that allocates without bound is stopped within a tick (plus one allocation step).
// Single built-in calls that allocate hugely in one step are jsenv's length-checked wrappers'
// job.

const watchTick = time.Millisecond

// watchIdleTicks is how many ticks without a run the goroutine waits before it exits: under
// load runs come and go between ticks, and restarting the goroutine and its ticker for each
// would cost more than the idle ticks.
const watchIdleTicks = 100

type watchReason int

const (
	reasonNone watchReason = iota
	reasonTimeout
	reasonMemory
	reasonCanceled
)

type watchdog struct {
	wall   time.Duration
	budget uint64 // allocation budget per run, bytes

	mu     sync.Mutex
	runs   watchedRun // sentinel of the circular list of active runs (intrusive: no map, no allocation)
	nruns  int
	active bool // the goroutine is running
	sample []metrics.Sample
}

type watchedRun struct {
	vm       *goja.Runtime
	deadline time.Time
	ctx      context.Context // the invocation's context (Err, not Done: Done makes a channel)
	alloc0   uint64          // heap allocation at the first tick that saw the run; 0 = not yet
	reason   watchReason     // set under watchdog.mu when interrupted
	// prev and next link the active runs (watchdog.runs); nil while not registered.
	prev, next *watchedRun
}

func newWatchdog(wall time.Duration, budget uint64) *watchdog {
	w := &watchdog{
		wall:   wall,
		budget: budget,
		sample: []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}},
	}
	w.runs.prev, w.runs.next = &w.runs, &w.runs
	return w
}

// watch registers a run in r (the caller's, reused from run to run); call stop when it ends.
// A zero start (an untimed run) starts the run's clock at the first tick that sees it, up to
// a tick later.
func (w *watchdog) watch(ctx context.Context, vm *goja.Runtime, start time.Time, r *watchedRun) {
	*r = watchedRun{vm: vm, ctx: ctx}
	if !start.IsZero() {
		r.deadline = start.Add(w.wall)
	}
	w.mu.Lock()
	r.prev, r.next = w.runs.prev, &w.runs
	w.runs.prev.next = r
	w.runs.prev = r
	w.nruns++
	if !w.active {
		w.active = true
		go w.loop()
	}
	w.mu.Unlock()
}

// stop unregisters a run and returns why it was interrupted, if it was. After stop returns the
// watchdog no longer touches the VM, so the caller may clear its interrupt flag and reuse it.
func (w *watchdog) stop(r *watchedRun) watchReason {
	w.mu.Lock()
	r.prev.next, r.next.prev = r.next, r.prev
	r.prev, r.next = nil, nil
	w.nruns--
	reason := r.reason
	w.mu.Unlock()
	r.ctx, r.vm = nil, nil // an idle VM keeps nothing of the request
	return reason
}

func (w *watchdog) loop() {
	t := time.NewTicker(watchTick)
	defer t.Stop()
	idle := 0
	for range t.C {
		w.mu.Lock()
		if w.nruns == 0 {
			if idle++; idle >= watchIdleTicks {
				w.active = false // exit; the next watch starts a new loop
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			continue
		}
		idle = 0
		metrics.Read(w.sample)
		allocs := w.sample[0].Value.Uint64()
		now := time.Now()
		for r := w.runs.next; r != &w.runs; r = r.next {
			if r.reason != reasonNone {
				continue
			}
			if r.alloc0 == 0 {
				r.alloc0 = allocs
			}
			if r.deadline.IsZero() {
				r.deadline = now.Add(w.wall)
			}
			switch {
			case r.ctx.Err() != nil:
				r.reason = reasonCanceled
			case now.After(r.deadline):
				r.reason = reasonTimeout
			case allocs-r.alloc0 > w.budget:
				r.reason = reasonMemory
			default:
				continue
			}
			r.vm.Interrupt(r.reason)
		}
		w.mu.Unlock()
	}
}

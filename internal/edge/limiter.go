package edge

import (
	"context"
	"sync/atomic"
	"time"
)

// limiter bounds the runs of one function that execute at once. The engine has one slot per
// core for all functions; without a per-function bound, a burst of requests to a runaway
// function (`for(;;){}`) would take every slot until the watchdog kills the runs, and every
// other function would wait that long. With each function held below the engine's slot count
// a slot stays free for the others. A run that waits longer than the throttle wait is
// refused: CloudFront answers 503 (FunctionThrottledError) when a function exceeds its limits
// (spec §9.8), and a bounded wait keeps the backlog of a slow function bounded.
type limiter struct {
	slots      chan struct{}
	maxWaiting int64
	waiting    atomic.Int64
	finished   atomic.Int64 // runs that released their slot (observed by tests)
}

func newLimiter(concurrent, maxWaiting int) *limiter {
	return &limiter{slots: make(chan struct{}, concurrent), maxWaiting: int64(maxWaiting)}
}

// acquire takes a slot, waiting at most wait (or until ctx ends). It reports false when the
// run must be throttled.
func (l *limiter) acquire(ctx context.Context, wait time.Duration) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	if l.waiting.Add(1) > l.maxWaiting {
		l.waiting.Add(-1)
		return false
	}
	defer l.waiting.Add(-1)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (l *limiter) release() {
	<-l.slots
	l.finished.Add(1)
}

// running is the number of runs holding a slot.
func (l *limiter) running() int { return len(l.slots) }

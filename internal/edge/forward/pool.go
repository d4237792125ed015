package forward

import (
	"sync"
	"time"
)

// pool keeps the idle connections of one origin address, most recently used on top, so a
// steady load reuses a few warm connections and the rest age out at the bottom.
type pool struct {
	dialer
	maxIdle int

	mu     sync.Mutex
	idle   []*conn
	timer  *time.Timer // prunes expired connections while the pool is not busy
	closed bool
}

// get pops the most recently used connection that is still within its keep-alive time, or
// returns nil.
func (p *pool) get(now time.Time) *conn {
	var expired []*conn
	p.mu.Lock()
	var c *conn
	for len(p.idle) > 0 {
		last := len(p.idle) - 1
		cand := p.idle[last]
		p.idle[last] = nil
		p.idle = p.idle[:last]
		if now.Before(cand.idleUntil) {
			c = cand
			break
		}
		expired = append(expired, cand)
	}
	p.mu.Unlock()
	for _, e := range expired {
		e.close()
	}
	return c
}

// put returns a connection for reuse for keepAlive, or closes it when the pool is full.
func (p *pool) put(c *conn, now time.Time, keepAlive time.Duration) {
	c.idleSince = now
	c.idleUntil = now.Add(keepAlive)
	c.refresh = false
	c.reused = true
	p.mu.Lock()
	if p.closed || len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		c.close()
		return
	}
	p.idle = append(p.idle, c)
	if p.timer == nil {
		p.timer = time.AfterFunc(keepAlive, p.prune)
	}
	p.mu.Unlock()
}

// prune closes the connections whose keep-alive time is over and re-arms itself while
// any remain.
func (p *pool) prune() {
	now := time.Now()
	var expired []*conn
	p.mu.Lock()
	keep := p.idle[:0]
	var next time.Time
	for _, c := range p.idle {
		if now.Before(c.idleUntil) {
			keep = append(keep, c)
			if next.IsZero() || c.idleUntil.Before(next) {
				next = c.idleUntil
			}
		} else {
			expired = append(expired, c)
		}
	}
	for i := len(keep); i < len(p.idle); i++ {
		p.idle[i] = nil
	}
	p.idle = keep
	if len(keep) > 0 && !p.closed {
		p.timer = time.AfterFunc(next.Sub(now)+time.Millisecond, p.prune)
	} else {
		p.timer = nil
	}
	p.mu.Unlock()
	for _, c := range expired {
		c.close()
	}
}

// closeIdle closes every idle connection; with final, the pool takes no more.
func (p *pool) closeIdle(final bool) {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	if final {
		p.closed = true
		if p.timer != nil {
			p.timer.Stop()
			p.timer = nil
		}
	}
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// idleCount is for tests.
func (p *pool) idleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

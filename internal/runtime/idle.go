package runtime

import (
	"sync"
)

// idleVMs holds prepared VMs between invocations. A VM is only reused for the program it was
// prepared for; the total is bounded, and the least recently returned VM goes first.
//
// The lists are intrusive (links live in vmState), so taking and returning a VM, which
// happens on every run, allocates nothing.
type idleVMs struct {
	mu     sync.Mutex
	max    int
	n      int
	newest *vmState // most recently returned; linked by older/newer
	oldest *vmState // evicted first
	// byProg: the program's most recently returned VM, linked by progNext; nil when all of
	// them run. Emptied entries stay (a delete and re-insert on every run of a busy program
	// would cost more) until there are too many of them (sweep).
	byProg map[*Program]*vmState
}

// idleLinks are a vmState's places in the idle lists; all nil while it runs.
type idleLinks struct {
	older, newer *vmState // all idle VMs, most recently returned first
	progNext     *vmState // idle VMs of the same program, most recently returned first
}

func newIdleVMs(max int) *idleVMs {
	return &idleVMs{max: max, byProg: map[*Program]*vmState{}}
}

func (p *idleVMs) get(prog *Program) *vmState {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.byProg[prog]
	if st == nil {
		return nil
	}
	p.setHead(prog, st.idle.progNext)
	p.unlink(st)
	st.idle = idleLinks{}
	return st
}

func (p *idleVMs) put(st *vmState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st.idle = idleLinks{older: p.newest, progNext: p.byProg[st.prog]}
	if p.newest != nil {
		p.newest.idle.newer = st
	} else {
		p.oldest = st
	}
	p.newest = st
	p.byProg[st.prog] = st
	p.n++
	if len(p.byProg) > 2*p.max+16 {
		p.sweep()
	}
	for p.n > p.max {
		old := p.oldest
		p.unlink(old)
		// old is the program's least recently returned VM: the last of its list.
		if head := p.byProg[old.prog]; head == old {
			p.setHead(old.prog, nil)
		} else {
			for s := head; s != nil; s = s.idle.progNext {
				if s.idle.progNext == old {
					s.idle.progNext = nil
					break
				}
			}
		}
		old.idle = idleLinks{}
	}
}

// unlink removes st from the list of all idle VMs.
func (p *idleVMs) unlink(st *vmState) {
	if st.idle.newer != nil {
		st.idle.newer.idle.older = st.idle.older
	} else {
		p.newest = st.idle.older
	}
	if st.idle.older != nil {
		st.idle.older.idle.newer = st.idle.newer
	} else {
		p.oldest = st.idle.newer
	}
	p.n--
}

func (p *idleVMs) setHead(prog *Program, st *vmState) {
	p.byProg[prog] = st
}

// sweep drops the entries of programs without an idle VM, so programs no longer run (an old
// version of an updated function) are kept alive by the map only until the next sweep, at
// most 2*max+16 of them.
func (p *idleVMs) sweep() {
	for prog, st := range p.byProg {
		if st == nil {
			delete(p.byProg, prog)
		}
	}
}

func (p *idleVMs) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

package runtime

import (
	"container/list"
	"sync"
)

// idleVMs holds prepared VMs between invocations. A VM is only reused for the program it was
// prepared for; the total is bounded, and the least recently returned VM goes first.
type idleVMs struct {
	mu     sync.Mutex
	max    int
	order  list.List // of *vmState, most recently returned first
	byProg map[*Program][]*list.Element
}

func newIdleVMs(max int) *idleVMs {
	return &idleVMs{max: max, byProg: map[*Program][]*list.Element{}}
}

func (p *idleVMs) get(prog *Program) *vmState {
	p.mu.Lock()
	defer p.mu.Unlock()
	els := p.byProg[prog]
	if len(els) == 0 {
		return nil
	}
	el := els[len(els)-1]
	p.setList(prog, els[:len(els)-1])
	p.order.Remove(el)
	return el.Value.(*vmState)
}

func (p *idleVMs) put(st *vmState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byProg[st.prog] = append(p.byProg[st.prog], p.order.PushFront(st))
	for p.order.Len() > p.max {
		old := p.order.Back()
		p.order.Remove(old)
		prog := old.Value.(*vmState).prog
		els := p.byProg[prog]
		for i, el := range els {
			if el == old {
				p.setList(prog, append(els[:i], els[i+1:]...))
				break
			}
		}
	}
}

func (p *idleVMs) setList(prog *Program, els []*list.Element) {
	if len(els) == 0 {
		delete(p.byProg, prog)
		return
	}
	p.byProg[prog] = els
}

func (p *idleVMs) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.order.Len()
}

package runtime

import "testing"

// The idle lists: a VM goes back to its own program, most recently returned first, and the
// least recently returned VM of all is dropped when the bound is passed, whichever program
// it belongs to and wherever it sits in that program's list.
func TestIdleVMsOrderAndEviction(t *testing.T) {
	p1, p2 := &Program{}, &Program{}
	a, b, c, d := &vmState{prog: p1}, &vmState{prog: p1}, &vmState{prog: p2}, &vmState{prog: p1}
	idle := newIdleVMs(3)
	idle.put(a)
	idle.put(b)
	idle.put(c)
	idle.put(d) // over the bound: a, the oldest (last of p1's list), goes
	if n := idle.len(); n != 3 {
		t.Fatalf("%d idle, want 3", n)
	}
	if got := idle.get(p1); got != d {
		t.Errorf("first p1 VM %p, want d %p", got, d)
	}
	if got := idle.get(p1); got != b {
		t.Errorf("second p1 VM %p, want b %p", got, b)
	}
	if got := idle.get(p1); got != nil {
		t.Errorf("a was not evicted: got %p", got)
	}
	if got := idle.get(p2); got != c {
		t.Errorf("p2 VM %p, want c %p", got, c)
	}
	if n := idle.len(); n != 0 || idle.newest != nil || idle.oldest != nil || idleHeads(idle) != 0 {
		t.Errorf("not empty: len %d, newest %p, oldest %p, programs with VMs %d", n, idle.newest, idle.oldest, idleHeads(idle))
	}

	// Eviction of a VM in the middle of the global list but at the end of its program's.
	idle = newIdleVMs(2)
	idle.put(c) // p2
	idle.put(a) // p1
	idle.put(b) // p1: c goes
	if got := idle.get(p2); got != nil {
		t.Errorf("c was not evicted")
	}
	idle.put(d) // p1: a goes, the last of p1's list (b before it)
	if got := idle.get(p1); got != d {
		t.Errorf("got %p, want d", got)
	}
	if got := idle.get(p1); got != b {
		t.Errorf("got %p, want b", got)
	}
	if got := idle.get(p1); got != nil {
		t.Errorf("a was not evicted")
	}
}

func idleHeads(p *idleVMs) int {
	n := 0
	for _, st := range p.byProg {
		if st != nil {
			n++
		}
	}
	return n
}

// Programs whose VMs were all taken leave an empty entry behind (cheaper than a delete per
// run); the entries of programs no longer run are swept, so the map stays bounded.
func TestIdleVMsForgetProgramsNoLongerRun(t *testing.T) {
	idle := newIdleVMs(4)
	for i := 0; i < 1000; i++ {
		p := &Program{}
		idle.put(&vmState{prog: p})
		if idle.get(p) == nil {
			t.Fatal("the VM just returned is not there")
		}
	}
	if n := len(idle.byProg); n > 2*4+16+1 {
		t.Errorf("%d entries kept for 1000 programs each run once; want at most %d", n, 2*4+16+1)
	}
}

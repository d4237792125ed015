package runtime

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// programCache keeps the most recently used compiled programs, keyed by runtime and code
// hash, so a function version is compiled once however often it runs. Concurrent compiles of
// the same key may both compile; the first result stored wins.
type programCache struct {
	mu    sync.Mutex
	max   int
	order list.List // of *cacheEntry, most recent first
	byKey map[cacheKey]*list.Element
}

type cacheKey struct {
	runtime string
	sum     [sha256.Size]byte
}

type cacheEntry struct {
	key  cacheKey
	prog *Program
	err  error // a compile error is as cacheable as a program
}

func newProgramCache(max int) *programCache {
	return &programCache{max: max, byKey: map[cacheKey]*list.Element{}}
}

func (c *programCache) compile(name string, code []byte, runtimeName string) (*Program, error) {
	key := cacheKey{runtime: runtimeName, sum: sha256.Sum256(code)}
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		ent := el.Value.(*cacheEntry)
		c.mu.Unlock()
		return ent.prog, ent.err
	}
	c.mu.Unlock()

	prog, err := Compile(name, code, runtimeName)
	if err != nil {
		if _, isCode := err.(*CompileError); !isCode {
			return nil, err // an unknown runtime is the caller's mistake, not the code's
		}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		ent := el.Value.(*cacheEntry)
		return ent.prog, ent.err
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, prog: prog, err: err})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*cacheEntry).key)
	}
	return prog, err
}

func (c *programCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

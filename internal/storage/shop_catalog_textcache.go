package storage

import "sync"

// textCacheIDs bounds the book IDs the text cache holds (8 bytes each).
const textCacheIDs = 1 << 21

// textCache remembers which books recent text queries matched. Readers
// repeat queries (the popular words, the prefixes typed letter by letter),
// and the queries that match most books are both the commonest and the
// dearest to the databases: 25 ms on PostgreSQL for a word in four books
// out of ten, which must read each matching row. Any change of a book
// empties it, and a query that ran across a change is not kept.
type textCache struct {
	mu  sync.Mutex
	m   map[string][]int64
	ids int
	// gen counts the changes, so that a query that started before one
	// does not store what the change may have made stale.
	gen uint64
	off bool
}

// get returns the IDs expr matched, and the generation to give put.
func (c *textCache) get(expr string) ([]int64, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids, ok := c.m[expr]
	return ids, c.gen, ok && !c.off
}

// put keeps the IDs expr matched if nothing changed since get returned
// gen. The cache starts afresh when full.
func (c *textCache) put(expr string, ids []int64, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off || gen != c.gen || len(ids) > textCacheIDs/4 {
		return
	}
	if c.m == nil || c.ids+len(ids) > textCacheIDs {
		c.m, c.ids = make(map[string][]int64), 0
	}
	c.m[expr] = ids
	c.ids += len(ids)
}

// clear forgets every query; a book changed.
func (c *textCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.ids = nil, 0
	c.gen++
}

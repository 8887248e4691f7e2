package app

import (
	"sync"
	"time"
)

// campaignPurgeEvery is the shortest time between two purges of the pages
// showing the campaign's bar: a burst of a thousand gifts must not empty
// the page cache a thousand times, and a bar two seconds late is fine.
const campaignPurgeEvery = 2 * time.Second

// shopPurgeEvery is the shortest time between two purges of the bookshop's
// pages: each sale changes a book's stock, and a stock shown two seconds
// late is fine, since checkout checks it again.
const shopPurgeEvery = 2 * time.Second

// redirectHitsEvery is how often the uses of redirects counted in memory
// are written: one write per interval, however many readers follow old
// links.
const redirectHitsEvery = 30 * time.Second

// throttledPurge runs purge at once on the first request, then at most
// once per every: requests in between are folded into one run at the end
// of the period.
type throttledPurge struct {
	every time.Duration
	purge func()

	mu      sync.Mutex
	last    time.Time
	pending bool
}

func (t *throttledPurge) request() {
	if t == nil || t.purge == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending {
		return
	}
	wait := t.every - time.Since(t.last)
	if wait <= 0 {
		t.last = time.Now()
		t.purge()
		return
	}
	t.pending = true
	time.AfterFunc(wait, func() {
		t.mu.Lock()
		t.pending, t.last = false, time.Now()
		t.mu.Unlock()
		t.purge()
	})
}

package app

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestThrottledPurge(t *testing.T) {
	var n atomic.Int32
	p := &throttledPurge{every: 100 * time.Millisecond, purge: func() { n.Add(1) }}
	p.request()
	if n.Load() != 1 {
		t.Fatal("the first request did not purge at once")
	}
	for range 50 { // a burst
		p.request()
	}
	if n.Load() != 1 {
		t.Fatalf("%d purges during the window, want 1", n.Load())
	}
	time.Sleep(250 * time.Millisecond)
	if n.Load() != 2 {
		t.Fatalf("%d purges after the window, want 2: the burst folds into one", n.Load())
	}
	time.Sleep(150 * time.Millisecond)
	p.request()
	if n.Load() != 3 {
		t.Fatalf("%d purges: a request after a quiet period purges at once", n.Load())
	}
}

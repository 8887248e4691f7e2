package ap

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
)

// limiter bounds the activities each instance may post: a token bucket per
// host, refilled at rate per second up to burst. One busy (or hostile)
// instance is slowed down with 429; the others are not.
type limiter struct {
	rate, burst float64
	clock       clock.Clock

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate, burst float64, clk clock.Clock) *limiter {
	return &limiter{rate: rate, burst: burst, clock: clk, buckets: map[string]*bucket{}}
}

// allow takes a token from host's bucket, reporting false when it is empty.
func (l *limiter) allow(host string) bool {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[host]
	if b == nil {
		if len(l.buckets) > 100000 {
			// Forget idle instances rather than grow without end.
			for h, old := range l.buckets {
				if now.Sub(old.at) > time.Minute {
					delete(l.buckets, h)
				}
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[host] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// hostOfKey returns the host of a key id, the instance that signed.
func hostOfKey(keyID string) string {
	u, err := url.Parse(keyID)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

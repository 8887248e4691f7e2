package ap

import (
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
)

// TestLimiter checks the per-instance bucket: a burst, then the rate; one
// busy instance does not take from another's.
func TestLimiter(t *testing.T) {
	clk := clock.NewFixed(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	l := newLimiter(2, 4, clk)
	for i := range 4 {
		if !l.allow("busy.example") {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.allow("busy.example") {
		t.Fatal("fifth request of the burst allowed")
	}
	if !l.allow("quiet.example") {
		t.Fatal("another instance refused")
	}
	clk.Advance(500 * time.Millisecond) // one token back at 2 a second
	if !l.allow("busy.example") || l.allow("busy.example") {
		t.Fatal("after half a second, want exactly one more request")
	}
	clk.Advance(time.Hour)
	for i := range 4 {
		if !l.allow("busy.example") {
			t.Fatalf("after a pause, request %d refused: the bucket refills to its burst", i+1)
		}
	}
	if l.allow("busy.example") {
		t.Fatal("the bucket refilled past its burst")
	}
	if got := hostOfKey("https://Mastodon.example/users/alice#main-key"); got != "mastodon.example" {
		t.Errorf("hostOfKey = %q", got)
	}
}

package oauth2refresh

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/syndication"
)

var testSecrets = Secrets{Network: "Tumblr", Access: "access_token", Refresh: "refresh_token"}

// store records what Rotate saves, failing while fail is set.
type store struct {
	mu    sync.Mutex
	saved []map[string]string
	fail  bool
}

func (s *store) rotate(_ context.Context, secrets map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New("database is locked")
	}
	s.saved = append(s.saved, secrets)
	return nil
}

func tokens(s *store) *Tokens {
	return &Tokens{Pair: Pair{Access: "a1", Refresh: "r1"}, Secrets: testSecrets, Rotate: s.rotate}
}

// renewer renews r1 into a2/r2 and counts its calls.
func renewer(calls *atomic.Int32) func(context.Context, string) (Pair, error) {
	return func(_ context.Context, refresh string) (Pair, error) {
		calls.Add(1)
		if refresh != "r1" {
			return Pair{}, &syndication.Error{Class: syndication.Permanent, Status: http.StatusBadRequest, Message: "invalid_grant"}
		}
		return Pair{Access: "a2", Refresh: "r2"}, nil
	}
}

func TestRefresh(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var r Rotator
		var calls atomic.Int32
		s := &store{}
		tk := tokens(s)
		if err := r.Refresh(t.Context(), tk, renewer(&calls)); err != nil {
			t.Fatal(err)
		}
		if tk.Pair != (Pair{Access: "a2", Refresh: "r2"}) {
			t.Errorf("pair %+v, want the new one", tk.Pair)
		}
		if diff := cmp.Diff([]map[string]string{{"access_token": "a2", "refresh_token": "r2"}}, s.saved); diff != "" {
			t.Errorf("saved (-want +got):\n%s", diff)
		}
	})
	t.Run("OKKeepsTheRefreshToken", func(t *testing.T) {
		var r Rotator
		tk := tokens(&store{})
		err := r.Refresh(t.Context(), tk, func(context.Context, string) (Pair, error) { return Pair{Access: "a2"}, nil })
		if err != nil {
			t.Fatal(err)
		}
		if tk.Pair != (Pair{Access: "a2", Refresh: "r1"}) {
			t.Errorf("pair %+v, want the new access token and the old refresh token", tk.Pair)
		}
	})
	t.Run("OKWithoutRotate", func(t *testing.T) {
		var r Rotator
		var calls atomic.Int32
		tk := tokens(&store{})
		tk.Rotate = nil
		if err := r.Refresh(t.Context(), tk, renewer(&calls)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OKRacing", func(t *testing.T) {
		var r Rotator
		var calls atomic.Int32
		s := &store{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				tk := tokens(s)
				if err := r.Refresh(t.Context(), tk, renewer(&calls)); err != nil {
					t.Error(err)
				}
				if tk.Pair != (Pair{Access: "a2", Refresh: "r2"}) {
					t.Errorf("pair %+v, want the one refresh's", tk.Pair)
				}
			})
		}
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("%d refreshes, want 1: the refresh token is single-use", n)
		}
	})
	t.Run("ErrRefused", func(t *testing.T) {
		var r Rotator
		var calls atomic.Int32
		tk := tokens(&store{})
		tk.Refresh = "revoked"
		err := r.Refresh(t.Context(), tk, renewer(&calls))
		var e *syndication.Error
		if !errors.As(err, &e) || e.Class != syndication.Auth || e.Message != "Tumblr refused to renew the token: invalid_grant" {
			t.Errorf("err = %v, want auth with the network's words", err)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		var r Rotator
		limited := &syndication.Error{Class: syndication.RateLimited, Status: http.StatusTooManyRequests, Message: "slow down"}
		err := r.Refresh(t.Context(), tokens(&store{}), func(context.Context, string) (Pair, error) { return Pair{}, limited })
		if err != limited || limited.Class != syndication.RateLimited || limited.Message != "slow down" {
			t.Errorf("err = %v, want the rate limit untouched", err)
		}
	})
	t.Run("ErrRotate", func(t *testing.T) {
		var r Rotator
		var calls atomic.Int32
		s := &store{fail: true}
		err := r.Refresh(t.Context(), tokens(s), renewer(&calls))
		if got := syndication.ClassOf(err); got != syndication.Transient || err.Error() != "transient: cannot save the renewed Tumblr token: database is locked" {
			t.Fatalf("err = %v, want transient", err)
		}
		// The next call comes with the spent tokens: it takes the new
		// pair without a refresh, and saves it.
		s.fail = false
		tk := tokens(s)
		if err := r.CatchUp(t.Context(), tk); err != nil {
			t.Fatal(err)
		}
		if tk.Pair != (Pair{Access: "a2", Refresh: "r2"}) || len(s.saved) != 1 || calls.Load() != 1 {
			t.Errorf("pair %+v, saved %v after %d refreshes: want the new pair saved, one refresh", tk.Pair, s.saved, calls.Load())
		}
	})
}

func TestCatchUp(t *testing.T) {
	t.Run("OKNothingSpent", func(t *testing.T) {
		var r Rotator
		s := &store{}
		tk := tokens(s)
		if err := r.CatchUp(t.Context(), tk); err != nil {
			t.Fatal(err)
		}
		if tk.Pair != (Pair{Access: "a1", Refresh: "r1"}) || len(s.saved) != 0 {
			t.Errorf("pair %+v, saved %v: want them untouched", tk.Pair, s.saved)
		}
	})
	t.Run("OKNoRefreshToken", func(t *testing.T) {
		var r Rotator
		tk := &Tokens{Pair: Pair{Access: "a1"}, Secrets: testSecrets}
		if err := r.CatchUp(t.Context(), tk); err != nil || tk.Access != "a1" {
			t.Errorf("err = %v, pair %+v", err, tk.Pair)
		}
	})
}

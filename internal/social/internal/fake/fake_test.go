package fake

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type failure int

const (
	none failure = iota
	rateLimited
	hang
)

func TestQueue(t *testing.T) {
	get := httptest.NewRequest(http.MethodGet, "/v1/me", nil)
	post := httptest.NewRequest(http.MethodPost, "/v1/posts", nil)
	t.Run("OKInOrder", func(t *testing.T) {
		var q Queue[failure]
		q.Add(rateLimited, 2)
		q.Add(hang, 1)
		var got []failure
		for range 4 {
			got = append(got, q.Next(get))
		}
		if diff := cmp.Diff([]failure{rateLimited, rateLimited, hang, none}, got); diff != "" {
			t.Errorf("failures (-want +got):\n%s", diff)
		}
	})
	t.Run("OKMatching", func(t *testing.T) {
		var q Queue[failure]
		q.AddFor(func(r *http.Request) bool { return r.Method == http.MethodPost }, hang, 1)
		q.Add(rateLimited, 1)
		if got := q.Next(get); got != rateLimited {
			t.Errorf("GET gets %v, want the failure for any request", got)
		}
		if got := q.Next(get); got != none {
			t.Errorf("second GET gets %v, want none: the POST's failure waits", got)
		}
		if got := q.Next(post); got != hang {
			t.Errorf("POST gets %v, want its failure", got)
		}
	})
}

func TestLog(t *testing.T) {
	var l Log[string]
	l.Add("GET /a")
	got := l.All()
	l.Add("POST /b")
	if diff := cmp.Diff([]string{"GET /a"}, got); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}
	if n := len(l.All()); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}
}

func TestHang(t *testing.T) {
	t.Run("OKClientGivesUp", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader("{}"))
		if d := timed(func() { Hang(r, time.Minute, nil) }); d > 5*time.Second {
			t.Errorf("hung %v after the client gave up", d)
		}
	})
	t.Run("OKStop", func(t *testing.T) {
		stop := make(chan struct{})
		close(stop)
		if d := timed(func() { Hang(httptest.NewRequest(http.MethodGet, "/", nil), time.Minute, stop) }); d > 5*time.Second {
			t.Errorf("hung %v after stop", d)
		}
	})
	t.Run("OKBound", func(t *testing.T) {
		if d := timed(func() { Hang(httptest.NewRequest(http.MethodGet, "/", nil), 10*time.Millisecond, nil) }); d < 10*time.Millisecond {
			t.Errorf("hung %v, want the bound", d)
		}
	})
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

func TestLose(t *testing.T) {
	var acted atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		acted.Store(true)
		w.WriteHeader(http.StatusCreated)
	})
	Lose(h, httptest.NewRequest(http.MethodPost, "/", nil), time.Millisecond, nil)
	if !acted.Load() {
		t.Error("the request was not acted on")
	}
}

func TestCreated(t *testing.T) {
	if got := Created(httptest.NewRequest(http.MethodPost, "/", nil)); got != http.StatusCreated {
		t.Errorf("POST: %d", got)
	}
	if got := Created(httptest.NewRequest(http.MethodDelete, "/", nil)); got != http.StatusOK {
		t.Errorf("DELETE: %d", got)
	}
}

func TestWriters(t *testing.T) {
	t.Run("OKJSON", func(t *testing.T) {
		w := httptest.NewRecorder()
		WriteJSON(w, http.StatusTeapot, "application/json; charset=utf-8", map[string]string{"error": "short"})
		if w.Code != http.StatusTeapot || w.Header().Get("Content-Type") != "application/json; charset=utf-8" || w.Body.String() != "{\"error\":\"short\"}\n" {
			t.Errorf("answered %d %v %q", w.Code, w.Header(), w.Body)
		}
	})
	t.Run("OKRaw", func(t *testing.T) {
		w := httptest.NewRecorder()
		WriteRaw(w, http.StatusCreated, "application/json", `{"id": "12`)
		body, _ := io.ReadAll(w.Body)
		if w.Code != http.StatusCreated || w.Header().Get("Content-Type") != "application/json" || string(body) != `{"id": "12` {
			t.Errorf("answered %d %v %q", w.Code, w.Header(), body)
		}
	})
	t.Run("OKRedirect", func(t *testing.T) {
		w := httptest.NewRecorder()
		Redirect(w, http.StatusTemporaryRedirect, "/v1/posts")
		if w.Code != http.StatusTemporaryRedirect || w.Header().Get("Location") != "/v1/posts" {
			t.Errorf("answered %d %v", w.Code, w.Header())
		}
	})
}

func TestTokens(t *testing.T) {
	tk := NewTokens("at-", "rt-")
	first, refresh := tk.Access(), tk.Refresh()
	if !strings.HasPrefix(first, "at-") || !strings.HasPrefix(refresh, "rt-") {
		t.Fatalf("tokens %q, %q: want the prefixes", first, refresh)
	}
	tk.Expire()
	if tk.Access() == first || tk.Refresh() != refresh {
		t.Errorf("Expire changed the pair to %q, %q: want a new access token only", tk.Access(), tk.Refresh())
	}
	t.Run("ErrUnknown", func(t *testing.T) {
		if _, _, ok := tk.Renew("rt-other"); ok {
			t.Error("renewed with a refresh token it never issued")
		}
	})
	access, next, ok := tk.Renew(refresh)
	if !ok || access != tk.Access() || next != tk.Refresh() || next == refresh || tk.Refreshes() != 1 {
		t.Fatalf("Renew = %q, %q, %v (%d refreshes): want the new pair", access, next, ok, tk.Refreshes())
	}
	t.Run("ErrSpent", func(t *testing.T) {
		if _, _, ok := tk.Renew(refresh); ok {
			t.Error("renewed twice with a single-use refresh token")
		}
	})
}

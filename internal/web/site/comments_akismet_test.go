package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/config"
)

// akismetServer speaks Akismet's REST API (comment-check, submit-spam,
// submit-ham: form-encoded POSTs answered in plain text): it calls spam
// any comment that mentions "casino", and records what it is taught.
type akismetServer struct {
	mu     sync.Mutex
	taught []string // "submit-spam:text"
}

func (a *akismetServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("api_key") != "test-key" || r.PostForm.Get("user_ip") == "" {
		w.Header().Set("X-akismet-debug-help", "Empty \"user_ip\" or bad key")
		_, _ = w.Write([]byte("invalid"))
		return
	}
	op := strings.TrimPrefix(r.URL.Path, "/1.1/")
	if op != "comment-check" {
		a.mu.Lock()
		a.taught = append(a.taught, op+":"+r.PostForm.Get("comment_content"))
		a.mu.Unlock()
	}
	switch op {
	case "comment-check":
		_, _ = w.Write([]byte(strconv.FormatBool(strings.Contains(r.PostForm.Get("comment_content"), "casino"))))
	case "submit-spam", "submit-ham":
		_, _ = w.Write([]byte("Thanks for making the web a better place."))
	default:
		http.NotFound(w, r)
	}
}

func (a *akismetServer) submitted() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.taught...)
}

func TestAkismet(t *testing.T) {
	ak := &akismetServer{}
	srv := httptest.NewServer(ak)
	t.Cleanup(srv.Close)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Clock: clk, Serve: true, Configure: func(c *config.Config) {
		c.AkismetKey, c.AkismetEndpoint = "test-key", srv.URL+"/1.1"
	}})
	ctx := context.Background()
	page := s.MustGet(t, palmyra, http.StatusOK)
	clk.Advance(time.Minute)

	for _, text := range []string{"Le meilleur casino en ligne, bonus offert.", "Un avis sincère sur cet article."} {
		if resp, _ := post(t, s, palmyra, form(t, page, text), ""); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post: %d", resp.StatusCode)
		}
	}
	q, err := s.App.Comments.Queue(ctx, access.System, comments.Query{Status: comments.StatusSpam})
	if err != nil {
		t.Fatal(err)
	}
	var casino, sincere *comments.Comment
	for _, c := range q.Comments {
		if strings.Contains(c.Body, "casino") {
			casino = c
		}
	}
	if casino == nil || !strings.Contains(strings.Join(casino.Reasons, " "), "akismet") {
		t.Fatalf("the service's verdict was not heeded: %+v", q.Comments)
	}
	pending, _ := s.App.Comments.Queue(ctx, access.System, comments.Query{Status: comments.StatusPending, Text: "avis sincère"})
	if pending.Total != 1 {
		t.Fatalf("the sincere comment: %d pending", pending.Total)
	}
	sincere = pending.Comments[0]

	// The moderators disagree with the service twice: it is told, by jobs.
	admin := access.Actor{UserID: 1, Role: access.System.Role, IP: "127.0.0.1"}
	if err := s.App.Comments.Moderate(ctx, admin, []int64{casino.ID}, comments.StatusApproved); err != nil {
		t.Fatal(err)
	}
	if err := s.App.Comments.Moderate(ctx, admin, []int64{sincere.ID}, comments.StatusSpam); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	want := []string{"submit-ham:" + casino.Body, "submit-spam:" + sincere.Body}
	for {
		got := ak.submitted()
		sort.Strings(got) // two jobs, run in any order
		if slices.Equal(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("submitted %q, want %q", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

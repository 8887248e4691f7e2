package threads_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/threads"
	"github.com/kiosque/kiosque/internal/social/threads/threadstest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const link = "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee"

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:9:1", Post: syndication.Post{
		Text: "Palmyre, la cité retrouvée 🏛️ Dix ans après, les archéologues reviennent.\n\n" + link, Link: link}}
}

func newClient(t *testing.T, srv *threadstest.Server, timeout time.Duration) *threads.Client {
	t.Helper()
	c := threads.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL, c.PollInterval, c.MaxPolls = srv.URL, time.Millisecond, 5
	return c
}

func TestCount(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Bonjour", 7},
		{"élection à Nîmes", 16},
		{"🎉", 4},
		{"❤️", 6},
		{"🇫🇷", 8},
		{"日本", 2},
	}
	for _, tt := range tests {
		if got := threads.Count(tt.text); got != tt.want {
			t.Errorf("Count(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		srv.FinishAfter = 2
		cp := &graphtest.Checkpoints{Containers: srv.Containers}
		a := attempt()
		a.Checkpoint = cp.Save
		got, err := newClient(t, srv, 2*time.Second).Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		posts := srv.Posts()
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]
		want := url.Values{"media_type": {"TEXT"}, "text": {a.Post.Text}, "link_attachment": {link}}
		if p.Params.Encode() != want.Encode() {
			t.Errorf("container %v, want %v", p.Params, want)
		}
		if got.ID != p.ID || got.URL != p.Permalink || !strings.HasPrefix(got.URL, "https://www.threads.com/@leveilleur/post/") {
			t.Errorf("remote %+v, want %s at %s", got, p.ID, p.Permalink)
		}
		if len(cp.States) != 1 || cp.States[0] != p.ContainerID || cp.Published[0] != 0 {
			t.Errorf("checkpoints %v at %v publications, want the container %s before publishing", cp.States, cp.Published, p.ContainerID)
		}
	})

	t.Run("OK resumes from a saved container", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		c := newClient(t, srv, 2*time.Second)
		cp := &graphtest.Checkpoints{Containers: srv.Containers, Fail: errors.New("database is locked")}
		a := attempt()
		a.Checkpoint = cp.Save
		// The first attempt could not save its container: it must not
		// publish it.
		_, err := c.Publish(context.Background(), srv.Credentials(), a)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Transient || srv.PublishCalls() != 0 {
			t.Fatalf("err = %v after %d publications, want transient before any", err, srv.PublishCalls())
		}
		// As after a crash once the id was saved: the next attempt
		// starts from it.
		cp.Fail = nil
		a.State = srv.LastContainer()
		got, err := c.Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		if srv.Created() != 1 || len(srv.Posts()) != 1 || srv.Posts()[0].ContainerID != a.State || got.ID != srv.Posts()[0].ID {
			t.Errorf("%d containers, posts %+v, remote %+v: want the saved container published", srv.Created(), srv.Posts(), got)
		}
	})

	t.Run("OK a retry after publishing finds the post", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		c := newClient(t, srv, 2*time.Second)
		cp := &graphtest.Checkpoints{Containers: srv.Containers}
		a := attempt()
		a.Checkpoint = cp.Save
		first, err := c.Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		a.State = cp.States[0]
		again, err := c.Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		if again != first || srv.PublishCalls() != 1 || srv.Created() != 1 || len(srv.Posts()) != 1 {
			t.Errorf("retry gave %+v (first %+v) after %d publications of %d containers", again, first, srv.PublishCalls(), srv.Created())
		}
	})

	t.Run("OK the answer to publishing is lost", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		srv.FailOn(http.MethodPost, "/threads_publish", threadstest.Hang, 1)
		cp := &graphtest.Checkpoints{Containers: srv.Containers}
		a := attempt()
		a.Checkpoint = cp.Save
		got, err := newClient(t, srv, 300*time.Millisecond).Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		if posts := srv.Posts(); len(posts) != 1 || got.ID != posts[0].ID || got.URL != posts[0].Permalink || srv.PublishCalls() != 1 {
			t.Errorf("remote %+v, posts %+v after %d publications", got, posts, srv.PublishCalls())
		}
	})

	t.Run("OK an expired container is made again", func(t *testing.T) {
		srv := threadstest.NewServer(t)
		c := newClient(t, srv, 2*time.Second)
		cp := &graphtest.Checkpoints{Containers: srv.Containers, Fail: errors.New("stop")}
		a := attempt()
		a.Checkpoint = cp.Save
		_, _ = c.Publish(context.Background(), srv.Credentials(), a)
		a.State = srv.LastContainer()
		srv.Expire(a.State)
		cp.Fail = nil
		if _, err := c.Publish(context.Background(), srv.Credentials(), a); err != nil {
			t.Fatal(err)
		}
		posts := srv.Posts()
		if srv.Created() != 2 || len(posts) != 1 || posts[0].ContainerID == a.State || cp.States[len(cp.States)-1] != posts[0].ContainerID {
			t.Errorf("%d containers, posts %+v, checkpoints %v", srv.Created(), posts, cp.States)
		}
	})

	tests := []struct {
		name    string
		setup   func(*threadstest.Server, *syndication.Attempt)
		timeout time.Duration
		class   syndication.Class
		message string
		retry   time.Duration
		// requests is whether the client may call the API at all.
		requests bool
	}{
		{name: "ErrContainerError", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.FailNext("FAILED_PROCESSING_TEXT") },
			class: syndication.Permanent, message: "FAILED_PROCESSING_TEXT", requests: true},
		{name: "ErrStillProcessing", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.FinishAfter = 100 },
			class: syndication.Transient, message: "still processing", requests: true},
		{name: "ErrPublishingLimit", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.UseQuota(250) },
			class: syndication.RateLimited, message: "publishing limit", retry: time.Hour, requests: true},
		{name: "ErrRateLimit", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.RateLimit, 1) },
			class: syndication.RateLimited, retry: 5 * time.Minute, requests: true},
		{name: "ErrExpiredToken", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.Unauthorized, 1) },
			class: syndication.Auth, message: "Session has expired", requests: true},
		{name: "ErrServer", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.ServerError, 1) },
			class: syndication.Transient, requests: true},
		{name: "ErrHangCreating", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.Hang, 1) },
			timeout: 200 * time.Millisecond, class: syndication.Transient, requests: true},
		{name: "ErrMalformed", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.Malformed, 1) },
			class: syndication.Transient, message: "malformed", requests: true},
		{name: "ErrRedirectLoop", setup: func(s *threadstest.Server, _ *syndication.Attempt) { s.Fail(threadstest.RedirectLoop, 10) },
			class: syndication.Transient, message: "redirect loop", requests: true},
		{name: "ErrTooLongAsThreadsCounts", setup: func(_ *threadstest.Server, a *syndication.Attempt) {
			// 470 code points, but each emoji counts 4: 530.
			a.Post.Text, a.Post.Link = strings.Repeat("a", 450)+strings.Repeat("🎉", 20), ""
		}, class: syndication.Permanent, message: "530 characters"},
		{name: "ErrTooManyLinks", setup: func(_ *threadstest.Server, a *syndication.Attempt) {
			a.Post.Text = "Lire https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4 https://a.example/5"
		}, class: syndication.Permanent, message: "THREADS_API__LINK_LIMIT_EXCEEDED"},
		{name: "ErrEmpty", setup: func(_ *threadstest.Server, a *syndication.Attempt) { a.Post.Text = "" },
			class: syndication.Permanent, message: "needs text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := threadstest.NewServer(t)
			a := attempt()
			cp := &graphtest.Checkpoints{Containers: srv.Containers}
			a.Checkpoint = cp.Save
			tt.setup(srv, &a)
			timeout := cmpOr(tt.timeout, 2*time.Second)
			_, err := newClient(t, srv, timeout).Publish(context.Background(), srv.Credentials(), a)
			e := socialtest.ErrOf(t, err)
			if e.Class != tt.class || !strings.Contains(e.Message, tt.message) {
				t.Errorf("err = %v, want %s with %q", err, tt.class, tt.message)
			}
			if tt.retry != 0 && e.RetryAfter != tt.retry {
				t.Errorf("RetryAfter %v, want %v", e.RetryAfter, tt.retry)
			}
			if n := len(srv.Posts()); n != 0 {
				t.Errorf("%d posts, want none", n)
			}
			if !tt.requests && srv.Created() != 0 {
				t.Errorf("%d containers for a post refused before sending", srv.Created())
			}
			if strings.Contains(err.Error(), srv.Token) {
				t.Errorf("the token in the error: %s", err)
			}
		})
	}
}

func TestFakeRefusesSixLinks(t *testing.T) {
	srv := threadstest.NewServer(t)
	form := url.Values{"media_type": {"TEXT"}, "access_token": {srv.Token},
		"text":            {"https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4 https://a.example/5"},
		"link_attachment": {"https://a.example/6"}}
	resp, err := http.PostForm(srv.URL+"/v1.0/"+srv.UserID+"/threads", form)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	buf := new(strings.Builder)
	_, _ = io.Copy(buf, resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(buf.String(), "THREADS_API__LINK_LIMIT_EXCEEDED") {
		t.Errorf("HTTP %d %s, want 400 THREADS_API__LINK_LIMIT_EXCEEDED", resp.StatusCode, buf)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		creds   func(*threadstest.Server) syndication.Credentials
		class   syndication.Class
		message string
	}{
		{"OK", func(s *threadstest.Server) syndication.Credentials { return s.Credentials() }, 0, ""},
		{"ErrBadToken", func(s *threadstest.Server) syndication.Credentials {
			c := s.Credentials()
			c.Secrets["access_token"] = "THAAwrong"
			return c
		}, syndication.Auth, "Invalid OAuth access token"},
		{"ErrOtherUser", func(s *threadstest.Server) syndication.Credentials {
			c := s.Credentials()
			c.Config["user_id"] = "1"
			return c
		}, syndication.Auth, "not the user id 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := threadstest.NewServer(t)
			got, err := newClient(t, srv, 2*time.Second).Verify(context.Background(), tt.creds(srv))
			if tt.message == "" {
				if err != nil || got.Name != "@leveilleur" || got.URL != "https://www.threads.com/@leveilleur" {
					t.Errorf("Verify = %+v, %v", got, err)
				}
				return
			}
			if e := socialtest.ErrOf(t, err); e.Class != tt.class || !strings.Contains(e.Message, tt.message) {
				t.Errorf("err = %v, want %s with %q", err, tt.class, tt.message)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	srv := threadstest.NewServer(t)
	c := newClient(t, srv, 2*time.Second)
	r, err := c.Publish(context.Background(), srv.Credentials(), attempt())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(context.Background(), srv.Credentials(), r); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Posts()); n != 0 {
		t.Errorf("%d posts left", n)
	}
	if e := socialtest.ErrOf(t, c.Delete(context.Background(), srv.Credentials(), r)); e.Class != syndication.Permanent {
		t.Errorf("deleting again: %v, want permanent", e)
	}
}

func cmpOr(d, def time.Duration) time.Duration {
	if d != 0 {
		return d
	}
	return def
}

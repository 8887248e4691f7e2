package instagram_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/instagram"
	"github.com/kiosque/kiosque/internal/social/instagram/instagramtest"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const image = "https://le-veilleur.example/media/2026/11/palmyre-theatre.jpg"

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:5:1", Post: syndication.Post{
		Text:     "Palmyre, la cité retrouvée 🏛️ Dix ans après, les archéologues reviennent. Lien dans la bio.\n\n#Palmyre #Syrie #Archéologie",
		Link:     "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee",
		ImageURL: image, ImageAlt: "Le théâtre romain de Palmyre au lever du soleil"}}
}

func newClient(t *testing.T, srv *instagramtest.Server, timeout time.Duration) *instagram.Client {
	t.Helper()
	c := instagram.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL, c.PollInterval, c.MaxPolls = srv.URL, time.Millisecond, 5
	return c
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := instagramtest.NewServer(t)
		srv.FinishAfter = 3
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
		want := url.Values{"image_url": {image}, "caption": {a.Post.Text}, "alt_text": {a.Post.ImageAlt}}
		if p.Params.Encode() != want.Encode() {
			t.Errorf("container %v, want %v", p.Params, want)
		}
		if got.ID != p.ID || got.URL != p.Permalink || !strings.HasPrefix(got.URL, "https://www.instagram.com/p/") {
			t.Errorf("remote %+v, want %s at %s", got, p.ID, p.Permalink)
		}
		if len(cp.States) != 1 || cp.States[0] != p.ContainerID || cp.Published[0] != 0 {
			t.Errorf("checkpoints %v at %v publications, want the container %s before publishing", cp.States, cp.Published, p.ContainerID)
		}
	})

	t.Run("OK resumes from a saved container", func(t *testing.T) {
		srv := instagramtest.NewServer(t)
		c := newClient(t, srv, 2*time.Second)
		cp := &graphtest.Checkpoints{Containers: srv.Containers, Fail: errors.New("disk full")}
		a := attempt()
		a.Checkpoint = cp.Save
		if _, err := c.Publish(context.Background(), srv.Credentials(), a); syndication.ClassOf(err) != syndication.Transient || srv.PublishCalls() != 0 {
			t.Fatalf("err = %v after %d publications, want transient before any", err, srv.PublishCalls())
		}
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
		srv := instagramtest.NewServer(t)
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
		if again != first || srv.PublishCalls() != 1 || len(srv.Posts()) != 1 {
			t.Errorf("retry gave %+v (first %+v) after %d publications", again, first, srv.PublishCalls())
		}
	})

	t.Run("OK the answer to publishing is lost", func(t *testing.T) {
		srv := instagramtest.NewServer(t)
		srv.FailOn(http.MethodPost, "/media_publish", instagramtest.Malformed, 1)
		cp := &graphtest.Checkpoints{Containers: srv.Containers}
		a := attempt()
		a.Checkpoint = cp.Save
		got, err := newClient(t, srv, 2*time.Second).Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		if posts := srv.Posts(); len(posts) != 1 || got.ID != posts[0].ID || srv.PublishCalls() != 1 {
			t.Errorf("remote %+v, posts %+v after %d publications", got, posts, srv.PublishCalls())
		}
	})

	t.Run("OK an expired container is made again", func(t *testing.T) {
		srv := instagramtest.NewServer(t)
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
		if posts := srv.Posts(); srv.Created() != 2 || len(posts) != 1 || posts[0].ContainerID == a.State {
			t.Errorf("%d containers, posts %+v", srv.Created(), posts)
		}
	})

	tests := []struct {
		name     string
		setup    func(*instagramtest.Server, *syndication.Attempt)
		timeout  time.Duration
		class    syndication.Class
		message  string
		retry    time.Duration
		requests bool
	}{
		{name: "ErrNoImage", setup: func(_ *instagramtest.Server, a *syndication.Attempt) { a.Post.ImageURL = "" },
			class: syndication.Permanent, message: "an image is required"},
		{name: "ErrCaptionTooLong", setup: func(_ *instagramtest.Server, a *syndication.Attempt) { a.Post.Text = strings.Repeat("é", 2201) },
			class: syndication.Permanent, message: "longer than 2200"},
		{name: "ErrTooManyHashtags", setup: func(_ *instagramtest.Server, a *syndication.Attempt) {
			a.Post.Text = "Palmyre " + strings.Repeat("#Palmyre ", 31)
		}, class: syndication.Permanent, message: "30 hashtags"},
		{name: "ErrImageNotFetched", setup: func(_ *instagramtest.Server, a *syndication.Attempt) { a.Post.ImageURL = "palmyre.jpg" },
			class: syndication.Permanent, message: "could not be fetched", requests: true},
		{name: "ErrContainerError", setup: func(s *instagramtest.Server, _ *syndication.Attempt) {
			s.FailNext("Error: The image could not be processed (2207004)")
		}, class: syndication.Permanent, message: "2207004", requests: true},
		{name: "ErrStillProcessing", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.FinishAfter = 100 },
			class: syndication.Transient, message: "still processing", requests: true},
		{name: "ErrPublishingLimit", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.UseQuota(50) },
			class: syndication.RateLimited, message: "publishing limit", retry: time.Hour, requests: true},
		{name: "ErrBusinessUseCaseLimit", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.RateLimit, 1) },
			class: syndication.RateLimited, retry: 6 * time.Minute, requests: true},
		{name: "ErrExpiredToken", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.Unauthorized, 1) },
			class: syndication.Auth, message: "Session has expired", requests: true},
		{name: "ErrServer", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.ServerError, 1) },
			class: syndication.Transient, requests: true},
		{name: "ErrHangCreating", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.Hang, 1) },
			timeout: 200 * time.Millisecond, class: syndication.Transient, requests: true},
		{name: "ErrMalformed", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.Malformed, 1) },
			class: syndication.Transient, message: "malformed", requests: true},
		{name: "ErrRedirectLoop", setup: func(s *instagramtest.Server, _ *syndication.Attempt) { s.Fail(instagramtest.RedirectLoop, 10) },
			class: syndication.Transient, message: "redirect loop", requests: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := instagramtest.NewServer(t)
			a := attempt()
			cp := &graphtest.Checkpoints{Containers: srv.Containers}
			a.Checkpoint = cp.Save
			tt.setup(srv, &a)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 2 * time.Second
			}
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

func TestVerify(t *testing.T) {
	srv := instagramtest.NewServer(t)
	c := newClient(t, srv, 2*time.Second)
	t.Run("OK", func(t *testing.T) {
		got, err := c.Verify(context.Background(), srv.Credentials())
		if err != nil || got.Name != "Le Veilleur (@leveilleur.journal)" || got.URL != "https://www.instagram.com/leveilleur.journal/" {
			t.Errorf("Verify = %+v, %v", got, err)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		creds := srv.Credentials()
		creds.Secrets["access_token"] = "EAAwrong"
		_, err := c.Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Auth || !strings.Contains(e.Message, "Invalid OAuth access token") {
			t.Errorf("err = %v, want auth", err)
		}
	})
	t.Run("ErrNoAccount", func(t *testing.T) {
		creds := srv.Credentials()
		delete(creds.Config, "account_id")
		if e := socialtest.ErrOf(t, func() error { _, err := c.Verify(context.Background(), creds); return err }()); e.Class != syndication.Auth {
			t.Errorf("err = %v, want auth", e)
		}
	})
}

func TestDelete(t *testing.T) {
	srv := instagramtest.NewServer(t)
	err := newClient(t, srv, time.Second).Delete(context.Background(), srv.Credentials(), syndication.Remote{ID: "1801"})
	if !errors.Is(err, syndication.ErrNotSupported) {
		t.Errorf("err = %v, want ErrNotSupported", err)
	}
}

package pinterest_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/pinterest"
	"github.com/kiosque/kiosque/internal/social/pinterest/pinteresttest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const (
	link  = "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee"
	image = "https://le-veilleur.example/media/2026/11/palmyre-theatre.jpg"
)

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:11:1", Post: syndication.Post{
		Text:  "Dix ans après, les archéologues reviennent à Palmyre. 🏛️ #Palmyre",
		Link:  link,
		Title: "Palmyre, la cité retrouvée", ImageURL: image, ImageAlt: "Le théâtre romain de Palmyre au lever du soleil"}}
}

func newClient(t *testing.T, srv *pinteresttest.Server, timeout time.Duration) *pinterest.Client {
	t.Helper()
	c := pinterest.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL = srv.URL
	return c
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := pinteresttest.NewServer(t)
		a := attempt()
		got, err := newClient(t, srv, 2*time.Second).Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		pins := srv.Pins()
		if len(pins) != 1 {
			t.Fatalf("%d pins, want 1", len(pins))
		}
		want := pinteresttest.Pin{ID: pins[0].ID, BoardID: srv.BoardID, SourceType: "image_url", ImageURL: image, Link: link,
			Title: a.Post.Title, Description: a.Post.Text, AltText: a.Post.ImageAlt}
		if pins[0] != want {
			t.Errorf("pin %+v, want %+v", pins[0], want)
		}
		if got.ID != want.ID || got.URL != "https://www.pinterest.com/pin/"+want.ID+"/" {
			t.Errorf("remote %+v", got)
		}
	})

	t.Run("OK a long title and alt text are shortened on a word", func(t *testing.T) {
		srv := pinteresttest.NewServer(t)
		a := attempt()
		a.Post.Title = strings.Repeat("Palmyre, la cité retrouvée ", 6)
		a.Post.ImageAlt = strings.Repeat("Le théâtre romain ", 40)
		if _, err := newClient(t, srv, 2*time.Second).Publish(context.Background(), srv.Credentials(), a); err != nil {
			t.Fatal(err)
		}
		p := srv.Pins()[0]
		for _, f := range []struct{ got, orig string }{{p.Title, a.Post.Title}, {p.AltText, a.Post.ImageAlt}} {
			cut, ok := strings.CutSuffix(f.got, syndication.Ellipsis)
			rest, prefix := strings.CutPrefix(f.orig, cut)
			if !ok || !prefix || (rest != "" && !strings.ContainsAny(rest[:1], " ,;:")) {
				t.Errorf("%q is not %q cut after a word, with an ellipsis", f.got, f.orig)
			}
		}
		if n := utf8.RuneCountInString(p.Title); n > pinterest.MaxTitle || n < pinterest.MaxTitle-30 {
			t.Errorf("title of %d characters", n)
		}
	})

	tests := []struct {
		name    string
		setup   func(*pinteresttest.Server, *syndication.Credentials, *syndication.Attempt)
		timeout time.Duration
		class   syndication.Class
		message string
		retry   time.Duration
		pinned  int
	}{
		{name: "ErrNoImage", setup: func(_ *pinteresttest.Server, _ *syndication.Credentials, a *syndication.Attempt) {
			a.Post.ImageURL = ""
		},
			class: syndication.Permanent, message: "an image is required"},
		{name: "ErrDescriptionTooLong", setup: func(_ *pinteresttest.Server, _ *syndication.Credentials, a *syndication.Attempt) {
			a.Post.Text = strings.Repeat("é", 501)
		}, class: syndication.Permanent, message: "longer than 500"},
		{name: "ErrLinkTooLong", setup: func(_ *pinteresttest.Server, _ *syndication.Credentials, a *syndication.Attempt) {
			a.Post.Link = link + "?q=" + strings.Repeat("a", 2048)
		}, class: syndication.Permanent, message: "longer than 2048"},
		{name: "ErrUnknownBoard", setup: func(_ *pinteresttest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			c.Config["board_id"] = "1"
		}, class: syndication.Permanent, message: "Board not found."},
		{name: "ErrBadToken", setup: func(_ *pinteresttest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			c.Secrets["access_token"] = "pina_wrong"
		}, class: syndication.Auth, message: "Authentication failed."},
		{name: "ErrRevoked", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.Unauthorized, 1)
		}, class: syndication.Auth, message: "Authentication failed."},
		{name: "ErrRateLimit", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.RateLimit, 1)
		}, class: syndication.RateLimited, message: "rate limit", retry: 42 * time.Second},
		{name: "ErrServer", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.ServerError, 1)
		}, class: syndication.Transient},
		{name: "ErrHangAfterPinning", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.Hang, 1)
		}, timeout: 300 * time.Millisecond, class: syndication.Ambiguous, pinned: 1},
		{name: "ErrMalformedAfterPinning", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.Malformed, 1)
		}, class: syndication.Ambiguous, message: "malformed", pinned: 1},
		{name: "ErrRedirectLoop", setup: func(s *pinteresttest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(pinteresttest.RedirectLoop, 10)
		}, class: syndication.Transient, message: "redirect loop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pinteresttest.NewServer(t)
			creds, a := srv.Credentials(), attempt()
			tt.setup(srv, &creds, &a)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 2 * time.Second
			}
			_, err := newClient(t, srv, timeout).Publish(context.Background(), creds, a)
			socialtest.Check(t, err, socialtest.Want{Class: tt.class, Message: tt.message, RetryAfter: tt.retry}, srv.Token)
			if n := len(srv.Pins()); n != tt.pinned {
				t.Errorf("%d pins, want %d", n, tt.pinned)
			}
		})
	}

	t.Run("ErrNotSent", func(t *testing.T) {
		srv := pinteresttest.NewServer(t)
		c := newClient(t, srv, time.Second)
		c.BaseURL = "http://127.0.0.1:1"
		_, err := c.Publish(context.Background(), srv.Credentials(), attempt())
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Transient {
			t.Errorf("err = %v, want transient", err)
		}
	})
}

func TestVerify(t *testing.T) {
	srv := pinteresttest.NewServer(t)
	c := newClient(t, srv, 2*time.Second)
	t.Run("OK", func(t *testing.T) {
		got, err := c.Verify(context.Background(), srv.Credentials())
		if err != nil || got.Name != "Le Veilleur · Archéologie" || got.URL != "https://www.pinterest.com/leveilleur/" {
			t.Errorf("Verify = %+v, %v", got, err)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		creds := srv.Credentials()
		creds.Secrets["access_token"] = "pina_wrong"
		_, err := c.Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Auth || e.Message != "Authentication failed." {
			t.Errorf("err = %v, want auth with Pinterest's message", err)
		}
	})
	t.Run("ErrUnknownBoard", func(t *testing.T) {
		creds := srv.Credentials()
		creds.Config["board_id"] = "1"
		_, err := c.Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Permanent || e.Message != "Board not found." {
			t.Errorf("err = %v, want permanent, board not found", err)
		}
	})
}

func TestDelete(t *testing.T) {
	srv := pinteresttest.NewServer(t)
	c := newClient(t, srv, 2*time.Second)
	r, err := c.Publish(context.Background(), srv.Credentials(), attempt())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(context.Background(), srv.Credentials(), r); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Pins()); n != 0 {
		t.Errorf("%d pins left", n)
	}
	if e := socialtest.ErrOf(t, c.Delete(context.Background(), srv.Credentials(), r)); e.Class != syndication.Permanent || e.Message != "Pin not found." {
		t.Errorf("deleting again: %v, want permanent", e)
	}
}

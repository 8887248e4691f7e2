package facebook_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/facebook"
	"github.com/kiosque/kiosque/internal/social/facebook/facebooktest"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

const link = "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee"

func post() syndication.Attempt {
	return syndication.Attempt{Key: "kiosque:42:7:1", Post: syndication.Post{
		Text: "Palmyre, la cité retrouvée 🏛️\n\nDix ans après, les archéologues reviennent.\n\n" + link,
		Link: link, Title: "Palmyre, la cité retrouvée"}}
}

func newClient(t *testing.T, srv *facebooktest.Server, timeout time.Duration) *facebook.Client {
	t.Helper()
	c := facebook.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: timeout}))
	c.BaseURL = srv.URL
	return c
}

func TestAppSecretProof(t *testing.T) {
	// hex(HMAC-SHA256(key="a1b2c3d4e5f6app", msg="EAAPageTokenLeVeilleur")), computed apart.
	got := facebook.AppSecretProof("EAAPageTokenLeVeilleur", "a1b2c3d4e5f6app")
	if want := "878c57e37ecd155ea26fefdbf8f60d6d2e50fd4c4481c37059d755c0de66b7cc"; got != want {
		t.Errorf("proof %q, want %q", got, want)
	}
}

func TestPublish(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		c := newClient(t, srv, 2*time.Second)
		a := post()
		got, err := c.Publish(context.Background(), srv.Credentials(), a)
		if err != nil {
			t.Fatal(err)
		}
		posts := srv.Posts()
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]
		if p.Message != a.Post.Text || p.Link != link {
			t.Errorf("posted %q with link %q, want %q with %q", p.Message, p.Link, a.Post.Text, link)
		}
		if !strings.HasPrefix(got.ID, srv.PageID+"_") || got.ID != p.ID {
			t.Errorf("remote id %q, want the page's post %q", got.ID, p.ID)
		}
		if want := "https://www.facebook.com/" + p.ID; got.URL != want {
			t.Errorf("URL %q, want %q", got.URL, want)
		}
	})
	t.Run("OK without an app secret when the app does not require one", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		srv.AppSecret = ""
		creds := srv.Credentials()
		delete(creds.Secrets, "app_secret")
		if _, err := newClient(t, srv, 2*time.Second).Publish(context.Background(), creds, post()); err != nil {
			t.Fatal(err)
		}
	})

	tests := []struct {
		name    string
		setup   func(*facebooktest.Server, *syndication.Credentials, *syndication.Attempt)
		timeout time.Duration
		class   syndication.Class
		message string
		retry   time.Duration
		// posted is how many posts the page has afterwards.
		posted int
	}{
		{name: "ErrNoProof", setup: func(_ *facebooktest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			delete(c.Secrets, "app_secret")
		}, class: syndication.Permanent, message: "require an appsecret_proof"},
		{name: "ErrWrongProof", setup: func(_ *facebooktest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			c.Secrets["app_secret"] = "not-the-secret"
		}, class: syndication.Permanent, message: "Invalid appsecret_proof"},
		{name: "ErrUserToken", setup: func(s *facebooktest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			c.Secrets["page_token"] = s.UserToken
		}, class: syndication.Auth, message: "pages_manage_posts"},
		{name: "ErrBadToken", setup: func(_ *facebooktest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			c.Secrets["page_token"] = "EAAwrong"
		}, class: syndication.Auth, message: "Invalid OAuth access token"},
		{name: "ErrNoToken", setup: func(_ *facebooktest.Server, c *syndication.Credentials, _ *syndication.Attempt) {
			delete(c.Secrets, "page_token")
		}, class: syndication.Auth, message: "page_token"},
		{name: "ErrExpiredToken", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.Unauthorized, 1)
		}, class: syndication.Auth, message: "Session has expired"},
		{name: "ErrPageRateLimit", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.RateLimit, 1)
		}, class: syndication.RateLimited, retry: 7 * time.Minute},
		{name: "ErrBusinessUseCaseLimit", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.SetRateLimit(80001, 3)
			s.Fail(facebooktest.RateLimit, 1)
		}, class: syndication.RateLimited, retry: 3 * time.Minute},
		{name: "ErrAppRateLimit", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.SetRateLimit(4, 0)
			s.Fail(facebooktest.RateLimit, 1)
		}, class: syndication.RateLimited, retry: 15 * time.Minute},
		{name: "ErrUserRateLimit", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.SetRateLimit(17, 12)
			s.Fail(facebooktest.RateLimit, 1)
		}, class: syndication.RateLimited, retry: 12 * time.Minute},
		{name: "ErrCustomRateLimit", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.SetRateLimit(613, 1)
			s.Fail(facebooktest.RateLimit, 1)
		}, class: syndication.RateLimited, retry: time.Minute},
		{name: "ErrServer", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.ServerError, 1)
		}, class: syndication.Transient, message: "unknown error"},
		{name: "ErrHangAfterPosting", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.Hang, 1)
		}, timeout: 300 * time.Millisecond, class: syndication.Ambiguous, posted: 1},
		{name: "ErrMalformedAfterPosting", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.Malformed, 1)
		}, class: syndication.Ambiguous, message: "malformed", posted: 1},
		{name: "ErrRedirectLoop", setup: func(s *facebooktest.Server, _ *syndication.Credentials, _ *syndication.Attempt) {
			s.Fail(facebooktest.RedirectLoop, 10)
		}, class: syndication.Transient, message: "redirect loop"},
		{name: "ErrDuplicate", setup: func(s *facebooktest.Server, c *syndication.Credentials, a *syndication.Attempt) {
			if _, err := newClient(t, s, time.Second).Publish(context.Background(), *c, *a); err != nil {
				t.Fatal(err)
			}
		}, class: syndication.Permanent, message: "Duplicate status message", posted: 1},
		{name: "ErrTooLong", setup: func(_ *facebooktest.Server, _ *syndication.Credentials, a *syndication.Attempt) {
			a.Post.Text = strings.Repeat("é", 63207)
		}, class: syndication.Permanent, message: "longer"},
		{name: "ErrEmpty", setup: func(_ *facebooktest.Server, _ *syndication.Credentials, a *syndication.Attempt) {
			a.Post.Text, a.Post.Link = " ", ""
		}, class: syndication.Permanent, message: "nothing to post"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := facebooktest.NewServer(t)
			creds, a := srv.Credentials(), post()
			tt.setup(srv, &creds, &a)
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 2 * time.Second
			}
			_, err := newClient(t, srv, timeout).Publish(context.Background(), creds, a)
			socialtest.Check(t, err, socialtest.Want{Class: tt.class, Message: tt.message, RetryAfter: tt.retry}, srv.PageToken, srv.AppSecret)
			if got := len(srv.Posts()); got != tt.posted {
				t.Errorf("%d posts on the page, want %d", got, tt.posted)
			}
		})
	}

	t.Run("ErrNotSent", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		c := newClient(t, srv, time.Second)
		c.BaseURL = "http://127.0.0.1:1" // nothing listens: the request never left
		_, err := c.Publish(context.Background(), srv.Credentials(), post())
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Transient {
			t.Errorf("class %s, want transient (%v)", e.Class, err)
		}
	})
}

func TestVerify(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		got, err := newClient(t, srv, 2*time.Second).Verify(context.Background(), srv.Credentials())
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != srv.PageName || got.URL != "https://www.facebook.com/leveilleur.example" {
			t.Errorf("profile %+v", got)
		}
	})
	t.Run("ErrBadToken", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		creds := srv.Credentials()
		creds.Secrets["page_token"] = "EAAwrong"
		_, err := newClient(t, srv, 2*time.Second).Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Auth || !strings.Contains(e.Message, "Invalid OAuth access token") {
			t.Errorf("err = %v, want auth with Graph's message", err)
		}
	})
	t.Run("ErrUnknownPage", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		creds := srv.Credentials()
		creds.Config["page_id"] = "999"
		_, err := newClient(t, srv, 2*time.Second).Verify(context.Background(), creds)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Permanent || !strings.Contains(e.Message, "does not exist") {
			t.Errorf("err = %v, want permanent, does not exist", err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		srv.Fail(facebooktest.Malformed, 1)
		_, err := newClient(t, srv, 2*time.Second).Verify(context.Background(), srv.Credentials())
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Transient {
			t.Errorf("err = %v, want transient", err)
		}
	})
	t.Run("ErrHang", func(t *testing.T) {
		srv := facebooktest.NewServer(t)
		srv.Fail(facebooktest.Hang, 1)
		_, err := newClient(t, srv, 200*time.Millisecond).Verify(context.Background(), srv.Credentials())
		e := socialtest.ErrOf(t, err)
		if e.Class != syndication.Transient || !httpclient.IsTimeout(err) {
			t.Errorf("err = %v, want a transient timeout", err)
		}
		// The token travels in the query of a GET: it must not reach
		// the error through the address.
		if strings.Contains(err.Error(), srv.PageToken) || strings.Contains(err.Error(), "appsecret_proof") {
			t.Errorf("a secret in the error: %s", err)
		}
	})
}

func TestDelete(t *testing.T) {
	srv := facebooktest.NewServer(t)
	c := newClient(t, srv, 2*time.Second)
	r, err := c.Publish(context.Background(), srv.Credentials(), post())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(context.Background(), srv.Credentials(), r); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Posts()); n != 0 {
			t.Errorf("%d posts left", n)
		}
	})
	t.Run("ErrGone", func(t *testing.T) {
		err := c.Delete(context.Background(), srv.Credentials(), r)
		if e := socialtest.ErrOf(t, err); e.Class != syndication.Permanent {
			t.Errorf("err = %v, want permanent", err)
		}
	})
}

func TestFakeRefusesAnotherVersion(t *testing.T) {
	srv := facebooktest.NewServer(t)
	resp, err := http.Get(srv.URL + "/v19.0/" + srv.PageID + "?access_token=" + srv.PageToken)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d for an unpinned version, want 400", resp.StatusCode)
	}
}

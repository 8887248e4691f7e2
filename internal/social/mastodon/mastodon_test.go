package mastodon_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/mastodon"
	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// clientTimeout is short so that the "hang" cases end quickly.
const clientTimeout = 500 * time.Millisecond

func newClient() *mastodon.Client {
	return mastodon.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: clientTimeout}))
}

func credsFor(s *mastodontest.Server, config map[string]string) syndication.Credentials {
	c := syndication.Credentials{
		Config:  map[string]string{"instance": s.URL},
		Secrets: map[string]string{"access_token": s.Token},
	}
	for k, v := range config {
		if k == "access_token" {
			c.Secrets[k] = v
			continue
		}
		c.Config[k] = v
	}
	return c
}

// article is a French post with accents, an emoji and the link the card
// comes from.
func article() syndication.Post {
	return syndication.Post{
		Text:     "Élections municipales : ce qu’il faut savoir avant dimanche 🗳️ https://lagazette.example/2026/11/municipales",
		Link:     "https://lagazette.example/2026/11/municipales",
		Title:    "Élections municipales",
		ImageURL: "https://lagazette.example/img/urne.jpg",
		Language: "fr",
	}
}

func TestPublish(t *testing.T) {
	long := strings.Repeat("Le conseil municipal a voté le budget. ", 18) + "https://lagazette.example/budget"
	tests := []struct {
		name   string
		config map[string]string
		fakeN  int // the instance's limit, 0 for 500
		post   syndication.Post
		want   mastodontest.Post
	}{
		{
			name: "OK",
			post: article(),
			want: mastodontest.Post{Text: article().Text, Visibility: "public", Language: "fr", IdempotencyKey: "kiosque:1:2:1"},
		},
		{
			name:   "OKUnlisted",
			config: map[string]string{"visibility": "unlisted"},
			post:   syndication.Post{Text: "Brève https://lagazette.example/b", Language: "FR"},
			want:   mastodontest.Post{Text: "Brève https://lagazette.example/b", Visibility: "unlisted", Language: "fr", IdempotencyKey: "kiosque:1:2:1"},
		},
		{
			name: "OKNoLanguage",
			post: syndication.Post{Text: "Sans langue"},
			want: mastodontest.Post{Text: "Sans langue", Visibility: "public", IdempotencyKey: "kiosque:1:2:1"},
		},
		{
			name:   "OKInstanceLimit",
			config: map[string]string{"max_chars": "1000"},
			fakeN:  1000,
			post:   syndication.Post{Text: long},
			want:   mastodontest.Post{Text: long, Visibility: "public", IdempotencyKey: "kiosque:1:2:1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mastodontest.NewServer(t)
			if tt.fakeN != 0 {
				s.SetMaxChars(tt.fakeN)
			}
			got, err := newClient().Publish(context.Background(), credsFor(s, tt.config),
				syndication.Attempt{Post: tt.post, Key: "kiosque:1:2:1"})
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			posts := s.Posts()
			if len(posts) != 1 {
				t.Fatalf("instance has %d posts, want 1", len(posts))
			}
			if diff := cmp.Diff(tt.want, posts[0], cmpopts.IgnoreFields(mastodontest.Post{}, "ID", "URL", "CreatedAt")); diff != "" {
				t.Errorf("posted status (-want +got):\n%s", diff)
			}
			if want := (syndication.Remote{ID: posts[0].ID, URL: posts[0].URL}); got != want {
				t.Errorf("Remote = %+v, want %+v", got, want)
			}
			if !strings.HasPrefix(got.URL, s.URL+"/@"+s.Username+"/") {
				t.Errorf("Remote.URL = %q, want the status's page on the instance", got.URL)
			}
			reqs := s.Requests()
			if len(reqs) != 1 || reqs[0].ContentType != "application/json" {
				t.Errorf("requests = %+v, want one JSON POST", reqs)
			}
		})
	}
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(*mastodontest.Server)
		config     map[string]string
		post       syndication.Post
		key        string
		wantClass  syndication.Class
		wantStatus int
		wantMsg    string // contained in the error's Message
		wantCause  error
		noRequest  bool // refused before asking the instance
	}{
		{
			name: "ErrRateLimited",
			setup: func(s *mastodontest.Server) {
				s.FailNext(1, mastodontest.RateLimited)
				s.SetRateLimitReset(30 * time.Second)
			},
			wantClass:  syndication.RateLimited,
			wantStatus: http.StatusTooManyRequests,
			wantMsg:    "Too many requests",
		},
		{
			name:       "ErrUnauthorized",
			setup:      func(s *mastodontest.Server) { s.FailNext(1, mastodontest.Unauthorized) },
			wantClass:  syndication.Auth,
			wantStatus: http.StatusUnauthorized,
			wantMsg:    "The access token is invalid",
		},
		{
			name:       "ErrWrongToken",
			config:     map[string]string{"access_token": "revoked-token"},
			wantClass:  syndication.Auth,
			wantStatus: http.StatusUnauthorized,
			wantMsg:    "The access token is invalid",
		},
		{
			name:       "ErrReadOnlyToken",
			config:     map[string]string{"access_token": "kiosque-read-only-token"},
			wantClass:  syndication.Auth,
			wantStatus: http.StatusForbidden,
			wantMsg:    "outside the authorized scopes",
		},
		{
			name:       "ErrServerError",
			setup:      func(s *mastodontest.Server) { s.FailNext(1, mastodontest.ServerError) },
			wantClass:  syndication.Transient,
			wantStatus: http.StatusInternalServerError,
			wantMsg:    "Internal Server Error",
		},
		{
			name:      "ErrHang",
			setup:     func(s *mastodontest.Server) { s.FailNext(1, mastodontest.Hang) },
			wantClass: syndication.Transient,
			wantMsg:   "did not answer in time",
		},
		{
			name:      "ErrMalformedJSON",
			setup:     func(s *mastodontest.Server) { s.FailNext(1, mastodontest.MalformedJSON) },
			wantClass: syndication.Transient,
			wantMsg:   "not the JSON expected",
		},
		{
			name:      "ErrRedirectLoop",
			setup:     func(s *mastodontest.Server) { s.FailNext(1, mastodontest.RedirectLoop) },
			wantClass: syndication.Permanent,
			wantMsg:   "redirect loop",
			wantCause: httpclient.ErrTooManyRedirects,
		},
		{
			name:       "ErrInstanceRefusesLength",
			config:     map[string]string{"max_chars": "1000"},
			post:       syndication.Post{Text: strings.Repeat("é", 501)},
			wantClass:  syndication.Permanent,
			wantStatus: http.StatusUnprocessableEntity,
			wantMsg:    "Validation failed: Text character limit of 500 exceeded",
		},
		{
			name:      "ErrTooLong",
			post:      syndication.Post{Text: strings.Repeat("é", 478) + " https://lagazette.example/un-lien-long"},
			wantClass: syndication.Permanent,
			wantMsg:   "counts 502 characters, more than the 500",
			noRequest: true,
		},
		{
			name:      "ErrNoText",
			post:      syndication.Post{Text: "  \n"},
			wantClass: syndication.Permanent,
			noRequest: true,
		},
		{
			name:      "ErrNoKey",
			key:       "-",
			wantClass: syndication.Permanent,
			wantMsg:   "idempotency key",
			noRequest: true,
		},
		{
			name:      "ErrNoToken",
			config:    map[string]string{"access_token": ""},
			wantClass: syndication.Auth,
			wantMsg:   "no access token",
			noRequest: true,
		},
		{
			name:      "ErrVisibility",
			config:    map[string]string{"visibility": "everyone"},
			wantClass: syndication.Auth,
			wantMsg:   `visibility "everyone"`,
			noRequest: true,
		},
		{
			name:      "ErrMaxChars",
			config:    map[string]string{"max_chars": "beaucoup"},
			wantClass: syndication.Auth,
			wantMsg:   "max_chars",
			noRequest: true,
		},
		{
			name:      "ErrInstance",
			config:    map[string]string{"instance": "https://mastodon.social/@lagazette"},
			wantClass: syndication.Auth,
			wantMsg:   "instance address",
			noRequest: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mastodontest.NewServer(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			post := tt.post
			if post.Text == "" {
				post = article()
			}
			key := tt.key
			switch key {
			case "":
				key = "kiosque:1:2:1"
			case "-":
				key = ""
			}
			start := time.Now()
			_, err := newClient().Publish(context.Background(), credsFor(s, tt.config), syndication.Attempt{Post: post, Key: key})
			var se *syndication.Error
			if !errors.As(err, &se) {
				t.Fatalf("Publish error = %v, want a *syndication.Error", err)
			}
			if se.Class != tt.wantClass || se.Status != tt.wantStatus {
				t.Errorf("class, status = %v, %d, want %v, %d (%v)", se.Class, se.Status, tt.wantClass, tt.wantStatus, err)
			}
			if !strings.Contains(se.Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", se.Message, tt.wantMsg)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Errorf("error = %v, want it to wrap %v", err, tt.wantCause)
			}
			if se.Class == syndication.RateLimited && (se.RetryAfter < 28*time.Second || se.RetryAfter > 30*time.Second) {
				t.Errorf("RetryAfter = %v, want about 30s (X-RateLimit-Reset)", se.RetryAfter)
			}
			if strings.Contains(err.Error(), s.Token) {
				t.Errorf("error %q shows the access token", err)
			}
			if n := len(s.Requests()); tt.noRequest && n != 0 {
				t.Errorf("%d requests made, want none", n)
			}
			if len(s.Posts()) != 0 {
				t.Errorf("a status was posted: %+v", s.Posts())
			}
			if d := time.Since(start); d > 3*clientTimeout {
				t.Errorf("Publish took %v", d)
			}
		})
	}
}

// TestPublishIdempotent checks that a retry with the delivery's key never
// posts twice, even when the first answer was lost after the post landed.
func TestPublishIdempotent(t *testing.T) {
	tests := []struct {
		name      string
		fail      mastodontest.Failure
		wantClass syndication.Class
	}{
		{name: "OKLostAnswer", fail: mastodontest.HangAfterPosting, wantClass: syndication.Transient},
		{name: "OKRetryAfter500", fail: mastodontest.ServerError, wantClass: syndication.Transient},
		{name: "OKRetryAfterRateLimit", fail: mastodontest.RateLimited, wantClass: syndication.RateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mastodontest.NewServer(t)
			c := newClient()
			creds := credsFor(s, nil)
			at := syndication.Attempt{Post: article(), Key: "kiosque:7:3:1"}
			s.FailNext(1, tt.fail)
			_, err := c.Publish(context.Background(), creds, at)
			if got := syndication.ClassOf(err); err == nil || got != tt.wantClass {
				t.Fatalf("first attempt: %v (class %v), want class %v", err, got, tt.wantClass)
			}
			got, err := c.Publish(context.Background(), creds, at)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			again, err := c.Publish(context.Background(), creds, at)
			if err != nil {
				t.Fatalf("second retry: %v", err)
			}
			posts := s.Posts()
			if len(posts) != 1 {
				t.Fatalf("instance has %d statuses, want 1: %+v", len(posts), posts)
			}
			if got.ID != posts[0].ID || again != got {
				t.Errorf("retries returned %+v and %+v, want the status posted, %s", got, again, posts[0].ID)
			}
			for _, r := range s.Requests() {
				if r.IdempotencyKey != at.Key {
					t.Errorf("%s %s sent Idempotency-Key %q, want %q", r.Method, r.Path, r.IdempotencyKey, at.Key)
				}
			}
		})
	}

	t.Run("OKOtherKeyPostsAgain", func(t *testing.T) {
		s := mastodontest.NewServer(t)
		c := newClient()
		for _, key := range []string{"kiosque:7:3:1", "kiosque:7:3:2"} {
			if _, err := c.Publish(context.Background(), credsFor(s, nil), syndication.Attempt{Post: article(), Key: key}); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(s.Posts()); n != 2 {
			t.Errorf("instance has %d statuses, want 2 (one per key)", n)
		}
	})
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name        string
		displayName string
		token       string
		want        func(*mastodontest.Server) syndication.Profile
		wantClass   syndication.Class
		wantMsg     string
	}{
		{
			name:        "OK",
			displayName: "La Gazette",
			want: func(s *mastodontest.Server) syndication.Profile {
				return syndication.Profile{Name: "La Gazette", URL: s.URL + "/@lagazette"}
			},
		},
		{
			name: "OKNoDisplayName",
			want: func(s *mastodontest.Server) syndication.Profile {
				return syndication.Profile{Name: "@lagazette", URL: s.URL + "/@lagazette"}
			},
		},
		{
			name:        "OKReadOnlyToken",
			displayName: "La Gazette",
			token:       "kiosque-read-only-token",
			want: func(s *mastodontest.Server) syndication.Profile {
				return syndication.Profile{Name: "La Gazette", URL: s.URL + "/@lagazette"}
			},
		},
		{name: "ErrWrongToken", token: "nope", wantClass: syndication.Auth, wantMsg: "The access token is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mastodontest.NewServer(t)
			s.SetDisplayName(tt.displayName)
			cfg := map[string]string{}
			if tt.token != "" {
				cfg["access_token"] = tt.token
			}
			got, err := newClient().Verify(context.Background(), credsFor(s, cfg))
			if tt.want == nil {
				var se *syndication.Error
				if !errors.As(err, &se) || se.Class != tt.wantClass || se.Message != tt.wantMsg {
					t.Fatalf("Verify error = %v, want %v %q", err, tt.wantClass, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if want := tt.want(s); got != want {
				t.Errorf("Verify = %+v, want %+v", got, want)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	s := mastodontest.NewServer(t)
	c := newClient()
	creds := credsFor(s, nil)
	r, err := c.Publish(context.Background(), creds, syndication.Attempt{Post: article(), Key: "k1"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ErrWrongToken", func(t *testing.T) {
		err := c.Delete(context.Background(), credsFor(s, map[string]string{"access_token": "nope"}), r)
		if syndication.ClassOf(err) != syndication.Auth {
			t.Errorf("Delete = %v, want an Auth failure", err)
		}
	})
	t.Run("ErrServerError", func(t *testing.T) {
		s.FailNext(1, mastodontest.ServerError)
		if err := c.Delete(context.Background(), creds, r); err == nil || syndication.ClassOf(err) != syndication.Transient {
			t.Errorf("Delete = %v, want a Transient failure", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(context.Background(), creds, r); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if p := s.Posts(); len(p) != 1 || !p[0].Deleted {
			t.Errorf("posts = %+v, want the status deleted", p)
		}
	})
	t.Run("OKAlreadyGone", func(t *testing.T) {
		if err := c.Delete(context.Background(), creds, r); err != nil {
			t.Errorf("second Delete = %v, want nil (the status is gone)", err)
		}
	})
	t.Run("ErrNotMastodon", func(t *testing.T) {
		// A 404 page that is not the API's answer does not mean "deleted".
		srv := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(srv.Close)
		err := c.Delete(context.Background(), syndication.Credentials{
			Config: map[string]string{"instance": srv.URL}, Secrets: map[string]string{"access_token": "t"}}, r)
		if syndication.ClassOf(err) != syndication.Permanent {
			t.Errorf("Delete = %v, want Permanent", err)
		}
	})
	t.Run("ErrNoID", func(t *testing.T) {
		if err := c.Delete(context.Background(), creds, syndication.Remote{}); syndication.ClassOf(err) != syndication.Permanent {
			t.Errorf("Delete without id = %v, want Permanent", err)
		}
	})
}

// TestInstanceAddress checks the forms an editor may type the instance in.
func TestInstanceAddress(t *testing.T) {
	s := mastodontest.NewServer(t)
	host := strings.TrimPrefix(s.URL, "http://")
	tests := []struct {
		name     string
		instance string
		ok       bool
	}{
		{"OK", s.URL, true},
		{"OKTrailingSlash", s.URL + "/", true},
		{"OKSpaces", "  " + s.URL + " ", true},
		// Without a scheme the address is https, which the fake does not speak.
		{"ErrNoSchemeMeansHTTPS", host, false},
		{"ErrPath", s.URL + "/@lagazette", false},
		{"ErrScheme", "ftp://" + host, false},
		{"ErrEmpty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient().Verify(context.Background(), credsFor(s, map[string]string{"instance": tt.instance}))
			if (err == nil) != tt.ok {
				t.Errorf("Verify with instance %q = %v, want ok=%v", tt.instance, err, tt.ok)
			}
		})
	}
}

// TestRetryAfterHeader checks the Retry-After fallback when a proxy in front
// of the instance rate-limits without Mastodon's headers.
func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"OKReset", http.Header{"X-Ratelimit-Reset": {"2026-11-30T12:04:00.000000Z"}}, 4 * time.Minute},
		{"OKResetPast", http.Header{"X-Ratelimit-Reset": {"2026-11-30T11:00:00Z"}}, 0},
		{"OKRetryAfterSeconds", http.Header{"Retry-After": {"17"}}, 17 * time.Second},
		{"OKRetryAfterDate", http.Header{"Retry-After": {"Mon, 30 Nov 2026 12:01:00 GMT"}}, time.Minute},
		{"OKNone", http.Header{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRateLimiter(t, tt.header)
			c := newClient()
			c.Now = func() time.Time { return now }
			_, err := c.Verify(context.Background(), syndication.Credentials{
				Config: map[string]string{"instance": srv}, Secrets: map[string]string{"access_token": "t"}})
			var se *syndication.Error
			if !errors.As(err, &se) || se.Class != syndication.RateLimited {
				t.Fatalf("Verify = %v, want RateLimited", err)
			}
			if se.RetryAfter != tt.want {
				t.Errorf("RetryAfter = %v, want %v", se.RetryAfter, tt.want)
			}
		})
	}
}

// newRateLimiter starts a server that answers every request 429 with h.
func newRateLimiter(t *testing.T, h http.Header) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range h {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too many requests"}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

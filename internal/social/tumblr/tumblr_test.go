package tumblr

import (
	"context"
	"errors"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/tumblr/tumblrtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// newClient returns a client of srv whose requests give up after 300 ms.
func newClient(srv *tumblrtest.Server) *Client {
	c := New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond}))
	c.BaseURL = srv.URL
	return c
}

// creds returns credentials for blog whose Rotate saves into saved.
func creds(srv *tumblrtest.Server, blog string, saved *map[string]string) syndication.Credentials {
	c := syndication.Credentials{
		Config: map[string]string{"blog": blog, "client_id": srv.ClientID},
		Secrets: map[string]string{"access_token": srv.Token(), "refresh_token": srv.RefreshToken(),
			"client_secret": srv.ClientSecret},
	}
	if saved != nil {
		c.Rotate = func(_ context.Context, s map[string]string) error {
			*saved = s
			return nil
		}
	}
	return c
}

const text = "Retraites : ce que change le vote de l'Assemblée 🇫🇷 (https://journal.example/2026/11/retraites).\n\nÀ lire aussi."

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "k1", Post: syndication.Post{
		Text:        text,
		Link:        "https://journal.example/2026/11/retraites",
		Title:       "Retraites : ce que change le vote",
		Description: "L'Assemblée a voté la réforme ; voici ce qui change.",
		ImageURL:    "https://journal.example/media/retraites.jpg",
		Tags:        []string{"#Retraites", "#Assemblée", "#MoyenOrient"},
	}}
}

func TestPublish(t *testing.T) {
	tests := []struct {
		name, blog, host string
	}{
		{"OKName", "lejournal", "lejournal.tumblr.com"},
		{"OKHostName", "lejournal.tumblr.com", "lejournal.tumblr.com"},
		{"OKCustomDomain", "culture.journal.example", "culture.journal.example"},
		{"OKUUID", "t:0aY0xL2Fi1OFJg4YxpmegQ", "lejournal.tumblr.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tumblrtest.NewServer(t)
			r, err := newClient(srv).Publish(t.Context(), creds(srv, tt.blog, nil), attempt())
			if err != nil {
				t.Fatal(err)
			}
			posts := srv.Posts()
			if len(posts) != 1 {
				t.Fatalf("posts = %d, want 1", len(posts))
			}
			p := posts[0]
			if diff := cmp.Diff(syndication.Remote{ID: p.ID, URL: "https://" + tt.host + "/post/" + p.ID}, r); diff != "" {
				t.Errorf("remote (-want +got):\n%s", diff)
			}
			want := tumblrtest.Post{
				ID: p.ID, Blog: p.Blog, State: "published", Tags: []string{"Retraites", "Assemblée", "MoyenOrient"},
				SourceURL: "https://journal.example/2026/11/retraites",
				Text:      "Retraites : ce que change le vote de l'Assemblée 🇫🇷 (https://journal.example/2026/11/retraites).\nÀ lire aussi.",
				Links: []tumblrtest.LinkBlock{{URL: "https://journal.example/2026/11/retraites",
					Title: "Retraites : ce que change le vote", Description: "L'Assemblée a voté la réforme ; voici ce qui change.",
					Poster: []string{"https://journal.example/media/retraites.jpg"}}},
				Body: p.Body,
			}
			if diff := cmp.Diff(want, p); diff != "" {
				t.Errorf("post (-want +got):\n%s", diff)
			}
			if tt.name == "OKName" {
				socialtest.GoldenJSON(t, "post.json", p.Body, *update)
			}
		})
	}
}

func TestPublishWithoutLinkOrImage(t *testing.T) {
	srv := tumblrtest.NewServer(t)
	at := attempt()
	at.Post.ImageURL, at.Post.Tags = "", nil
	if _, err := newClient(srv).Publish(t.Context(), creds(srv, "lejournal", nil), at); err != nil {
		t.Fatal(err)
	}
	p := srv.Posts()[0]
	if len(p.Links) != 1 || p.Links[0].Poster != nil || p.Tags != nil {
		t.Errorf("post = %+v, want a link block without poster and no tags", p)
	}
}

func TestPublishRefreshesToken(t *testing.T) {
	srv := tumblrtest.NewServer(t)
	c := newClient(srv)
	var saved map[string]string
	cr := creds(srv, "lejournal", &saved)
	srv.ExpireToken()
	if _, err := c.Publish(t.Context(), cr, attempt()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"access_token": srv.Token(), "refresh_token": srv.RefreshToken()}
	if diff := cmp.Diff(want, saved); diff != "" {
		t.Errorf("rotated secrets (-want +got):\n%s", diff)
	}
	// The stored (spent) tokens come again, as when Rotate was nil: the
	// client uses the pair it got, without refreshing twice.
	at := attempt()
	at.Post.Text = "Un autre article"
	if _, err := c.Publish(t.Context(), creds2(cr), at); err != nil {
		t.Fatal(err)
	}
	if got := srv.Refreshes(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
	if got := len(srv.Posts()); got != 2 {
		t.Errorf("posts = %d, want 2", got)
	}
}

// creds2 is a copy of c with its secrets as they were.
func creds2(c syndication.Credentials) syndication.Credentials {
	s := map[string]string{}
	for k, v := range c.Secrets {
		s[k] = v
	}
	c.Secrets = s
	return c
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*tumblrtest.Server)
		creds   func(*tumblrtest.Server) syndication.Credentials
		edit    func(*syndication.Post)
		class   syndication.Class
		posts   int
		check   func(t *testing.T, err error)
	}{
		{name: "ErrTooLong", class: syndication.Permanent,
			edit: func(p *syndication.Post) { p.Text = strings.Repeat("é", 4097) }},
		{name: "ErrNothing", class: syndication.Permanent,
			edit: func(p *syndication.Post) { p.Text, p.Link = " ", "" }},
		{name: "ErrNoToken", class: syndication.Auth,
			creds: func(s *tumblrtest.Server) syndication.Credentials {
				c := creds(s, "lejournal", nil)
				delete(c.Secrets, "access_token")
				return c
			}},
		{name: "ErrUnknownBlog", class: syndication.Permanent,
			creds: func(s *tumblrtest.Server) syndication.Credentials { return creds(s, "inconnu", nil) }},
		{name: "ErrExpiredNoRefresh", class: syndication.Auth,
			prepare: func(s *tumblrtest.Server) { s.ExpireToken() },
			creds: func(s *tumblrtest.Server) syndication.Credentials {
				c := creds(s, "lejournal", nil)
				delete(c.Secrets, "refresh_token")
				return c
			},
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "Unable to authorize") {
					t.Errorf("err = %v, want Tumblr's words", err)
				}
			}},
		{name: "ErrRefreshRefused", class: syndication.Auth,
			prepare: func(s *tumblrtest.Server) { s.ExpireToken() },
			creds: func(s *tumblrtest.Server) syndication.Credentials {
				c := creds(s, "lejournal", nil)
				c.Secrets["refresh_token"] = "spent"
				return c
			}},
		{name: "ErrRateLimited", class: syndication.RateLimited,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.RateLimited, 1) },
			check: func(t *testing.T, err error) {
				var e *syndication.Error
				errors.As(err, &e)
				if e.RetryAfter != 20*time.Minute {
					t.Errorf("RetryAfter = %v, want 20m (the spent hourly window's reset)", e.RetryAfter)
				}
			}},
		{name: "ErrDailyPostLimit", class: syndication.RateLimited,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.DailyPostLimit, 1) }},
		{name: "ErrUnauthorizedNoRefresh", class: syndication.Auth,
			creds: func(s *tumblrtest.Server) syndication.Credentials {
				c := creds(s, "lejournal", nil)
				delete(c.Config, "client_id")
				return c
			},
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.Unauthorized, 1) }},
		{name: "ErrServer", class: syndication.Transient,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.ServerError, 1) }},
		{name: "ErrHangAfterPosting", class: syndication.Ambiguous, posts: 1,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.Hang, 1) }},
		{name: "ErrMalformed", class: syndication.Ambiguous,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.Malformed, 1) }},
		{name: "ErrRedirectLoop", class: syndication.Transient,
			prepare: func(s *tumblrtest.Server) { s.Fail(tumblrtest.RedirectLoop, 10) },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, httpclient.ErrTooManyRedirects) {
					t.Errorf("err = %v, want ErrTooManyRedirects", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tumblrtest.NewServer(t)
			if tt.creds == nil {
				tt.creds = func(s *tumblrtest.Server) syndication.Credentials { return creds(s, "lejournal", nil) }
			}
			cr := tt.creds(srv)
			if tt.prepare != nil {
				tt.prepare(srv)
			}
			at := attempt()
			if tt.edit != nil {
				tt.edit(&at.Post)
			}
			_, err := newClient(srv).Publish(t.Context(), cr, at)
			if got := socialtest.ClassOf(t, err, srv.Token(), srv.RefreshToken(), srv.ClientSecret, cr.Secrets["access_token"]); got != tt.class {
				t.Errorf("class = %v, want %v (err %v)", got, tt.class, err)
			}
			if got := len(srv.Posts()); got != tt.posts {
				t.Errorf("fake holds %d posts, want %d", got, tt.posts)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name  string
		blog  string
		token string
		want  syndication.Profile
		class syndication.Class
	}{
		{name: "OK", blog: "lejournal", want: syndication.Profile{Name: "Le Journal", URL: "https://lejournal.tumblr.com/"}},
		{name: "OKCustomDomain", blog: "culture.journal.example",
			want: syndication.Profile{Name: "Le Journal, culture", URL: "https://culture.journal.example/"}},
		{name: "ErrNotTheUsersBlog", blog: "staff", class: syndication.Auth},
		{name: "ErrBadToken", blog: "lejournal", token: "nope", class: syndication.Auth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tumblrtest.NewServer(t)
			cr := creds(srv, tt.blog, nil)
			if tt.token != "" {
				cr.Secrets["access_token"] = tt.token
				delete(cr.Secrets, "refresh_token")
			}
			got, err := newClient(srv).Verify(t.Context(), cr)
			if strings.HasPrefix(tt.name, "Err") {
				if c := socialtest.ClassOf(t, err, srv.Token()); c != tt.class {
					t.Fatalf("class = %v, want %v (err %v)", c, tt.class, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyFailures(t *testing.T) {
	for _, tt := range []struct {
		name    string
		failure tumblrtest.Failure
		class   syndication.Class
	}{
		{"ErrMalformed", tumblrtest.Malformed, syndication.Transient},
		{"ErrHang", tumblrtest.Hang, syndication.Transient},
		{"ErrServer", tumblrtest.ServerError, syndication.Transient},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tumblrtest.NewServer(t)
			srv.Fail(tt.failure, 1)
			_, err := newClient(srv).Verify(t.Context(), creds(srv, "lejournal", nil))
			if got := socialtest.ClassOf(t, err); got != tt.class {
				t.Errorf("class = %v, want %v (err %v)", got, tt.class, err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	srv := tumblrtest.NewServer(t)
	c := newClient(srv)
	cr := creds(srv, "lejournal", nil)
	r, err := c.Publish(t.Context(), cr, attempt())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(t.Context(), cr, r); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Posts()); n != 0 {
			t.Errorf("fake still holds %d posts", n)
		}
	})
	t.Run("OKAlreadyGone", func(t *testing.T) {
		if err := c.Delete(t.Context(), cr, r); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBadID", func(t *testing.T) {
		if got := socialtest.ClassOf(t, c.Delete(t.Context(), cr, syndication.Remote{ID: "12/../../user"})); got != syndication.Permanent {
			t.Errorf("class = %v, want permanent", got)
		}
	})
	t.Run("ErrServer", func(t *testing.T) {
		srv.Fail(tumblrtest.ServerError, 1)
		if got := socialtest.ClassOf(t, c.Delete(t.Context(), cr, r)); got != syndication.Transient {
			t.Errorf("class = %v, want transient", got)
		}
	})
}

func TestLinks(t *testing.T) {
	got := links("Voir https://a.example/x. Et « https://b.example/é » !")
	want := []formatting{
		{Start: 5, End: 24, Type: "link", URL: "https://a.example/x"},
		{Start: 31, End: 50, Type: "link", URL: "https://b.example/é"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

func TestRetryAfter(t *testing.T) {
	h := http.Header{}
	if got := retryAfter(h); got != defaultRateWait {
		t.Errorf("no header: %v", got)
	}
	h.Set("X-Ratelimit-Perday-Remaining", "0")
	h.Set("X-Ratelimit-Perday-Reset", "36000")
	if got := retryAfter(h); got != 10*time.Hour {
		t.Errorf("spent day: %v, want 10h", got)
	}
}

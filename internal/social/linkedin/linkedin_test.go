package linkedin

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/socialtest"
	"github.com/kiosque/kiosque/internal/social/linkedin/linkedintest"
	"github.com/kiosque/kiosque/internal/syndication"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// newClient returns a client of srv whose requests give up after 300 ms.
func newClient(srv *linkedintest.Server) *Client {
	c := New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 300 * time.Millisecond}))
	c.BaseURL = srv.URL
	return c
}

func personCreds(srv *linkedintest.Server) syndication.Credentials {
	return syndication.Credentials{
		Config:  map[string]string{"author": "urn:li:person:" + srv.PersonID},
		Secrets: map[string]string{"access_token": srv.Token},
	}
}

func orgCreds(srv *linkedintest.Server) syndication.Credentials {
	return syndication.Credentials{
		Config:  map[string]string{"author": "urn:li:organization:" + srv.OrgID},
		Secrets: map[string]string{"access_token": srv.Token},
	}
}

// jpeg is the start of a JPEG file, enough for the fake.
var jpeg = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}

// text has every reserved character of the little format, a hashtag, a
// link with reserved characters, accents and an emoji.
const text = "Retraites : ce que change le vote (enfin) — 50 % * _soldes_ ~ <b> {x} [y] | a\\b @Jean C# #2026 " +
	"#MoyenOrient 🇫🇷 https://journal.example/a_b(1)#suite"

func attempt() syndication.Attempt {
	return syndication.Attempt{Key: "k1", Post: syndication.Post{
		Text:        text,
		Link:        "https://journal.example/2026/11/retraites",
		Title:       "Retraites : ce que change le vote",
		Description: "L'Assemblée a voté la réforme ; voici ce qui change.",
		ImageURL:    "https://journal.example/media/retraites.jpg",
		LoadImage: func(context.Context) ([]byte, string, error) {
			return jpeg, "image/jpeg", nil
		},
	}}
}

func TestPublish(t *testing.T) {
	tests := []struct {
		name  string
		creds func(*linkedintest.Server) syndication.Credentials
	}{
		{"OKPerson", personCreds},
		{"OKOrganization", orgCreds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := linkedintest.NewServer(t)
			creds := tt.creds(srv)
			r, err := newClient(srv).Publish(t.Context(), creds, attempt())
			if err != nil {
				t.Fatal(err)
			}
			posts := srv.Posts()
			if len(posts) != 1 {
				t.Fatalf("posts = %d, want 1", len(posts))
			}
			p := posts[0]
			want := syndication.Remote{ID: p.URN, URL: "https://www.linkedin.com/feed/update/" + p.URN + "/"}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("remote (-want +got):\n%s", diff)
			}
			if p.Cut || p.Text != text {
				t.Errorf("LinkedIn shows %q (cut %v), want %q", p.Text, p.Cut, text)
			}
			if diff := cmp.Diff([]string{"MoyenOrient"}, p.Hashtags); diff != "" {
				t.Errorf("hashtags (-want +got):\n%s", diff)
			}
			if p.Author != creds.Config["author"] {
				t.Errorf("author = %s", p.Author)
			}
			wantArticle := &linkedintest.Article{Source: "https://journal.example/2026/11/retraites",
				Title: "Retraites : ce que change le vote", Description: "L'Assemblée a voté la réforme ; voici ce qui change.",
				Thumbnail: p.Article.Thumbnail}
			if diff := cmp.Diff(wantArticle, p.Article); diff != "" {
				t.Errorf("article (-want +got):\n%s", diff)
			}
			data, mediaType, ok := srv.Image(p.Article.Thumbnail)
			if !ok || !bytes.Equal(data, jpeg) || mediaType != "image/jpeg" {
				t.Errorf("thumbnail %s: uploaded %v, %q, %v", p.Article.Thumbnail, ok, mediaType, data)
			}
			socialtest.GoldenJSON(t, "post_"+strings.TrimPrefix(tt.name, "OK")+".json", p.Body, *update)
		})
	}
}

func TestPublishWithoutImage(t *testing.T) {
	srv := linkedintest.NewServer(t)
	at := attempt()
	at.Post.LoadImage = nil
	if _, err := newClient(srv).Publish(t.Context(), personCreds(srv), at); err != nil {
		t.Fatal(err)
	}
	p := srv.Posts()[0]
	if p.Article == nil || p.Article.Thumbnail != "" {
		t.Errorf("article = %+v, want one without thumbnail", p.Article)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r, "images") || strings.Contains(r, "dms-uploads") {
			t.Errorf("uploaded without an image: %s", r)
		}
	}
}

func TestPublishDuplicateIsTheEarlierPost(t *testing.T) {
	srv := linkedintest.NewServer(t)
	c := newClient(srv)
	first, err := c.Publish(t.Context(), personCreds(srv), attempt())
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Publish(t.Context(), personCreds(srv), attempt())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("retry (-first +again):\n%s", diff)
	}
	if n := len(srv.Posts()); n != 1 {
		t.Errorf("posts = %d, want 1", n)
	}
}

func TestPublishErr(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*linkedintest.Server, *Client)
		creds   func(*linkedintest.Server) syndication.Credentials
		edit    func(*syndication.Post)
		class   syndication.Class
		posts   int
		check   func(t *testing.T, err error)
	}{
		{name: "ErrTooLong", class: syndication.Permanent,
			edit: func(p *syndication.Post) { p.Text = strings.Repeat("é", 3001) }},
		{name: "ErrNoToken", class: syndication.Auth,
			creds: func(s *linkedintest.Server) syndication.Credentials {
				c := personCreds(s)
				delete(c.Secrets, "access_token")
				return c
			}},
		{name: "ErrBadAuthor", class: syndication.Auth,
			creds: func(s *linkedintest.Server) syndication.Credentials {
				c := personCreds(s)
				c.Config["author"] = "Le Journal"
				return c
			}},
		{name: "ErrBadToken", class: syndication.Auth,
			creds: func(s *linkedintest.Server) syndication.Credentials {
				c := personCreds(s)
				c.Secrets["access_token"] = "expired"
				return c
			},
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "Invalid access token") {
					t.Errorf("err = %v, want LinkedIn's message", err)
				}
			}},
		{name: "ErrNotAdmin", class: syndication.Auth, creds: orgCreds,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Admin = false }},
		{name: "ErrSunsetVersion", class: syndication.Permanent,
			prepare: func(_ *linkedintest.Server, c *Client) { c.Version = "202401" },
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "Requested version 202401 is not active") {
					t.Errorf("err = %v, want LinkedIn's message", err)
				}
			}},
		{name: "ErrBadSource", class: syndication.Permanent,
			edit: func(p *syndication.Post) { p.Title, p.Link = "", "journal.example/sans-schema" },
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "/content/article/source") {
					t.Errorf("err = %v, want the field LinkedIn names", err)
				}
			}},
		{name: "ErrImage", class: syndication.Transient,
			edit: func(p *syndication.Post) {
				p.LoadImage = func(context.Context) ([]byte, string, error) { return nil, "", errors.New("no such file") }
			}},
		{name: "ErrRateLimited", class: syndication.RateLimited,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.RateLimited, 1) },
			check: func(t *testing.T, err error) {
				var e *syndication.Error
				errors.As(err, &e)
				if e.RetryAfter != 2*time.Minute {
					t.Errorf("RetryAfter = %v, want 2m (Retry-After)", e.RetryAfter)
				}
			}},
		{name: "ErrUnauthorized", class: syndication.Auth,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.Unauthorized, 1) }},
		{name: "ErrServer", class: syndication.Transient,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.ServerError, 1) }},
		{name: "ErrHangBeforePosting", class: syndication.Transient,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.Hang, 1) }},
		{name: "ErrHangAfterPosting", class: syndication.Ambiguous, posts: 1,
			edit:    func(p *syndication.Post) { p.LoadImage = nil },
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.Hang, 1) }},
		{name: "ErrMalformedUpload", class: syndication.Transient,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.Malformed, 1) }},
		{name: "ErrNoPostID", class: syndication.Ambiguous,
			edit:    func(p *syndication.Post) { p.LoadImage = nil },
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.Malformed, 1) }},
		{name: "ErrRedirectLoop", class: syndication.Transient,
			prepare: func(s *linkedintest.Server, _ *Client) { s.Fail(linkedintest.RedirectLoop, 10) },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, httpclient.ErrTooManyRedirects) {
					t.Errorf("err = %v, want ErrTooManyRedirects", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := linkedintest.NewServer(t)
			c := newClient(srv)
			if tt.prepare != nil {
				tt.prepare(srv, c)
			}
			if tt.creds == nil {
				tt.creds = personCreds
			}
			at := attempt()
			if tt.edit != nil {
				tt.edit(&at.Post)
			}
			_, err := c.Publish(t.Context(), tt.creds(srv), at)
			if got := socialtest.ClassOf(t, err, srv.Token); got != tt.class {
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
		creds func(*linkedintest.Server) syndication.Credentials
		admin bool
		want  syndication.Profile
		class syndication.Class
	}{
		{name: "OKPerson", creds: personCreds, admin: true, want: syndication.Profile{Name: "Camille Martin"}},
		{name: "OKOrganization", creds: orgCreds, admin: true,
			want: syndication.Profile{Name: "Le Journal", URL: "https://www.linkedin.com/company/le-journal/"}},
		{name: "ErrBadToken", class: syndication.Auth, admin: true, creds: func(s *linkedintest.Server) syndication.Credentials {
			c := personCreds(s)
			c.Secrets["access_token"] = "nope"
			return c
		}},
		{name: "ErrOtherMember", class: syndication.Auth, admin: true, creds: func(s *linkedintest.Server) syndication.Credentials {
			c := personCreds(s)
			c.Config["author"] = "urn:li:person:someoneElse"
			return c
		}},
		{name: "ErrNotAdmin", class: syndication.Auth, creds: orgCreds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := linkedintest.NewServer(t)
			srv.Admin = tt.admin
			got, err := newClient(srv).Verify(t.Context(), tt.creds(srv))
			if strings.HasPrefix(tt.name, "Err") {
				if c := socialtest.ClassOf(t, err, srv.Token); c != tt.class {
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
		failure linkedintest.Failure
		class   syndication.Class
	}{
		{"ErrMalformed", linkedintest.Malformed, syndication.Transient},
		{"ErrHang", linkedintest.Hang, syndication.Transient},
		{"ErrServer", linkedintest.ServerError, syndication.Transient},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := linkedintest.NewServer(t)
			srv.Fail(tt.failure, 1)
			_, err := newClient(srv).Verify(t.Context(), orgCreds(srv))
			if got := socialtest.ClassOf(t, err); got != tt.class {
				t.Errorf("class = %v, want %v (err %v)", got, tt.class, err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	srv := linkedintest.NewServer(t)
	c := newClient(srv)
	creds := personCreds(srv)
	r, err := c.Publish(t.Context(), creds, attempt())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := c.Delete(t.Context(), creds, r); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Posts()); n != 0 {
			t.Errorf("fake still holds %d posts", n)
		}
	})
	t.Run("OKAlreadyGone", func(t *testing.T) {
		if err := c.Delete(t.Context(), creds, r); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBadURN", func(t *testing.T) {
		err := c.Delete(t.Context(), creds, syndication.Remote{ID: "urn:li:share:1/../../v2/userinfo"})
		if got := socialtest.ClassOf(t, err); got != syndication.Permanent {
			t.Errorf("class = %v, want permanent", got)
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		srv.Fail(linkedintest.Unauthorized, 1)
		if got := socialtest.ClassOf(t, c.Delete(t.Context(), creds, r)); got != syndication.Auth {
			t.Errorf("class = %v, want auth", got)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 22, 30, 0, 0, time.UTC)
	if got := retryAfter(map[string][]string{}, now); got != 90*time.Minute {
		t.Errorf("without Retry-After: %v, want 1h30m (midnight UTC)", got)
	}
	if got := retryAfter(map[string][]string{"Retry-After": {"30"}}, now); got != 30*time.Second {
		t.Errorf("Retry-After: 30 gives %v", got)
	}
}

package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/users"
)

// testPassword is the password of every account the tests create.
const testPassword = "correct horse battery staple"

// newSite boots a whole kiosque with the demo newsroom, and one account per
// role besides the demo administrator.
func newSite(t *testing.T, opts apptest.Options) *apptest.Site {
	t.Helper()
	s := apptest.New(t, opts)
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		if _, err := s.App.Users.Create(context.Background(), users.NewUser{
			Email: string(r) + "@example.org", Name: "Test " + string(r), Role: r, Password: testPassword,
		}); err != nil {
			t.Fatalf("create %s: %v", r, err)
		}
	}
	return s
}

// browser is a logged-in person: a cookie jar, and requests that carry the
// headers a browser sends on a same-origin form post.
type browser struct {
	t    *testing.T
	site *apptest.Site
	c    *http.Client
	// user is the account, nil for a visitor.
	user *users.User
}

// visitor returns a browser that has not logged in.
func visitor(t *testing.T, s *apptest.Site) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, site: s, c: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// as logs in with the test account of role r.
func as(t *testing.T, s *apptest.Site, r users.Role) *browser {
	t.Helper()
	b := visitor(t, s)
	resp, body := b.post("/admin/login", url.Values{"email": {string(r) + "@example.org"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: status %d\n%.400s", r, resp.StatusCode, body)
	}
	u, err := s.App.Users.ByEmail(context.Background(), string(r)+"@example.org")
	if err != nil {
		t.Fatal(err)
	}
	b.user = u
	return b
}

// do sends a request with the headers of a same-origin browser request.
func (b *browser) do(req *http.Request, header ...string) (*http.Response, string) {
	b.t.Helper()
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.site.URL)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read: %v", req.Method, req.URL.Path, err)
	}
	return resp, string(body)
}

// get fetches path; header holds name, value pairs.
func (b *browser) get(path string, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req, header...)
}

// post sends form as a same-origin form post.
func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.site.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req, header...)
}

// mustStatus fails unless resp has status want.
func mustStatus(t *testing.T, what string, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%.800s", what, resp.StatusCode, want, body)
	}
}

// parse parses an HTML body for goquery selectors.
func parse(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

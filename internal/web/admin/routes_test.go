package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web/admin"
)

// publicRoutes are reachable without a session: logging in, and getting
// back into an account.
var publicRoutes = map[string]bool{
	"GET /admin/login": true, "POST /admin/login": true,
	"GET /admin/login/code": true, "POST /admin/login/code": true, "POST /admin/logout": true,
	"GET /admin/forgot": true, "POST /admin/forgot": true, "GET /admin/reset": true, "POST /admin/reset": true,
}

// TestEveryRoute walks the whole route table: a visitor without a session
// is sent to the login page (GET) or refused (POST) on every route but the
// public ones, and no route answers a server error to any role, whatever
// the id in its path. The per-feature tests check what each role may do.
func TestEveryRoute(t *testing.T) {
	s := newSite(t, apptest.Options{})
	routes := admin.New(admin.Deps{}).Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes: %v", len(routes), routes)
	}
	palmyra, err := s.App.Content.ArticleBySlug(t.Context(), "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	target := func(pattern, id string) (method, path string) {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = http.MethodGet, pattern
		}
		return method, strings.ReplaceAll(strings.TrimSuffix(path, "{$}"), "{id}", id)
	}
	send := func(b *browser, method, path string) (*http.Response, string) {
		if method == http.MethodPost {
			return b.post(path, url.Values{})
		}
		return b.get(path)
	}

	t.Run("visitor", func(t *testing.T) {
		v := visitor(t, s)
		for _, pattern := range routes {
			if publicRoutes[pattern] {
				continue
			}
			method, path := target(pattern, fmt.Sprint(palmyra.ID))
			resp, body := send(v, method, path)
			switch {
			case method == http.MethodGet && resp.StatusCode == http.StatusSeeOther:
				if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login?next=") {
					t.Errorf("%s: sent to %q, not to the login page", pattern, loc)
				}
			case method == http.MethodPost && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
			default:
				t.Errorf("%s %s as a visitor: status %d\n%.300s", method, path, resp.StatusCode, body)
			}
		}
		after, err := s.App.Content.ArticleByID(t.Context(), palmyra.ID)
		if err != nil || after.Status != palmyra.Status || after.Version != palmyra.Version {
			t.Errorf("the visitor's posts changed the article: %+v, %v", after, err)
		}
	})

	for _, r := range []users.Role{users.RoleContributor, users.RoleAuthor, users.RoleEditor, users.RoleAdmin} {
		t.Run(string(r), func(t *testing.T) {
			b := as(t, s, r)
			for _, pattern := range routes {
				if pattern == "POST /admin/logout" || strings.HasSuffix(pattern, "/sessions/revoke") {
					continue // would end this browser's session
				}
				for _, id := range []string{fmt.Sprint(palmyra.ID), "999999", "x"} {
					method, path := target(pattern, id)
					if method == http.MethodPost && r == users.RoleAdmin && id == fmt.Sprint(palmyra.ID) {
						continue // empty forms on the real article are the feature tests' business
					}
					resp, body := send(b, method, path)
					if resp.StatusCode >= 500 {
						t.Errorf("%s %s as %s: status %d\n%.300s", method, path, r, resp.StatusCode, body)
					}
				}
			}
		})
	}
}

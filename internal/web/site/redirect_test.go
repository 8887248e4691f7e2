package site_test

import (
	"context"
	"testing"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/redirects"
)

func TestRedirects(t *testing.T) {
	sites(t, func(t *testing.T, s *apptest.Site) {
		ctx := context.Background()
		svc := s.App.Redirects
		save := func(t *testing.T, from, to string, code int) *redirects.Redirect {
			t.Helper()
			r, err := svc.Save(ctx, access.System, 0, redirects.Input{From: from, To: to, Code: code})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		location := func(t *testing.T, path string, want int) string {
			t.Helper()
			resp, _ := s.Get(t, path)
			if resp.StatusCode != want {
				t.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, want)
			}
			return resp.Header.Get("Location")
		}

		t.Run("OK", func(t *testing.T) {
			// Asked twice before the redirect exists: no 404 may be kept.
			location(t, "/2016/12/palmyre/", 404)
			location(t, "/2016/12/palmyre/", 404)
			save(t, "/2016/12/Palmyre/", palmyra, 0)
			if got := location(t, "/2016/12/palmyre/", 301); got != palmyra {
				t.Errorf("Location = %q, want %q", got, palmyra)
			}
			// Any case, with or without the trailing slash.
			if got := location(t, "/2016/12/PALMYRE", 301); got != palmyra {
				t.Errorf("Location = %q, want %q", got, palmyra)
			}
			resp, _ := s.Get(t, "/2016/12/palmyre/")
			if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
				t.Errorf("Cache-Control = %q", cc)
			}
		})

		t.Run("OKWordPressQuery", func(t *testing.T) {
			// The home page answers /?p=12 until a redirect exists, and is
			// not cached for it.
			location(t, "/?p=12", 200)
			save(t, "/?p=12", palmyra, 0)
			if got := location(t, "/?p=12", 301); got != palmyra {
				t.Errorf("Location = %q, want %q", got, palmyra)
			}
			if got := location(t, "/index.php?p=12&utm_source=x", 301); got != palmyra {
				t.Errorf("Location = %q, want %q", got, palmyra)
			}
			location(t, "/?p=13", 200)
		})

		t.Run("OKDemo", func(t *testing.T) {
			// The demo's old WordPress addresses. Go's router first adds
			// the slash a two-segment path lacks (307).
			if got := location(t, "/archives/1200", 307); got != "/archives/1200/" {
				t.Errorf("Location = %q", got)
			}
			to := location(t, "/archives/1200/", 301)
			if got := location(t, "/?p=1200", 301); got != to || to == "" {
				t.Errorf("/?p=1200 → %q, /archives/1200/ → %q", got, to)
			}
			location(t, to, 200)
			location(t, "/comments/feed/", 301)
		})

		t.Run("OKTemporary", func(t *testing.T) {
			save(t, "/soldes/", "https://boutique.example/soldes", redirects.Temporary)
			if got := location(t, "/soldes/", 302); got != "https://boutique.example/soldes" {
				t.Errorf("Location = %q", got)
			}
		})

		t.Run("OKRealPageWins", func(t *testing.T) {
			// A redirect whose From is a real page is kept but not used
			// while the page exists: deleting the page turns it on.
			save(t, palmyra, "/archives/", 0)
			location(t, palmyra, 200)
			location(t, "/category/nope/", 404)
			save(t, "/category/nope/", "/archives/", 0)
			if got := location(t, "/category/nope/", 301); got != "/archives/" {
				t.Errorf("Location = %q", got)
			}
		})

		t.Run("OKDeleted", func(t *testing.T) {
			r := save(t, "/ephemere/", "/archives/", 0)
			location(t, "/ephemere/", 301)
			if err := svc.Delete(ctx, access.System, r.ID); err != nil {
				t.Fatal(err)
			}
			location(t, "/ephemere/", 404)
		})
	})
}

package storage_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

func TestRedirects(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := storagetest.MustOpen(t, dsn, nil)
		svc := redirects.NewService(storage.NewRedirectStore(db), clock.NewFixed(epoch), nil)
		db.OnChange(func(cs []storage.Change) {
			for _, c := range cs {
				if c.Entity == storage.EntityRedirect || c.Entity == storage.EntityAll {
					svc.Invalidate()
				}
			}
		})
		lookup := func(t *testing.T, path, query string) (redirects.Redirect, bool) {
			t.Helper()
			q, _ := url.ParseQuery(query)
			r, ok, err := svc.Lookup(ctx, path, q)
			if err != nil {
				t.Fatal(err)
			}
			return r, ok
		}

		t.Run("OK", func(t *testing.T) {
			if _, ok := lookup(t, "/2016/05/palmyre/", ""); ok {
				t.Fatal("a redirect in an empty table")
			}
			r, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/2016/05/Palmyre/", To: "/2016/05/12/palmyre/"})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := lookup(t, "/2016/05/palmyre", "")
			if !ok || got.ID != r.ID || got.To != "/2016/05/12/palmyre/" || got.Code != 301 || got.Source != redirects.SourceManual {
				t.Fatalf("lookup = %+v, %v", got, ok)
			}
			if _, err := svc.Save(ctx, admin, r.ID, redirects.Input{From: "/2016/05/Palmyre/", To: "/2016/05/13/palmyre/", Code: 302}); err != nil {
				t.Fatal(err)
			}
			if got, _ := lookup(t, "/2016/05/palmyre/", ""); got.To != "/2016/05/13/palmyre/" || got.Code != 302 {
				t.Fatalf("after edit: %+v", got)
			}
			if err := svc.Delete(ctx, admin, r.ID); err != nil {
				t.Fatal(err)
			}
			if _, ok := lookup(t, "/2016/05/palmyre/", ""); ok {
				t.Fatal("deleted redirect still answers")
			}
			if err := svc.Delete(ctx, admin, r.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("delete again: err = %v", err)
			}
			entries, err := storage.NewAuditStore(db).AuditEntries(ctx, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				if e.TargetType == "redirect" {
					actions = append(actions, e.Action)
				}
			}
			if len(actions) != 3 || actions[0] != redirects.ActionDelete || actions[2] != redirects.ActionSave {
				t.Fatalf("audit = %v", actions)
			}
		})

		t.Run("ErrDuplicate", func(t *testing.T) {
			if _, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/dup/", To: "/a/"}); err != nil {
				t.Fatal(err)
			}
			_, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/DUP", To: "/b/"})
			var ae *apperr.Error
			if !apperr.Is(err, apperr.Conflict) || !errors.As(err, &ae) || ae.Field != "from" {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("ErrForbidden", func(t *testing.T) {
			editor := access.Actor{UserID: 9, Name: "Éd", Role: users.RoleEditor}
			if _, err := svc.Save(ctx, editor, 0, redirects.Input{From: "/x/", To: "/y/"}); !apperr.Is(err, apperr.Forbidden) {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("OKChains", func(t *testing.T) {
			_, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/chain-a/", To: "/chain-b/"})
			if err != nil {
				t.Fatal(err)
			}
			// /chain-b/ now leads on: /chain-a/ follows it in one step.
			_, err = svc.Save(ctx, admin, 0, redirects.Input{From: "/chain-b/", To: "/chain-c/"})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := lookup(t, "/chain-a/", ""); got.To != "/chain-c/" {
				t.Fatalf("repointed: %+v", got)
			}
			// A new one towards /chain-b/ goes straight to /chain-c/.
			d, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/chain-d/", To: "/chain-b/"})
			if err != nil || d.To != "/chain-c/" {
				t.Fatalf("resolved: %+v, %v", d, err)
			}
			// /chain-c/ → /chain-a/ would loop.
			if _, err := svc.Save(ctx, admin, 0, redirects.Input{From: "/chain-c/", To: "/chain-a/"}); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("loop: err = %v", err)
			}
		})

		t.Run("OKImport", func(t *testing.T) {
			in := []redirects.Redirect{
				{From: "/?p=12", To: "/2016/05/12/palmyre/"},
				{From: "/?cat=3", To: "/category/monde/"},
				{From: "/2016/05/palmyre/", To: "/2016/05/12/palmyre/"},
			}
			for range 2 { // a second run changes nothing
				if err := svc.Import(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			list, total, err := svc.List(ctx, admin, redirects.Filter{Source: redirects.SourceWordPress})
			if err != nil || total != 3 || len(list) != 3 {
				t.Fatalf("list = %d of %d, %v", len(list), total, err)
			}
			if got, ok := lookup(t, "/", "p=12&utm_source=x"); !ok || got.To != "/2016/05/12/palmyre/" {
				t.Fatalf("/?p=12 = %+v, %v", got, ok)
			}
			if got, ok := lookup(t, "/index.php", "cat=3"); !ok || got.To != "/category/monde/" {
				t.Fatalf("/index.php?cat=3 = %+v, %v", got, ok)
			}
			if _, ok := lookup(t, "/", "p=13"); ok {
				t.Fatal("/?p=13 redirected")
			}
			in[0].To = "/2016/05/13/palmyre/"
			if err := svc.Import(ctx, in[:1]); err != nil {
				t.Fatal(err)
			}
			if got, _ := lookup(t, "/", "p=12"); got.To != "/2016/05/13/palmyre/" {
				t.Fatalf("re-import: %+v", got)
			}
			// One bad item: nothing of its batch is written.
			err = svc.Import(ctx, []redirects.Redirect{{From: "/ok-1/", To: "/x/"}, {From: "relative/", To: "/x/"}})
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("bad item: err = %v", err)
			}
			if _, ok := lookup(t, "/ok-1/", ""); ok {
				t.Fatal("half a batch written")
			}
		})

		t.Run("OKSearchPaging", func(t *testing.T) {
			list, total, err := svc.List(ctx, admin, redirects.Filter{Search: "PALMYRE"})
			if err != nil || total != 2 || len(list) != 2 {
				t.Fatalf("search = %d of %d, %v", len(list), total, err)
			}
			list, total, err = svc.List(ctx, admin, redirects.Filter{Search: "chain", Limit: 2, Offset: 2})
			if err != nil || total != 3 || len(list) != 1 || list[0].From != "/chain-d/" {
				t.Fatalf("page 2 = %+v of %d, %v", list, total, err)
			}
			list, _, err = svc.List(ctx, admin, redirects.Filter{Search: "100%_"})
			if err != nil || len(list) != 0 {
				t.Fatalf("wildcards = %+v, %v", list, err)
			}
		})

		t.Run("OKHits", func(t *testing.T) {
			if err := svc.FlushHits(ctx); err != nil { // the lookups above
				t.Fatal(err)
			}
			r, _ := lookup(t, "/", "p=12")
			before, err := svc.Redirect(ctx, admin, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				lookup(t, "/", "p=12")
			}
			if err := svc.FlushHits(ctx); err != nil {
				t.Fatal(err)
			}
			lookup(t, "/", "p=12")
			if err := svc.FlushHits(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Redirect(ctx, admin, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Hits != before.Hits+4 || !got.LastHitAt.Equal(epoch) {
				t.Fatalf("hits = %d at %v", got.Hits, got.LastHitAt)
			}
			if err := svc.FlushHits(ctx); err != nil {
				t.Fatal(err)
			}
			all, err := svc.All(ctx, admin)
			if err != nil || len(all) < 5 {
				t.Fatalf("all = %d, %v", len(all), err)
			}
		})
	})
}

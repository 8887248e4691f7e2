package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/users"
)

func TestRedirectsBackOffice(t *testing.T) {
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	b := as(t, s, users.RoleAdmin)
	only := func(t *testing.T) *redirects.Redirect {
		t.Helper()
		// The demo's redirects are the WordPress import's; the test's
		// own is the one added by hand.
		list, total, err := s.App.Redirects.List(ctx, access.System, redirects.Filter{Source: redirects.SourceManual})
		if err != nil || total != 1 {
			t.Fatalf("list = %v of %d, %v", list, total, err)
		}
		return list[0]
	}
	var id string

	t.Run("OKAdd", func(t *testing.T) {
		resp, body := b.get("/admin/redirects/")
		mustStatus(t, "list", resp, body, http.StatusOK)
		if parse(t, body).Find(`nav a[href="/admin/redirects/"]`).Length() != 1 {
			t.Error("no menu entry")
		}
		resp, body = b.get("/admin/redirects/new")
		mustStatus(t, "form", resp, body, http.StatusOK)
		resp, body = b.post("/admin/redirects/new", url.Values{"from": {"/2016/12/Palmyre/"}, "to": {palmyraPage}, "code": {"301"}})
		mustStatus(t, "add", resp, body, http.StatusSeeOther)
		r := only(t)
		if r.From != "/2016/12/Palmyre/" || r.To != palmyraPage || r.Code != 301 || r.Source != redirects.SourceManual {
			t.Fatalf("saved %+v", r)
		}
		id = strconv.FormatInt(r.ID, 10)
		resp, _ = s.Get(t, "/2016/12/palmyre/")
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != palmyraPage {
			t.Fatalf("public: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = b.get("/admin/redirects/?q=2016/12/palmyre")
		mustStatus(t, "search", resp, body, http.StatusOK)
		d := parse(t, body)
		if d.Find("table.redirects tbody tr").Length() != 1 || !strings.Contains(d.Find("table.redirects").Text(), palmyraPage) {
			t.Errorf("list: %.400s", d.Find("main").Text())
		}
		resp, body = b.get("/admin/redirects/?q=nothing-like-it")
		mustStatus(t, "search", resp, body, http.StatusOK)
		if parse(t, body).Find("table.redirects").Length() != 0 {
			t.Error("search matched nothing but shows rows")
		}
	})

	t.Run("OKEdit", func(t *testing.T) {
		resp, body := b.get("/admin/redirects/" + id)
		mustStatus(t, "form", resp, body, http.StatusOK)
		if v, _ := parse(t, body).Find("#from").Attr("value"); v != "/2016/12/Palmyre/" {
			t.Errorf("from = %q", v)
		}
		resp, body = b.post("/admin/redirects/"+id, url.Values{"from": {"/2016/12/Palmyre/"}, "to": {"/archives/"}, "code": {"302"}})
		mustStatus(t, "edit", resp, body, http.StatusSeeOther)
		if r := only(t); r.To != "/archives/" || r.Code != 302 {
			t.Fatalf("edited %+v", r)
		}
	})

	t.Run("ErrRefused", func(t *testing.T) {
		tests := []struct {
			name, from, to, code, field string
		}{
			{"ErrFrom", "pas-un-chemin", "/x/", "301", "from"},
			{"ErrAdmin", "/admin/users", "/x/", "301", "from"},
			{"ErrDuplicate", "/2016/12/palmyre", "/x/", "301", "from"},
			{"ErrTo", "/vieux/", "javascript:alert(1)", "301", "to"},
			{"ErrLoop", "/vieux/", "/Vieux", "301", "to"},
			{"ErrCode", "/vieux/", "/x/", "307", "code"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := b.post("/admin/redirects/new", url.Values{"from": {tt.from}, "to": {tt.to}, "code": {tt.code}})
				mustStatus(t, "refused", resp, body, http.StatusUnprocessableEntity)
				d := parse(t, body)
				if d.Find("#"+tt.field+"-error").Length() != 1 {
					t.Errorf("no message next to %s: %.300s", tt.field, d.Find("form").Text())
				}
				if v, _ := d.Find("#from").Attr("value"); v != tt.from {
					t.Errorf("from not kept: %q", v)
				}
			})
		}
		only(t)
	})

	t.Run("OKExport", func(t *testing.T) {
		resp, body := b.get("/admin/redirects.csv")
		mustStatus(t, "export", resp, body, http.StatusOK)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(body, "/2016/12/Palmyre/") {
			t.Errorf("csv: %q %.300s", resp.Header.Get("Content-Type"), body)
		}
	})

	t.Run("ErrRoles", func(t *testing.T) {
		for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
			o := as(t, s, role)
			for _, path := range []string{"/admin/redirects/", "/admin/redirects/new", "/admin/redirects/" + id, "/admin/redirects.csv"} {
				resp, body := o.get(path)
				mustStatus(t, string(role)+" GET "+path, resp, body, http.StatusForbidden)
			}
			resp, body := o.post("/admin/redirects/"+id+"/delete", url.Values{})
			mustStatus(t, string(role)+" delete", resp, body, http.StatusForbidden)
			resp, body = o.get("/admin/")
			mustStatus(t, "dashboard", resp, body, http.StatusOK)
			if parse(t, body).Find(`nav a[href="/admin/redirects/"]`).Length() != 0 {
				t.Errorf("%s sees the menu entry", role)
			}
		}
		only(t)
	})

	t.Run("OKDelete", func(t *testing.T) {
		resp, body := b.get("/admin/redirects/" + id + "/delete")
		mustStatus(t, "confirm", resp, body, http.StatusOK)
		if parse(t, body).Find(`form[action="/admin/redirects/`+id+`/delete"] button`).Length() != 1 {
			t.Error("no confirmation form")
		}
		resp, body = b.post("/admin/redirects/"+id+"/delete", url.Values{})
		mustStatus(t, "delete", resp, body, http.StatusSeeOther)
		if _, total, _ := s.App.Redirects.List(ctx, access.System, redirects.Filter{Source: redirects.SourceManual}); total != 0 {
			t.Fatalf("%d left", total)
		}
		resp, _ = s.Get(t, "/2016/12/palmyre/")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("public after delete: %d", resp.StatusCode)
		}
		resp, body = b.post("/admin/redirects/"+id+"/delete", url.Values{})
		mustStatus(t, "delete again", resp, body, http.StatusNotFound)
		resp, body = b.get("/admin/audit")
		mustStatus(t, "audit", resp, body, http.StatusOK)
		log := parse(t, body).Find("main").Text()
		for _, want := range []string{"a supprimé une redirection", "a enregistré une redirection", "/2016/12/Palmyre/ → /archives/"} {
			if !strings.Contains(log, want) {
				t.Errorf("the audit log does not say %q", want)
			}
		}
	})
}

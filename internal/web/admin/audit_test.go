package admin_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// auditRows returns the rows of the audit page at path.
func auditRows(t *testing.T, b *browser, path string) (*goquery.Document, *goquery.Selection) {
	t.Helper()
	resp, body := b.get(path)
	mustStatus(t, "audit page", resp, body, http.StatusOK)
	d := parse(t, body)
	return d, d.Find("table.audit tbody tr")
}

// rowWith returns the first row whose action cell is sentence.
func rowWith(rows *goquery.Selection, sentence string) *goquery.Selection {
	return rows.FilterFunction(func(_ int, r *goquery.Selection) bool {
		return strings.TrimSpace(r.Find("td").Eq(1).Text()) == sentence
	}).First()
}

// TestAuditLog makes changes through the back office and finds them in the
// log, newest first, with their targets.
func TestAuditLog(t *testing.T) {
	s := newSite(t, apptest.Options{})
	p := french(t)
	ctx := context.Background()
	store := storage.NewAuditStore(s.App.DB)
	b := as(t, s, users.RoleAdmin)

	// A settings change, made through the form (times in Nouméa, UTC+11).
	f := settingsForm(t, b)
	f.Set("title", "Le Guetteur")
	f.Set("footer_text", "Merci de nous lire.")
	f.Set("timezone", "Pacific/Noumea")
	resp, body := b.post("/admin/settings", f)
	mustStatus(t, "save settings", resp, body, http.StatusSeeOther)

	// An article written through the editor.
	resp, body = b.post("/admin/articles/new", url.Values{"kind": {"post"}, "title": {"Un article suivi"}, "body": {"Texte."}, "intent": {"save"}})
	mustStatus(t, "create article", resp, body, http.StatusSeeOther)
	articleURL := strings.TrimSuffix(resp.Header.Get("Location"), "?done=saved")

	// Entries about a vanished article, and of an action this page does
	// not know yet.
	at := time.Date(2017, 1, 15, 20, 30, 0, 0, time.UTC)
	for _, e := range []audit.Entry{
		{At: at, UserID: b.user.ID, UserName: b.user.Name, Action: audit.ActionArticleTrash, TargetType: "post",
			TargetID: 999999, Summary: "Un article disparu", IP: "192.0.2.1"},
		{At: at, UserName: "kiosque", Action: "future_action", IP: ""},
	} {
		if err := store.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	d, rows := auditRows(t, b, "/admin/audit")
	if got := d.Find("h1").Text(); got != p.T("admin.nav.audit") {
		t.Errorf("heading = %q", got)
	}
	if !strings.Contains(d.Find("main > p.muted").First().Text(), "Pacific/Noumea") {
		t.Error("the page does not say the time zone of its times")
	}
	want := []string{
		p.T("admin.audit.action.other", "kiosque", "future_action"),
		p.T("admin.audit.action.article_trash", b.user.Name),
		p.T("admin.audit.action.article_create", b.user.Name),
		p.T("admin.audit.action.settings_update", b.user.Name),
	}
	for i, w := range want {
		if got := strings.TrimSpace(rows.Eq(i).Find("td").Eq(1).Text()); got != w {
			t.Errorf("row %d = %q, want %q", i, got, w)
		}
	}

	t.Run("OKSettingsRow", func(t *testing.T) {
		row := rowWith(rows, p.T("admin.audit.action.settings_update", b.user.Name))
		target := row.Find("td").Eq(2)
		if a := target.Find("a"); a.AttrOr("href", "") != "/admin/settings" || a.Text() != p.T("admin.audit.settings") {
			t.Errorf("target = %q → %q", a.Text(), a.AttrOr("href", ""))
		}
		detail := target.Find(".muted").Text()
		for _, field := range []string{"title", "timezone", "footer_text"} {
			if !strings.Contains(detail, p.T("admin.settings.field."+field)) {
				t.Errorf("detail %q does not name %s", detail, field)
			}
		}
		if got := strings.TrimSpace(row.Find("td").Eq(3).Text()); got != "127.0.0.1" {
			t.Errorf("IP = %q", got)
		}
		iso := row.Find("time").AttrOr("datetime", "")
		if _, err := time.Parse(time.RFC3339, iso); err != nil {
			t.Errorf("datetime %q: %v", iso, err)
		}
	})
	t.Run("OKArticleLink", func(t *testing.T) {
		a := rowWith(rows, p.T("admin.audit.action.article_create", b.user.Name)).Find("td").Eq(2).Find("a")
		if a.AttrOr("href", "") != articleURL || a.Text() != "Un article suivi" {
			t.Errorf("target = %q → %q, want a link to %s", a.Text(), a.AttrOr("href", ""), articleURL)
		}
	})
	t.Run("OKVanishedTarget", func(t *testing.T) {
		row := rowWith(rows, p.T("admin.audit.action.article_trash", b.user.Name))
		target := row.Find("td").Eq(2)
		if target.Find("a").Length() != 0 || strings.TrimSpace(target.Text()) != "Un article disparu" {
			t.Errorf("target = %q, want the recorded title without a link", target.Text())
		}
		loc, err := time.LoadLocation("Pacific/Noumea")
		if err != nil {
			t.Fatal(err)
		}
		local := at.In(loc)
		if got, want := strings.TrimSpace(row.Find("time").Text()), p.Date(local, locale.DateShort)+" "+p.Time(local); got != want {
			t.Errorf("time = %q, want %q (Nouméa)", got, want)
		}
	})
	t.Run("OKDemoSeed", func(t *testing.T) {
		if rowWith(rows, p.T("admin.audit.action.settings_update", "kiosque")).Length() != 1 {
			t.Error("the settings written by the demo seed are not in the log")
		}
	})
}

// TestAuditPagination walks the log back page by page.
func TestAuditPagination(t *testing.T) {
	s := newSite(t, apptest.Options{NoDemo: true})
	ctx := context.Background()
	store := storage.NewAuditStore(s.App.DB)
	for i := range 70 {
		e := audit.Entry{At: time.Now(), UserName: "Robot " + strconv.Itoa(i), Action: audit.ActionLoginFailed, IP: "192.0.2.9"}
		if err := store.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	b := as(t, s, users.RoleAdmin) // records its login too
	all, err := store.AuditEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	d, rows := auditRows(t, b, "/admin/audit")
	if rows.Length() != 50 {
		t.Fatalf("first page has %d rows, want 50", rows.Length())
	}
	if d.Find(`.pagination a[href="/admin/audit"]`).Length() != 0 {
		t.Error("first page links to itself as the newest")
	}
	older := d.Find(".pagination a[rel=next]").AttrOr("href", "")
	if want := "/admin/audit?before=" + strconv.FormatInt(all[49].ID, 10); older != want {
		t.Fatalf("older link = %q, want %q", older, want)
	}
	d, rows = auditRows(t, b, older)
	if got, want := rows.Length(), len(all)-50; got != want {
		t.Errorf("second page has %d rows, want %d", got, want)
	}
	if d.Find(".pagination a[rel=next]").Length() != 0 {
		t.Error("last page links to older entries")
	}
	if d.Find(`.pagination a[href="/admin/audit"]`).Length() != 1 {
		t.Error("older page has no link back to the newest entries")
	}
	for _, bad := range []string{"/admin/audit?before=abc", "/admin/audit?before=-4"} {
		if _, rows := auditRows(t, b, bad); rows.Length() != 50 {
			t.Errorf("%s: %d rows, want the first page", bad, rows.Length())
		}
	}
}

// TestAuditActionsHaveSentences reads the actions package audit declares
// and checks that each has its sentence in both languages.
func TestAuditActionsHaveSentences(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../audit/audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(name.Name, "Action") {
				v, _ := strconv.Unquote(lit.Value)
				actions = append(actions, v)
			}
		}
		return true
	})
	if len(actions) < 20 {
		t.Fatalf("found %d actions in audit.go", len(actions))
	}
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locale.Langs() {
		for _, a := range append(actions, "other") {
			if key := "admin.audit.action." + a; !cat.Printer(l).Has(key) {
				t.Errorf("%s: no %q", l, key)
			}
		}
	}
}

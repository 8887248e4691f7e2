package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/users"
)

// demoArticle returns the id of a published demo article, written by a
// demo author: none of the test accounts owns it.
func demoArticle(t *testing.T, s *apptest.Site) int64 {
	t.Helper()
	page, err := s.App.Content.PublicList(context.Background(), content.ArticleFilter{}, 1, 1)
	if err != nil || len(page.Articles) == 0 {
		t.Fatalf("demo article: %v", err)
	}
	return page.Articles[0].ID
}

// article reads an article as the system sees it.
func article(t *testing.T, s *apptest.Site, id int64) *content.Article {
	t.Helper()
	a, err := s.App.Content.EditableArticle(context.Background(), access.System, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestArticleRoutesByRole runs every article route of the back office as
// every role: allowed actions succeed, forbidden ones answer 403 and change
// nothing.
func TestArticleRoutesByRole(t *testing.T) {
	s := newSite(t, apptest.Options{})
	others := demoArticle(t, s)
	before := article(t, s, others)
	id := strconv.FormatInt(others, 10)
	type route struct {
		method, path string
		form         url.Values
	}
	routes := map[string]route{
		"list":       {"GET", "/admin/articles", nil},
		"list trash": {"GET", "/admin/articles?status=trash&q=syrie", nil},
		"new":        {"GET", "/admin/articles/new", nil},
		"dashboard":  {"GET", "/admin/", nil},
		"edit":       {"GET", "/admin/articles/" + id, nil},
		"revisions":  {"GET", "/admin/articles/" + id + "/revisions", nil},
		"save":       {"POST", "/admin/articles/" + id, url.Values{"title": {"Titre changé"}, "body": {"x"}, "version": {strconv.Itoa(before.Version)}, "intent": {"save"}}},
		"autosave":   {"POST", "/admin/articles/" + id + "/autosave", url.Values{"title": {"t"}, "body": {"b"}}},
		"trash":      {"POST", "/admin/articles/" + id + "/trash", nil},
		"bulk trash": {"POST", "/admin/articles/bulk", url.Values{"action": {"trash"}, "id": {id}}},
		"pages":      {"GET", "/admin/pages", nil},
		"new page":   {"GET", "/admin/pages/new", nil},
		"preview":    {"POST", "/admin/preview", url.Values{"body": {"*Bonjour* !"}}},
		"publish own": {"POST", "/admin/articles/new", url.Values{"title": {"Mon article"}, "body": {"Texte."},
			"intent": {"publish"}}},
		"submit own": {"POST", "/admin/articles/new", url.Values{"title": {"Mon brouillon"}, "body": {"Texte."},
			"intent": {"submit"}}},
	}
	ok, seeOther, forbidden := http.StatusOK, http.StatusSeeOther, http.StatusForbidden
	tests := []struct {
		role users.Role
		want map[string]int
	}{
		{users.RoleAdmin, map[string]int{"list": ok, "list trash": ok, "new": ok, "dashboard": ok, "edit": ok, "revisions": ok,
			"autosave": http.StatusNoContent, "pages": ok, "new page": ok, "preview": ok, "publish own": seeOther, "submit own": seeOther}},
		{users.RoleEditor, map[string]int{"list": ok, "list trash": ok, "new": ok, "dashboard": ok, "edit": ok, "revisions": ok,
			"autosave": http.StatusNoContent, "pages": ok, "new page": ok, "preview": ok, "publish own": seeOther, "submit own": seeOther}},
		{users.RoleAuthor, map[string]int{"list": ok, "list trash": ok, "new": ok, "dashboard": ok, "edit": forbidden, "revisions": forbidden,
			"save": forbidden, "autosave": forbidden, "trash": forbidden, "bulk trash": forbidden, "pages": forbidden, "new page": forbidden,
			"preview": ok, "publish own": seeOther, "submit own": seeOther}},
		{users.RoleContributor, map[string]int{"list": ok, "list trash": ok, "new": ok, "dashboard": ok, "edit": forbidden, "revisions": forbidden,
			"save": forbidden, "autosave": forbidden, "trash": forbidden, "bulk trash": forbidden, "pages": forbidden, "new page": forbidden,
			"preview": ok, "publish own": forbidden, "submit own": seeOther}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			b := as(t, s, tt.role)
			for name, rt := range routes {
				want, ok := tt.want[name]
				if !ok {
					continue // changes the shared article: run below
				}
				var resp *http.Response
				var body string
				if rt.method == "GET" {
					resp, body = b.get(rt.path)
				} else {
					resp, body = b.post(rt.path, rt.form)
				}
				if resp.StatusCode != want {
					t.Errorf("%s %s: status %d, want %d\n%.300s", rt.method, rt.path, resp.StatusCode, want, body)
				}
				if want == forbidden && !strings.Contains(body, "Votre rôle ne permet pas cette action.") &&
					!strings.Contains(body, "Accès refusé") {
					t.Errorf("%s %s: 403 page lacks its message", rt.method, rt.path)
				}
			}
			if after := article(t, s, others); after.Version != before.Version || after.Status != before.Status {
				t.Errorf("forbidden actions changed the article: version %d → %d, %s → %s", before.Version, after.Version, before.Status, after.Status)
			}
		})
	}
	// Contributors' submitted articles wait for review; authors' are live.
	counts, err := s.App.Content.Counts(context.Background())
	if err != nil || counts[content.StatusPending] != 4 {
		t.Errorf("pending = %d (%v), want 4 (one per role)", counts[content.StatusPending], err)
	}

	// The actions that change the demo article, by those allowed.
	editor := as(t, s, users.RoleEditor)
	for _, name := range []string{"save", "trash"} {
		rt := routes[name]
		resp, body := editor.post(rt.path, rt.form)
		mustStatus(t, "editor "+name, resp, body, http.StatusSeeOther)
	}
	if a := article(t, s, others); a.Status != content.StatusTrash || a.Title != "Titre changé" {
		t.Errorf("after editor save and trash: %q %s", a.Title, a.Status)
	}

	// Visitors are sent to the login page, or refused.
	v := visitor(t, s)
	resp, _ := v.get("/admin/articles/" + id)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login?next=%2Fadmin%2Farticles%2F") &&
		!strings.HasPrefix(resp.Header.Get("Location"), "/admin/login?next=/admin/articles/") {
		t.Errorf("visitor GET: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := v.post("/admin/articles/"+id+"/restore", nil)
	mustStatus(t, "visitor POST", resp, body, http.StatusUnauthorized)
}

// TestEditorFlow writes, saves with errors, schedules and publishes an
// article through the forms, as a browser without JavaScript would.
func TestEditorFlow(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAuthor)

	// A refused save keeps what was typed, with the message at the field.
	resp, body := b.post("/admin/articles/new", url.Values{"title": {""}, "body": {"Un texte précieux."}, "intent": {"save"}})
	mustStatus(t, "save without title", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Un texte précieux.") || !strings.Contains(body, `id="title-error"`) {
		t.Errorf("refused form lost the text or the message:\n%.3000s", body)
	}
	resp, body = b.post("/admin/articles/new", url.Values{"title": {"Élections"}, "body": {"x"}, "intent": {"schedule"},
		"published_at": {"2001-01-01T10:00"}})
	mustStatus(t, "schedule in the past", resp, body, http.StatusUnprocessableEntity)
	resp, body = b.post("/admin/articles/new", url.Values{"title": {"Élections"}, "body": {"x"}, "intent": {"save"},
		"published_at": {"demain"}})
	mustStatus(t, "bad date", resp, body, http.StatusUnprocessableEntity)

	// Draft, then publish; tags are created on the fly.
	resp, body = b.post("/admin/articles/new", url.Values{"title": {"L'été à Lyon"}, "body": {"Il fait \"chaud\" : 35 degrés !"},
		"tags": {"Lyon, canicule ,"}, "intent": {"save"}, "comments_open": {"on"}})
	mustStatus(t, "save draft", resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/articles/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect %q", loc)
	}
	a := article(t, s, id)
	if a.Status != content.StatusDraft || a.Slug != "l-ete-a-lyon" || len(a.Tags) != 2 {
		t.Errorf("draft = %s %q %v", a.Status, a.Slug, a.Tags)
	}
	resp, body = b.get(loc)
	mustStatus(t, "editor", resp, body, http.StatusOK)
	if !strings.Contains(body, "Enregistré.") {
		t.Error("no confirmation after save")
	}
	// The preview is typeset as the site is.
	resp, body = b.post("/admin/preview", url.Values{"body": {`L'été, il fait chaud : 35 degrés !`}})
	mustStatus(t, "preview", resp, body, http.StatusOK)
	if !strings.Contains(body, "L’été, il fait chaud\u00a0: 35 degrés\u202f!") {
		t.Errorf("preview typography: %q", body)
	}
	resp, body = b.post(fmt.Sprintf("/admin/articles/%d", id), url.Values{"title": {"L'été à Lyon"}, "body": {"Texte final."},
		"version": {strconv.Itoa(a.Version)}, "intent": {"publish"}, "tags": {"Lyon"}})
	mustStatus(t, "publish", resp, body, http.StatusSeeOther)
	a = article(t, s, id)
	if a.Status != content.StatusPublished || len(a.Tags) != 1 {
		t.Fatalf("published = %s %v", a.Status, a.Tags)
	}
	pub := s.MustGet(t, "/search?q=final", http.StatusOK)
	if !strings.Contains(pub, "L’été à Lyon") {
		t.Error("published article not found by the public search")
	}

	// Revisions: one per save; the diff is readable and restorable.
	resp, body = b.get(fmt.Sprintf("/admin/articles/%d/revisions", id))
	mustStatus(t, "revisions", resp, body, http.StatusOK)
	revLinks := regexp.MustCompile(`/admin/revisions/\d+`).FindAllString(body, -1)
	if len(revLinks) < 2 {
		t.Fatalf("want two revisions listed:\n%.2000s", body)
	}
	resp, body = b.get(revLinks[len(revLinks)-1]) // the first draft
	mustStatus(t, "revision", resp, body, http.StatusOK)
	if !strings.Contains(body, "<del") || !strings.Contains(body, "<ins") {
		t.Errorf("revision page shows no diff:\n%.3000s", body)
	}
}

// TestConcurrentEdit: two people save the same version; the second is
// refused, sees both texts, and loses nothing.
func TestConcurrentEdit(t *testing.T) {
	s := newSite(t, apptest.Options{})
	id := demoArticle(t, s)
	a := article(t, s, id)
	path := fmt.Sprintf("/admin/articles/%d", id)
	form := func(body string) url.Values {
		return url.Values{"title": {a.Title}, "body": {body}, "version": {strconv.Itoa(a.Version)}, "intent": {"save"}}
	}
	first, second := as(t, s, users.RoleAdmin), as(t, s, users.RoleEditor)
	resp, body := first.post(path, form("Version de la première."))
	mustStatus(t, "first save", resp, body, http.StatusSeeOther)
	resp, body = second.post(path, form("Version du second, longuement écrite."))
	mustStatus(t, "second save", resp, body, http.StatusConflict)
	if !strings.Contains(body, "Version du second, longuement écrite.") || !strings.Contains(body, "Version de la première.") {
		t.Errorf("conflict page must show both texts:\n%.4000s", body)
	}
	if got := article(t, s, id).Body; got != "Version de la première." {
		t.Errorf("body = %q: the second save overwrote the first", got)
	}
	// The refused text is kept as the second person's autosave.
	resp, body = second.get(path)
	mustStatus(t, "reopen", resp, body, http.StatusOK)
	if !strings.Contains(body, "use_autosave=1") {
		t.Fatal("the refused text is not offered back")
	}
	_, body = second.get(path + "?use_autosave=1")
	if !strings.Contains(body, "Version du second, longuement écrite.") {
		t.Error("use_autosave does not fill the editor")
	}
	// "Keep my version" posts the newer version number: it goes through.
	cur := article(t, s, id)
	f := form("Version du second, longuement écrite.")
	f.Set("version", strconv.Itoa(cur.Version))
	resp, body = second.post(path, f)
	mustStatus(t, "keep mine", resp, body, http.StatusSeeOther)
}

// TestCrossSiteRequestsAreRefused: a form posted from another site, or a
// request with a foreign Origin, is refused before any handler runs.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	s := newSite(t, apptest.Options{})
	id := demoArticle(t, s)
	before := article(t, s, id)
	b := as(t, s, users.RoleAdmin)
	path := fmt.Sprintf("/admin/articles/%d/trash", id)
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
	} {
		resp, body := b.post(path, nil, h...)
		mustStatus(t, fmt.Sprint(h), resp, body, http.StatusForbidden)
		if !strings.Contains(body, "ne vient pas de ce site") {
			t.Errorf("%v: refusal lacks its message", h)
		}
	}
	if a := article(t, s, id); a.Status != before.Status {
		t.Errorf("status %s → %s", before.Status, a.Status)
	}
}

// TestLoginThrottleAndCookie: ten wrong passwords block the account for a
// while, with a clear message, even with the right password; the session
// cookie is HttpOnly, SameSite=Lax and limited to /admin.
func TestLoginThrottleAndCookie(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := visitor(t, s)
	resp, body := b.post("/admin/login", url.Values{"email": {"author@example.org"}, "password": {testPassword}})
	mustStatus(t, "login", resp, body, http.StatusSeeOther)
	c := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"kiosque_session=", "Path=/admin", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(c, want) {
			t.Errorf("cookie %q lacks %s", c, want)
		}
	}
	if strings.Contains(c, "Secure") {
		t.Errorf("cookie %q is Secure on a plain-HTTP site", c)
	}

	// Per account: ten failures from ten addresses.
	login := func(email, password, ip string) (*http.Response, string) {
		return visitor(t, s).post("/admin/login", url.Values{"email": {email}, "password": {password}}, "X-Forwarded-For", ip)
	}
	for i := range 10 {
		resp, body := login("editor@example.org", "wrong "+strconv.Itoa(i), "192.0.2."+strconv.Itoa(i+1))
		mustStatus(t, "wrong password", resp, body, http.StatusUnauthorized)
		if !strings.Contains(body, "Adresse ou mot de passe incorrect.") {
			t.Fatalf("wrong password message:\n%.1500s", body)
		}
	}
	resp, body = login("editor@example.org", testPassword, "198.51.100.1")
	mustStatus(t, "throttled account", resp, body, http.StatusTooManyRequests)
	if !strings.Contains(body, "Trop de tentatives") || !strings.Contains(body, `value="editor@example.org"`) {
		t.Errorf("throttled page lacks the message or the typed address:\n%.1500s", body)
	}
	// An unknown address reads the same as a wrong password.
	resp, body = login("nobody@example.org", "x", "198.51.100.2")
	mustStatus(t, "unknown", resp, body, http.StatusUnauthorized)
	if !strings.Contains(body, "Adresse ou mot de passe incorrect.") {
		t.Error("unknown address message differs")
	}
	// Per address: ten failures on ten accounts block the address.
	for i := range 10 {
		resp, body := login("user"+strconv.Itoa(i)+"@example.org", "x", "203.0.113.9")
		mustStatus(t, "address failures", resp, body, http.StatusUnauthorized)
	}
	resp, body = login("author@example.org", testPassword, "203.0.113.9")
	mustStatus(t, "throttled address", resp, body, http.StatusTooManyRequests)
	resp, body = login("author@example.org", testPassword, "203.0.113.10")
	mustStatus(t, "other address", resp, body, http.StatusSeeOther)
}

package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/users"
)

// msg returns the text of a catalogue message in the site's language.
func msg(s *apptest.Site, key string, args ...any) string {
	return printer(s).T(key, args...)
}

func printer(s *apptest.Site) *locale.Printer {
	return s.App.Catalog.Printer(s.App.Settings.Get().Lang())
}

// taxonomyState is everything the taxonomy pages may change: the
// categories, the tags, and which article has which.
func taxonomyState(t *testing.T, s *apptest.Site) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	cats, err := s.App.Content.AllCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		fmt.Fprintf(&b, "category %d %s %q %q parent %d: %d\n", c.ID, c.Slug, c.Name, c.Description, c.ParentID, c.Count)
	}
	for n := 1; ; n++ {
		p, err := s.App.Content.AdminTags(ctx, content.TagFilter{}, n, content.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range p.Tags {
			fmt.Fprintf(&b, "tag %d %s %q: %d\n", tg.ID, tg.Slug, tg.Name, tg.Count)
		}
		if !p.HasNext() {
			break
		}
	}
	return b.String()
}

// fixture is a category and two tags of one article, made for one test case.
type fixture struct {
	category       *content.Category
	tag, otherTag  *content.Tag
	otherTagName   string
	target         *content.Category
	uniqueNameBase string
}

func newFixture(t *testing.T, s *apptest.Site, name string) fixture {
	t.Helper()
	ctx := context.Background()
	c := &content.Category{Name: "Rubrique " + name}
	if err := s.App.Content.CreateCategory(ctx, c); err != nil {
		t.Fatal(err)
	}
	target, err := s.App.Content.CategoryBySlug(ctx, "culture")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Article " + name, Body: "Texte.",
		Status: content.StatusDraft, CategoryIDs: []int64{c.ID}, Tags: []string{"Sujet " + name, "Autre " + name}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{category: c, tag: &a.Tags[0], otherTag: &a.Tags[1], otherTagName: a.Tags[1].Name, target: target, uniqueNameBase: name}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// taxonomyRoutes are every route of the taxonomy pages, with a request
// that succeeds for whoever may use them.
var taxonomyRoutes = []struct {
	name, method string
	path         func(f fixture) string
	form         func(f fixture) url.Values
	// ok is the status of a successful request.
	ok int
}{
	{"ListCategories", http.MethodGet, func(fixture) string { return "/admin/categories" }, nil, http.StatusOK},
	{"CreateCategory", http.MethodPost, func(fixture) string { return "/admin/categories" },
		func(f fixture) url.Values { return url.Values{"name": {"Nouvelle " + f.uniqueNameBase}} }, http.StatusSeeOther},
	{"ShowCategory", http.MethodGet, func(f fixture) string { return "/admin/categories/" + id(f.category.ID) }, nil, http.StatusOK},
	{"SaveCategory", http.MethodPost, func(f fixture) string { return "/admin/categories/" + id(f.category.ID) },
		func(f fixture) url.Values { return url.Values{"name": {"Renommée " + f.uniqueNameBase}} }, http.StatusSeeOther},
	{"DeleteCategory", http.MethodPost, func(f fixture) string { return "/admin/categories/" + id(f.category.ID) + "/delete" },
		func(f fixture) url.Values { return url.Values{"into": {id(f.target.ID)}} }, http.StatusSeeOther},
	{"ListTags", http.MethodGet, func(fixture) string { return "/admin/tags" }, nil, http.StatusOK},
	{"ShowTag", http.MethodGet, func(f fixture) string { return "/admin/tags/" + id(f.tag.ID) }, nil, http.StatusOK},
	{"RenameTag", http.MethodPost, func(f fixture) string { return "/admin/tags/" + id(f.tag.ID) },
		func(f fixture) url.Values { return url.Values{"name": {"Renommée " + f.uniqueNameBase}} }, http.StatusSeeOther},
	{"MergeTag", http.MethodPost, func(f fixture) string { return "/admin/tags/" + id(f.tag.ID) + "/merge" },
		func(f fixture) url.Values { return url.Values{"into": {f.otherTagName}} }, http.StatusSeeOther},
	{"DeleteTag", http.MethodPost, func(f fixture) string { return "/admin/tags/" + id(f.tag.ID) + "/delete" },
		func(fixture) url.Values { return url.Values{} }, http.StatusSeeOther},
}

// TestTaxonomyAccess sends every route as every role: editors and
// administrators may, authors and contributors get 403 and change nothing,
// and visitors are sent to the login page (GET) or refused (POST).
func TestTaxonomyAccess(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	browsers := map[string]*browser{"visitor": visitor(t, s)}
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		browsers[string(r)] = as(t, s, r)
	}
	n := 0
	for _, rt := range taxonomyRoutes {
		for _, who := range []string{"admin", "editor", "author", "contributor", "visitor"} {
			outcome := map[string]string{"admin": "OK", "editor": "OK", "author": "ErrForbidden", "contributor": "ErrForbidden", "visitor": "ErrLoggedOut"}[who]
			t.Run(rt.name+"/"+outcome+"/"+who, func(t *testing.T) {
				n++
				f := newFixture(t, s, fmt.Sprintf("%s %d", who, n))
				before := taxonomyState(t, s)
				b := browsers[who]
				var resp *http.Response
				var body string
				if rt.method == http.MethodGet {
					resp, body = b.get(rt.path(f))
				} else {
					resp, body = b.post(rt.path(f), rt.form(f))
				}
				switch who {
				case "admin", "editor":
					mustStatus(t, rt.method+" "+rt.path(f), resp, body, rt.ok)
					if rt.method == http.MethodPost && taxonomyState(t, s) == before {
						t.Errorf("%s by %s changed nothing", rt.name, who)
					}
					return
				case "visitor":
					if rt.method == http.MethodGet {
						mustStatus(t, "GET "+rt.path(f), resp, body, http.StatusSeeOther)
						if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login?next=") {
							t.Errorf("Location = %q, want the login page", loc)
						}
					} else {
						mustStatus(t, "POST "+rt.path(f), resp, body, http.StatusUnauthorized)
					}
				default:
					mustStatus(t, rt.method+" "+rt.path(f), resp, body, http.StatusForbidden)
				}
				if after := taxonomyState(t, s); after != before {
					t.Errorf("refused %s changed the taxonomy:\n%s", rt.name, cmp.Diff(before, after))
				}
			})
		}
	}
}

// TestTaxonomyCrossSite checks that a form posted from another site is
// refused before it reaches a handler, even with a valid session.
func TestTaxonomyCrossSite(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	for i, rt := range taxonomyRoutes {
		if rt.method != http.MethodPost {
			continue
		}
		t.Run(rt.name, func(t *testing.T) {
			f := newFixture(t, s, "cross "+strconv.Itoa(i))
			before := taxonomyState(t, s)
			resp, body := b.post(rt.path(f), rt.form(f), "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
			mustStatus(t, "cross-site POST", resp, body, http.StatusForbidden)
			if after := taxonomyState(t, s); after != before {
				t.Errorf("cross-site %s changed the taxonomy:\n%s", rt.name, cmp.Diff(before, after))
			}
		})
	}
}

func TestCategoryList(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	intl, err := s.App.Content.CategoryBySlug(ctx, "international")
	if err != nil {
		t.Fatal(err)
	}
	sub := &content.Category{Name: "Proche-Orient", ParentID: intl.ID}
	if err := s.App.Content.CreateCategory(ctx, sub); err != nil {
		t.Fatal(err)
	}
	// The count is that of the article list it links to.
	intlArticles, err := s.App.Content.AdminList(ctx, content.ArticleFilter{CategoryID: intl.ID}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	b := as(t, s, users.RoleEditor)
	resp, body := b.get("/admin/categories")
	mustStatus(t, "categories", resp, body, http.StatusOK)
	d := parse(t, body)
	var rows []string
	d.Find("table.categories tbody tr").Each(func(_ int, tr *goquery.Selection) {
		rows = append(rows, strings.TrimSpace(tr.Find("td span[aria-hidden]").Text()+tr.Find("td:first-child > a").Text())+" | "+
			tr.Find("td a.address").AttrOr("href", "")+" | "+strings.TrimSpace(tr.Find("td.num").Text())+" "+
			tr.Find("td.num a").AttrOr("href", ""))
	})
	want := []string{
		fmt.Sprintf("International | /category/international/ | %d /admin/articles?category=%d", intlArticles.Total, intl.ID),
		fmt.Sprintf("— Proche-Orient | /category/proche-orient/ | 0 /admin/articles?category=%d", sub.ID),
	}
	if len(rows) < 3 || !cmp.Equal(rows[:2], want) {
		t.Errorf("first rows:\n%s", cmp.Diff(want, rows))
	}
	if got := d.Find(`table.categories a[href="/admin/categories/` + id(sub.ID) + `"]`).Length(); got != 1 {
		t.Errorf("%d edit links to the subcategory, want 1", got)
	}
	// The add form offers every category as parent, indented.
	if got := strings.TrimSpace(d.Find(`#parent_id option[value="` + id(sub.ID) + `"]`).Text()); got != "— Proche-Orient" {
		t.Errorf("parent option = %q", got)
	}
	// The public address is the one the site serves.
	resp, body = s.Get(t, "/category/proche-orient/")
	mustStatus(t, "public category page", resp, body, http.StatusOK)
}

// TestCategoryFormErrors checks that a refused form comes back with 422,
// the message next to its field, and what was typed.
func TestCategoryFormErrors(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	intl, err := s.App.Content.CategoryBySlug(ctx, "international")
	if err != nil {
		t.Fatal(err)
	}
	sub := &content.Category{Name: "Proche-Orient", ParentID: intl.ID}
	if err := s.App.Content.CreateCategory(ctx, sub); err != nil {
		t.Fatal(err)
	}
	b := as(t, s, users.RoleAdmin)
	long := strings.Repeat("x", 1001)
	for _, tt := range []struct {
		name, path string
		form       url.Values
		field      string
		message    string
		// kept are the fields whose typed value must come back.
		kept []string
	}{
		{"ErrNoName", "/admin/categories", url.Values{"name": {"  "}, "slug": {"sport"}, "description": {"Tous les sports."}},
			"name", msg(s, "error.category.name_required"), []string{"slug", "description"}},
		{"ErrSlugTaken", "/admin/categories", url.Values{"name": {"Francophonie"}, "slug": {"france"}},
			"slug", msg(s, "error.category.slug_taken"), []string{"name", "slug"}},
		{"ErrLongDescription", "/admin/categories", url.Values{"name": {"Bavarde"}, "description": {long}},
			"description", msg(s, "error.category.description_too_long", 1000), []string{"name", "description"}},
		{"ErrParentIsChild", "/admin/categories/" + id(intl.ID), url.Values{"name": {"Monde"}, "slug": {"international"}, "parent_id": {id(sub.ID)}},
			"parent_id", msg(s, "error.category.bad_parent"), []string{"name"}},
		{"ErrParentIsItself", "/admin/categories/" + id(intl.ID), url.Values{"name": {"Monde"}, "parent_id": {id(intl.ID)}},
			"parent_id", msg(s, "error.category.bad_parent"), []string{"name"}},
		{"ErrDeleteWithoutTarget", "/admin/categories/" + id(intl.ID) + "/delete", url.Values{},
			"into", msg(s, "error.category.into_required"), nil},
		{"ErrDeleteIntoItself", "/admin/categories/" + id(intl.ID) + "/delete", url.Values{"into": {id(intl.ID)}},
			"into", msg(s, "error.category.into_required"), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := taxonomyState(t, s)
			resp, body := b.post(tt.path, tt.form)
			mustStatus(t, "POST "+tt.path, resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			field := d.Find("#" + tt.field)
			if field.AttrOr("aria-invalid", "") != "true" || field.AttrOr("aria-describedby", "") != tt.field+"-error" {
				t.Errorf("#%s is not marked invalid: %s", tt.field, goquery.NodeName(field))
			}
			if got := strings.TrimSpace(d.Find("#" + tt.field + "-error").Text()); got != tt.message {
				t.Errorf("message next to %s = %q, want %q", tt.field, got, tt.message)
			}
			for _, k := range tt.kept {
				el := d.Find("#" + k)
				got := el.AttrOr("value", "")
				if goquery.NodeName(el) == "textarea" {
					got = el.Text()
				}
				if got != tt.form.Get(k) {
					t.Errorf("#%s = %q, want what was typed: %q", k, got, tt.form.Get(k))
				}
			}
			if after := taxonomyState(t, s); after != before {
				t.Errorf("refused form changed the taxonomy:\n%s", cmp.Diff(before, after))
			}
		})
	}
}

func TestDeleteLastCategory(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{NoDemo: true})
	c := &content.Category{Name: "Seule"}
	if err := s.App.Content.CreateCategory(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	b := as(t, s, users.RoleEditor)
	resp, body := b.get("/admin/categories/" + id(c.ID))
	mustStatus(t, "category page", resp, body, http.StatusOK)
	d := parse(t, body)
	if d.Find(`form[action$="/delete"]`).Length() != 0 || !strings.Contains(d.Find(".notice").Text(), msg(s, "error.category.last")) {
		t.Errorf("the last category offers a delete form")
	}
	resp, body = b.post("/admin/categories/"+id(c.ID)+"/delete", url.Values{"into": {"0"}})
	mustStatus(t, "delete the last category", resp, body, http.StatusUnprocessableEntity)
	if got := parse(t, body).Find("#into-error, .notice").Text(); !strings.Contains(got, msg(s, "error.category.last")) {
		t.Errorf("no message about the last category: %q", got)
	}
	if _, err := s.App.Content.CategoryByID(context.Background(), c.ID); err != nil {
		t.Errorf("the last category was deleted: %v", err)
	}
}

// TestDeleteCategoryMovesArticles deletes a category through the page: its
// articles go to the chosen one (once), its subcategories up a level.
func TestDeleteCategoryMovesArticles(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	culture, err := s.App.Content.CategoryBySlug(ctx, "culture")
	if err != nil {
		t.Fatal(err)
	}
	livres, err := s.App.Content.CategoryBySlug(ctx, "livres")
	if err != nil {
		t.Fatal(err)
	}
	sub := &content.Category{Name: "Poésie", ParentID: livres.ID}
	if err := s.App.Content.CreateCategory(ctx, sub); err != nil {
		t.Fatal(err)
	}
	list, err := s.App.Content.AdminList(ctx, content.ArticleFilter{CategoryID: livres.ID}, 1, content.MaxPageSize)
	if err != nil || list.Total == 0 {
		t.Fatalf("articles in Livres: %d, %v", list.Total, err)
	}
	b := as(t, s, users.RoleEditor)
	resp, body := b.get("/admin/categories/" + id(livres.ID))
	mustStatus(t, "category page", resp, body, http.StatusOK)
	form := parse(t, body).Find(`form[action="/admin/categories/` + id(livres.ID) + `/delete"]`)
	if form.AttrOr("data-confirm", "") == "" || form.Find(`select#into[required]`).Length() != 1 {
		t.Fatalf("delete form without a confirmation or a required choice")
	}
	if form.Find(`option[value="`+id(livres.ID)+`"]`).Length() != 0 {
		t.Errorf("a category is offered to receive its own articles")
	}
	resp, body = b.post("/admin/categories/"+id(livres.ID)+"/delete", url.Values{"into": {id(culture.ID)}})
	mustStatus(t, "delete", resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/categories?done=deleted" {
		t.Errorf("Location = %q", loc)
	}
	for _, a := range list.Articles {
		got, err := s.App.Content.ArticleByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, c := range got.Categories {
			slugs = append(slugs, c.Slug)
		}
		if n := strings.Count(strings.Join(slugs, " "), "culture"); n != 1 || slices.Contains(slugs, "livres") {
			t.Errorf("%s: categories %v, want culture once and no livres", a.Slug, slugs)
		}
	}
	if got, err := s.App.Content.CategoryByID(ctx, sub.ID); err != nil || got.ParentID != 0 {
		t.Errorf("subcategory after the delete: %+v, %v; want it at the top", got, err)
	}
	resp, body = s.Get(t, "/category/livres/")
	mustStatus(t, "deleted category's public page", resp, body, http.StatusNotFound)
}

// TestRenamedCategoryShowsAtOnce renames a category whose public page is
// in the page cache: the next reader sees the new name.
func TestRenamedCategoryShowsAtOnce(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	if s.App.Cache == nil {
		t.Fatal("page cache off")
	}
	for range 2 {
		body := s.MustGet(t, "/category/france/", http.StatusOK)
		if got := strings.TrimSpace(parse(t, body).Find("h1").First().Text()); got != "France" {
			t.Fatalf("h1 = %q", got)
		}
	}
	fr, err := s.App.Content.CategoryBySlug(context.Background(), "france")
	if err != nil {
		t.Fatal(err)
	}
	b := as(t, s, users.RoleEditor)
	resp, body := b.post("/admin/categories/"+id(fr.ID), url.Values{"name": {"France métropolitaine"}, "slug": {"france"},
		"description": {fr.Description}})
	mustStatus(t, "rename", resp, body, http.StatusSeeOther)
	body = s.MustGet(t, "/category/france/", http.StatusOK)
	if got := strings.TrimSpace(parse(t, body).Find("h1").First().Text()); got != "France métropolitaine" {
		t.Errorf("h1 after the rename = %q, want the new name", got)
	}
	resp, body = b.get(resp.Header.Get("Location"))
	mustStatus(t, "category page", resp, body, http.StatusOK)
	if got := parse(t, body).Find(".flash").Text(); got != msg(s, "admin.flash.saved") {
		t.Errorf("flash = %q", got)
	}
}

func TestTagList(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	// Enough tags for three pages.
	for i := range 12 {
		var tags []string
		for j := range 10 {
			tags = append(tags, fmt.Sprintf("Lot %02d-%02d", i, j))
		}
		if _, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: fmt.Sprintf("Lot %d", i), Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	b := as(t, s, users.RoleEditor)
	names := func(body string) []string {
		var out []string
		parse(t, body).Find("table.tags tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) {
			out = append(out, a.Text())
		})
		return out
	}
	for _, tt := range []struct {
		name, query string
		want        []string
		first       string
		count       string
	}{
		{name: "OK/SearchIgnoresAccents", query: "?q=etat", want: []string{"État islamique", "États-Unis"}},
		{name: "OK/SearchIgnoresCase", query: "?q=SYRIE", want: []string{"Syrie"}},
		{name: "OK/NoMatch", query: "?q=zzz", want: nil},
		{name: "OK/ByCount", query: "?sort=count", first: "Prix littéraires"},
		{name: "OK/ByName", query: "", first: "Alep"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get("/admin/tags" + tt.query)
			mustStatus(t, "tags", resp, body, http.StatusOK)
			got := names(body)
			if tt.first != "" {
				if len(got) == 0 || got[0] != tt.first {
					t.Errorf("first tag = %v, want %s", got[:min(len(got), 3)], tt.first)
				}
				return
			}
			if !cmp.Equal(got, tt.want) {
				t.Errorf("tags: %s", cmp.Diff(tt.want, got))
			}
		})
	}
	t.Run("OK/Pages", func(t *testing.T) {
		resp, body := b.get("/admin/tags?q=lot&sort=count")
		mustStatus(t, "tags", resp, body, http.StatusOK)
		d := parse(t, body)
		if got := d.Find("table.tags tbody tr").Length(); got != 50 {
			t.Errorf("%d rows on page 1, want 50", got)
		}
		next := d.Find(`a[rel="next"]`).AttrOr("href", "")
		u, err := url.Parse(next)
		if err != nil || u.Query().Get("q") != "lot" || u.Query().Get("sort") != "count" || u.Query().Get("page") != "2" {
			t.Fatalf("next page link = %q", next)
		}
		if got := strings.TrimSpace(d.Find("p.muted[role=status]").Text()); got != printer(s).N("admin.tags.count", 120) {
			t.Errorf("count = %q", got)
		}
		resp, body = b.get("/admin/tags?q=lot&sort=count&page=3")
		mustStatus(t, "page 3", resp, body, http.StatusOK)
		if got := names(body); len(got) != 20 || got[19] != "Lot 11-09" {
			t.Errorf("page 3: %d tags ending with %v", len(got), got[max(len(got)-1, 0):])
		}
	})
}

// TestTagForms renames, merges and deletes tags through their page.
func TestTagForms(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	tagNamed := func(name string) *content.Tag {
		t.Helper()
		tg, err := s.App.Content.TagNamed(ctx, name)
		if err != nil {
			t.Fatalf("tag %q: %v", name, err)
		}
		return tg
	}
	both, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Les deux", Body: "Texte.",
		Status: content.StatusPublished, Tags: []string{"Irak", "Syrie", "Mossoul"}})
	if err != nil {
		t.Fatal(err)
	}
	b := as(t, s, users.RoleEditor)
	irak, syrie := tagNamed("Irak"), tagNamed("Syrie")

	t.Run("ErrRenameOntoAnother", func(t *testing.T) {
		before := taxonomyState(t, s)
		resp, body := b.post("/admin/tags/"+id(irak.ID), url.Values{"name": {"syrie"}})
		mustStatus(t, "rename", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if d.Find("#name").AttrOr("aria-invalid", "") != "true" || d.Find("#name").AttrOr("value", "") != "syrie" {
			t.Errorf("#name not marked invalid with what was typed")
		}
		if got := d.Find("#name-error").Text(); got != msg(s, "error.tag.exists") {
			t.Errorf("message = %q", got)
		}
		// The merge form is ready with the name typed.
		if got := d.Find(`form[action$="/merge"] #into`).AttrOr("value", ""); got != "syrie" {
			t.Errorf("merge suggestion = %q", got)
		}
		if taxonomyState(t, s) != before {
			t.Error("refused rename changed the taxonomy")
		}
	})
	t.Run("ErrRenameEmpty", func(t *testing.T) {
		resp, body := b.post("/admin/tags/"+id(irak.ID), url.Values{"name": {" "}})
		mustStatus(t, "rename", resp, body, http.StatusUnprocessableEntity)
		if got := parse(t, body).Find("#name-error").Text(); got != msg(s, "error.tag.name_required") {
			t.Errorf("message = %q", got)
		}
	})
	for _, tt := range []struct{ name, into, message string }{
		{"ErrMergeUnknown", "Atlantide", msg(s, "error.tag.unknown")},
		{"ErrMergeEmpty", "", msg(s, "error.tag.unknown")},
		{"ErrMergeItself", "IRAK", msg(s, "error.tag.merge_self")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := taxonomyState(t, s)
			resp, body := b.post("/admin/tags/"+id(irak.ID)+"/merge", url.Values{"into": {tt.into}})
			mustStatus(t, "merge", resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			if d.Find("#into").AttrOr("aria-invalid", "") != "true" || d.Find("#into").AttrOr("value", "") != tt.into {
				t.Errorf("#into not marked invalid with what was typed")
			}
			if got := d.Find("#into-error").Text(); got != tt.message {
				t.Errorf("message = %q, want %q", got, tt.message)
			}
			if taxonomyState(t, s) != before {
				t.Error("refused merge changed the taxonomy")
			}
		})
	}
	t.Run("OK/Merge", func(t *testing.T) {
		resp, body := b.get("/admin/tags/" + id(irak.ID))
		mustStatus(t, "tag page", resp, body, http.StatusOK)
		d := parse(t, body)
		if d.Find(`form[action$="/merge"]`).AttrOr("data-confirm", "") == "" {
			t.Error("merge form asks no confirmation")
		}
		if d.Find(`datalist#tag-names option[value="Syrie"]`).Length() != 1 || d.Find(`datalist#tag-names option[value="Irak"]`).Length() != 0 {
			t.Error("merge suggestions should offer Syrie and not Irak itself")
		}
		irakArticles := irak.Count
		resp, body = b.post("/admin/tags/"+id(irak.ID)+"/merge", url.Values{"into": {"Syrie"}})
		mustStatus(t, "merge", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/tags/"+id(syrie.ID)+"?done=merged" {
			t.Errorf("Location = %q", loc)
		}
		a, err := s.App.Content.ArticleByID(ctx, both.ID)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, tg := range a.Tags {
			slugs = append(slugs, tg.Slug)
		}
		if !cmp.Equal(slugs, []string{"syrie", "mossoul"}) {
			t.Errorf("tags of the article with both: %v, want syrie once", slugs)
		}
		if _, err := s.App.Content.TagByID(ctx, irak.ID); err == nil {
			t.Error("merged tag still there")
		}
		// Syrie now has its articles plus Irak's, less the one they shared.
		if got, err := s.App.Content.TagByID(ctx, syrie.ID); err != nil || got.Count != syrie.Count+irakArticles-1 {
			t.Errorf("Syrie count = %v, %v; want %d", got, err, syrie.Count+irakArticles-1)
		}
	})
	t.Run("OK/Rename", func(t *testing.T) {
		resp, body := b.post("/admin/tags/"+id(syrie.ID), url.Values{"name": {"Syrie (guerre civile)"}})
		mustStatus(t, "rename", resp, body, http.StatusSeeOther)
		s.MustGet(t, "/tag/syrie-guerre-civile/", http.StatusOK)
		s.MustGet(t, "/tag/syrie/", http.StatusNotFound)
	})
	t.Run("OK/Delete", func(t *testing.T) {
		mossoul := tagNamed("Mossoul")
		resp, body := b.get("/admin/tags/" + id(mossoul.ID))
		mustStatus(t, "tag page", resp, body, http.StatusOK)
		want := printer(s).N("admin.tag.delete_confirm", mossoul.Count, "Mossoul")
		if got := parse(t, body).Find(`form[action$="/delete"]`).AttrOr("data-confirm", ""); got != want {
			t.Errorf("delete confirmation = %q, want %q", got, want)
		}
		resp, body = b.post("/admin/tags/"+id(mossoul.ID)+"/delete", url.Values{})
		mustStatus(t, "delete", resp, body, http.StatusSeeOther)
		a, err := s.App.Content.ArticleByID(ctx, both.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Tags) != 1 || a.Tags[0].Slug != "syrie-guerre-civile" || a.Title != "Les deux" {
			t.Errorf("article after the delete: %+v", a.Tags)
		}
		s.MustGet(t, "/tag/mossoul/", http.StatusNotFound)
	})
}

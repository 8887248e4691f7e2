package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// category saves a category as actor, failing the test on error.
func (e *env) category(t *testing.T, actor access.Actor, name string, parent int64) *content.Category {
	t.Helper()
	c := &content.Category{Name: name, ParentID: parent}
	if err := e.content.SaveCategory(context.Background(), actor, c); err != nil {
		t.Fatalf("save category %q: %v", name, err)
	}
	return c
}

// categoriesOf returns the slugs of an article's categories.
func (e *env) categoriesOf(t *testing.T, id int64) []string {
	t.Helper()
	a, err := e.content.ArticleByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, c := range a.Categories {
		out = append(out, c.Slug)
	}
	return out
}

// tagsOf returns the slugs of an article's tags.
func (e *env) tagsOf(t *testing.T, id int64) []string {
	t.Helper()
	a, err := e.content.ArticleByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, tg := range a.Tags {
		out = append(out, tg.Slug)
	}
	return out
}

// parents returns each category's parent slug ("" at the top level).
func (e *env) parents(t *testing.T) map[string]string {
	t.Helper()
	cats, err := e.content.AllCategories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slug := map[int64]string{}
	for _, c := range cats {
		slug[c.ID] = c.Slug
	}
	out := map[string]string{}
	for _, c := range cats {
		out[c.Slug] = slug[c.ParentID]
	}
	return out
}

// lastAudit returns the newest audit entry.
func (e *env) lastAudit(t *testing.T) audit.Entry {
	t.Helper()
	es, err := storage.NewAuditStore(e.db).AuditEntries(context.Background(), 0, 1)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit entries: %v, %v", es, err)
	}
	return es[0]
}

func auditCount(t *testing.T, db *storage.DB) int {
	t.Helper()
	es, err := storage.NewAuditStore(db).AuditEntries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func TestDeleteCategory(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := e.staff(t)
		ed := st[users.RoleEditor]
		monde := e.category(t, ed, "Monde", 0)
		europe := e.category(t, ed, "Europe", monde.ID)
		france := e.category(t, ed, "France", europe.ID)
		sport := e.category(t, ed, "Sport", 0)
		arts := map[string]*content.Article{}
		for name, cats := range map[string][]int64{
			"monde": {monde.ID}, "both": {monde.ID, sport.ID}, "sport": {sport.ID}, "europe": {europe.ID}, "france": {france.ID},
		} {
			arts[name] = e.article(t, content.ArticleInput{Title: "Article " + name, CategoryIDs: cats, PublishedAt: epoch.Add(-time.Hour)})
		}
		draft := e.article(t, content.ArticleInput{Title: "Brouillon", Status: content.StatusDraft, CategoryIDs: []int64{europe.ID}})
		arts["draft"] = draft

		for _, tt := range []struct {
			name     string
			actor    access.Actor
			id, into int64
			kind     apperr.Kind
			key, fld string
		}{
			{name: "ErrForbidden", actor: st[users.RoleAuthor], id: monde.ID, into: sport.ID, kind: apperr.Forbidden, key: "error.forbidden.text"},
			{name: "ErrNoTarget", actor: ed, id: monde.ID, into: 0, kind: apperr.Invalid, key: "error.category.into_required", fld: "into"},
			{name: "ErrIntoItself", actor: ed, id: monde.ID, into: monde.ID, kind: apperr.Invalid, key: "error.category.into_required", fld: "into"},
			{name: "ErrUnknownTarget", actor: ed, id: monde.ID, into: 99999, kind: apperr.Invalid, key: "error.category.into_required", fld: "into"},
			{name: "ErrUnknownCategory", actor: ed, id: 99999, into: sport.ID, kind: apperr.NotFound, key: "error.not_found.text"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := auditCount(t, e.db)
				err := e.content.DeleteCategory(ctx, tt.actor, tt.id, tt.into)
				if !apperr.Is(err, tt.kind) {
					t.Fatalf("err = %v, want %v", err, tt.kind)
				}
				if key, _ := apperr.Message(err); key != tt.key {
					t.Errorf("key = %q, want %q", key, tt.key)
				}
				if ae := (*apperr.Error)(nil); tt.fld != "" && (!errors.As(err, &ae) || ae.Field != tt.fld) {
					t.Errorf("field of %v, want %q", err, tt.fld)
				}
				if got := e.categoriesOf(t, arts["monde"].ID); !cmp.Equal(got, []string{"monde"}) {
					t.Errorf("refused delete moved articles: %v", got)
				}
				if got := auditCount(t, e.db); got != before {
					t.Errorf("refused delete audited: %d entries, want %d", got, before)
				}
			})
		}

		t.Run("OK/Child", func(t *testing.T) {
			// Europe goes: its articles to Monde, France up under Monde.
			if err := e.content.DeleteCategory(ctx, ed, europe.ID, monde.ID); err != nil {
				t.Fatal(err)
			}
			if got, want := e.parents(t), map[string]string{"monde": "", "france": "monde", "sport": ""}; !cmp.Equal(got, want) {
				t.Errorf("parents: %s", cmp.Diff(want, got))
			}
			for _, name := range []string{"europe", "draft"} {
				if got := e.categoriesOf(t, arts[name].ID); !cmp.Equal(got, []string{"monde"}) {
					t.Errorf("%s: categories %v, want [monde]", name, got)
				}
			}
			got := e.lastAudit(t)
			if got.Action != audit.ActionTaxonomy || got.TargetType != "category" || got.TargetID != europe.ID ||
				got.UserID != ed.UserID || !strings.Contains(got.Summary, "Europe") || !strings.Contains(got.Summary, "Monde") {
				t.Errorf("audit entry = %+v", got)
			}
		})

		t.Run("OK/Top", func(t *testing.T) {
			// Monde goes into Sport: an article in both keeps one link.
			if err := e.content.DeleteCategory(ctx, ed, monde.ID, sport.ID); err != nil {
				t.Fatal(err)
			}
			if got, want := e.parents(t), map[string]string{"france": "", "sport": ""}; !cmp.Equal(got, want) {
				t.Errorf("parents: %s", cmp.Diff(want, got))
			}
			for _, name := range []string{"monde", "both", "sport", "europe", "draft"} {
				if got := e.categoriesOf(t, arts[name].ID); !cmp.Equal(got, []string{"sport"}) {
					t.Errorf("%s: categories %v, want [sport]", name, got)
				}
			}
			cats, err := e.content.AllCategories(ctx)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, c := range cats {
				counts[c.Slug] = c.Count
			}
			if want := map[string]int{"sport": 5, "france": 1}; !cmp.Equal(counts, want) {
				t.Errorf("counts: %s", cmp.Diff(want, counts))
			}
		})

		t.Run("ErrLast", func(t *testing.T) {
			if err := e.content.DeleteCategory(ctx, ed, france.ID, sport.ID); err != nil {
				t.Fatal(err)
			}
			err := e.content.DeleteCategory(ctx, ed, sport.ID, 0)
			if key, _ := apperr.Message(err); !apperr.Is(err, apperr.Invalid) || key != "error.category.last" {
				t.Fatalf("delete the last category: err = %v, want error.category.last", err)
			}
			if _, err := e.content.CategoryByID(ctx, sport.ID); err != nil {
				t.Errorf("last category gone: %v", err)
			}
		})
	})
}

func TestSaveCategory(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		ed := e.staff(t)[users.RoleEditor]
		monde := e.category(t, ed, "Monde", 0)
		europe := e.category(t, ed, "Europe", monde.ID)
		if monde.Position >= europe.Position {
			t.Errorf("positions %d, %d: a new category goes last", monde.Position, europe.Position)
		}
		for _, tt := range []struct {
			name string
			c    content.Category
			kind apperr.Kind
			key  string
			fld  string
		}{
			{"ErrNoName", content.Category{Name: "  "}, apperr.Invalid, "error.category.name_required", "name"},
			{"ErrLongName", content.Category{Name: strings.Repeat("é", content.MaxTaxonomyName+1)}, apperr.Invalid, "error.category.name_required", "name"},
			{"ErrLongDescription", content.Category{Name: "Long", Description: strings.Repeat("x", 1001)}, apperr.Invalid, "error.category.description_too_long", "description"},
			{"ErrSlugTaken", content.Category{Name: "Autre", Slug: "Europe"}, apperr.Conflict, "error.category.slug_taken", "slug"},
			{"ErrParentItself", content.Category{ID: monde.ID, Name: "Monde", ParentID: monde.ID}, apperr.Invalid, "error.category.bad_parent", "parent_id"},
			{"ErrParentDescendant", content.Category{ID: monde.ID, Name: "Monde", ParentID: europe.ID}, apperr.Invalid, "error.category.bad_parent", "parent_id"},
			{"ErrParentUnknown", content.Category{Name: "Orpheline", ParentID: 99999}, apperr.Invalid, "error.category.bad_parent", "parent_id"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c := tt.c
				err := e.content.SaveCategory(ctx, ed, &c)
				if !apperr.Is(err, tt.kind) {
					t.Fatalf("err = %v, want %v", err, tt.kind)
				}
				key, args := apperr.Message(err)
				if key != tt.key {
					t.Errorf("key = %q, want %q", key, tt.key)
				}
				if tt.key == "error.category.description_too_long" && !cmp.Equal(args, []any{1000}) {
					t.Errorf("args = %v, want the limit", args)
				}
				if ae := (*apperr.Error)(nil); !errors.As(err, &ae) || ae.Field != tt.fld {
					t.Errorf("field of %v, want %q", err, tt.fld)
				}
			})
		}
		t.Run("OK/Update", func(t *testing.T) {
			c, err := e.content.CategoryByID(ctx, europe.ID)
			if err != nil {
				t.Fatal(err)
			}
			pos := c.Position
			c.Name, c.Slug, c.ParentID, c.Description = "Union européenne", "", 0, "  Bruxelles et les Vingt-Sept. "
			if err := e.content.SaveCategory(ctx, ed, c); err != nil {
				t.Fatal(err)
			}
			got, err := e.content.CategoryByID(ctx, europe.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := content.Category{ID: europe.ID, Slug: "union-europeenne", Name: "Union européenne", Description: "Bruxelles et les Vingt-Sept.", Position: pos}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("updated category (-want +got):\n%s", diff)
			}
		})
	})
}

func TestTagList(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		pub := epoch.Add(-time.Hour)
		for _, tags := range [][]string{
			{"Syrie", "État islamique"}, {"Syrie", "Irak"}, {"Syrie (guerre)", "50_50"}, {"Syrie"}, {"50x50", "Irak"},
		} {
			e.article(t, content.ArticleInput{Title: strings.Join(tags, " "), Tags: tags, PublishedAt: pub})
		}
		trashed := e.article(t, content.ArticleInput{Title: "À jeter", Tags: []string{"Poubelle", "Syrie"}, PublishedAt: pub})
		if err := e.content.Trash(ctx, access.System, trashed.ID); err != nil {
			t.Fatal(err)
		}
		all := []string{"50-50", "50x50", "etat-islamique", "irak", "poubelle", "syrie", "syrie-guerre"}
		for _, tt := range []struct {
			name      string
			f         content.TagFilter
			want      []string
			wantTotal int
		}{
			{name: "OK/All", f: content.TagFilter{}, want: all, wantTotal: 7},
			{name: "OK/AccentsIgnored", f: content.TagFilter{Search: "etat", SearchSlug: "etat"}, want: []string{"etat-islamique"}, wantTotal: 1},
			{name: "OK/CaseIgnored", f: content.TagFilter{Search: "SYRIE", SearchSlug: "syrie"}, want: []string{"syrie", "syrie-guerre"}, wantTotal: 2},
			{name: "OK/NameOnly", f: content.TagFilter{Search: "(guerre"}, want: []string{"syrie-guerre"}, wantTotal: 1},
			{name: "OK/UnderscoreIsLiteral", f: content.TagFilter{Search: "50_50", SearchSlug: "50-50"}, want: []string{"50-50"}, wantTotal: 1},
			{name: "OK/PercentIsLiteral", f: content.TagFilter{Search: "%"}, want: nil, wantTotal: 0},
			{name: "OK/ExactName", f: content.TagFilter{Name: "Syrie"}, want: []string{"syrie"}, wantTotal: 1},
			{name: "OK/ByCount", f: content.TagFilter{ByCount: true, Limit: 3}, want: []string{"syrie", "irak", "50-50"}, wantTotal: 7},
			{name: "OK/Page", f: content.TagFilter{Offset: 2, Limit: 2}, want: []string{"etat-islamique", "irak"}, wantTotal: 7},
			{name: "OK/PastTheEnd", f: content.TagFilter{Offset: 7, Limit: 2}, want: nil, wantTotal: 7},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := storage.NewContentStore(e.db).TagList(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var slugs []string
				for _, tg := range got {
					slugs = append(slugs, tg.Slug)
				}
				if !cmp.Equal(slugs, tt.want) || total != tt.wantTotal {
					t.Errorf("TagList(%+v) = %v (total %d), want %v (total %d)", tt.f, slugs, total, tt.want, tt.wantTotal)
				}
			})
		}
		t.Run("OK/CountsLeaveTheTrashOut", func(t *testing.T) {
			p, err := e.content.AdminTags(ctx, content.TagFilter{}, 1, 100)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, tg := range p.Tags {
				counts[tg.Slug] = tg.Count
			}
			want := map[string]int{"50-50": 1, "50x50": 1, "etat-islamique": 1, "irak": 2, "poubelle": 0, "syrie": 3, "syrie-guerre": 1}
			if !cmp.Equal(counts, want) {
				t.Errorf("counts: %s", cmp.Diff(want, counts))
			}
			syrie, err := e.content.TagNamed(ctx, "syrie")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := e.content.TagByID(ctx, syrie.ID); err != nil || got.Count != 3 {
				t.Errorf("TagByID(syrie).Count = %v, %v; want 3", got, err)
			}
		})
		t.Run("OK/AdminTagsPages", func(t *testing.T) {
			p, err := e.content.AdminTags(ctx, content.TagFilter{Search: " Syrie "}, 2, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Tags) != 1 || p.Tags[0].Slug != "syrie-guerre" || p.Total != 2 || p.Pages() != 2 || !p.HasPrev() || p.HasNext() {
				t.Errorf("page 2 of the Syrie search = %+v", p)
			}
		})
		t.Run("TagNamed", func(t *testing.T) {
			for _, tt := range []struct{ name, in, want string }{
				{"OK/ExactName", "Syrie (guerre)", "syrie-guerre"},
				{"OK/WithoutAccents", "etat islamique", "etat-islamique"},
				{"ErrUnknown", "Liban", ""},
				{"ErrEmpty", "  ", ""},
			} {
				t.Run(tt.name, func(t *testing.T) {
					got, err := e.content.TagNamed(ctx, tt.in)
					if tt.want == "" {
						if key, _ := apperr.Message(err); !apperr.Is(err, apperr.NotFound) || key != "error.tag.unknown" {
							t.Errorf("TagNamed(%q) = %v, %v; want NotFound error.tag.unknown", tt.in, got, err)
						}
						return
					}
					if err != nil || got.Slug != tt.want {
						t.Errorf("TagNamed(%q) = %+v, %v; want %s", tt.in, got, err, tt.want)
					}
				})
			}
		})
	})
}

func TestMergeTags(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := e.staff(t)
		ed := st[users.RoleEditor]
		pub := epoch.Add(-time.Hour)
		both := e.article(t, content.ArticleInput{Title: "Les deux", Tags: []string{"Irak", "Syrie", "Liban"}, PublishedAt: pub})
		irak := e.article(t, content.ArticleInput{Title: "Irak", Tags: []string{"Irak"}, PublishedAt: pub})
		syrie := e.article(t, content.ArticleInput{Title: "Syrie", Tags: []string{"Syrie"}, PublishedAt: pub})
		from, err := e.content.TagNamed(ctx, "Irak")
		if err != nil {
			t.Fatal(err)
		}
		into, err := e.content.TagNamed(ctx, "Syrie")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.content.MergeTags(ctx, ed, into.ID, into.ID); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("merge into itself: err = %v, want Invalid", err)
		}
		if err := e.content.MergeTags(ctx, st[users.RoleAuthor], from.ID, into.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("author merges: err = %v, want Forbidden", err)
		}
		if err := e.content.MergeTags(ctx, ed, from.ID, into.ID); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			id   int64
			want []string
		}{
			{"OK/Both", both.ID, []string{"syrie", "liban"}},
			{"OK/From", irak.ID, []string{"syrie"}},
			{"OK/Into", syrie.ID, []string{"syrie"}},
		} {
			if got := e.tagsOf(t, tt.id); !cmp.Equal(got, tt.want) {
				t.Errorf("%s: tags %v, want %v", tt.name, got, tt.want)
			}
		}
		if got, err := e.content.TagByID(ctx, into.ID); err != nil || got.Count != 3 {
			t.Errorf("Syrie after the merge: %+v, %v; want 3 articles", got, err)
		}
		if _, err := e.content.TagByID(ctx, from.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("merged tag still there: %v", err)
		}
		if got := e.lastAudit(t); got.TargetType != "tag" || got.TargetID != into.ID || got.Summary != "Irak → Syrie" {
			t.Errorf("audit entry = %+v", got)
		}
	})
}

// TestTaxonomyWritesAreAudited checks that every write records one audit
// entry in its transaction, and that a refused write records none.
func TestTaxonomyWritesAreAudited(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		ed := e.staff(t)[users.RoleEditor]
		e.article(t, content.ArticleInput{Title: "Étiquetté", Tags: []string{"Un", "Deux", "Trois"}})
		tag := func(name string) int64 {
			tg, err := e.content.TagNamed(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return tg.ID
		}
		var a, b *content.Category
		for _, tt := range []struct {
			name  string
			write func() error
			added int
		}{
			{"OK/CreateCategory", func() error { a = &content.Category{Name: "A"}; return e.content.SaveCategory(ctx, ed, a) }, 1},
			{"OK/CreateAnother", func() error { b = &content.Category{Name: "B"}; return e.content.SaveCategory(ctx, ed, b) }, 1},
			{"OK/UpdateCategory", func() error { a.Name = "A bis"; return e.content.SaveCategory(ctx, ed, a) }, 1},
			{"ErrSlugTaken", func() error { c := &content.Category{Name: "B"}; return e.content.SaveCategory(ctx, ed, c) }, 0},
			{"OK/DeleteCategory", func() error { return e.content.DeleteCategory(ctx, ed, a.ID, b.ID) }, 1},
			{"ErrRenameOntoAnother", func() error { return e.content.RenameTag(ctx, ed, tag("Un"), "deux") }, 0},
			{"OK/RenameTag", func() error { return e.content.RenameTag(ctx, ed, tag("Un"), "Premier") }, 1},
			{"OK/MergeTags", func() error { return e.content.MergeTags(ctx, ed, tag("Premier"), tag("Deux")) }, 1},
			{"OK/DeleteTag", func() error { return e.content.DeleteTag(ctx, ed, tag("Trois")) }, 1},
		} {
			before := auditCount(t, e.db)
			err := tt.write()
			if strings.HasPrefix(tt.name, "OK") != (err == nil) {
				t.Fatalf("%s: err = %v", tt.name, err)
			}
			if got := auditCount(t, e.db) - before; got != tt.added {
				t.Errorf("%s: %d audit entries added, want %d", tt.name, got, tt.added)
			}
		}
	})
}

// TestTaxonomyWritesNotify checks that taxonomy writes announce a change,
// which is what purges the public page cache.
func TestTaxonomyWritesNotify(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		ed := e.staff(t)[users.RoleEditor]
		e.article(t, content.ArticleInput{Title: "Notice", Tags: []string{"Avant"}})
		rec := newRecorder(e.db)
		c := e.category(t, ed, "Culture", 0)
		rec.wait(t, func(ch storage.Change) bool { return ch.Entity == storage.EntityTaxonomy })
		c.Name = "Culture et idées"
		if err := e.content.SaveCategory(ctx, ed, c); err != nil {
			t.Fatal(err)
		}
		tg, err := e.content.TagNamed(ctx, "Avant")
		if err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		rec.changes = nil
		rec.mu.Unlock()
		if err := e.content.RenameTag(ctx, ed, tg.ID, "Après"); err != nil {
			t.Fatal(err)
		}
		rec.wait(t, func(ch storage.Change) bool { return ch.Entity == storage.EntityAll })
	})
}

// BenchmarkTagList lists a newsroom's 5,000 tags a page at a time, by
// name and by count, as the back office does.
func BenchmarkTagList(b *testing.B) {
	for _, be := range storagetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			db := storagetest.MustOpen(b, be.DSN(b), jobs.Migrate)
			store := storage.NewContentStore(db)
			seedTags(b, store, 5000)
			ctx := context.Background()
			for _, f := range []struct {
				name string
				f    content.TagFilter
			}{
				{"ByName", content.TagFilter{Offset: 2500, Limit: 50}},
				{"ByCount", content.TagFilter{ByCount: true, Offset: 2500, Limit: 50}},
				{"Search", content.TagFilter{Search: "tiquette 12", SearchSlug: "tiquette-12", Limit: 50}},
			} {
				b.Run(f.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						tags, total, err := store.TagList(ctx, f.f)
						if err != nil || len(tags) == 0 || total == 0 {
							b.Fatalf("TagList: %d tags, total %d, %v", len(tags), total, err)
						}
					}
				})
			}
		})
	}
}

// seedTags stores n tags on n/5 articles: five tags of their own each, and
// one of the first fifty, so that counts differ.
func seedTags(b *testing.B, store *storage.ContentStore, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n / 5 {
		a := &content.Article{Slug: fmt.Sprintf("article-%d", i), Title: "Article", Status: content.StatusPublished,
			PublishedAt: epoch, CreatedAt: epoch, UpdatedAt: epoch}
		for k := i * 5; k < i*5+5; k++ {
			a.Tags = append(a.Tags, content.Tag{Slug: fmt.Sprintf("etiquette-%04d", k), Name: fmt.Sprintf("Étiquette %04d", k)})
		}
		if k := i % 50; k/5 != i {
			a.Tags = append(a.Tags, content.Tag{Slug: fmt.Sprintf("etiquette-%04d", k), Name: fmt.Sprintf("Étiquette %04d", k)})
		}
		if err := store.CreateArticle(ctx, a, "", content.Effects{}); err != nil {
			b.Fatal(err)
		}
	}
}

package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// newsroom seeds a small newsroom and returns the articles by short name.
func (e *env) newsroom(t *testing.T) (fixture, map[string]*content.Article) {
	t.Helper()
	f := e.fixture(t)
	day := func(m time.Month, d, h int) time.Time { return time.Date(2016, m, d, h, 0, 0, 0, time.UTC) }
	arts := map[string]*content.Article{}
	for _, in := range []struct {
		name string
		in   content.ArticleInput
	}{
		{"palmyre", content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Les jihadistes de l'État islamique sont entrés dans la cité antique.",
			PublishedAt: day(12, 11, 18), Featured: true, AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Syrie", "État islamique"}}},
		{"alep", content.ArticleInput{Title: "Alep : fin de l'évacuation", Body: "Le régime reprend toute la ville d'Alep.",
			PublishedAt: day(12, 22, 20), AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Syrie"}}},
		{"mossoul", content.ArticleInput{Title: "Irak : offensive sur Mossoul", Body: "Les forces irakiennes attaquent l'État islamique.",
			PublishedAt: day(10, 17, 8), AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Irak", "État islamique"}}},
		{"hollande", content.ArticleInput{Title: "François Hollande renonce", Body: "Le président ne se représentera pas aux élections.",
			PublishedAt: day(12, 1, 20), Featured: true, AuthorIDs: []int64{f.julien.ID}, CategoryIDs: []int64{f.france.ID}, Tags: []string{"Élection présidentielle"}}},
		// 23:30 UTC on 30 November is 1 December in Paris.
		{"fillon", content.ArticleInput{Title: "Primaire de la droite", Body: "Une élection sans surprise.",
			PublishedAt: time.Date(2016, 11, 30, 23, 30, 0, 0, time.UTC), AuthorIDs: []int64{f.julien.ID}, CategoryIDs: []int64{f.france.ID, f.intl.ID}, Tags: []string{"Élection présidentielle"}}},
		{"draft", content.ArticleInput{Title: "Brouillon sur la Syrie", Body: "Pas encore prêt.", Status: content.StatusDraft,
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Syrie", "Secret"}}},
		{"later", content.ArticleInput{Title: "Programmé en Syrie", Body: "Publié plus tard.", Status: content.StatusScheduled,
			PublishedAt: epoch.Add(time.Hour), AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Syrie"}}},
	} {
		arts[in.name] = e.article(t, in.in)
	}
	return f, arts
}

func slugsOf(arts []*content.Article) []string {
	out := make([]string, len(arts))
	for i, a := range arts {
		out[i] = a.Slug
	}
	return out
}

func TestPublicList(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		_, arts := e.newsroom(t)
		ctx := context.Background()
		yes := true
		tests := []struct {
			name      string
			filter    content.ArticleFilter
			page      int
			size      int
			want      []string
			wantTotal int
		}{
			{"OKAll", content.ArticleFilter{}, 1, 10, []string{"alep", "palmyre", "hollande", "fillon", "mossoul"}, 5},
			{"OKPaged", content.ArticleFilter{}, 2, 2, []string{"hollande", "fillon"}, 5},
			{"OKLastPage", content.ArticleFilter{}, 3, 2, []string{"mossoul"}, 5},
			{"OKCategory", content.ArticleFilter{CategorySlug: "france"}, 1, 10, []string{"hollande", "fillon"}, 2},
			{"OKTag", content.ArticleFilter{TagSlug: "etat-islamique"}, 1, 10, []string{"palmyre", "mossoul"}, 2},
			{"OKAuthor", content.ArticleFilter{AuthorSlug: "julien-ferrand"}, 1, 10, []string{"hollande", "fillon"}, 2},
			{"OKFeatured", content.ArticleFilter{Featured: &yes}, 1, 10, []string{"palmyre", "hollande"}, 2},
			{"OKMonthInParis", content.ArticleFilter{Year: 2016, Month: 12, Location: e.paris}, 1, 10, []string{"alep", "palmyre", "hollande", "fillon"}, 4},
			{"OKYear", content.ArticleFilter{Year: 2016, Location: e.paris}, 1, 10, []string{"alep", "palmyre", "hollande", "fillon", "mossoul"}, 5},
			{"OKExclude", content.ArticleFilter{ExcludeIDs: []int64{arts["alep"].ID, arts["hollande"].ID}}, 1, 10, []string{"palmyre", "fillon", "mossoul"}, 3},
			{"OKUnknownTag", content.ArticleFilter{TagSlug: "nope"}, 1, 10, nil, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := e.content.PublicList(ctx, tt.filter, tt.page, tt.size)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]string, len(tt.want))
				for i, n := range tt.want {
					want[i] = arts[n].Slug
				}
				if diff := cmp.Diff(want, slugsOf(p.Articles)); diff != "" {
					t.Errorf("articles (-want +got):\n%s", diff)
				}
				if p.Total != tt.wantTotal {
					t.Errorf("Total = %d, want %d", p.Total, tt.wantTotal)
				}
				for _, a := range p.Articles {
					if len(a.Authors) == 0 || len(a.Categories) == 0 {
						t.Errorf("%s: relations not loaded: %+v %+v", a.Slug, a.Authors, a.Categories)
					}
					if a.BodyHTML != "" {
						t.Errorf("%s: listing loaded the body", a.Slug)
					}
				}
			})
		}
		t.Run("ErrPastLastPage", func(t *testing.T) {
			if _, err := e.content.PublicList(ctx, content.ArticleFilter{}, 4, 2); err == nil {
				t.Error("page 4 of 3: no error")
			}
		})
		t.Run("ErrBadSize", func(t *testing.T) {
			if _, err := e.content.PublicList(ctx, content.ArticleFilter{}, 1, 100000); err == nil {
				t.Error("size 100000: no error")
			}
		})
	})
}

func TestSearchFrench(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		_, arts := e.newsroom(t)
		ctx := context.Background()
		an := search.New("fr")
		tests := []struct {
			q    string
			want []string
		}{
			{"l'État", []string{"palmyre", "mossoul"}},
			{"ETAT islamique", []string{"palmyre", "mossoul"}},
			{"etats", []string{"palmyre", "mossoul"}},
			{"élection", []string{"hollande", "fillon"}},
			{"elections", []string{"hollande", "fillon"}},
			{"Alep", []string{"alep"}},
			{"syrie", nil}, // only the draft and the scheduled article say it
			{`"; DROP TABLE articles; --`, nil},
			{`palmyre OR NEAR(a b) * : & | ! \`, nil},
		}
		for _, tt := range tests {
			t.Run(tt.q, func(t *testing.T) {
				p, err := e.content.Search(ctx, an.Query(tt.q), 1, 10)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, a := range p.Articles {
					got[a.Slug] = true
				}
				want := map[string]bool{}
				for _, n := range tt.want {
					want[arts[n].Slug] = true
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("results (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestRelatedAndTaxonomy(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		_, arts := e.newsroom(t)
		ctx := context.Background()
		page, err := e.content.PublicArticle(ctx, arts["palmyre"].Slug)
		if err != nil {
			t.Fatal(err)
		}
		// Mossoul shares a tag and a category, Alep a tag and a category;
		// Fillon only the category. Drafts and scheduled never appear.
		var rel []string
		for _, st := range page.Related {
			rel = append(rel, st.Slug)
		}
		if diff := cmp.Diff([]string{arts["alep"].Slug, arts["mossoul"].Slug, arts["fillon"].Slug}, rel); diff != "" {
			t.Errorf("related (-want +got):\n%s", diff)
		}

		cats, err := e.content.Categories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		gotCats := map[string]int{}
		for _, c := range cats {
			gotCats[c.Slug] = c.Count
		}
		if diff := cmp.Diff(map[string]int{"international": 4, "france": 2}, gotCats); diff != "" {
			t.Errorf("category counts (-want +got):\n%s", diff)
		}
		tags, err := e.content.Tags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		gotTags := map[string]int{}
		for _, tg := range tags {
			gotTags[tg.Slug] = tg.Count
		}
		if diff := cmp.Diff(map[string]int{"syrie": 2, "etat-islamique": 2, "irak": 1, "election-presidentielle": 2}, gotTags); diff != "" {
			t.Errorf("tag counts (-want +got), secret tag of a draft must not show:\n%s", diff)
		}
		authors, err := e.content.Authors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(authors) != 2 || authors[0].Name != "Claire Morel" || authors[0].Count != 3 || authors[1].Count != 2 {
			t.Errorf("authors = %+v", authors)
		}
		months, err := e.content.ArchiveMonths(ctx, e.paris)
		if err != nil {
			t.Fatal(err)
		}
		want := []content.MonthCount{{Year: 2016, Month: 12, Count: 4}, {Year: 2016, Month: 10, Count: 1}}
		if diff := cmp.Diff(want, months); diff != "" {
			t.Errorf("archive months (-want +got):\n%s", diff)
		}
		stubs, total, err := e.content.PublicStubs(ctx, time.Date(2016, 12, 10, 0, 0, 0, 0, time.UTC), 1)
		if err != nil || total != 2 || len(stubs) != 2 || stubs[0].Slug != arts["alep"].Slug {
			t.Errorf("stubs since 10 Dec = %+v (total %d), %v", stubs, total, err)
		}
		lm, err := e.content.LastModified(ctx)
		if err != nil || lm.IsZero() {
			t.Errorf("LastModified = %v, %v", lm, err)
		}
		// Once the scheduled article is out, it is related too.
		e.clock.Advance(2 * time.Hour)
		if _, err := e.content.PublishDue(ctx); err != nil {
			t.Fatal(err)
		}
		page, err = e.content.PublicArticle(ctx, arts["palmyre"].Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Related) != 4 || page.Related[0].Slug != arts["later"].Slug {
			t.Errorf("related after publication = %+v, want the new Syria article first", page.Related)
		}
		n, err := e.content.RefreshAllRelated(ctx)
		if err != nil || n != 6 {
			t.Errorf("RefreshAllRelated = %d, %v; want the 6 published articles", n, err)
		}
	})
}

func TestScheduledPublishing(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		_, arts := e.newsroom(t)
		ctx := context.Background()
		later := arts["later"]
		if later.Status != content.StatusScheduled {
			t.Fatalf("status = %s", later.Status)
		}
		if _, err := e.content.PublicArticle(ctx, later.Slug); err == nil {
			t.Fatal("scheduled article visible before its time")
		}
		n, err := e.content.PublishDue(ctx)
		if err != nil || n != 0 {
			t.Fatalf("PublishDue before time = %d, %v", n, err)
		}
		e.clock.Advance(2 * time.Hour)
		n, err = e.content.PublishDue(ctx)
		if err != nil || n != 1 {
			t.Fatalf("PublishDue after time = %d, %v; want 1", n, err)
		}
		// Twice (or on another instance): nothing more happens.
		if done, err := e.content.PublishScheduled(ctx, later.ID); err != nil || done {
			t.Errorf("second publish = %v, %v; want false", done, err)
		}
		got, err := e.content.PublicArticle(ctx, later.Slug)
		if err != nil {
			t.Fatalf("scheduled article not public after its time: %v", err)
		}
		if got.Status != content.StatusPublished || !got.PublishedAt.Equal(later.PublishedAt) {
			t.Errorf("got status %s at %v", got.Status, got.PublishedAt)
		}
		// A scheduled date in the past publishes at once.
		past := e.article(t, content.ArticleInput{Title: "Déjà passé", Status: content.StatusScheduled, PublishedAt: e.clock.Now().Add(-time.Minute)})
		if past.Status != content.StatusPublished {
			t.Errorf("past schedule: status %s, want published", past.Status)
		}
	})
}

func TestScheduledJobIsEnqueuedWithTheArticle(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		for i := range 3 {
			e.article(t, content.ArticleInput{Title: fmt.Sprintf("Programmé %d", i), Status: content.StatusScheduled, PublishedAt: epoch.Add(time.Duration(i+1) * time.Hour)})
		}
		n, err := e.db.CountJobs(ctx, content.PublishScheduledJob{}.Kind())
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("publish jobs = %d, want 3", n)
		}
	})
}

// TestRelatedInABigSection checks related articles when a section holds
// more articles than a write scores (the most recent 200): a rare tag
// still finds its old article first, and the rest are the most recent of
// the section, as the full scan would give.
func TestRelatedInABigSection(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		start := time.Date(2016, 1, 1, 8, 0, 0, 0, time.UTC)
		var first, last *content.Article
		for i := range 230 {
			in := content.ArticleInput{Title: fmt.Sprintf("Dépêche %d", i), Body: "Texte.", PublishedAt: start.Add(time.Duration(i) * time.Hour),
				AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}}
			if i == 0 {
				in.Tags = []string{"Palmyre"}
			}
			last = e.article(t, in)
			if i == 0 {
				first = last
			}
		}
		x := e.article(t, content.ArticleInput{Title: "Palmyre, encore", Body: "Texte.", PublishedAt: start.Add(300 * time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Palmyre"}})
		page, err := e.content.PublicArticle(context.Background(), x.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Related) < 2 || page.Related[0].ID != first.ID || page.Related[1].ID != last.ID {
			t.Errorf("related = %+v; want dépêche 0 (shared tag), then the most recent", page.Related)
		}
	})
}

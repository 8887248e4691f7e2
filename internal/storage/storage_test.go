package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/users"
)

// env is a database with the services that write through it.
type env struct {
	db       *storage.DB
	clock    *clock.Fixed
	content  *content.Service
	users    *users.Service
	settings *settings.Service
	paris    *time.Location
}

var epoch = time.Date(2017, 1, 15, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, dsn string) *env {
	t.Helper()
	db := storagetest.MustOpen(t, dsn, jobs.Migrate)
	q, err := jobs.New(db, jobs.Services{}, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetEnqueuer(q)
	clk := clock.NewFixed(epoch)
	r := textproc.NewRenderer()
	an := search.New("fr")
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return &env{
		db:    db,
		clock: clk,
		content: content.NewService(storage.NewContentStore(db), clk, r, func() content.Language {
			return content.Language{Typography: textproc.StyleFrench, Analyzer: an}
		}),
		users:    users.NewService(storage.NewUserStore(db), storage.NewAuthStore(db), clk, users.AuthOptions{PasswordCost: users.TestPasswordCost()}),
		settings: settings.NewService(storage.NewSettingsStore(db), clk, r),
		paris:    paris,
	}
}

// fixture creates two authors, two categories and returns their IDs.
type fixture struct {
	claire, julien *users.User
	intl, france   *content.Category
}

func (e *env) fixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	var f fixture
	var err error
	if f.claire, err = e.users.Create(ctx, users.NewUser{Email: "Claire@Example.org", Name: "Claire Morel", Role: users.RoleAuthor, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if f.julien, err = e.users.Create(ctx, users.NewUser{Email: "julien@example.org", Name: "Julien Ferrand", Role: users.RoleEditor, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	f.intl = &content.Category{Slug: "international", Name: "International", Position: 1}
	f.france = &content.Category{Slug: "france", Name: "France", Position: 2}
	for _, c := range []*content.Category{f.intl, f.france} {
		if err := e.content.CreateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (e *env) article(t *testing.T, in content.ArticleInput) *content.Article {
	t.Helper()
	if in.Status == "" {
		in.Status = content.StatusPublished
	}
	a, err := e.content.CreateArticle(context.Background(), in)
	if err != nil {
		t.Fatalf("create article %q: %v", in.Title, err)
	}
	return a
}

func TestMigrateIsIdempotent(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		db := storagetest.MustOpen(t, dsn, jobs.Migrate)
		ctx := context.Background()
		if err := db.Migrate(ctx, func(ctx context.Context) error { return jobs.Migrate(ctx, db) }); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want >= 1", v, err)
		}
	})
}

func TestArticleRoundTrip(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		pub := time.Date(2016, 12, 11, 18, 42, 0, 0, time.UTC)
		a := e.article(t, content.ArticleInput{
			Title: "L'État islamique reprend Palmyre", Excerpt: "Les jihadistes ont repris la cité antique.",
			Body:        "« Ils sont arrivés par l'est », a déclaré un habitant !\n\n<script>alert(1)</script>",
			PublishedAt: pub, Featured: true, CommentsOpen: true,
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, Tags: []string{"Syrie", "État islamique", "syrie"},
		})
		got, err := e.content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Title != "L'État islamique reprend Palmyre" || !got.Featured || got.Status != content.StatusPublished {
			t.Errorf("got %+v", got)
		}
		if !got.PublishedAt.Equal(pub) {
			t.Errorf("PublishedAt = %v, want %v", got.PublishedAt, pub)
		}
		if got.Version != 1 {
			t.Errorf("Version = %d, want 1", got.Version)
		}
		if len(got.Authors) != 1 || got.Authors[0].Name != "Claire Morel" || got.Authors[0].Slug != "claire-morel" {
			t.Errorf("Authors = %+v", got.Authors)
		}
		if len(got.Categories) != 1 || got.Categories[0].Slug != "international" {
			t.Errorf("Categories = %+v", got.Categories)
		}
		if len(got.Tags) != 2 || got.Tags[0].Slug != "syrie" || got.Tags[1].Slug != "etat-islamique" {
			t.Errorf("Tags = %+v, want syrie, etat-islamique (duplicate dropped)", got.Tags)
		}
		if want := "«\u202fIls sont arrivés par l’est\u202f», a déclaré un habitant\u202f!"; !strings.Contains(got.BodyHTML, want) {
			t.Errorf("BodyHTML = %q, want typography %q", got.BodyHTML, want)
		}
		if strings.Contains(got.BodyHTML, "<script") {
			t.Errorf("BodyHTML kept a script: %q", got.BodyHTML)
		}

		// Same title again: the slug gets a suffix, as in WordPress.
		b := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", PublishedAt: pub})
		if b.Slug != "l-etat-islamique-reprend-palmyre-2" {
			t.Errorf("second slug = %q", b.Slug)
		}
		// A tag shared by a new article is reused, not duplicated.
		c := e.article(t, content.ArticleInput{Title: "Alep", Tags: []string{"SYRIE"}, PublishedAt: pub})
		if len(c.Tags) != 1 || c.Tags[0].ID != got.Tags[0].ID {
			t.Errorf("tag not reused: %+v vs %+v", c.Tags, got.Tags[0])
		}

		if _, err := e.content.ArticleBySlug(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing slug: err = %v, want NotFound", err)
		}
		if _, err := e.content.ArticleByID(ctx, 99999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing id: err = %v, want NotFound", err)
		}
	})
}

func TestDuplicateSlugIsConflict(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		store := storage.NewContentStore(e.db)
		ctx := context.Background()
		mk := func() *content.Article {
			return &content.Article{Slug: "same", Title: "Same", Status: content.StatusDraft, CreatedAt: epoch, UpdatedAt: epoch}
		}
		if err := store.CreateArticle(ctx, mk(), "", content.Effects{}); err != nil {
			t.Fatal(err)
		}
		err := store.CreateArticle(ctx, mk(), "", content.Effects{})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("err = %v, want Conflict", err)
		}
		// The failed transaction left nothing behind.
		arts, total, err := store.Articles(ctx, content.ArticleFilter{})
		if err != nil || total != 1 || len(arts) != 1 {
			t.Fatalf("after conflict: %d articles (total %d), %v; want 1", len(arts), total, err)
		}
	})
}

func TestUpdateArticleOptimisticLock(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		a := e.article(t, content.ArticleInput{Title: "Premier jet", Body: "Texte", Status: content.StatusDraft})
		in := content.ArticleInput{Title: "Deuxième jet", Body: "Texte revu", Status: content.StatusDraft, Version: a.Version}
		b, err := e.content.UpdateArticle(ctx, a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != a.Version+1 || b.Title != "Deuxième jet" || b.Slug != "premier-jet" {
			t.Errorf("after update: version %d title %q slug %q", b.Version, b.Title, b.Slug)
		}
		// A second writer who started from the first version is refused.
		in.Title = "Jet concurrent"
		if _, err := e.content.UpdateArticle(ctx, a.ID, in); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: err = %v, want Conflict", err)
		}
		c, _ := e.content.ArticleByID(ctx, a.ID)
		if c.Title != "Deuxième jet" {
			t.Errorf("stale update overwrote: title %q", c.Title)
		}
		if _, err := e.content.UpdateArticle(ctx, 424242, in); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("update of missing article: err = %v, want NotFound", err)
		}
	})
}

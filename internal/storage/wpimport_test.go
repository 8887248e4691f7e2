package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/wpimport"
)

const wpSite = "https://ancien.example.org"

// wpPost returns a post as the importer prepares it.
func wpPost(f fixture, wpID int64, kind content.Kind, slug string, tags []string, cs ...*wpimport.Comment) *wpimport.Post {
	a := &content.Article{Kind: kind, Slug: slug, Title: "Titre " + slug, Body: "Texte de " + slug + ".",
		BodyHTML: "<p>Texte de " + slug + ".</p>", Status: content.StatusPublished, CommentsOpen: true,
		PublishedAt: epoch.Add(-48 * time.Hour), CreatedAt: epoch.Add(-48 * time.Hour), UpdatedAt: epoch,
		Authors: []content.Author{{ID: f.claire.ID}}, Categories: []content.Category{{ID: f.intl.ID}}}
	for _, t := range tags {
		a.Tags = append(a.Tags, content.Tag{Slug: t, Name: "Tag " + t})
	}
	return &wpimport.Post{WPID: wpID, GUID: fmt.Sprintf("%s/?p=%d", wpSite, wpID), Article: a, SearchTerms: slug + " palmyr",
		Comments: cs}
}

// wpComment returns a comment as the importer prepares it.
func wpComment(wpID, wpParent int64, email string, status comments.Status, ip string) *wpimport.Comment {
	body := fmt.Sprintf("Commentaire %d.", wpID)
	return &wpimport.Comment{WPID: wpID, WPParent: wpParent, IP: ip, Comment: &comments.Comment{
		AuthorName: "Lecteur " + strconv.FormatInt(wpID, 10), AuthorEmail: email, Body: body, BodyHTML: "<p>" + body + "</p>",
		Status: status, CreatedAt: epoch.Add(-time.Duration(1000-wpID) * time.Minute)}}
}

// withIDs sets the IDs of what earlier runs imported, as the importer
// does from the mapping.
func withIDs(m wpimport.Mapping, posts ...*wpimport.Post) []*wpimport.Post {
	for _, p := range posts {
		p.Article.ID = m[wpimport.Key{Kind: wpimport.KindPost, Key: strconv.FormatInt(p.WPID, 10)}]
		for _, c := range p.Comments {
			c.Comment.ID = m[wpimport.Key{Kind: wpimport.KindComment, Key: strconv.FormatInt(c.WPID, 10)}]
		}
	}
	return posts
}

func TestWordPressSaveBatch(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		st := storage.NewWordPressStore(e.db)
		cs := storage.NewCommentStore(e.db)
		var mu sync.Mutex
		changed := map[string][]int64{}
		e.db.OnChange(func(cs []storage.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cs {
				changed[c.Entity] = append(changed[c.Entity], c.IDs...)
			}
		})
		jobsBefore := rawInt(t, e.db, "SELECT COUNT(*) FROM river_job")
		counts := func(t *testing.T) map[string]int64 {
			t.Helper()
			out := map[string]int64{}
			for _, table := range []string{"articles", "tags", "article_tags", "comments", "people", "comment_log", "wp_import_map", "redirects", "article_revisions"} {
				out[table] = rawInt(t, e.db, "SELECT COUNT(*) FROM "+table)
			}
			return out
		}
		// The posts of the export, fresh for each run: P1 (10) with one
		// comment, P2 (11) with a thread, and a page (12).
		export := func(second bool) []*wpimport.Post {
			p1 := wpPost(f, 10, content.KindPost, "palmyre", []string{"syrie"},
				wpComment(100, 0, "Alice@Example.org", comments.StatusApproved, "203.0.113.7"))
			if second {
				// Answers 100, of the first run.
				p1.Comments = append(p1.Comments, wpComment(101, 100, "bob@example.org", comments.StatusApproved, "2001:db8::1"))
			}
			p2 := wpPost(f, 11, content.KindPost, "damas", []string{"syrie", "damas"},
				wpComment(200, 0, "bob@example.org", comments.StatusApproved, "198.51.100.4"),
				wpComment(201, 200, "alice@example.org", comments.StatusPending, ""),
				wpComment(202, 999, "", comments.StatusSpam, "not an address"))
			page := wpPost(f, 12, content.KindPage, "a-propos", nil)
			if !second {
				return []*wpimport.Post{p1}
			}
			return []*wpimport.Post{p1, p2, page}
		}

		// The first run brings P1; the second P1's new comment, P2 and the page.
		first := export(false)
		if err := st.SaveBatch(ctx, &wpimport.Batch{Source: wpSite, Posts: first}); err != nil {
			t.Fatal(err)
		}
		m, err := st.Mapping(ctx, wpSite)
		if err != nil {
			t.Fatal(err)
		}
		second := withIDs(m, export(true)...)
		from := "/2016/05/palmyre/"
		key, _ := redirects.KeyOf(from)
		redirect := &redirects.Redirect{From: from, Key: key, To: "/2016/05/12/palmyre/", Code: 301,
			Source: redirects.SourceWordPress, CreatedAt: epoch}
		entry := &audit.Entry{At: epoch, UserName: "Claire Morel", Action: "wordpress.import", TargetType: "import", Summary: "3 posts"}
		if err := st.SaveBatch(ctx, &wpimport.Batch{Source: wpSite, Posts: second, Redirects: []*redirects.Redirect{redirect}, Audit: entry}); err != nil {
			t.Fatal(err)
		}
		p1, p2, page := second[0], second[1], second[2]

		t.Run("OKArticles", func(t *testing.T) {
			for _, tc := range []struct {
				name    string
				p       *wpimport.Post
				kind    content.Kind
				version int
				tags    []string
			}{
				{"P1", p1, content.KindPost, 2, []string{"syrie"}},
				{"P2", p2, content.KindPost, 1, []string{"syrie", "damas"}},
				{"Page", page, content.KindPage, 1, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					a, err := storage.NewContentStore(e.db).ArticleByID(ctx, tc.p.Article.ID)
					if err != nil {
						t.Fatal(err)
					}
					var tags []string
					for _, tg := range a.Tags {
						tags = append(tags, tg.Slug)
					}
					if a.Kind != tc.kind || a.Version != tc.version || a.Slug != tc.p.Article.Slug || !slices.Equal(tags, tc.tags) ||
						len(a.Authors) != 1 || a.Authors[0].ID != f.claire.ID || len(a.Categories) != 1 || a.Categories[0].ID != f.intl.ID {
						t.Fatalf("article = %+v", a)
					}
				})
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM tags WHERE slug = 'syrie'"); got != 1 {
				t.Fatalf("tag syrie %d times", got)
			}
			q := "SELECT COUNT(*) FROM article_fts WHERE article_fts MATCH 'palmyr'"
			if e.db.Dialect() == storage.Postgres {
				q = "SELECT COUNT(*) FROM articles WHERE search_vector @@ to_tsquery('simple', 'palmyr')"
			}
			if got := rawInt(t, e.db, q); got != 3 {
				t.Fatalf("%d articles found by search, want 3", got)
			}
		})

		t.Run("OKComments", func(t *testing.T) {
			id := func(c *wpimport.Comment) int64 { return c.Comment.ID }
			c100 := m[wpimport.Key{Kind: wpimport.KindComment, Key: "100"}]
			for _, tc := range []struct {
				name      string
				c         *wpimport.Comment
				article   int64
				parent    int64
				status    comments.Status
				email, ip string
				person    bool
				address   string
			}{
				{"Top", p2.Comments[0], p2.Article.ID, 0, comments.StatusApproved, "bob@example.org", "198.51.100.4", true, "198.51.100.4/32"},
				{"ReplyInBatch", p2.Comments[1], p2.Article.ID, id(p2.Comments[0]), comments.StatusPending, "alice@example.org", "", true, ""},
				{"ReplyToUnknown", p2.Comments[2], p2.Article.ID, 0, comments.StatusSpam, "", "not an address", false, ""},
				{"ReplyToEarlierRun", p1.Comments[1], p1.Article.ID, c100, comments.StatusApproved, "bob@example.org", "2001:db8::1", true, "2001:db8::/64"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					got, err := cs.Comment(ctx, tc.c.Comment.ID)
					if err != nil {
						t.Fatal(err)
					}
					if got.ArticleID != tc.article || got.ParentID != tc.parent || got.Status != tc.status ||
						got.AuthorEmail != tc.email || got.IP != tc.ip || (got.PersonID != 0) != tc.person {
						t.Fatalf("comment = %+v", got)
					}
					if n := rawInt(t, e.db, "SELECT COUNT(*) FROM comment_log WHERE comment_id = $1 AND operation = 'create' AND address = $2",
						got.ID, tc.address); n != 1 {
						t.Fatalf("%d log entries with address %q", n, tc.address)
					}
				})
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM people"); got != 2 {
				t.Fatalf("%d people, want alice and bob", got)
			}
			var alice int64
			for _, c := range append(first[0].Comments, p2.Comments[1]) {
				got, err := cs.Comment(ctx, c.Comment.ID)
				if err != nil {
					t.Fatal(err)
				}
				if alice != 0 && got.PersonID != alice {
					t.Fatalf("alice is two people: %d and %d", alice, got.PersonID)
				}
				alice = got.PersonID
			}
		})

		t.Run("OKMapping", func(t *testing.T) {
			want := wpimport.Mapping{
				{Kind: wpimport.KindPost, Key: "10"}: p1.Article.ID, {Kind: wpimport.KindPost, Key: "11"}: p2.Article.ID,
				{Kind: wpimport.KindPost, Key: "12"}:     page.Article.ID,
				{Kind: wpimport.KindComment, Key: "100"}: first[0].Comments[0].Comment.ID,
				{Kind: wpimport.KindComment, Key: "101"}: p1.Comments[1].Comment.ID,
			}
			for i, c := range p2.Comments {
				want[wpimport.Key{Kind: wpimport.KindComment, Key: strconv.Itoa(200 + i)}] = c.Comment.ID
			}
			check := func(t *testing.T) {
				t.Helper()
				got, err := st.Mapping(ctx, wpSite)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("mapping (-want +got):\n%s", diff)
				}
			}
			check(t)
			claire := wpimport.Key{Kind: wpimport.KindAuthor, Key: "claire"}
			if err := st.SaveMapping(ctx, wpSite, claire, 1); err != nil {
				t.Fatal(err)
			}
			// A second call replaces the first.
			if err := st.SaveMapping(ctx, wpSite, claire, f.claire.ID); err != nil {
				t.Fatal(err)
			}
			want[claire] = f.claire.ID
			check(t)
			if other, err := st.Mapping(ctx, "https://autre.example.org"); err != nil || len(other) != 0 {
				t.Fatalf("another site's mapping = %v, %v", other, err)
			}
			if guid := rawInt(t, e.db, "SELECT COUNT(*) FROM wp_import_map WHERE kind = 'post' AND wp_key = '11' AND guid = $1",
				wpSite+"/?p=11"); guid != 1 {
				t.Fatal("guid of post 11 not recorded")
			}
		})

		t.Run("OKRedirectAuditNotices", func(t *testing.T) {
			all, err := storage.NewRedirectStore(e.db).AllRedirects(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1 || all[0].ID != redirect.ID || all[0].To != redirect.To || all[0].Source != redirects.SourceWordPress {
				t.Fatalf("redirects = %+v", all)
			}
			entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 1)
			if err != nil || len(entries) != 1 || entries[0].Action != "wordpress.import" {
				t.Fatalf("audit = %+v, %v", entries, err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, tc := range []struct {
				entity string
				want   []int64
			}{
				{storage.EntityArticle, []int64{p1.Article.ID, p1.Article.ID, p2.Article.ID, page.Article.ID}},
				{storage.EntityPage, []int64{page.Article.ID}},
				{storage.EntityComment, []int64{p1.Article.ID, p1.Article.ID, p2.Article.ID}},
				{storage.EntityRedirect, nil},
			} {
				got, ok := changed[tc.entity]
				slices.Sort(got)
				if !ok || !slices.Equal(got, tc.want) {
					t.Errorf("%s notices = %v, %v; want %v", tc.entity, got, ok, tc.want)
				}
			}
		})

		t.Run("OKNoJobNoRevision", func(t *testing.T) {
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM river_job"); got != jobsBefore {
				t.Fatalf("%d jobs, want %d", got, jobsBefore)
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM article_revisions"); got != 0 {
				t.Fatalf("%d revisions", got)
			}
		})

		t.Run("OKRerun", func(t *testing.T) {
			before := counts(t)
			m, err := st.Mapping(ctx, wpSite)
			if err != nil {
				t.Fatal(err)
			}
			again := withIDs(m, export(true)...)
			again[1].Article.Title = "Damas, deux ans après"
			again[1].Article.CreatedAt = epoch // kept as stored
			again[1].Comments[1].Comment.Status = comments.StatusApproved
			again[1].Comments[1].Comment.Body = "Corrigé."
			if err := st.SaveBatch(ctx, &wpimport.Batch{Source: wpSite, Posts: again, Redirects: []*redirects.Redirect{
				{From: from, Key: key, To: "/2016/05/13/palmyre/", Code: 301, Source: redirects.SourceWordPress, CreatedAt: epoch}}}); err != nil {
				t.Fatal(err)
			}
			after := counts(t)
			// The comments' legal log records their creation only.
			if diff := cmp.Diff(before, after); diff != "" {
				t.Fatalf("counts (-before +after):\n%s", diff)
			}
			for _, p := range again {
				if p.Article.ID != m[wpimport.Key{Kind: wpimport.KindPost, Key: strconv.FormatInt(p.WPID, 10)}] {
					t.Fatalf("post %d moved to article %d", p.WPID, p.Article.ID)
				}
			}
			a, err := storage.NewContentStore(e.db).ArticleByID(ctx, again[1].Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != "Damas, deux ans après" || a.Version != 2 || !a.CreatedAt.Equal(epoch.Add(-48*time.Hour)) || len(a.Tags) != 2 {
				t.Fatalf("article = %+v", a)
			}
			if again[0].Article.Version != 3 || again[1].Article.Version != 2 {
				t.Fatalf("versions = %d, %d", again[0].Article.Version, again[1].Article.Version)
			}
			c, err := cs.Comment(ctx, again[1].Comments[1].Comment.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != comments.StatusApproved || c.Body != "Corrigé." || c.ParentID != again[1].Comments[0].Comment.ID {
				t.Fatalf("comment = %+v", c)
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM river_job"); got != jobsBefore {
				t.Fatalf("%d jobs, want %d", got, jobsBefore)
			}
		})
	})
}

// TestWordPressSaveBatchAtomic checks that a batch that fails leaves
// nothing behind.
func TestWordPressSaveBatchAtomic(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		st := storage.NewWordPressStore(e.db)
		taken := e.article(t, content.ArticleInput{Title: "Déjà là", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}})
		tables := []string{"articles", "tags", "comments", "people", "comment_log", "wp_import_map", "redirects", "audit_log"}
		for _, tc := range []struct {
			name string
			last *wpimport.Post
			want apperr.Kind
		}{
			{"ErrDuplicateSlug", wpPost(f, 2, content.KindPost, taken.Slug, nil), apperr.Conflict},
			{"ErrArticleGone", func() *wpimport.Post {
				p := wpPost(f, 3, content.KindPost, "disparu", nil)
				p.Article.ID = taken.ID + 1000
				return p
			}(), apperr.NotFound},
			{"ErrCommentGone", func() *wpimport.Post {
				p := wpPost(f, 4, content.KindPost, "commente", nil, wpComment(40, 0, "x@example.org", comments.StatusApproved, ""))
				p.Comments[0].Comment.ID = 999999
				return p
			}(), apperr.NotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := map[string]int64{}
				for _, table := range tables {
					before[table] = rawInt(t, e.db, "SELECT COUNT(*) FROM "+table)
				}
				ok := wpPost(f, 1, content.KindPost, "nouveau", []string{"neuf"},
					wpComment(10, 0, "a@example.org", comments.StatusApproved, "203.0.113.7"),
					wpComment(11, 10, "b@example.org", comments.StatusApproved, "203.0.113.8"))
				key, _ := redirects.KeyOf("/?p=1")
				err := st.SaveBatch(ctx, &wpimport.Batch{Source: wpSite, Posts: []*wpimport.Post{ok, tc.last},
					Redirects: []*redirects.Redirect{{From: "/?p=1", Key: key, To: "/nouveau/", Code: 301, Source: redirects.SourceWordPress, CreatedAt: epoch}},
					Audit:     &audit.Entry{At: epoch, Action: "wordpress.import", TargetType: "import"}})
				if !apperr.Is(err, tc.want) {
					t.Fatalf("err = %v, want %s", err, tc.want)
				}
				for _, table := range tables {
					if got := rawInt(t, e.db, "SELECT COUNT(*) FROM "+table); got != before[table] {
						t.Errorf("%s: %d rows, want %d", table, got, before[table])
					}
				}
				if m, err := st.Mapping(ctx, wpSite); err != nil || len(m) != 0 {
					t.Fatalf("mapping = %v, %v", m, err)
				}
				// The IDs given were rolled back with the rest.
				if ok.Article.ID != 0 || ok.Article.Version != 0 || ok.Comments[0].Comment.ID != 0 || ok.Comments[1].Comment.ID != 0 {
					t.Fatalf("IDs kept: article %d v%d, comments %d, %d", ok.Article.ID, ok.Article.Version,
						ok.Comments[0].Comment.ID, ok.Comments[1].Comment.ID)
				}
			})
		}
	})
}

// BenchmarkWordPressSaveBatch writes batches the size the importer sends
// (100 posts, 1000 comments): a whole archive of 10,000 posts is
// -benchtime=100x.
func BenchmarkWordPressSaveBatch(b *testing.B) {
	e := newEnv(b, storagetest.SQLiteDSN(b))
	ctx := context.Background()
	claire, err := e.users.Create(ctx, users.NewUser{Email: "claire@example.org", Name: "Claire Morel", Role: users.RoleAuthor,
		Password: "correct horse battery"})
	if err != nil {
		b.Fatal(err)
	}
	f := fixture{claire: claire, intl: &content.Category{Slug: "international", Name: "International"}}
	if err := e.content.CreateCategory(ctx, f.intl); err != nil {
		b.Fatal(err)
	}
	st := storage.NewWordPressStore(e.db)
	wpID := int64(0)
	b.ResetTimer()
	for range b.N {
		var posts []*wpimport.Post
		for range 100 {
			wpID++
			post := wpID
			var cs []*wpimport.Comment
			for j := range int64(10) {
				wpID++
				parent := int64(0)
				if j%3 != 0 {
					parent = wpID - 1
				}
				c := wpComment(wpID, parent, fmt.Sprintf("lecteur%d@example.org", wpID%500), comments.StatusApproved, "203.0.113.7")
				cs = append(cs, c)
			}
			posts = append(posts, wpPost(f, post, content.KindPost, "article-"+strconv.FormatInt(post, 10),
				[]string{"tag-" + strconv.FormatInt(post%50, 10)}, cs...))
		}
		if err := st.SaveBatch(ctx, &wpimport.Batch{Source: wpSite, Posts: posts}); err != nil {
			b.Fatal(err)
		}
	}
}

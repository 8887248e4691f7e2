package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// benchSession logs the test admin in and returns its session cookie.
func benchSession(b *testing.B, s *apptest.Site) *http.Cookie {
	b.Helper()
	ctx := context.Background()
	if _, err := s.App.Users.Create(ctx, users.NewUser{Email: "bench@example.org", Name: "Bench", Role: users.RoleAdmin, Password: testPassword}); err != nil && !apperr.Is(err, apperr.Conflict) {
		b.Fatal(err)
	}
	token, _, err := s.App.Users.Login(ctx, "bench@example.org", testPassword, "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	return &http.Cookie{Name: "kiosque_session", Value: token}
}

// words returns n words of French prose, in paragraphs with some
// emphasis, quotes and punctuation for the typography pass.
func words(n int) string {
	const sentence = "Le « Veilleur » publie aujourd'hui une *enquête* sur les quais de Saône : trois ans de travail, des dizaines de témoins ! "
	per := len(strings.Fields(sentence))
	var b strings.Builder
	for i := 0; i*per < n; i++ {
		b.WriteString(sentence)
		if i%6 == 5 {
			b.WriteString("\n\n")
		}
		if i%40 == 39 {
			fmt.Fprintf(&b, "## Partie %d\n\n", i/40+1)
		}
	}
	return b.String()
}

// seedArticles writes n articles by three authors in three categories,
// in every status, through the content service.
func seedArticles(b *testing.B, s *apptest.Site, n int) {
	b.Helper()
	ctx := context.Background()
	cats, err := s.App.Content.Categories(ctx)
	if err != nil || len(cats) < 3 {
		b.Fatalf("categories: %v", err)
	}
	authors, err := s.App.Users.List(ctx)
	if err != nil {
		b.Fatal(err)
	}
	body := words(300)
	statuses := []content.Status{content.StatusPublished, content.StatusPublished, content.StatusDraft, content.StatusPending}
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		in := content.ArticleInput{Title: fmt.Sprintf("Article numéro %d sur la ville", i), Body: body,
			Status: statuses[i%len(statuses)], PublishedAt: start.Add(time.Duration(i) * time.Hour),
			AuthorIDs: []int64{authors[i%len(authors)].ID}, CategoryIDs: []int64{cats[i%3].ID}, Tags: []string{fmt.Sprintf("sujet %d", i%50)}}
		if _, err := s.App.Content.CreateArticle(ctx, in); err != nil {
			b.Fatalf("article %d: %v", i, err)
		}
	}
}

// BenchmarkAdminArticleList serves the back office's article list with
// 10,000 articles: the first page, a status and category filter, and a
// search. Target: under 50 ms.
func BenchmarkAdminArticleList(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			opts := apptest.Options{NoCache: true}
			// Seeding takes minutes (half an hour on PostgreSQL):
			// KIOSQUE_BENCH_DATA=DIR keeps the SQLite database between
			// runs, and KIOSQUE_BENCH_PG names a PostgreSQL database (a
			// URL, search_path included) already seeded.
			kept := false
			switch {
			case db == "postgres" && os.Getenv("KIOSQUE_BENCH_PG") != "":
				opts.PostgresURL, opts.NoDemo, kept = os.Getenv("KIOSQUE_BENCH_PG"), true, true
			case db == "postgres":
				opts.PostgresURL = storagetest.PostgresDSN(b)
			case os.Getenv("KIOSQUE_BENCH_DATA") != "":
				dir := os.Getenv("KIOSQUE_BENCH_DATA")
				opts.Data = dir
				_, err := os.Stat(filepath.Join(dir, "kiosque.db"))
				kept = err == nil
				opts.NoDemo = kept
			}
			s := apptest.New(b, opts)
			if !kept {
				seedArticles(b, s, 10_000)
			}
			// As autovacuum (or an import) would after such a write.
			if err := s.App.DB.Analyze(context.Background()); err != nil {
				b.Fatal(err)
			}
			cookie := benchSession(b, s)
			cats, _ := s.App.Content.Categories(context.Background())
			for _, q := range []struct{ name, query string }{
				{"all", ""},
				{"filtered", fmt.Sprintf("?status=draft&category=%d&page=3", cats[0].ID)},
				{"search", "?q=" + url.QueryEscape("ville numéro 4242")},
			} {
				b.Run(q.name, func(b *testing.B) {
					benchAdmin(b, s, cookie, http.MethodGet, "/admin/articles"+q.query, "")
				})
			}
		})
	}
}

// BenchmarkPreview renders the live preview of a 2,000-word article, as
// the editor's script asks for it while typing. Target: under 20 ms.
func BenchmarkPreview(b *testing.B) {
	s := apptest.New(b, apptest.Options{NoCache: true})
	cookie := benchSession(b, s)
	form := url.Values{"body": {words(2000)}}.Encode()
	benchAdmin(b, s, cookie, http.MethodPost, "/admin/preview", form)
}

// benchAdmin measures one back office request in-process.
func benchAdmin(b *testing.B, s *apptest.Site, cookie *http.Cookie, method, path, form string) {
	h := s.App.Handler()
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(form))
		req.AddCookie(cookie)
		if form != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := do(); rec.Code != http.StatusOK {
		b.Fatalf("%s %s: %d\n%.500s", method, path, rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		do()
	}
}

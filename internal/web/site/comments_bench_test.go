package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// seedDiscussion adds n approved comments under the Palmyra article: one
// in three answers an earlier comment, as in a lively discussion, and
// every text has a paragraph, emphasis, a link or a quote.
func seedDiscussion(tb testing.TB, s *apptest.Site, n int) {
	tb.Helper()
	ctx := context.Background()
	a, err := s.App.Content.PublicArticle(ctx, "l-etat-islamique-reprend-palmyre")
	if err != nil {
		tb.Fatal(err)
	}
	start := a.PublishedAt.Add(time.Hour)
	var ids []int64
	for i := range n {
		c := &comments.Comment{ArticleID: a.ID, AuthorName: fmt.Sprintf("Lecteur %d", i), AuthorEmail: fmt.Sprintf("lecteur%d@example.org", i),
			Body: fmt.Sprintf("> Une citation du commentaire précédent, numéro %d.\n\nJe ne suis *pas d’accord* : voir https://exemple.org/analyse/%d pour les détails. "+
				"Le reste de l’argument tient en quelques phrases, assez longues pour ressembler à un vrai commentaire de lecteur.", i, i),
			Status: comments.StatusApproved, CreatedAt: start.Add(time.Duration(i) * time.Minute)}
		if i%3 == 2 {
			c.ParentID = ids[len(ids)-1-i%7%len(ids)]
		}
		if i%10 == 0 {
			c.AuthorURL = "https://carnet.exemple.fr/" + fmt.Sprint(i)
		}
		if err := s.App.Comments.Import(ctx, c, "203.0.113.9"); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
}

// BenchmarkArticlePage500Comments renders, uncached, an article with 500
// approved comments (plus the demo's three): the thread is read in one
// query, numbered, threaded and written in Go. Target: under 5 ms.
func BenchmarkArticlePage500Comments(b *testing.B) {
	run := func(b *testing.B, s *apptest.Site) {
		seedDiscussion(b, s, 500)
		body := s.MustGet(b, palmyra, 200)
		if !strings.Contains(body, "503 commentaires") {
			b.Fatal("the page does not show the 503 comments")
		}
		// The page is 600 kB: an httptest.Recorder growing its buffer to
		// hold it would cost more than the render. A server writes it to
		// the socket; the benchmark throws it away.
		h := s.App.Handler()
		req := httptest.NewRequest(http.MethodGet, palmyra, nil)
		w := &discardWriter{h: http.Header{}}
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, req)
		}
	}
	b.Run("sqlite", func(b *testing.B) { run(b, apptest.New(b, apptest.Options{NoCache: true})) })
	b.Run("postgres", func(b *testing.B) {
		run(b, apptest.New(b, apptest.Options{NoCache: true, PostgresURL: storagetest.PostgresDSN(b)}))
	})
}

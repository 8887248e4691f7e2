package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// benchPage measures one page served by the handler in-process, without
// the network, so the figure is kiosque's own work.
func benchPage(b *testing.B, s *apptest.Site, path string, header ...string) {
	h := s.App.Handler()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d", path, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkArticlePageUncached renders the Palmyra article from the
// database at every request: three queries, the template, the ETag and the
// compressed forms are not computed (no Accept-Encoding). Target: under 1 ms.
func BenchmarkArticlePageUncached(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchPage(b, apptest.New(b, apptest.Options{NoCache: true}), palmyra)
	})
	b.Run("postgres", func(b *testing.B) {
		benchPage(b, apptest.New(b, apptest.Options{NoCache: true, PostgresURL: storagetest.PostgresDSN(b)}), palmyra)
	})
}

// BenchmarkArticlePageCached serves the article from the page cache.
func BenchmarkArticlePageCached(b *testing.B) {
	s := apptest.New(b, apptest.Options{})
	b.Run("identity", func(b *testing.B) { benchPage(b, s, palmyra) })
	b.Run("brotli", func(b *testing.B) { benchPage(b, s, palmyra, "Accept-Encoding", "gzip, deflate, br") })
}

// BenchmarkHomePageUncached renders the home page from the database.
func BenchmarkHomePageUncached(b *testing.B) {
	benchPage(b, apptest.New(b, apptest.Options{NoCache: true}), "/")
}

// discardWriter is the cheapest ResponseWriter, so the benchmark measures
// kiosque's own work on a cache hit and nothing of the recorder's.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkCacheHitOverhead measures what a page cache hit costs in
// kiosque's code (middleware, lookup, headers), without net/http.
func BenchmarkCacheHitOverhead(b *testing.B) {
	s := apptest.New(b, apptest.Options{})
	h := s.App.Handler()
	req := httptest.NewRequest(http.MethodGet, palmyra, nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkQueries measures the database read of an article page: the
// article, its authors, sections, tags and related articles in one query.
func BenchmarkQueries(b *testing.B) {
	s := apptest.New(b, apptest.Options{NoCache: true})
	ctx := context.Background()
	b.Run("PublicArticle", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.App.Content.PublicArticle(ctx, "l-etat-islamique-reprend-palmyre"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package site_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// BenchmarkBookPageUncached renders a book's page from the database at
// every request: the book, its related titles and its other copies, the
// template, no compression. Target: under 2 ms.
func BenchmarkBookPageUncached(b *testing.B) {
	bench := func(b *testing.B, s *apptest.Site) {
		used := demoBook(b, s, "L’Orient de demain", "tome 1", shop.ConditionUsed, shop.FormatPrint)
		benchPage(b, s, "/librairie/livre/"+used.Slug+"/")
	}
	b.Run("sqlite", func(b *testing.B) { bench(b, apptest.New(b, apptest.Options{NoCache: true})) })
	b.Run("postgres", func(b *testing.B) {
		bench(b, apptest.New(b, apptest.Options{NoCache: true, PostgresURL: storagetest.PostgresDSN(b)}))
	})
}

// BenchmarkShopHome renders the shop's home, which is never cached (it
// shows the visitor's cart): new titles and subjects from the database.
func BenchmarkShopHome(b *testing.B) {
	benchPage(b, apptest.New(b, apptest.Options{NoCache: true}), "/librairie/")
}

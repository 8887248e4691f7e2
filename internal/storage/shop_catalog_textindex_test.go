package storage_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// textIndexBooks is the size of the generated catalogue the text index is
// compared on.
const textIndexBooks = 1500

func TestCatalogTextIndexMatchesDatabase(t *testing.T) {
	// Text searches answered by the index in memory must find what the
	// database's text index finds: the same books, in the same order,
	// with the same facets, for every kind of query, before and after
	// books change.
	if testing.Short() {
		t.Skip("imports a generated catalogue")
	}
	fr := search.New(shop.SearchLanguage)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		books := make([]*shop.Book, textIndexBooks)
		for i := range books {
			books[i] = genBook(i)
		}
		mustUpsert(t, st, books...)
		queries := []string{
			"maison ", "jardin ", "histoire ", "voyage nuit ", "le roi et la reine ", books[7].Title + " ",
			books[42].Title + " ", "mai", "ma", "jar", "pa", "él", "9", "97", "978", "ch", "roman pol",
			"éléphant ", "elephant ", "Forêt ", "foret ", "rivières ", "sœur ", "Lefèvre ", "Marie Martin ",
			books[3].Contributors[0].Name + " ", "Léa", "Gallimard ", "Actes Sud ", "Policier ", "Bande dessinée ",
			"science fiction étranger ", genVocab[30] + " ", genVocab[500] + " ", genVocab[5000] + " ", genVocab[40] + " mai",
			books[11].ISBN + " ", books[11].ISBN[:8], "zzzyx ", "zzz", "le ", "les", "Qui sont-ils ? ",
		}
		compare := func(t *testing.T, stage string) {
			t.Helper()
			if err := st.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			if !st.TextIndexBuiltForTest() {
				t.Fatalf("%s: the text index is not built", stage)
			}
			for _, q := range queries {
				for _, f := range []shop.BookFilter{
					{Query: fr.Query(q), Facets: true, Limit: shop.MaxBookPageSize},
					{Query: fr.Query(q), Sort: shop.SortTitle, Offset: 40, Limit: 10, Status: []shop.Status{shop.StatusWithdrawn, shop.StatusActive}},
				} {
					st.SetTextIndexForTest(false)
					want, err := st.SearchBooks(ctx, f)
					if err != nil {
						t.Fatalf("%s: %q on the database: %v", stage, q, err)
					}
					st.SetTextIndexForTest(true)
					got, err := st.SearchBooks(ctx, f)
					if err != nil {
						t.Fatalf("%s: %q in memory: %v", stage, q, err)
					}
					if got.Total != want.Total {
						t.Errorf("%s: %q: %d books in memory, %d on the database", stage, q, got.Total, want.Total)
					}
					if diff := cmp.Diff(ids(want.Books), ids(got.Books)); diff != "" {
						t.Errorf("%s: %q: books (-database +memory):\n%s", stage, q, diff)
					}
					if diff := cmp.Diff(want.Facets, got.Facets); diff != "" {
						t.Errorf("%s: %q: facets (-database +memory):\n%s", stage, q, diff)
					}
				}
			}
		}
		compare(t, "first build")

		// Changes, which the index keeps apart from its postings (their
		// merge is TestTextIndexUpdateAndCompact's): a description, a
		// title and an author changed, a new book, a book withdrawn.
		changed := genBook(5)
		changed.Description = "<p>Un xylophone maisonnette.</p>"
		changed.Title = "Zanzibar"
		changed.Contributors[0].Name = "Agnès Zweig"
		extra := genBook(textIndexBooks)
		extra.Title = "Maison xylophone"
		mustUpsert(t, st, changed, extra)
		if _, err := st.WithdrawBooks(ctx, []string{books[9].RecordRef}, genNow); err != nil {
			t.Fatal(err)
		}
		queries = append(queries, "xylophone ", "xylo", "zanzibar ", "Zweig ", "Agnès ")
		compare(t, "after changes")
	})
}

// BenchmarkCatalogTextIndexBuild builds the text index of the generated
// catalogue and reports its time and its size: the heap it keeps after a
// garbage collection, and the bytes of its postings.
func BenchmarkCatalogTextIndexBuild(b *testing.B) {
	n := benchSize(b)
	for _, be := range storagetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			db := storagetest.MustOpen(b, benchCatalogDSN(b, be.Name, n), nil)
			st := storage.NewCatalogStore(db)
			ctx := context.Background()
			if err := st.Warm(ctx); err != nil {
				b.Fatal(err)
			}
			var heap float64
			for b.Loop() {
				st.DropTextIndexForTest()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				if err := st.Warm(ctx); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / 1e6 //nolint:gosec // G115: heap sizes fit
			}
			terms, size := st.TextIndexStatsForTest()
			b.ReportMetric(heap, "heap-MB")
			b.ReportMetric(float64(size)/1e6, "postings-MB")
			b.ReportMetric(float64(terms), "terms")
		})
	}
}

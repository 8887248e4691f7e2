package storage_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// day returns midnight UTC of a date.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testBook returns an active new printed book with one author, one main
// CLIL subject and one price.
func testBook(ref, title, author string) *shop.Book {
	return &shop.Book{
		RecordRef: ref, ISBN: "978" + ref, Slug: slugOf(title), Title: title, Format: shop.FormatPrint,
		Condition: shop.ConditionNew, Publisher: "Gallimard", PublishedOn: day(2020, 1, 1), Language: "fre",
		Contributors: []shop.Contributor{{Role: "A01", Name: author, SortName: author}},
		Subjects:     []shop.Subject{{Scheme: "clil", Code: "3435", Heading: "Roman", Main: true}},
		Prices:       []shop.Price{{Cents: 2000}}, Status: shop.StatusActive, VATRate: 550,
		UpdatedAt: epoch,
	}
}

// slugOf is a test slug: lowercase ASCII letters and dashes.
func slugOf(title string) string {
	var out []rune
	for _, r := range title {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, r)
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
		case r == 'é' || r == 'É' || r == 'è':
			out = append(out, 'e')
		default:
			if len(out) > 0 && out[len(out)-1] != '-' {
				out = append(out, '-')
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	return string(out)
}

func newCatalog(t *testing.T, dsn string) (*env, *storage.CatalogStore) {
	t.Helper()
	e := newEnv(t, dsn)
	return e, storage.NewCatalogStore(e.db)
}

func mustUpsert(t *testing.T, st *storage.CatalogStore, books ...*shop.Book) shop.ImportCounts {
	t.Helper()
	c, err := st.UpsertBooks(context.Background(), books)
	if err != nil {
		t.Fatalf("UpsertBooks: %v", err)
	}
	return c
}

func titles(books []*shop.Book) []string {
	out := make([]string, len(books))
	for i, b := range books {
		out[i] = b.Title
	}
	return out
}

func TestCatalogUpsert(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		a := testBook("1", "Éléphant", "Marie Dupont")
		a.Subtitle, a.Series, a.Imprint, a.Pages, a.WeightGrams = "Un conte", "Bestiaire", "Folio", 123, 250
		a.Description, a.CoverURL, a.Availability, a.ConditionNote = "<p>Un <em>grand</em> animal.</p>", "https://example.org/c.jpg", "20", ""
		a.Subjects = append(a.Subjects, shop.Subject{Scheme: "keyword", Heading: "savane"})
		b := testBook("2", "Girafe", "Marie Dupont")
		c := testBook("3", "Éléphant", "Jean Martin") // same slug as a
		got := mustUpsert(t, st, a, b, c)
		if want := (shop.ImportCounts{Inserted: 3}); got != want {
			t.Errorf("first import = %+v, want %+v", got, want)
		}
		if a.ID == 0 || b.ID == 0 || c.ID == 0 {
			t.Fatalf("IDs not set: %d %d %d", a.ID, b.ID, c.ID)
		}
		if a.Slug != "elephant" || c.Slug != "elephant-2" {
			t.Errorf("slugs = %q, %q; want elephant, elephant-2", a.Slug, c.Slug)
		}
		stored, err := st.Book(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, stored); diff != "" {
			t.Errorf("stored book (-want +got):\n%s", diff)
		}

		t.Run("OKUnchanged", func(t *testing.T) {
			again := []*shop.Book{testBook("1", "Éléphant", "Marie Dupont"), testBook("2", "Girafe", "Marie Dupont")}
			again[0].Subtitle, again[0].Series, again[0].Imprint, again[0].Pages, again[0].WeightGrams = "Un conte", "Bestiaire", "Folio", 123, 250
			again[0].Description, again[0].CoverURL, again[0].Availability = "<p>Un <em>grand</em> animal.</p>", "https://example.org/c.jpg", "20"
			again[0].Subjects = a.Subjects
			for _, x := range again {
				x.UpdatedAt = epoch.Add(time.Hour)
				x.Slug = "ignored"
			}
			if got, want := mustUpsert(t, st, again...), (shop.ImportCounts{Unchanged: 2}); got != want {
				t.Errorf("re-import = %+v, want %+v", got, want)
			}
			if again[0].ID != a.ID || again[0].Slug != "elephant" || !again[0].UpdatedAt.Equal(epoch) {
				t.Errorf("unchanged book = id %d slug %q updated %v; want %d elephant %v", again[0].ID, again[0].Slug, again[0].UpdatedAt, a.ID, epoch)
			}
		})

		t.Run("OKUpdateKeepsStockAndSlug", func(t *testing.T) {
			if _, err := st.AdjustStock(ctx, b.ID, 4, "réception", epoch); err != nil {
				t.Fatal(err)
			}
			stored, err := st.Book(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			stored.TrackStock, stored.ReorderAt = true, 2
			if err := st.UpdateBook(ctx, stored, epoch.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			nb := testBook("2", "Girafes", "Marie Dupont")
			nb.Slug = "girafes"
			nb.Prices = []shop.Price{{Cents: 2200}}
			nb.UpdatedAt = epoch.Add(2 * time.Hour)
			if got, want := mustUpsert(t, st, nb), (shop.ImportCounts{Updated: 1}); got != want {
				t.Errorf("import = %+v, want %+v", got, want)
			}
			got, err := st.Book(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Girafes" || got.Slug != "girafe" || got.Stock != 4 || !got.TrackStock || got.ReorderAt != 2 ||
				len(got.Prices) != 1 || got.Prices[0].Cents != 2200 || !got.UpdatedAt.Equal(nb.UpdatedAt) || !got.CreatedAt.Equal(epoch) {
				t.Errorf("updated book = %+v", got)
			}
			// A feed that knows the stock sets it.
			nb.TrackStock, nb.Stock, nb.ReorderAt = true, 9, 1
			if got, want := mustUpsert(t, st, nb), (shop.ImportCounts{Updated: 1}); got != want {
				t.Errorf("import with stock = %+v, want %+v", got, want)
			}
			got, err = st.Book(ctx, b.ID)
			if err != nil || got.Stock != 9 || got.ReorderAt != 1 {
				t.Errorf("stock after import = %d, reorder %d (%v); want 9, 1", got.Stock, got.ReorderAt, err)
			}
		})

		t.Run("OKDuplicateInBatch", func(t *testing.T) {
			x, y := testBook("9", "Zèbre", "A"), testBook("9", "Zèbres", "A")
			if got, want := mustUpsert(t, st, x, y), (shop.ImportCounts{Inserted: 1}); got != want {
				t.Errorf("import = %+v, want %+v", got, want)
			}
			got, err := st.Book(ctx, y.ID)
			if err != nil || got.Title != "Zèbres" || x.ID != y.ID {
				t.Errorf("book = %v (%v), ids %d %d; want the last one sent", got, err, x.ID, y.ID)
			}
		})

		t.Run("ErrNoRecordRef", func(t *testing.T) {
			_, err := st.UpsertBooks(ctx, []*shop.Book{testBook("", "Sans référence", "A")})
			if apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("err = %v, want Invalid", err)
			}
		})
	})
}

func TestCatalogWithdraw(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		a, b := testBook("1", "Éléphant", "Marie Dupont"), testBook("2", "Girafe", "Marie Dupont")
		mustUpsert(t, st, a, b)
		n, err := st.WithdrawBooks(ctx, []string{"1", "unknown"}, epoch.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("WithdrawBooks = %d, %v; want 1", n, err)
		}
		if n, _ := st.WithdrawBooks(ctx, []string{"1"}, epoch.Add(time.Hour)); n != 0 {
			t.Errorf("second withdrawal changed %d books, want 0", n)
		}
		got, err := st.Book(ctx, a.ID)
		if err != nil || got.Status != shop.StatusWithdrawn || got.Title != "Éléphant" {
			t.Fatalf("withdrawn book = %+v, %v", got, err)
		}
		res, err := st.SearchBooks(ctx, shop.BookFilter{})
		if err != nil || res.Total != 1 {
			t.Errorf("public search total = %d (%v), want 1", res.Total, err)
		}
		// The record comes back in the feed, unchanged: it is rewritten.
		again := testBook("1", "Éléphant", "Marie Dupont")
		if got, want := mustUpsert(t, st, again), (shop.ImportCounts{Updated: 1}); got != want {
			t.Errorf("re-import = %+v, want %+v", got, want)
		}
		if got, _ := st.Book(ctx, a.ID); got.Status != shop.StatusActive {
			t.Errorf("status after re-import = %q, want active", got.Status)
		}
	})
}

func TestCatalogPrices(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		a := testBook("1", "Alpha", "A")
		a.Prices = []shop.Price{{Cents: 1800, Until: day(2024, 3, 1)}, {Cents: 2100, From: day(2024, 3, 1)}}
		b := testBook("2", "Beta", "A")
		b.Prices = []shop.Price{{Cents: 1900}}
		c := testBook("3", "Gamma", "A")
		c.Prices = nil
		mustUpsert(t, st, a, b, c)
		got, err := st.Book(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a.Prices, got.Prices); diff != "" {
			t.Errorf("price history (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			name string
			at   time.Time
			want []string
		}{
			{"OKBeforeChange", day(2024, 1, 1), []string{"Alpha", "Beta", "Gamma"}},
			{"OKAfterChange", day(2024, 6, 1), []string{"Beta", "Alpha", "Gamma"}},
			{"OKLatest", time.Time{}, []string{"Beta", "Alpha", "Gamma"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := st.SearchBooks(ctx, shop.BookFilter{Sort: shop.SortPrice, At: tc.at})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, titles(res.Books)); diff != "" {
					t.Errorf("by price (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// searchFixture stores a small catalogue for the search tests.
func searchFixture(t *testing.T, st *storage.CatalogStore) map[string]*shop.Book {
	t.Helper()
	books := map[string]*shop.Book{}
	add := func(b *shop.Book) { books[b.RecordRef] = b }
	el := testBook("1", "Éléphant", "Marie Dupont")
	el.Description = "<p>Un conte sur la <strong>savane</strong> africaine.</p>"
	el.PublishedOn = day(2024, 5, 1)
	add(el)
	gi := testBook("2", "Les girafes du désert", "Marie Dupont")
	gi.Publisher = "Actes Sud"
	gi.Subjects = []shop.Subject{{Scheme: "clil", Code: "3722", Heading: "Jeunesse", Main: true}}
	gi.PublishedOn = day(2023, 2, 1)
	add(gi)
	used := testBook("3", "Éléphant", "Marie Dupont")
	used.ISBN, used.Condition, used.ConditionNote = el.ISBN, shop.ConditionUsed, "bon état"
	used.Prices = []shop.Price{{Cents: 700}}
	used.PublishedOn = day(2024, 5, 1)
	add(used)
	ho := testBook("4", "Histoire de la Syrie", "Jean Martin")
	ho.Subjects = []shop.Subject{{Scheme: "clil", Code: "3377", Heading: "Histoire", Main: true}}
	ho.Description = "Des éléphants d'Hannibal à Palmyre."
	ho.PublishedOn = day(2019, 9, 1)
	add(ho)
	eb := testBook("5", "Palmyre", "Jean Martin")
	eb.Format = shop.FormatEbook
	eb.Subjects = ho.Subjects
	eb.PublishedOn = day(2025, 1, 10)
	add(eb)
	wd := testBook("6", "Éléphants d'autrefois", "Paul Ancien")
	wd.Status = shop.StatusWithdrawn
	add(wd)
	fc := testBook("7", "Le Retour des éléphants", "Marie Dupont")
	fc.Status = shop.StatusForthcoming
	fc.PublishedOn = day(2026, 9, 1)
	add(fc)
	tr := testBook("8", "Mémoires d'un éléphant", "Jean Martin")
	tr.Contributors = append(tr.Contributors, shop.Contributor{Role: "B06", Name: "Marie Dupont"})
	tr.PublishedOn = time.Time{}
	add(tr)
	all := make([]*shop.Book, 0, len(books))
	for _, ref := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		all = append(all, books[ref])
	}
	mustUpsert(t, st, all...)
	return books
}

func TestCatalogSearch(t *testing.T) {
	fr := search.New(shop.SearchLanguage)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		books := searchFixture(t, st)
		for _, tc := range []struct {
			name  string
			f     shop.BookFilter
			want  []string
			total int
		}{
			{"OKPluralFindsSingular", shop.BookFilter{Query: fr.Query("éléphants"), Sort: shop.SortTitle},
				[]string{"Éléphant", "Éléphant", "Histoire de la Syrie", "Le Retour des éléphants", "Mémoires d'un éléphant"}, 5},
			{"OKWithoutAccents", shop.BookFilter{Query: fr.Query("elephant"), Sort: shop.SortTitle},
				[]string{"Éléphant", "Éléphant", "Histoire de la Syrie", "Le Retour des éléphants", "Mémoires d'un éléphant"}, 5},
			{"OKTitleFirst", shop.BookFilter{Query: fr.Query("éléphant"), Condition: shop.ConditionNew, Status: []shop.Status{shop.StatusActive}},
				[]string{"Éléphant", "Mémoires d'un éléphant", "Histoire de la Syrie"}, 3},
			{"OKSeveralWords", shop.BookFilter{Query: fr.Query("girafe désert")}, []string{"Les girafes du désert"}, 1},
			{"OKPrefix", shop.BookFilter{Query: fr.Query("Palm")}, []string{"Palmyre", "Histoire de la Syrie"}, 2},
			{"OKAuthorName", shop.BookFilter{Query: fr.Query("Jean Martin"), Sort: shop.SortNewest},
				[]string{"Palmyre", "Histoire de la Syrie", "Mémoires d'un éléphant"}, 3},
			{"OKDescription", shop.BookFilter{Query: fr.Query("savane")}, []string{"Éléphant"}, 1},
			{"OKNoMatch", shop.BookFilter{Query: fr.Query("rhinocéros")}, []string{}, 0},
			{"OKAuthor", shop.BookFilter{Author: "Jean Martin", Sort: shop.SortTitle},
				[]string{"Histoire de la Syrie", "Mémoires d'un éléphant", "Palmyre"}, 3},
			{"OKAuthorAnyRole", shop.BookFilter{Author: "Marie Dupont", Format: shop.FormatPrint, Condition: shop.ConditionNew, Sort: shop.SortTitle},
				[]string{"Éléphant", "Le Retour des éléphants", "Les girafes du désert", "Mémoires d'un éléphant"}, 4},
			{"OKISBN", shop.BookFilter{ISBN: books["1"].ISBN}, []string{"Éléphant", "Éléphant"}, 2},
			{"OKPublisher", shop.BookFilter{Publisher: "Actes Sud"}, []string{"Les girafes du désert"}, 1},
			{"OKSubject", shop.BookFilter{Subject: shop.SubjectKey{Scheme: "clil", Code: "3377"}},
				[]string{"Palmyre", "Histoire de la Syrie"}, 2},
			{"OKFormat", shop.BookFilter{Format: shop.FormatEbook}, []string{"Palmyre"}, 1},
			{"OKUsed", shop.BookFilter{Condition: shop.ConditionUsed}, []string{"Éléphant"}, 1},
			{"OKNewSince", shop.BookFilter{NewSince: day(2024, 5, 1)},
				[]string{"Le Retour des éléphants", "Palmyre", "Éléphant", "Éléphant"}, 4},
			{"OKWithdrawnOnRequest", shop.BookFilter{Status: []shop.Status{shop.StatusWithdrawn}}, []string{"Éléphants d'autrefois"}, 1},
			{"OKNewestUndatedLast", shop.BookFilter{Author: "Jean Martin"},
				[]string{"Palmyre", "Histoire de la Syrie", "Mémoires d'un éléphant"}, 3},
			{"OKPage", shop.BookFilter{Sort: shop.SortTitle, Offset: 2, Limit: 2},
				[]string{"Histoire de la Syrie", "Le Retour des éléphants"}, 7},
			{"OKPastTheEnd", shop.BookFilter{Offset: 7}, []string{}, 7},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := st.SearchBooks(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, titles(res.Books)); diff != "" {
					t.Errorf("books (-want +got):\n%s", diff)
				}
				if res.Total != tc.total {
					t.Errorf("total = %d, want %d", res.Total, tc.total)
				}
				for _, b := range res.Books {
					if len(b.Contributors) == 0 || len(b.Prices) == 0 || len(b.Subjects) == 0 {
						t.Errorf("%q lacks its details: %+v", b.Title, b)
					}
				}
			})
		}
	})
}

func TestCatalogFacets(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		searchFixture(t, st)
		res, err := st.SearchBooks(ctx, shop.BookFilter{Facets: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := shop.Facets{
			Subjects: []shop.FacetCount{{Value: "clil:3435", Label: "Roman", Count: 4}, {Value: "clil:3377", Label: "Histoire", Count: 2},
				{Value: "clil:3722", Label: "Jeunesse", Count: 1}},
			Publishers: []shop.FacetCount{{Value: "Gallimard", Label: "Gallimard", Count: 6}, {Value: "Actes Sud", Label: "Actes Sud", Count: 1}},
			Authors:    []shop.FacetCount{{Value: "Marie Dupont", Label: "Marie Dupont", Count: 4}, {Value: "Jean Martin", Label: "Jean Martin", Count: 3}},
			Formats:    []shop.FacetCount{{Value: "print", Count: 6}, {Value: "ebook", Count: 1}},
		}
		if diff := cmp.Diff(want, res.Facets); diff != "" {
			t.Errorf("facets (-want +got):\n%s", diff)
		}
		if res.Total != 7 || len(res.Books) != 1 {
			t.Errorf("total %d, %d books; want 7, 1", res.Total, len(res.Books))
		}
		res, err = st.SearchBooks(ctx, shop.BookFilter{Facets: true, Query: search.New("fr").Query("rhinocéros")})
		if err != nil || res.Total != 0 || len(res.Facets.Subjects) != 0 {
			t.Errorf("no match: %+v, %v", res, err)
		}
	})
}

func TestCatalogFinders(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		books := searchFixture(t, st)
		el, used, gi := books["1"], books["3"], books["2"]

		got, err := st.BookBySlug(ctx, "elephant-2")
		if err != nil || got.ID != used.ID {
			t.Errorf("BookBySlug(elephant-2) = %v, %v; want the used copy", got, err)
		}
		copies, err := st.BookByISBN(ctx, el.ISBN)
		if err != nil || len(copies) != 2 || copies[0].ID != el.ID || copies[1].ID != used.ID {
			t.Errorf("BookByISBN = %v, %v; want new then used", titles(copies), err)
		}
		if none, err := st.BookByISBN(ctx, "9780000000000"); err != nil || len(none) != 0 {
			t.Errorf("BookByISBN(unknown) = %v, %v; want none", none, err)
		}
		byIDs, err := st.BooksByIDs(ctx, []int64{gi.ID, 999999, el.ID, gi.ID})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{gi.ID, el.ID, gi.ID}, ids(byIDs)); diff != "" {
			t.Errorf("BooksByIDs (-want +got):\n%s", diff)
		}
		if len(byIDs[2].Prices) != 1 {
			t.Errorf("repeated book lacks its prices: %+v", byIDs[2])
		}
		var all []int64
		if err := st.EachBook(ctx, func(b *shop.Book) error { all = append(all, b.ID); return nil }); err != nil || len(all) != len(books) {
			t.Errorf("EachBook saw %d books (%v), want %d", len(all), err, len(books))
		}
		stop := errors.New("stop")
		if err := st.EachBook(ctx, func(*shop.Book) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("EachBook error = %v, want fn's", err)
		}
		for _, tc := range []struct {
			name string
			fn   func() error
		}{
			{"ErrBookNotFound", func() error { _, err := st.Book(ctx, 999999); return err }},
			{"ErrSlugNotFound", func() error { _, err := st.BookBySlug(ctx, "nope"); return err }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := tc.fn(); apperr.KindOf(err) != apperr.NotFound {
					t.Errorf("err = %v, want NotFound", err)
				}
			})
		}

		byMarie, err := st.BooksByContributor(ctx, "Marie Dupont", 10)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Le Retour des éléphants", "Éléphant", "Éléphant", "Les girafes du désert", "Mémoires d'un éléphant"},
			titles(byMarie)); diff != "" {
			t.Errorf("BooksByContributor (-want +got):\n%s", diff)
		}
		subjects, err := st.Subjects(ctx, "clil")
		if err != nil {
			t.Fatal(err)
		}
		wantSubjects := []shop.FacetCount{{Value: "clil:3377", Label: "Histoire", Count: 2}, {Value: "clil:3722", Label: "Jeunesse", Count: 1},
			{Value: "clil:3435", Label: "Roman", Count: 4}}
		if diff := cmp.Diff(wantSubjects, subjects); diff != "" {
			t.Errorf("Subjects (-want +got):\n%s", diff)
		}
		pubs, err := st.Publishers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]shop.FacetCount{{Value: "Actes Sud", Label: "Actes Sud", Count: 1}, {Value: "Gallimard", Label: "Gallimard", Count: 6}},
			pubs); diff != "" {
			t.Errorf("Publishers (-want +got):\n%s", diff)
		}
	})
}

func ids(books []*shop.Book) []int64 {
	out := make([]int64, len(books))
	for i, b := range books {
		out[i] = b.ID
	}
	return out
}

func TestCatalogRelated(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		books := searchFixture(t, st)
		extra := testBook("10", "Roman de gare", "Quelqu'un")
		extra.PublishedOn = day(2018, 1, 1)
		other := testBook("11", "Poésie", "Autre")
		other.Publisher = "Seuil"
		other.Subjects = []shop.Subject{{Scheme: "clil", Code: "3609", Heading: "Poésie", Main: true}}
		mustUpsert(t, st, extra, other)
		for _, tc := range []struct {
			name  string
			book  *shop.Book
			limit int
			want  []string
		}{
			// Same author (not the used copy, not the forthcoming book),
			// then same subject, then same publisher.
			{"OKAuthorThenSubject", books["1"], 10, []string{"Les girafes du désert", "Mémoires d'un éléphant", "Roman de gare",
				"Palmyre", "Histoire de la Syrie"}},
			{"OKLimit", books["1"], 2, []string{"Les girafes du désert", "Mémoires d'un éléphant"}},
			{"OKNothingNear", other, 5, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := st.RelatedBooks(ctx, tc.book, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, titles(got)); diff != "" {
					t.Errorf("related (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestCatalogArticleBooks(t *testing.T) {
	fr := search.New(shop.SearchLanguage)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e, st := newCatalog(t, dsn)
		ctx := context.Background()
		books := searchFixture(t, st)
		f := e.fixture(t)
		a := e.article(t, content.ArticleInput{Title: "Palmyre reprise", Body: "Texte.", AuthorIDs: []int64{f.claire.ID},
			CategoryIDs: []int64{f.intl.ID}})
		picks := []int64{books["4"].ID, books["6"].ID, books["1"].ID, books["4"].ID}
		if err := st.SetArticleBooks(ctx, a.ID, picks); err != nil {
			t.Fatal(err)
		}
		got, err := st.ArticleBooks(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"Histoire de la Syrie", "Éléphants d'autrefois", "Éléphant"}, titles(got)); diff != "" {
			t.Errorf("picks (-want +got):\n%s", diff)
		}
		if err := st.SetArticleBooks(ctx, a.ID, []int64{books["2"].ID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.ArticleBooks(ctx, a.ID); len(got) != 1 || got[0].ID != books["2"].ID {
			t.Errorf("picks after replacing = %v", titles(got))
		}
		// An import keeps the picks.
		again := testBook("2", "Les girafes du désert (nouvelle édition)", "Marie Dupont")
		mustUpsert(t, st, again)
		if got, _ := st.ArticleBooks(ctx, a.ID); len(got) != 1 || got[0].Title != again.Title {
			t.Errorf("picks after import = %v", titles(got))
		}
		for _, tc := range []struct {
			name    string
			article int64
			books   []int64
		}{
			{"ErrUnknownBook", a.ID, []int64{999999}},
			{"ErrUnknownArticle", 999999, []int64{books["1"].ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := st.SetArticleBooks(ctx, tc.article, tc.books); apperr.KindOf(err) != apperr.Conflict {
					t.Errorf("err = %v, want Conflict", err)
				}
			})
		}

		terms := func(names ...string) []string {
			var out []string
			for _, n := range names {
				out = append(out, joinTerms(fr.Terms(n)))
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			terms []string
			want  []string
		}{
			// The withdrawn, forthcoming and description-less books are
			// left out; a title match ranks above a description match.
			{"OKTitleAboveDescription", terms("Éléphants", "Cinéma"), []string{"Éléphant", "Mémoires d'un éléphant", "Histoire de la Syrie"}},
			{"OKAllWordsOfAName", terms("Désert des Tartares"), []string{}},
			{"OKSeveralWords", terms("girafes désert"), []string{"Les girafes du désert (nouvelle édition)"}},
			{"OKNotByNames", terms("Gallimard", "Jean Martin"), []string{}},
			{"OKSubjectHeading", terms("Histoire"), []string{"Histoire de la Syrie", "Palmyre"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := st.BooksMatching(ctx, tc.terms, 5)
				if err != nil {
					t.Fatal(err)
				}
				g := titles(got)
				if tc.name == "OKTitleAboveDescription" && len(g) == 4 {
					// The used copy ties with the new one.
					g = slices.Delete(g, 1, 2)
				}
				if diff := cmp.Diff(tc.want, g); diff != "" {
					t.Errorf("matching (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func joinTerms(terms []string) string {
	out := ""
	for i, t := range terms {
		if i > 0 {
			out += " "
		}
		out += t
	}
	return out
}

func TestCatalogStock(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		a, b, c := testBook("1", "Alpha", "A"), testBook("2", "Beta", "A"), testBook("3", "Gamma", "A")
		for _, x := range []*shop.Book{a, b, c} {
			x.TrackStock, x.ReorderAt = true, 2
		}
		a.Stock, b.Stock, c.Stock = 1, 5, 0
		c.Status = shop.StatusWithdrawn
		mustUpsert(t, st, a, b, c)
		low, err := st.LowStock(ctx)
		if err != nil || len(low) != 1 || low[0].ID != a.ID {
			t.Errorf("LowStock = %v, %v; want Alpha", titles(low), err)
		}
		n, err := st.AdjustStock(ctx, b.ID, -3, "inventaire", epoch)
		if err != nil || n != 2 {
			t.Fatalf("AdjustStock = %d, %v; want 2", n, err)
		}
		if low, _ := st.LowStock(ctx); len(low) != 2 || low[0].ID != a.ID || low[1].ID != b.ID {
			t.Errorf("LowStock = %v; want Alpha, Beta", titles(low))
		}
		if _, err := st.AdjustStock(ctx, b.ID, 1, "retour client", epoch.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		moves, err := st.StockMoves(ctx, b.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		wantMoves := []shop.StockMove{{BookID: b.ID, Delta: 1, StockAfter: 3, Reason: "retour client", At: epoch.Add(time.Hour)},
			{BookID: b.ID, Delta: -3, StockAfter: 2, Reason: "inventaire", At: epoch}}
		if diff := cmp.Diff(wantMoves, moves); diff != "" {
			t.Errorf("moves (-want +got):\n%s", diff)
		}
		t.Run("ErrBelowZero", func(t *testing.T) {
			_, err := st.AdjustStock(ctx, a.ID, -2, "vol", epoch)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Key != "error.book.stock_negative" || len(ae.Args) != 1 || ae.Args[0] != 1 {
				t.Errorf("err = %#v, want Invalid stock_negative with 1 left", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := st.AdjustStock(ctx, 999999, 1, "", epoch); apperr.KindOf(err) != apperr.NotFound {
				t.Errorf("err = %v, want NotFound", err)
			}
		})
	})
}

func TestCatalogCreateAndUpdate(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		ctx := context.Background()
		a := testBook("isbn:9782070360024", "L'Étranger", "Albert Camus")
		a.Slug = "l-etranger"
		if err := st.CreateBook(ctx, a); err != nil {
			t.Fatal(err)
		}
		used := testBook("used:1", "L'Étranger", "Albert Camus")
		used.Slug, used.Condition = "l-etranger", shop.ConditionUsed
		if err := st.CreateBook(ctx, used); err != nil {
			t.Fatal(err)
		}
		if used.Slug != "l-etranger-2" {
			t.Errorf("used copy's slug = %q, want l-etranger-2", used.Slug)
		}
		if err := st.CreateBook(ctx, testBook("used:1", "Autre", "X")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("duplicate record = %v, want Conflict", err)
		}
		res, err := st.SearchBooks(ctx, shop.BookFilter{Query: search.New("fr").Query("etranger camus")})
		if err != nil || res.Total != 2 {
			t.Errorf("search after create: total %d, %v; want 2", res.Total, err)
		}

		stale := *a
		edit, err := st.Book(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		edit.Title, edit.Stock = "L'Étranger (poche)", 50
		edit.Contributors = append(edit.Contributors, shop.Contributor{Role: "A15", Name: "Préfacier"})
		if err := st.UpdateBook(ctx, edit, epoch.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := st.Book(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "L'Étranger (poche)" || got.Stock != 0 || len(got.Contributors) != 2 || !got.UpdatedAt.Equal(epoch.Add(time.Hour)) {
			t.Errorf("updated = %+v", got)
		}
		if !edit.UpdatedAt.Equal(epoch.Add(time.Hour)) {
			t.Errorf("UpdatedAt not advanced: %v", edit.UpdatedAt)
		}
		if res, _ := st.SearchBooks(ctx, shop.BookFilter{Query: search.New("fr").Query("poche")}); res.Total != 1 {
			t.Errorf("search of the new title found %d", res.Total)
		}
		for _, tc := range []struct {
			name string
			b    shop.Book
			want apperr.Kind
		}{
			{"ErrStale", stale, apperr.Conflict},
			{"ErrSlugTaken", func() shop.Book { x := *edit; x.Slug = "l-etranger-2"; return x }(), apperr.Conflict},
			{"ErrNotFound", shop.Book{ID: 999999, RecordRef: "x", Title: "x", Slug: "x", Format: shop.FormatPrint,
				Condition: shop.ConditionNew, Status: shop.StatusActive}, apperr.NotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := tc.b
				if err := st.UpdateBook(ctx, &b, epoch.Add(2*time.Hour)); apperr.KindOf(err) != tc.want {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
		// The editor's change holds when the feed sends the record unchanged.
		imported := testBook("feed:1", "Titre du flux", "X")
		mustUpsert(t, st, imported)
		fix, _ := st.Book(ctx, imported.ID)
		fix.Title = "Titre corrigé"
		if err := st.UpdateBook(ctx, fix, epoch.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if c := mustUpsert(t, st, testBook("feed:1", "Titre du flux", "X")); c.Unchanged != 1 {
			t.Errorf("re-import after an edit = %+v, want unchanged", c)
		}
		if got, _ := st.Book(ctx, imported.ID); got.Title != "Titre corrigé" {
			t.Errorf("title after re-import = %q, want the editor's", got.Title)
		}
	})
}

func TestCatalogIndexesLikeDocument(t *testing.T) {
	// The store analyzes word by word, with a cache; it must index what
	// search.Analyzer.Document gives for the whole text. Searching each
	// term of Document finds the book.
	fr := search.New(shop.SearchLanguage)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		_, st := newCatalog(t, dsn)
		b := testBook("1", "L’Éléphant d’aujourd’hui, «\u202fmémoires\u202f» : qu'en dire ?", "Jean-Édouard L'Hôte")
		b.Description = "<p><strong>Les élus</strong>\u00a0: l'œil des sœurs, naïves &amp; héroïques… 2024 — COVID19.</p>"
		mustUpsert(t, st, b)
		text := "Les élus\u00a0: l'œil des sœurs, naïves & héroïques… 2024 — COVID19."
		doc := fr.Document(b.Title, b.Contributors[0].Name, text)
		for _, term := range strings.Fields(doc) {
			res, err := st.SearchBooks(context.Background(), shop.BookFilter{Query: search.Query{Terms: []string{term}}})
			if err != nil || res.Total != 1 {
				t.Errorf("term %q of Document: %d books (%v), want 1", term, res.Total, err)
			}
		}
		// Markup is not text.
		for _, term := range []string{"amp", "strong"} {
			res, err := st.SearchBooks(context.Background(), shop.BookFilter{Query: search.Query{Terms: []string{term}}})
			if err != nil || res.Total != 0 {
				t.Errorf("term %q of the markup: %d books (%v), want 0", term, res.Total, err)
			}
		}
	})
}

func TestCatalogIndexFollowsOtherWriters(t *testing.T) {
	// Searches run on an index in memory that follows the database's
	// change notices: a book written through another store, or its stock
	// changed by an order, is seen by the next search.
	fr := search.New(shop.SearchLanguage)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e, reader := newCatalog(t, dsn)
		writer := storage.NewCatalogStore(e.db)
		ctx := context.Background()
		count := func(f shop.BookFilter) int {
			t.Helper()
			res, err := reader.SearchBooks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if n := count(shop.BookFilter{}); n != 0 {
			t.Fatalf("empty catalogue: %d books", n)
		}
		a := testBook("1", "Éléphant", "Marie Dupont")
		a.TrackStock, a.Stock = true, 1
		mustUpsert(t, writer, a)
		if n := count(shop.BookFilter{Query: fr.Query("éléphant")}); n != 1 {
			t.Errorf("after an import by another store: %d books, want 1", n)
		}
		// The same query again, once the text index changed: the books it
		// matched before are not kept.
		mustUpsert(t, writer, testBook("2", "Éléphants du monde", "Paul Martin"))
		if n := count(shop.BookFilter{Query: fr.Query("éléphant")}); n != 2 {
			t.Errorf("after a second import: %d books, want 2", n)
		}
		tag := []string{joinTerms(fr.Terms("Éléphant"))}
		if got, _ := reader.BooksMatching(ctx, tag, 5); len(got) != 2 {
			t.Errorf("matching with one copy in stock: %d books, want 2", len(got))
		}
		if _, err := writer.AdjustStock(ctx, a.ID, -1, "vendu", epoch); err != nil {
			t.Fatal(err)
		}
		if got, _ := reader.BooksMatching(ctx, tag, 5); len(got) != 1 || got[0].RecordRef != "2" {
			t.Errorf("matching once out of stock: %v, want the other book only", titles(got))
		}
		if _, err := writer.WithdrawBooks(ctx, []string{"1", "2"}, epoch); err != nil {
			t.Fatal(err)
		}
		if n := count(shop.BookFilter{Query: fr.Query("éléphant")}); n != 0 {
			t.Errorf("after a withdrawal by another store: %d books, want 0", n)
		}
	})
}

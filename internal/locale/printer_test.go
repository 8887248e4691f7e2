package locale

import (
	"sync"
	"testing"
)

func TestPrinterT(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{name: "OK/French plain", lang: French, key: "nav.home", want: "Accueil"},
		{name: "OK/English plain", lang: English, key: "nav.home", want: "Home"},
		{name: "OK/French args", lang: French, key: "pagination.page_of", args: []any{2, 7}, want: "Page 2 sur 7"},
		{name: "OK/English args", lang: English, key: "pagination.page_of", args: []any{2, 7}, want: "Page 2 of 7"},
		{name: "OK/French string arg", lang: French, key: "article.by", args: []any{"Camille Martin"}, want: "Par Camille Martin"},
		{name: "OK/French no-break space before colon", lang: French, key: "list.category_title", args: []any{"Société"}, want: "Catégorie\u00a0: Société"},
		{name: "OK/English colon", lang: English, key: "list.category_title", args: []any{"Society"}, want: "Category: Society"},
		{name: "OK/French feed", lang: French, key: "feed.title", args: []any{"La Gazette"}, want: "La Gazette\u00a0: derniers articles"},
		{name: "OK/missing key", lang: French, key: "nav.nowhere", want: "nav.nowhere"},
		{name: "OK/missing key with args", lang: English, key: "nav.nowhere", args: []any{1}, want: "nav.nowhere"},
		{name: "OK/plural key", lang: French, key: "article.comments", args: []any{2}, want: "article.comments"},
		{name: "OK/empty key", lang: French, key: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(tt.lang).T(tt.key, tt.args...), tt.want; got != want {
				t.Errorf("T(%q, %v) = %q, want %q", tt.key, tt.args, got, want)
			}
		})
	}
}

func TestPrinterN(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		lang Lang
		key  string
		n    int
		args []any
		want string
	}{
		{name: "OK/French 0 is singular", lang: French, key: "article.comments", n: 0, want: "0 commentaire"},
		{name: "OK/French 1", lang: French, key: "article.comments", n: 1, want: "1 commentaire"},
		{name: "OK/French 2", lang: French, key: "article.comments", n: 2, want: "2 commentaires"},
		{name: "OK/French 1000", lang: French, key: "article.comments", n: 1000, want: "1000 commentaires"},
		{name: "OK/French -1", lang: French, key: "article.comments", n: -1, want: "-1 commentaire"},
		{name: "OK/French -2", lang: French, key: "article.comments", n: -2, want: "-2 commentaires"},
		{name: "OK/English 0 is plural", lang: English, key: "article.comments", n: 0, want: "0 comments"},
		{name: "OK/English 1", lang: English, key: "article.comments", n: 1, want: "1 comment"},
		{name: "OK/English 2", lang: English, key: "article.comments", n: 2, want: "2 comments"},
		{name: "OK/English -1", lang: English, key: "article.comments", n: -1, want: "-1 comment"},
		{name: "OK/French list 0", lang: French, key: "list.count", n: 0, want: "0 article"},
		{name: "OK/English list 0", lang: English, key: "list.count", n: 0, want: "0 articles"},
		{name: "OK/French reading time", lang: French, key: "article.reading_time", n: 4, want: "4 min de lecture"},
		{name: "OK/English reading time", lang: English, key: "article.reading_time", n: 1, want: "1 min read"},
		{name: "OK/French args after n", lang: French, key: "search.results", n: 0, args: []any{"vélo"}, want: "0 résultat pour «\u202fvélo\u202f»"},
		{name: "OK/French args after n plural", lang: French, key: "search.results", n: 12, args: []any{"vélo"}, want: "12 résultats pour «\u202fvélo\u202f»"},
		{name: "OK/English args after n", lang: English, key: "search.results", n: 1, args: []any{"bike"}, want: "1 result for “bike”"},
		{name: "OK/English args after n plural", lang: English, key: "search.results", n: 0, args: []any{"bike"}, want: "0 results for “bike”"},
		{name: "OK/missing key", lang: French, key: "article.likes", n: 2, want: "article.likes"},
		{name: "OK/plain key", lang: English, key: "nav.home", n: 2, want: "nav.home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(tt.lang).N(tt.key, tt.n, tt.args...), tt.want; got != want {
				t.Errorf("N(%q, %d, %v) = %q, want %q", tt.key, tt.n, tt.args, got, want)
			}
		})
	}
}

func TestPrinterHas(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name string
		key  string
		want bool
	}{
		{name: "OK/plain", key: "nav.home", want: true},
		{name: "OK/plural", key: "article.comments", want: true},
		{name: "OK/missing", key: "nav.nowhere", want: false},
		{name: "OK/prefix only", key: "nav", want: false},
	}
	for _, tt := range tests {
		for _, l := range Langs() {
			t.Run(tt.name+"/"+string(l), func(t *testing.T) {
				if got, want := c.Printer(l).Has(tt.key), tt.want; got != want {
					t.Errorf("Has(%q) = %v, want %v", tt.key, got, want)
				}
			})
		}
	}
}

func TestIsOne(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		n    int
		want bool
	}{
		{name: "French 0", lang: French, n: 0, want: true},
		{name: "French 1", lang: French, n: 1, want: true},
		{name: "French 2", lang: French, n: 2, want: false},
		{name: "French 11", lang: French, n: 11, want: false},
		{name: "French 21", lang: French, n: 21, want: false},
		{name: "French -1", lang: French, n: -1, want: true},
		{name: "French min int", lang: French, n: -1 << 63, want: false},
		{name: "English 0", lang: English, n: 0, want: false},
		{name: "English 1", lang: English, n: 1, want: true},
		{name: "English 2", lang: English, n: 2, want: false},
		{name: "English 21", lang: English, n: 21, want: false},
		{name: "English -1", lang: English, n: -1, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.lang.isOne(tt.n), tt.want; got != want {
				t.Errorf("%s.isOne(%d) = %v, want %v", tt.lang, tt.n, got, want)
			}
		})
	}
}

// TestPrinterConcurrent lets the race detector check that Printers share
// nothing mutable.
func TestPrinterConcurrent(t *testing.T) {
	c := mustLoad(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := c.Printer(Langs()[i%2])
			for n := range 100 {
				_ = p.T("pagination.page_of", n, 100)
				_ = p.N("article.comments", n)
				_ = p.Number(int64(n) * 1000)
			}
		})
	}
	wg.Wait()
}

func BenchmarkT(b *testing.B) {
	p := mustLoad(b).Printer(French)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			_ = p.T("nav.home")
		}
	})
	b.Run("args", func(b *testing.B) {
		for b.Loop() {
			_ = p.T("pagination.page_of", 3, 12)
		}
	})
}

func BenchmarkN(b *testing.B) {
	p := mustLoad(b).Printer(French)
	for b.Loop() {
		_ = p.N("search.results", 12, "vélo")
	}
}

func TestEuroCentsArgument(t *testing.T) {
	c, err := ParseCatalog(map[Lang][]byte{
		French:  []byte(`{"shop.refund": "Jusqu’à %s, pas %d."}`),
		English: []byte(`{"shop.refund": "Up to %s, not %d."}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang Lang
		want string
	}{
		{French, "Jusqu’à 1\u202f234,50\u00a0€, pas 3."},
		{English, "Up to €1,234.50, not 3."},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			if got := c.Printer(tt.lang).T("shop.refund", EuroCents(123450), 3); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

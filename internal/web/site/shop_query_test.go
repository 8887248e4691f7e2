package site

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

func testCtx(t *testing.T, l locale.Lang) *reqCtx {
	t.Helper()
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return &reqCtx{p: cat.Printer(l), loc: time.UTC, l: pageLocale{Lang: l}}
}

func TestShopQuery(t *testing.T) {
	cases := []struct {
		name, target string
		want         shopQuery
		fr, en       string
	}{
		{"OKEmpty", "/librairie/recherche", shopQuery{Page: 1, Clean: true}, "/librairie/recherche", "/bookshop/search"},
		{"OKFrench", "/librairie/recherche?q=mer&auteur=Julie+Otsuka&etat=occasion&tri=prix&format=papier&page=2",
			shopQuery{Query: "mer", Author: "Julie Otsuka", Condition: shop.ConditionUsed, Sort: shop.SortPrice, Format: shop.FormatPrint,
				Page: 2, Clean: true},
			"/librairie/recherche?auteur=Julie+Otsuka&etat=occasion&format=papier&page=2&q=mer&tri=prix",
			"/bookshop/search?author=Julie+Otsuka&condition=used&format=print&page=2&q=mer&sort=price"},
		{"OKEnglishWordsOnFrenchPath", "/librairie/recherche?publisher=Ph%C3%A9bus&condition=new&sujet=clil:3435",
			shopQuery{Publisher: "Phébus", Subject: "clil:3435", Condition: shop.ConditionNew, Page: 1, Clean: true},
			"/librairie/recherche?editeur=Ph%C3%A9bus&etat=neuf&sujet=clil%3A3435",
			"/bookshop/search?condition=new&publisher=Ph%C3%A9bus&subject=clil%3A3435"},
		{"OKUnknownWordIgnored", "/bookshop/search?sort=cheapest", shopQuery{Page: 1}, "/librairie/recherche", "/bookshop/search"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseShopQuery(httptest.NewRequest("GET", c.target, nil))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			if u := shopFR.url(got); u != c.fr {
				t.Errorf("French address %q, want %q", u, c.fr)
			}
			if u := shopEN.url(got); u != c.en {
				t.Errorf("English address %q, want %q", u, c.en)
			}
		})
	}
	for _, target := range []string{"/librairie/recherche?page=0", "/librairie/recherche?sujet=clil", "/librairie/recherche?q=%ff"} {
		t.Run("Err"+target, func(t *testing.T) {
			if _, err := parseShopQuery(httptest.NewRequest("GET", target, nil)); err == nil {
				t.Errorf("%s accepted", target)
			}
		})
	}
}

// TestBookCards: a used copy says « occasion » right after its price
// (checklist 13); a withdrawn book has no price but says so.
func TestBookCards(t *testing.T) {
	c := testCtx(t, locale.French)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	used := &shop.Book{ID: 1, Slug: "mer-occasion", Title: "Certaines n’avaient jamais vu la mer", Format: shop.FormatPrint,
		Condition: shop.ConditionUsed, Status: shop.StatusActive, Prices: []shop.Price{{Cents: 800}},
		Contributors: []shop.Contributor{{Role: "A01", Name: "Julie Otsuka"}}}
	gone := &shop.Book{ID: 2, Slug: "roseanna", Title: "Roseanna", Format: shop.FormatPrint, Condition: shop.ConditionNew,
		Status: shop.StatusWithdrawn, Prices: []shop.Price{{Cents: 2200}}}
	got := string(booksHTML([]*shop.Book{used, gone}, c, shopFR, now))
	for _, want := range []string{`<span class="price">8,00`, `</span> <span class="condition-used">occasion</span>`,
		`href="/librairie/livre/mer-occasion/"`, "Julie Otsuka", "Retiré de la vente"} {
		if !strings.Contains(got, want) {
			t.Errorf("cards lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "22,00") {
		t.Error("a withdrawn book shows a price")
	}
}

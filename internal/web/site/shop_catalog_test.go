package site_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/shop"
)

// demoBook finds a book of the demo bookshop by title, subtitle and
// condition, as the store keeps it.
func demoBook(t testing.TB, s *apptest.Site, title, subtitle string, cond shop.Condition, format shop.Format) *shop.Book {
	t.Helper()
	res, err := s.App.Shop.Catalog.SearchBooks(context.Background(), shop.BookFilter{Limit: shop.MaxBookPageSize,
		Status: []shop.Status{shop.StatusActive, shop.StatusForthcoming, shop.StatusWithdrawn}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range res.Books {
		if b.Title == title && b.Subtitle == subtitle && b.Condition == cond && b.Format == format {
			return b
		}
	}
	t.Fatalf("no demo book %q (%s, %s)", title, cond, format)
	return nil
}

// text is the text of a selection with its runs of ASCII white space
// made one space; no-break spaces, which French typography puts before
// « : » and « € », are kept.
func text(d interface{ Text() string }) string {
	return strings.Join(strings.FieldsFunc(d.Text(), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }), " ")
}

func TestShopCatalogue(t *testing.T) {
	s := donateSite(t, "")
	alep := demoBook(t, s, "Alep, la ville assiégée", "chronique d’une guerre", shop.ConditionNew, shop.FormatPrint)

	t.Run("OKHome", func(t *testing.T) {
		resp, body := s.Get(t, "/librairie/")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, cache %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		d := doc(t, body)
		if n := d.Find(".shop-new .book-card").Length(); n == 0 || n > 12 {
			t.Errorf("%d new titles", n)
		}
		if d.Find(`form.shop-search[action="/librairie/recherche"] label[for="shop-q"]`).Length() != 1 {
			t.Error("no labelled search box")
		}
		if href, _ := d.Find(`.subject-list a:contains("Géopolitique")`).Attr("href"); href != "/librairie/sujet/thema:JPSL/" {
			t.Errorf("subject link %q", href)
		}
		if got := text(d.Find(".shop-offer")); !strings.HasPrefix(got, "Livraison à 0,01\u00a0€ dès 64\u00a0€ d’achat (France") {
			t.Errorf("offer %q", got)
		}
		if got := text(d.Find(".shop-cart-link")); got != "Panier" {
			t.Errorf("cart link %q", got)
		}
	})

	t.Run("OKSearchTitle", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/librairie/recherche?q=alep", http.StatusOK))
		if got := text(d.Find(".result-count")); got != "1 livre" {
			t.Errorf("count %q", got)
		}
		if href, _ := d.Find(".book-card-title a").Attr("href"); href != "/librairie/livre/"+alep.Slug+"/" {
			t.Errorf("result %q", href)
		}
		if d.Find(`meta[name="robots"][content^="noindex"]`).Length() != 1 {
			t.Error("a search is indexed")
		}
	})

	t.Run("OKSearchISBN", func(t *testing.T) {
		isbn := alep.ISBN[:3] + "-" + alep.ISBN[3:4] + "-" + alep.ISBN[4:8] + "-" + alep.ISBN[8:12] + "-" + alep.ISBN[12:]
		d := doc(t, s.MustGet(t, "/librairie/recherche?q="+url.QueryEscape(isbn), http.StatusOK))
		if got := text(d.Find(".book-card-title")); got != "Alep, la ville assiégée" {
			t.Errorf("ISBN %s finds %q", isbn, got)
		}
	})

	t.Run("OKFacets", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/librairie/recherche?format=papier", http.StatusOK))
		link := d.Find(`.shop-facets a:contains("Éditions du Levant")`)
		href, ok := link.Attr("href")
		if !ok || !strings.Contains(href, "editeur=") || !strings.Contains(href, "format=papier") {
			t.Fatalf("publisher facet %q keeps not the format", href)
		}
		d = doc(t, s.MustGet(t, href, http.StatusOK))
		if got := text(d.Find(".result-count")); got != "3 livres" {
			t.Errorf("Levant: %q", got)
		}
		if d.Find(`.active-filters a:contains("Éditions du Levant")`).Length() != 1 {
			t.Error("the chosen publisher is not listed with a way to remove it")
		}
		used, _ := d.Find(`.shop-facets a:contains("occasion")`).Attr("href")
		if !strings.Contains(used, "etat=occasion") || !strings.Contains(used, "editeur=") || !strings.Contains(used, "format=papier") {
			t.Errorf("condition facet %q drops the other filters", used)
		}
	})

	t.Run("OKUsedLabel", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/librairie/recherche?etat=occasion", http.StatusOK))
		cards := d.Find(".book-card")
		if cards.Length() != 2 {
			t.Fatalf("%d used copies", cards.Length())
		}
		for i := range cards.Length() {
			price := cards.Eq(i).Find(".book-card-price")
			if price.Find(".price + .condition-used").Length() != 1 || !strings.Contains(text(price), "occasion") {
				t.Errorf("used copy without « occasion » next to its price: %q", text(price))
			}
		}
	})

	t.Run("OKBookPage", func(t *testing.T) {
		resp, body := s.Get(t, "/librairie/livre/"+alep.Slug+"/")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public") {
			t.Fatalf("status %d, cache %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		d := doc(t, body)
		if got := text(d.Find(".book-price")); got != "Prix éditeur\u00a0: 22,00\u00a0€" {
			t.Errorf("price %q", got)
		}
		if got := text(d.Find(".book-contributors li")); got != "Claire Vidal (auteur)" {
			t.Errorf("contributors %q", got)
		}
		if got := text(d.Find(".book-details")); !strings.Contains(got, "7 septembre 2016") || !strings.Contains(got, alep.ISBN) ||
			!strings.Contains(got, "288") || !strings.Contains(got, "Éditions du Seuil d’Or") {
			t.Errorf("details %q", got)
		}
		f := d.Find(`form.add-to-cart[method="post"][action="/librairie/panier/ajouter"]`)
		if f.Length() != 1 || f.Find(`input[name="book_id"]`).AttrOr("value", "") == "" || f.Find(`label[for="quantity"]`).Length() != 1 {
			t.Error("no form to add the book to the cart")
		}
		if ld := d.Find(`script[type="application/ld+json"]`).Text(); !strings.Contains(ld, `"@type":"Book"`) ||
			!strings.Contains(ld, `"price":"22.00"`) || !strings.Contains(ld, "NewCondition") {
			t.Errorf("JSON-LD %s", ld)
		}
		if d.Find(".book-description p").Length() != 1 {
			t.Error("no description")
		}
	})

	t.Run("OKUsedBookPage", func(t *testing.T) {
		used := demoBook(t, s, "L’Orient de demain", "tome 1", shop.ConditionUsed, shop.FormatPrint)
		d := doc(t, s.MustGet(t, "/librairie/livre/"+used.Slug+"/", http.StatusOK))
		if got := text(d.Find(".book-price")); got != "Prix\u00a0: 11,00\u00a0€ occasion" {
			t.Errorf("used price %q", got)
		}
		if got := text(d.Find(".book-copies")); !strings.Contains(got, "neuf – 20,90\u00a0€") {
			t.Errorf("other copies %q", got)
		}
		if !strings.Contains(text(d.Find(".condition-note")), "Très bon état") {
			t.Error("no condition note")
		}
	})

	cases := []struct{ name, title, want string }{
		{"OKWithdrawn", "Guide de Lyon 2010", "Retiré de la vente"},
		{"OKForthcoming", "Le Monde d’après", "À paraître"},
		{"OKOutOfStock", "Ken Loach, cinéaste de la colère", "Indisponible pour le moment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.App.Shop.Catalog.SearchBooks(context.Background(), shop.BookFilter{Limit: 100,
				Status: []shop.Status{shop.StatusActive, shop.StatusForthcoming, shop.StatusWithdrawn}})
			if err != nil {
				t.Fatal(err)
			}
			var b *shop.Book
			for _, x := range res.Books {
				if x.Title == c.title {
					b = x
				}
			}
			if b == nil {
				t.Fatalf("no %q in the demo", c.title)
			}
			d := doc(t, s.MustGet(t, "/librairie/livre/"+b.Slug+"/", http.StatusOK))
			if got := text(d.Find(".availability")); got != c.want {
				t.Errorf("availability %q", got)
			}
			if d.Find("form.add-to-cart").Length() != 0 {
				t.Error("a book that cannot be bought has the cart's form")
			}
		})
	}

	t.Run("OKAuthorPublisherSubject", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/librairie/auteur/"+url.PathEscape("Ryad Sallem")+"/", http.StatusOK))
		if got := text(d.Find("h1")); got != "Livres de Ryad Sallem" {
			t.Errorf("author page %q", got)
		}
		if n := d.Find(".book-card").Length(); n != 3 {
			t.Errorf("%d books by Ryad Sallem", n)
		}
		if got := d.Find(`link[rel="canonical"]`).AttrOr("href", ""); !strings.HasSuffix(got, "/librairie/auteur/Ryad%20Sallem/") {
			t.Errorf("canonical %q", got)
		}
		d = doc(t, s.MustGet(t, "/librairie/editeur/"+url.PathEscape("Éditions du Levant")+"/", http.StatusOK))
		if n := d.Find(".book-card").Length(); n != 3 {
			t.Errorf("%d books from the Levant", n)
		}
		d = doc(t, s.MustGet(t, "/librairie/sujet/thema:JPSL/", http.StatusOK))
		if got := text(d.Find("h1")); got != "Thème\u00a0: Géopolitique" {
			t.Errorf("subject page %q", got)
		}
		s.MustGet(t, "/librairie/auteur/Personne%20Inconnue/", http.StatusNotFound)
		s.MustGet(t, "/librairie/sujet/rien/", http.StatusNotFound)
		s.MustGet(t, "/librairie/livre/pas-un-livre/", http.StatusNotFound)
	})

	t.Run("OKEnglish", func(t *testing.T) {
		d := doc(t, s.MustGet(t, "/bookshop/book/"+alep.Slug+"/", http.StatusOK))
		if got := text(d.Find(".book-price")); got != "Publisher's price: €22.00" {
			t.Errorf("English price %q", got)
		}
		if got := d.Find("html").AttrOr("lang", ""); got != "en" {
			t.Errorf("lang %q", got)
		}
		if got := d.Find("form.add-to-cart").AttrOr("action", ""); got != "/bookshop/cart/add" {
			t.Errorf("English form posts to %q", got)
		}
		d = doc(t, s.MustGet(t, "/bookshop/search?q=alep", http.StatusOK))
		if href, _ := d.Find(".book-card-title a").Attr("href"); href != "/bookshop/book/"+alep.Slug+"/" {
			t.Errorf("English result %q", href)
		}
		if got := text(d.Find("h1")); got != "Books for “alep”" {
			t.Errorf("English heading %q", got)
		}
		s.MustGet(t, "/bookshop/", http.StatusOK)
	})
}

// TestShopArticleBlock: an article shows the books an editor picked for
// it, with their prices, under the bookshop's text.
func TestShopArticleBlock(t *testing.T) {
	s := donateSite(t, "")
	ctx := context.Background()
	a, err := s.App.Content.ArticleBySlug(ctx, "l-arabe-du-futur-tome-3-riad-sattouf")
	if err != nil {
		t.Fatal(err)
	}
	d := doc(t, s.MustGet(t, "/"+a.PublishedAt.In(s.App.Settings.Get().Location()).Format("2006/01/02")+"/"+a.Slug+"/", http.StatusOK))
	block := d.Find("aside.bookshop")
	if n := block.Find(".book-card").Length(); n != 3 {
		t.Errorf("%d picked books under the article", n)
	}
	if block.Find(".book-card .condition-used").Length() != 1 {
		t.Error("the used copy is not labelled « occasion »")
	}
	if href, _ := block.Find(".bookshop-action a").Attr("href"); href != "/librairie/" {
		t.Errorf("shop link %q", href)
	}
	if block.Find("img[alt][width][height][loading=lazy]").Length() == 0 && block.Find("img").Length() > 0 {
		t.Error("covers without size or lazy loading")
	}
}

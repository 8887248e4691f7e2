package site

import (
	"html/template"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// shopView is what the bookshop's templates read besides the layout: the
// addresses in the page's language and the part of the page being shown.
type shopView struct {
	L *shopLang
	// CartCount is the number of copies in the visitor's cart, shown on
	// the shop's home (the only catalogue page not kept in the cache).
	CartCount int
	// Offer is the shop's delivery offer in words, "" when none.
	Offer string
	// Bar is the shop's search box and the link to the cart.
	Bar template.HTML

	Home     *shopHomeView
	Results  *shopResultsView
	Book     *bookPageView
	Cart     *cartView
	Checkout *checkoutView
	Order    *orderView
}

// newShopView starts the shop's part of a page.
func newShopView(c *reqCtx, sl *shopLang, pol shop.Policy) *shopView {
	return &shopView{L: sl, Offer: offerText(c, pol)}
}

// setBar writes the shop's search box, holding query, and the link to
// the cart (with its count on the home page).
func (sv *shopView) setBar(p *locale.Printer, query string) {
	var w htmlWriter
	w.raw(`<div class="shop-bar"><form class="shop-search" role="search" action="`, sv.L.Search,
		`" method="get"><label for="shop-q">`)
	w.text(p.T("shop.page.search_label"))
	w.raw(`</label> <input id="shop-q" name="q" type="search" maxlength="200" value="`)
	w.text(query)
	w.raw(`" placeholder="`)
	w.text(p.T("shop.page.search_placeholder"))
	w.raw(`"> <button type="submit">`)
	w.text(p.T("shop.page.search_submit"))
	w.raw(`</button></form><p class="shop-cart-link"><a href="`, sv.L.Cart, `">`)
	if sv.CartCount > 0 {
		w.text(p.N("shop.page.cart_count", sv.CartCount))
	} else {
		w.text(p.T("shop.page.cart_link"))
	}
	w.raw("</a></p></div>\n")
	sv.Bar = w.html()
}

// offerText is the shop's delivery offer, « Livraison à 0,01 € dès 64 €
// d'achat (France métropolitaine et Monaco) », or "" when there is none.
func offerText(c *reqCtx, pol shop.Policy) string {
	o := pol.Offer
	if !o.Enabled {
		return ""
	}
	fee, from := c.p.Money(o.FeeCents, "EUR"), c.p.MoneyShort(o.ThresholdCents, "EUR")
	var zones []string
	for _, z := range pol.Zones {
		for _, id := range o.Zones {
			if z.ID == id {
				zones = append(zones, z.Name)
			}
		}
	}
	if len(zones) == 0 {
		return c.p.T("shop.page.offer", fee, from)
	}
	return c.p.T("shop.page.offer_in", fee, from, strings.Join(zones, ", "))
}

// The labels of a book's condition and format.
func usedLabel(p *locale.Printer) string { return p.T("shop.used") }

func formatLabel(p *locale.Printer, f shop.Format) string {
	switch f {
	case shop.FormatPrint, shop.FormatEbook, shop.FormatAudio, shop.FormatOther:
		return p.T("shop.page.format." + string(f))
	}
	return ""
}

// roleKeys name the ONIX List 17 roles a book page translates; others
// read « contribution ».
var roleKeys = map[string]string{
	"A01": "shop.page.role.author", "A02": "shop.page.role.with", "A12": "shop.page.role.illustrator",
	"A13": "shop.page.role.photographer", "A15": "shop.page.role.preface", "A19": "shop.page.role.afterword",
	"A23": "shop.page.role.foreword", "A24": "shop.page.role.introduction", "B01": "shop.page.role.editor",
	"B06": "shop.page.role.translator", "E07": "shop.page.role.reader",
}

func roleLabel(p *locale.Printer, role string) string {
	if k, ok := roleKeys[role]; ok {
		return p.T(k)
	}
	return p.T("shop.page.role.other")
}

// stock is where a book stands for a buyer at a time.
type stock int

const (
	stockOnOrder stock = iota
	stockInStock
	stockOut
	stockNoPrice
	stockNotAlone
	stockForthcoming
	stockWithdrawn
)

// stockOf says whether a book can be bought at t and, if not, why.
func stockOf(b *shop.Book, t time.Time) stock {
	switch {
	case b.Status == shop.StatusWithdrawn:
		return stockWithdrawn
	case b.Status == shop.StatusForthcoming:
		return stockForthcoming
	case b.NotSoldAlone:
		return stockNotAlone
	case b.Sellable(t) != nil:
		return stockNoPrice
	case b.TrackStock && b.Shipped() && b.Stock <= 0:
		return stockOut
	case b.TrackStock && b.Shipped():
		return stockInStock
	}
	return stockOnOrder
}

// buyable reports whether a book in state s can be added to a cart.
func (s stock) buyable() bool { return s == stockOnOrder || s == stockInStock }

// availability says in words whether a book can be bought at t:
// « Retiré de la vente », « À paraître », « Indisponible »…
func availability(p *locale.Printer, b *shop.Book, t time.Time) (label string, buyable bool) {
	s := stockOf(b, t)
	switch s {
	case stockWithdrawn:
		label = p.T("shop.page.withdrawn")
	case stockForthcoming:
		label = p.T("shop.page.forthcoming")
	case stockNotAlone:
		label = p.T("shop.page.not_sold_alone")
	case stockNoPrice:
		label = p.T("shop.page.unavailable")
	case stockOut:
		label = p.T("shop.page.out_of_stock")
	case stockInStock:
		label = p.N("shop.page.in_stock", b.Stock)
	default:
		label = p.T("shop.page.available")
	}
	return label, s.buyable()
}

// bookCardsHTML writes books as a list of cards: cover, title, authors,
// and the price with « occasion » next to it for a used copy (décret
// 2023-497), or why it cannot be bought.
func bookCardsHTML(w *htmlWriter, books []*shop.Book, c *reqCtx, sl *shopLang, t time.Time) {
	if len(books) == 0 {
		return
	}
	w.raw("<ul class=\"book-grid\">\n")
	for _, b := range books {
		u := sl.BookURL(b)
		w.raw(`<li class="book-card">`)
		if b.CoverURL != "" {
			w.raw(`<a class="book-cover" href="`)
			w.text(u)
			w.raw(`" tabindex="-1" aria-hidden="true"><img src="`)
			w.text(b.CoverURL)
			w.raw(`" alt="" width="120" height="180" loading="lazy" decoding="async"></a>`)
		}
		w.raw(`<h3 class="book-card-title"><a href="`)
		w.text(u)
		w.raw(`">`)
		w.text(c.typo(b.Title))
		w.raw("</a></h3>")
		if a := b.Authors(); len(a) > 0 {
			w.raw(`<p class="book-card-authors">`)
			w.text(strings.Join(a, ", "))
			w.raw("</p>")
		}
		w.raw(`<p class="book-card-price">`)
		priceHTML(w, c.p, b, t)
		if b.Format != shop.FormatPrint {
			w.raw(` <span class="book-format">`)
			w.text(formatLabel(c.p, b.Format))
			w.raw("</span>")
		}
		w.raw("</p></li>\n")
	}
	w.raw("</ul>\n")
}

// priceHTML writes a book's price now, « occasion » right after it for a
// used copy, or why it has none.
func priceHTML(w *htmlWriter, p *locale.Printer, b *shop.Book, t time.Time) {
	cents, ok := b.PriceAt(t)
	if label, buyable := availability(p, b, t); !ok || (!buyable && b.Status != shop.StatusActive) {
		w.raw(`<span class="book-unavailable">`)
		w.text(label)
		w.raw("</span>")
		return
	}
	w.raw(`<span class="price">`)
	w.text(p.Money(cents, "EUR"))
	w.raw("</span>")
	if b.Condition == shop.ConditionUsed {
		w.raw(` <span class="condition-used">`)
		w.text(usedLabel(p))
		w.raw("</span>")
	}
}

// booksHTML is bookCardsHTML as a template value.
func booksHTML(books []*shop.Book, c *reqCtx, sl *shopLang, t time.Time) template.HTML {
	var w htmlWriter
	w.Grow(600 * len(books))
	bookCardsHTML(&w, books, c, sl, t)
	return w.html()
}

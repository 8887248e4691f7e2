package site

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// bookPageView is a book's page.
type bookPageView struct {
	ID                      int64
	Title, Subtitle, Series string
	CoverURL, CoverAlt      string
	Contributors            []contributorView
	Publisher, PublisherURL string
	Imprint                 string
	Published, PublishedISO string
	Pages                   int
	ISBN                    string
	Format                  string
	Subjects                []facetLink
	Description             template.HTML
	Availability            string
	Buyable                 bool
	Withdrawn               bool
	// PriceLabel is « Prix éditeur : » for a new book, whose price the
	// publisher sets, and « Prix : » otherwise; Price is empty when the
	// book has none now.
	PriceLabel, Price string
	Used              bool
	ConditionNote     string
	Copies            []copyView
	MaxQuantity       int
	Related           template.HTML
}

type contributorView struct{ Name, URL, Role string }

// copyView is another copy of the same ISBN (new or used).
type copyView struct {
	URL, Label, Price, Note string
	Used                    bool
}

// showShopBook renders a book's page: what it is, its price (the
// publisher's for a new book, « occasion » next to a used copy's), its
// other copies, the form to add it to the cart, related titles. A
// withdrawn book keeps its page, which says it is no longer sold. The
// page is kept in the cache until a book changes.
func (h *Handler) showShopBook(r *http.Request, c *reqCtx) (*page, error) {
	if err := h.shopOff(); err != nil {
		return nil, err
	}
	c, sl := h.shopCtx(r, c)
	bp, err := h.Shop.Book(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	b := bp.Book
	now := h.Shop.Clock.Now()
	bv := bookView(c, sl, bp, now)
	v := h.newPage(r, c, b.Title, descriptionOf(b), sl.BookURL(b))
	v.Section = "shop"
	v.OGType = "book"
	if b.CoverURL != "" {
		v.Image, v.ImageAlt = h.absolute(b.CoverURL), bv.CoverAlt
	}
	v.JSONLD = jsonLD(h.bookLD(sl, b, now))
	sv := newShopView(c, sl, h.Shop.Policy())
	sv.Book = bv
	sv.setBar(c.p, "")
	v.Shop = sv
	return h.htmlPage(c, "shop_book", v, b.UpdatedAt, pagecache.TagShop)
}

// bookView prepares a book's page for its template.
func bookView(c *reqCtx, sl *shopLang, bp *shop.BookPage, now time.Time) *bookPageView {
	b, p := bp.Book, c.p
	title := c.typo(b.Title)
	bv := &bookPageView{ID: b.ID, Title: title, Subtitle: c.typo(b.Subtitle), Series: c.typo(b.Series), CoverURL: b.CoverURL,
		CoverAlt: p.T("shop.page.cover_alt", title), Imprint: b.Imprint, Pages: b.Pages, ISBN: b.ISBN,
		Format: formatLabel(p, b.Format), Used: b.Condition == shop.ConditionUsed, ConditionNote: c.typo(b.ConditionNote),
		Description: template.HTML(b.Description), //nolint:gosec // sanitized when imported or saved
		Withdrawn:   b.Status == shop.StatusWithdrawn, MaxQuantity: shop.MaxQuantity,
		Related: booksHTML(bp.Related, c, sl, now)}
	for _, ct := range b.Contributors {
		bv.Contributors = append(bv.Contributors, contributorView{Name: ct.Name, URL: sl.AuthorURL(ct.Name), Role: roleLabel(p, ct.Role)})
	}
	if b.Publisher != "" {
		bv.Publisher, bv.PublisherURL = b.Publisher, sl.PublisherURL(b.Publisher)
	}
	if b.Imprint == b.Publisher {
		bv.Imprint = ""
	}
	if !b.PublishedOn.IsZero() {
		// A date without a time: midnight UTC, printed as such.
		d := b.PublishedOn.UTC()
		bv.Published, bv.PublishedISO = p.Date(d, locale.DateLong), d.Format(time.DateOnly)
	}
	for _, s := range b.Subjects {
		if s.Heading == "" || s.Scheme == "keyword" {
			continue
		}
		key := shop.SubjectKey{Scheme: s.Scheme, Code: s.Code}.String()
		bv.Subjects = append(bv.Subjects, facetLink{Label: c.typo(s.Heading), URL: sl.SubjectURL(key)})
	}
	bv.Availability, bv.Buyable = availability(p, b, now)
	if cents, ok := b.PriceAt(now); ok && !bv.Withdrawn {
		bv.Price = p.Money(cents, "EUR")
		if b.FixedPrice() {
			bv.PriceLabel = p.T("shop.page.publisher_price")
		} else {
			bv.PriceLabel = p.T("shop.page.price")
		}
	}
	for _, o := range bp.Copies {
		cv := copyView{URL: sl.BookURL(o), Used: o.Condition == shop.ConditionUsed, Note: c.typo(o.ConditionNote)}
		cv.Label = conditionLabel(c, o.Condition)
		if o.Format != b.Format {
			cv.Label += " (" + formatLabel(p, o.Format) + ")"
		}
		if cents, ok := o.PriceAt(now); ok {
			cv.Price = p.Money(cents, "EUR")
		}
		bv.Copies = append(bv.Copies, cv)
	}
	return bv
}

// descriptionOf is the book's description as plain text, cut for the
// meta description.
func descriptionOf(b *shop.Book) string {
	s := strings.Join(strings.Fields(stripTags(b.Description)), " ")
	if r := []rune(s); len(r) > 200 {
		s = strings.TrimSpace(string(r[:199])) + "…"
	}
	return s
}

// stripTags drops the markup of sanitized HTML (whose entities stay as
// they are: the head escapes the result again only for &, <, >, ").
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

// schema.org Book with its offer, so search engines show the price and
// whether it is new or used.
type ldBook struct {
	Context       string    `json:"@context"`
	Type          string    `json:"@type"`
	Name          string    `json:"name"`
	URL           string    `json:"url"`
	ISBN          string    `json:"isbn,omitempty"`
	Image         string    `json:"image,omitempty"`
	Author        []ldThing `json:"author,omitempty"`
	Publisher     *ldThing  `json:"publisher,omitempty"`
	DatePublished string    `json:"datePublished,omitempty"`
	NumberOfPages int       `json:"numberOfPages,omitempty"`
	BookFormat    string    `json:"bookFormat,omitempty"`
	InLanguage    string    `json:"inLanguage,omitempty"`
	Offers        *ldOffer  `json:"offers,omitempty"`
}

type ldOffer struct {
	Type          string `json:"@type"`
	Price         string `json:"price"`
	PriceCurrency string `json:"priceCurrency"`
	Availability  string `json:"availability"`
	ItemCondition string `json:"itemCondition"`
	URL           string `json:"url"`
}

func (h *Handler) bookLD(sl *shopLang, b *shop.Book, now time.Time) ldBook {
	u := h.BaseURL + sl.BookURL(b)
	ld := ldBook{Context: "https://schema.org", Type: "Book", Name: b.Title, URL: u, ISBN: b.ISBN, Image: h.absolute(b.CoverURL),
		NumberOfPages: b.Pages, InLanguage: b.Language}
	for _, a := range b.Authors() {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: a})
	}
	if b.Publisher != "" {
		ld.Publisher = &ldThing{Type: "Organization", Name: b.Publisher}
	}
	if !b.PublishedOn.IsZero() {
		ld.DatePublished = b.PublishedOn.UTC().Format(time.DateOnly)
	}
	switch b.Format {
	case shop.FormatPrint:
		ld.BookFormat = "https://schema.org/Paperback"
	case shop.FormatEbook:
		ld.BookFormat = "https://schema.org/EBook"
	case shop.FormatAudio:
		ld.BookFormat = "https://schema.org/AudiobookFormat"
	}
	if cents, ok := b.PriceAt(now); ok && b.Status != shop.StatusWithdrawn {
		o := &ldOffer{Type: "Offer", Price: strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(100+cents%100, 10)[1:],
			PriceCurrency: "EUR", Availability: "https://schema.org/InStock", ItemCondition: "https://schema.org/NewCondition", URL: u}
		if b.Condition == shop.ConditionUsed {
			o.ItemCondition = "https://schema.org/UsedCondition"
		}
		switch s := stockOf(b, now); {
		case s == stockForthcoming:
			o.Availability = "https://schema.org/PreOrder"
		case !s.buyable():
			o.Availability = "https://schema.org/OutOfStock"
		}
		ld.Offers = o
	}
	return ld
}

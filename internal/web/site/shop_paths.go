package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// shopLang is the bookshop's addresses and query parameters in one
// language: French pages live under /librairie/, English ones under
// /bookshop/, and both are served by the same handlers.
type shopLang struct {
	Lang                                                      locale.Lang
	Home, Search, Book, Author, Publisher, Subject            string
	Cart, CartAdd, Checkout, Order, Invoice                   string
	ParamAuthor, ParamPublisher, ParamSubject, ParamCondition string
	ParamSort                                                 string
	formats                                                   map[shop.Format]string
	conditions                                                map[shop.Condition]string
	sorts                                                     map[shop.BookSort]string
}

// The bookshop's two sets of addresses. Filter values are words of the
// page's language too (« occasion », « nouveautes »); either language's
// words are understood on both.
var (
	shopFR = &shopLang{Lang: locale.French, Home: "/librairie/", Search: "/librairie/recherche",
		Book: "/librairie/livre/", Author: "/librairie/auteur/", Publisher: "/librairie/editeur/", Subject: "/librairie/sujet/",
		Cart: "/librairie/panier/", CartAdd: "/librairie/panier/ajouter", Checkout: "/librairie/commande/",
		Order: "/librairie/commande/suivi/", Invoice: "/librairie/commande/facture/",
		ParamAuthor: "auteur", ParamPublisher: "editeur", ParamSubject: "sujet", ParamCondition: "etat", ParamSort: "tri",
		formats: map[shop.Format]string{shop.FormatPrint: "papier", shop.FormatEbook: "numerique", shop.FormatAudio: "audio",
			shop.FormatOther: "autre"},
		conditions: map[shop.Condition]string{shop.ConditionNew: "neuf", shop.ConditionUsed: "occasion"},
		sorts: map[shop.BookSort]string{shop.SortRelevance: "pertinence", shop.SortNewest: "nouveautes",
			shop.SortTitle: "titre", shop.SortPrice: "prix"},
	}
	shopEN = &shopLang{Lang: locale.English, Home: "/bookshop/", Search: "/bookshop/search",
		Book: "/bookshop/book/", Author: "/bookshop/author/", Publisher: "/bookshop/publisher/", Subject: "/bookshop/subject/",
		Cart: "/bookshop/cart/", CartAdd: "/bookshop/cart/add", Checkout: "/bookshop/checkout/",
		Order: "/bookshop/order/", Invoice: "/bookshop/order/invoice/",
		ParamAuthor: "author", ParamPublisher: "publisher", ParamSubject: "subject", ParamCondition: "condition", ParamSort: "sort",
		formats: map[shop.Format]string{shop.FormatPrint: "print", shop.FormatEbook: "ebook", shop.FormatAudio: "audio",
			shop.FormatOther: "other"},
		conditions: map[shop.Condition]string{shop.ConditionNew: "new", shop.ConditionUsed: "used"},
		sorts: map[shop.BookSort]string{shop.SortRelevance: "relevance", shop.SortNewest: "newest",
			shop.SortTitle: "title", shop.SortPrice: "price"},
	}
)

// shopLangOf returns the addresses of the language a path is in.
func shopLangOf(path string) *shopLang {
	if strings.HasPrefix(path, "/bookshop/") {
		return shopEN
	}
	return shopFR
}

// ShopOrderPath is the customer's order page in l, where the payment page
// sends them back and the emails link to.
func ShopOrderPath(l locale.Lang) string {
	if l == locale.English {
		return shopEN.Order
	}
	return shopFR.Order
}

// shopCtx returns the request's context in the language of the shop's
// path: /bookshop/ pages are in English whatever the site's language.
func (h *Handler) shopCtx(r *http.Request, c *reqCtx) (*reqCtx, *shopLang) {
	sl := shopLangOf(r.URL.Path)
	if c.l.Lang == sl.Lang {
		return c, sl
	}
	cc := *c
	cc.l.Lang, cc.p = sl.Lang, h.Catalog.Printer(sl.Lang)
	return &cc, sl
}

// BookURL is a book's page.
func (sl *shopLang) BookURL(b *shop.Book) string { return sl.Book + url.PathEscape(b.Slug) + "/" }

// AuthorURL is the page of a contributor's books.
func (sl *shopLang) AuthorURL(name string) string { return sl.Author + url.PathEscape(name) + "/" }

// PublisherURL is the page of a publisher's books.
func (sl *shopLang) PublisherURL(name string) string {
	return sl.Publisher + url.PathEscape(name) + "/"
}

// SubjectURL is the page of a subject ("clil:3435").
func (sl *shopLang) SubjectURL(key string) string { return sl.Subject + url.PathEscape(key) + "/" }

// formatWord, conditionWord and sortWord are a filter's value in the
// page's language.
func (sl *shopLang) formatWord(f shop.Format) string       { return sl.formats[f] }
func (sl *shopLang) conditionWord(c shop.Condition) string { return sl.conditions[c] }
func (sl *shopLang) sortWord(s shop.BookSort) string       { return sl.sorts[s] }

// parseWord finds the key whose word, in either language, is w.
func parseWord[K ~string](w string, of func(*shopLang) map[K]string) (K, bool) {
	var zero K
	if w == "" {
		return zero, true
	}
	for _, sl := range []*shopLang{shopFR, shopEN} {
		for k, v := range of(sl) {
			if v == w {
				return k, true
			}
		}
	}
	return zero, false
}

// shopQuery is a catalogue search as its address gives it: what the
// reader typed and the filters of the facets they followed.
type shopQuery struct {
	Query     string
	Author    string
	Publisher string
	Subject   string
	Format    shop.Format
	Condition shop.Condition
	Sort      shop.BookSort
	Page      int
	// Clean is false when a value was not understood (and ignored): such
	// an address is not worth a place in the page cache.
	Clean bool
}

// param returns the first of the names given a value in q.
func param(q url.Values, names ...string) string {
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseShopQuery reads a search's address. Parameters are understood in
// both languages (auteur or author…).
func parseShopQuery(r *http.Request) (shopQuery, error) {
	if err := validQuery(r); err != nil {
		return shopQuery{}, err
	}
	n, err := queryPage(r)
	if err != nil {
		return shopQuery{}, err
	}
	q := r.URL.Query()
	sq := shopQuery{Query: param(q, "q"), Author: param(q, "auteur", "author"), Publisher: param(q, "editeur", "publisher"),
		Subject: param(q, "sujet", "subject"), Page: n, Clean: true}
	var ok bool
	if sq.Format, ok = parseWord(param(q, "format"), func(sl *shopLang) map[shop.Format]string { return sl.formats }); !ok {
		sq.Clean = false
	}
	if sq.Condition, ok = parseWord(param(q, "etat", "condition"), func(sl *shopLang) map[shop.Condition]string { return sl.conditions }); !ok {
		sq.Clean = false
	}
	if sq.Sort, ok = parseWord(param(q, "tri", "sort"), func(sl *shopLang) map[shop.BookSort]string { return sl.sorts }); !ok {
		sq.Clean = false
	}
	if sq.Subject != "" {
		if _, ok := shop.ParseSubjectKey(sq.Subject); !ok {
			return shopQuery{}, apperr.New(apperr.NotFound, "error.not_found.text")
		}
	}
	return sq, nil
}

// url returns the search page's address for sq in sl's words, page 1
// unless sq says otherwise.
func (sl *shopLang) url(sq shopQuery) string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", sq.Query)
	set(sl.ParamAuthor, sq.Author)
	set(sl.ParamPublisher, sq.Publisher)
	set(sl.ParamSubject, sq.Subject)
	set("format", sl.formatWord(sq.Format))
	set(sl.ParamCondition, sl.conditionWord(sq.Condition))
	set(sl.ParamSort, sl.sortWord(sq.Sort))
	if sq.Page > 1 {
		v.Set("page", strconv.Itoa(sq.Page))
	}
	if len(v) == 0 {
		return sl.Search
	}
	return sl.Search + "?" + v.Encode()
}

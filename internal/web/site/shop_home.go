package site

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web"
)

// What the shop's home shows: new titles, and subjects (the largest when
// the catalogue has more).
const (
	shopHomeNew      = 12
	shopHomeSubjects = 40
)

// shopHomeView is the shop's home: new titles and subjects to browse.
type shopHomeView struct {
	Promo     template.HTML
	NewTitles template.HTML
	Subjects  []facetLink
	// MoreURL lists every title, newest first.
	MoreURL string
}

// facetLink is one value of a facet or a subject, as a link.
type facetLink struct {
	Label, URL string
	Count      int
	Current    bool
}

// shopOff answers 404 for the shop's pages when the site has no shop.
func (h *Handler) shopOff() error {
	if h.Shop == nil {
		return apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return nil
}

// showShop renders /librairie/ (or /bookshop/): the search box, the new
// titles, the subjects, the newsroom's promotion and the visitor's cart.
// The cart's count makes the page the visitor's own, so it is rendered at
// each visit rather than kept in the page cache (a few queries).
func (h *Handler) showShop(r *http.Request, c *reqCtx) (*page, error) {
	if err := h.shopOff(); err != nil {
		return nil, err
	}
	c, sl := h.shopCtx(r, c)
	ctx := r.Context()
	// The catalogue's own search, without the facets Service.NewTitles
	// counts (half the page's time) and the home does not show.
	now := h.Shop.Clock.Now()
	res, err := h.Shop.Catalog.SearchBooks(ctx, shop.BookFilter{Sort: shop.SortNewest, Limit: shopHomeNew, At: now})
	if err != nil {
		return nil, fmt.Errorf("new titles: %w", err)
	}
	subjects, err := h.Shop.Subjects(ctx)
	if err != nil {
		return nil, err
	}
	v := h.newPage(r, c, c.p.T("shop.page.home_title"), c.p.T("shop.page.home_intro"), sl.Home)
	v.Section = "shop"
	sv := newShopView(c, sl, h.Shop.Policy())
	sv.CartCount = h.cartCount(r)
	sv.setBar(c.p, "")
	home := &shopHomeView{Promo: v.BookshopHTML, NewTitles: booksHTML(res.Books, c, sl, now),
		MoreURL: sl.url(shopQuery{Sort: shop.SortNewest})}
	for _, s := range subjects {
		if s.Label != "" {
			home.Subjects = append(home.Subjects, facetLink{Label: c.typo(s.Label), URL: sl.SubjectURL(s.Value), Count: s.Count})
		}
	}
	if len(home.Subjects) > shopHomeSubjects {
		// The largest subjects, still in the order of their names.
		byCount := slices.Clone(home.Subjects)
		slices.SortStableFunc(byCount, func(a, b facetLink) int { return b.Count - a.Count })
		floor := byCount[shopHomeSubjects-1].Count
		kept := home.Subjects[:0]
		for _, s := range home.Subjects {
			if s.Count >= floor && len(kept) < shopHomeSubjects {
				kept = append(kept, s)
			}
		}
		home.Subjects = kept
	}
	slices.SortStableFunc(home.Subjects, func(a, b facetLink) int { return strings.Compare(sortKey(a.Label), sortKey(b.Label)) })
	sv.Home = home
	v.Shop = sv
	p, err := h.htmlPage(c, "shop_home", v, c.site.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.CacheControl = web.CacheNoStore
	return p, nil
}

// cartCount is the number of copies in the cart of r's cookie (0 when
// none or on any error: a count is not worth an error page).
func (h *Handler) cartCount(r *http.Request) int {
	ck, err := r.Cookie(shop.CartCookie)
	if err != nil {
		return 0
	}
	cart, err := h.Shop.Cart(r.Context(), ck.Value)
	if err != nil {
		h.Log.Warn("load cart for its count", "error", err)
		return 0
	}
	n := 0
	for _, l := range cart.Lines {
		n += l.Quantity
	}
	return n
}

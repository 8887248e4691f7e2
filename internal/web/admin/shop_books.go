package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/shop"
)

// shopBooksPageSize is the length of a page of the catalogue list.
const shopBooksPageSize = 50

// bookRow is a book as the lists show it.
type bookRow struct {
	ID               int64
	Title, Authors   string
	ISBN             string
	Format           shop.Format
	Used             bool
	Price            string
	Stock, ReorderAt int
	TrackStock, Low  bool
	Status           shop.Status
}

type shopBooksPage struct {
	basePage
	Query                string
	Low, Withdrawn, Used bool
	Rows                 []bookRow
	Total                int
	// Alerts are the books to reorder, shown above the list.
	Alerts     []bookRow
	Pagination pagination
}

// listShopBooks shows the catalogue, withdrawn books included, with a
// search (words or an ISBN) and filters (to reorder, withdrawn, used),
// and the books to reorder at the top.
func (h *Handler) listShopBooks(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	page := &shopBooksPage{basePage: h.shopBase(r, s, h.printer().T("admin.shop.books.title")), Query: strings.TrimSpace(q.Get("q")),
		Low: q.Get("low") != "", Withdrawn: q.Get("withdrawn") != "", Used: q.Get("used") != ""}
	low, err := h.Shop.LowStock(ctx)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	for _, b := range low {
		page.Alerts = append(page.Alerts, h.bookRow(b))
	}
	if page.Low {
		page.Rows, page.Total = page.Alerts, len(page.Alerts)
	} else {
		res, err := h.Shop.AdminBooks(ctx, shop.BookQuery{Query: page.Query, Withdrawn: page.Withdrawn, Used: page.Used, Page: n,
			PerPage: shopBooksPageSize})
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		for _, b := range res.Books {
			page.Rows = append(page.Rows, h.bookRow(b))
		}
		page.Total = res.Total
		page.Pagination = pageLinks(r, n, (res.Total+shopBooksPageSize-1)/shopBooksPageSize)
	}
	h.render(w, r, http.StatusOK, "shop_books", page)
}

// bookRow writes a book out for a list, its price the one in effect now.
func (h *Handler) bookRow(b *shop.Book) bookRow {
	row := bookRow{ID: b.ID, Title: b.Title, Authors: strings.Join(b.Authors(), ", "), ISBN: b.ISBN, Format: b.Format,
		Used: b.Condition == shop.ConditionUsed, Stock: b.Stock, ReorderAt: b.ReorderAt, TrackStock: b.TrackStock,
		Low: b.TrackStock && b.Stock <= b.ReorderAt, Status: b.Status}
	if c, ok := b.PriceAt(h.Clock.Now()); ok {
		row.Price = h.printer().Money(c, "EUR")
	}
	return row
}

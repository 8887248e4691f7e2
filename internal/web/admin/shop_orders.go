package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// shopOrdersPageSize is the length of a page of the orders list.
const shopOrdersPageSize = 50

// orderQuery is the orders list's filters as the query string gives them,
// kept as typed to fill the filters' form again.
type orderQuery struct {
	Status   string
	From, To string
	Q        string
}

// orderFilter reads the list's filters from the query string, leaving out
// those that are not valid (an old bookmark, a hand-made address).
func (h *Handler) orderFilter(q url.Values) (orderQuery, shop.OrderFilter) {
	loc := h.Settings.Get().Location()
	oq := orderQuery{Q: strings.TrimSpace(q.Get("q"))}
	var f shop.OrderFilter
	if st := shop.OrderStatus(q.Get("status")); st.Valid() {
		oq.Status, f.Status = string(st), st
	}
	if from := parseFormDay(q.Get("from"), loc); !from.IsZero() {
		oq.From, f.From = from.Format(formDayLayout), from
	}
	// The last day is included: the range ends at the next midnight.
	if to := parseFormDay(q.Get("to"), loc); !to.IsZero() {
		oq.To, f.To = to.Format(formDayLayout), to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		oq.To, f.To = "", time.Time{}
	}
	f.Query = oq.Q
	return oq, f
}

// encode returns the filters as a query string, for the export's link.
func (q orderQuery) encode() string {
	v := url.Values{}
	for k, val := range map[string]string{"status": q.Status, "from": q.From, "to": q.To, "q": q.Q} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v.Encode()
}

// listedOrder is an order as the list shows it, amounts written out.
type listedOrder struct {
	ID        int64
	Reference string
	Created   time.Time
	ISO       string
	Buyer     string
	Email     string
	Copies    int
	Used      bool
	Total     string
	Refunded  string
	Status    shop.OrderStatus
	Delivery  shop.DeliveryKind
	Carrier   string
	Invoice   string
}

type shopOrdersPage struct {
	basePage
	Query      orderQuery
	Rows       []listedOrder
	Count      int
	Statuses   []shop.OrderStatus
	Pagination pagination
	ExportURL  string
}

// listShopOrders shows the orders, newest first, with the filters of the
// query string.
func (h *Handler) listShopOrders(w http.ResponseWriter, r *http.Request, s *session) {
	oq, f := h.orderFilter(r.URL.Query())
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	f.Limit, f.Offset = shopOrdersPageSize, (n-1)*shopOrdersPageSize
	list, total, err := h.Shop.ListOrders(r.Context(), f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	page := &shopOrdersPage{basePage: h.shopBase(r, s, p.T("admin.shop.orders.title")), Query: oq, Count: total,
		Statuses: shopStatuses, Pagination: pageLinks(r, n, (total+shopOrdersPageSize-1)/shopOrdersPageSize),
		ExportURL: "/admin/shop/orders.csv"}
	if enc := oq.encode(); enc != "" {
		page.ExportURL += "?" + enc
	}
	for _, o := range list {
		row := listedOrder{ID: o.ID, Reference: o.Reference, Created: o.CreatedAt.In(loc), ISO: o.CreatedAt.UTC().Format(time.RFC3339),
			Buyer: buyerName(o), Email: o.Email, Used: o.HasUsed(), Total: p.Money(o.TotalCents, "EUR"), Status: o.Status,
			Delivery: o.Delivery, Carrier: o.CarrierName, Invoice: o.InvoiceNumber}
		for _, l := range o.Lines {
			row.Copies += l.Quantity
		}
		if o.RefundedCents > 0 {
			row.Refunded = p.Money(o.RefundedCents, "EUR")
		}
		page.Rows = append(page.Rows, row)
	}
	h.render(w, r, http.StatusOK, "shop_orders", page)
}

// buyerName is who bought: the billing name, the company, the delivery
// name, or the email.
func buyerName(o *shop.Order) string {
	for _, n := range []string{o.BillTo.Name, o.BillTo.Company, o.ShipTo.Name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return o.Email
}

// showShopHome sends the shop's entry to its orders.
func (h *Handler) showShopHome(w http.ResponseWriter, r *http.Request, _ *session) {
	redirect(w, r, "/admin/shop/orders/", "")
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/shop"
)

// exportShopOrders sends the orders the list's filters select as a CSV
// file a spreadsheet opens as it is, as the gifts' export does: UTF-8 with
// a byte order mark, the separator and decimal mark of the site's
// language (a semicolon and a comma in French), and every cell a
// spreadsheet would read as a formula made inert.
func (h *Handler) exportShopOrders(w http.ResponseWriter, r *http.Request, s *session) {
	_, f := h.orderFilter(r.URL.Query())
	p := h.printer()
	out := h.newCSVStream(w, "commandes", []string{p.T("admin.shop.orders.reference"), p.T("admin.shop.orders.created"),
		p.T("admin.shop.orders.paid"), p.T("admin.filter.status"), p.T("admin.shop.orders.buyer"), p.T("admin.shop.orders.company"),
		p.T("admin.field.email"), p.T("admin.shop.orders.postal_code"), p.T("admin.shop.orders.city"), p.T("admin.shop.orders.country"),
		p.T("admin.shop.orders.delivery"), p.T("admin.shop.orders.carrier"), p.T("admin.shop.orders.copies"),
		p.T("admin.shop.orders.used"), p.T("admin.shop.orders.goods"), p.T("admin.shop.orders.shipping"),
		p.T("admin.shop.orders.total"), p.T("admin.shop.orders.refunded"), p.T("admin.shop.orders.invoice"),
		p.T("admin.shop.orders.tracking")})
	err := h.Shop.ExportOrders(r.Context(), f, func(o *shop.Order) error {
		copies := 0
		for _, l := range o.Lines {
			copies += l.Quantity
		}
		return out.Row(o.Reference, out.time(o.CreatedAt), out.time(o.PaidAt), p.T("admin.shop.status."+string(o.Status)),
			buyerName(o), o.BillTo.Company, o.Email, o.ShipTo.PostalCode, o.ShipTo.City, o.ShipTo.Country,
			p.T("admin.shop.delivery."+string(o.Delivery)), o.CarrierName, strconv.Itoa(copies), yesCell(o.HasUsed(), p.T("admin.shop.yes")),
			out.amount(o.GoodsCents), out.amount(o.ShippingCents), out.amount(o.TotalCents), out.amount(o.RefundedCents),
			o.InvoiceNumber, o.Tracking)
	})
	if err != nil && !out.Started() {
		h.fail(w, r, s, err)
		return
	}
	if err != nil {
		// Half a file is gone already: the log says why it stops short.
		h.Log.Error("export orders", "error", err)
	}
	out.Close()
}

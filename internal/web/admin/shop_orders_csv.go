package admin

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
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
	st := h.Settings.Get()
	loc := st.Location()
	comma, decimal := ',', "."
	if st.Lang() == locale.French {
		comma, decimal = ';', ","
	}
	header := []string{p.T("admin.shop.orders.reference"), p.T("admin.shop.orders.created"), p.T("admin.shop.orders.paid"),
		p.T("admin.filter.status"), p.T("admin.shop.orders.buyer"), p.T("admin.shop.orders.company"), p.T("admin.field.email"),
		p.T("admin.shop.orders.postal_code"), p.T("admin.shop.orders.city"), p.T("admin.shop.orders.country"),
		p.T("admin.shop.orders.delivery"), p.T("admin.shop.orders.carrier"), p.T("admin.shop.orders.copies"),
		p.T("admin.shop.orders.used"), p.T("admin.shop.orders.goods"), p.T("admin.shop.orders.shipping"),
		p.T("admin.shop.orders.total"), p.T("admin.shop.orders.refunded"), p.T("admin.shop.orders.invoice"),
		p.T("admin.shop.orders.tracking")}
	// The first row goes out only once the query answered, so a failure
	// still gets an error page and not half a file.
	var out *csv.Writer
	var buf *bufio.Writer
	start := func() {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name := "commandes-" + h.Clock.Now().In(loc).Format("2006-01-02") + ".csv"
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		buf = bufio.NewWriter(w)
		_, _ = buf.WriteString("\ufeff")
		out = csv.NewWriter(buf)
		out.Comma = comma
		_ = out.Write(header)
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	amount := func(cents int64) string { return centsText(cents, decimal) }
	yes := func(b bool) string {
		if b {
			return p.T("admin.shop.yes")
		}
		return ""
	}
	err := h.Shop.ExportOrders(r.Context(), f, func(o *shop.Order) error {
		if out == nil {
			start()
		}
		copies := 0
		for _, l := range o.Lines {
			copies += l.Quantity
		}
		return out.Write(ledgerCSVSafe([]string{o.Reference, day(o.CreatedAt), day(o.PaidAt),
			p.T("admin.shop.status." + string(o.Status)), buyerName(o), o.BillTo.Company, o.Email, o.ShipTo.PostalCode,
			o.ShipTo.City, o.ShipTo.Country, p.T("admin.shop.delivery." + string(o.Delivery)), o.CarrierName,
			strconv.Itoa(copies), yes(o.HasUsed()), amount(o.GoodsCents), amount(o.ShippingCents), amount(o.TotalCents),
			amount(o.RefundedCents), o.InvoiceNumber, o.Tracking}))
	})
	if err != nil && out == nil {
		h.fail(w, r, s, err)
		return
	}
	if err != nil {
		// Half a file is gone already: the log says why it stops short.
		h.Log.Error("export orders", "error", err)
	}
	if out == nil {
		start()
	}
	out.Flush()
	_ = buf.Flush()
}

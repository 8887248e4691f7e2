package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// salesMonths is how many months the sales report covers.
const salesMonths = 12

// salesRow is one month of the report, figures written out.
type salesRow struct {
	Month, ISO                     string
	Orders                         int
	Goods, Shipping, Refunded, Net string
}

type shopSalesPage struct {
	basePage
	Chart template.HTML
	Rows  []salesRow
	// Totals of the months.
	Orders                         int
	Goods, Shipping, Refunded, Net string
}

// showShopSales shows what the shop sold in each of the last twelve
// months, in the site's zone: a bar chart of the net sales and the same
// figures in a table, with their totals.
func (h *Handler) showShopSales(w http.ResponseWriter, r *http.Request, s *session) {
	months, err := h.Shop.SalesByMonth(r.Context(), salesMonths, h.Settings.Get().Location())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	money := func(c int64) string { return p.Money(c, "EUR") }
	page := &shopSalesPage{basePage: h.shopBase(r, s, p.T("admin.shop.sales.title")), Chart: salesChart(months, p)}
	var goods, shipping, refunded int64
	for _, m := range months {
		page.Rows = append(page.Rows, salesRow{Month: locale.Capitalize(p.Date(m.Month, locale.MonthYear)), ISO: m.Month.Format("2006-01"),
			Orders: m.Orders, Goods: money(m.GoodsCents), Shipping: money(m.ShippingCents), Refunded: money(m.RefundedCents),
			Net: money(netSales(m))})
		page.Orders += m.Orders
		goods, shipping, refunded = goods+m.GoodsCents, shipping+m.ShippingCents, refunded+m.RefundedCents
	}
	page.Goods, page.Shipping, page.Refunded = money(goods), money(shipping), money(refunded)
	page.Net = money(goods + shipping - refunded)
	h.render(w, r, http.StatusOK, "shop_sales", page)
}

// netSales is what a month brought: goods and delivery, less refunds.
func netSales(m shop.MonthSales) int64 { return m.GoodsCents + m.ShippingCents - m.RefundedCents }

// salesChart draws each month's net sales as a bar in an inline SVG,
// which a screen reader announces by its title and description (the
// table below it holds every figure).
func salesChart(months []shop.MonthSales, p *locale.Printer) template.HTML {
	const width, height, pad = 720, 220, 28
	var top int64 = 1
	for _, m := range months {
		top = max(top, netSales(m))
	}
	n := len(months)
	bar := float64(width-2*pad) / float64(max(n, 1))
	base := float64(height - pad)
	scale := float64(height-2*pad) / float64(top)
	esc := template.HTMLEscapeString
	first, last := "", ""
	if n > 0 {
		first, last = p.Date(months[0].Month, locale.MonthYear), p.Date(months[n-1].Month, locale.MonthYear)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot sales" viewBox="0 0 %d %d" role="img" aria-labelledby="sales-title sales-desc">`, width, height)
	fmt.Fprintf(&b, `<title id="sales-title">%s</title><desc id="sales-desc">%s</desc>`,
		esc(p.T("admin.shop.sales.chart_title", first, last)), esc(p.T("admin.shop.sales.chart_desc", p.MoneyShort(top, "EUR"))))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, pad, height-pad, width-pad, height-pad)
	for i, m := range months {
		net := max(netSales(m), 0)
		x := float64(pad) + float64(i)*bar + 3
		hgt := float64(net) * scale
		month := p.Date(m.Month, locale.MonthYear)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`, x, base-hgt, bar-6, hgt,
			esc(p.T("admin.shop.sales.bar", month, p.Money(net, "EUR"), m.Orders)))
		if net > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="value">%s</text>`, x+(bar-6)/2, base-hgt-4, esc(p.MoneyShort(net/100*100, "EUR")))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="label">%s</text>`, x, height-8, esc(shortMonth(p, m.Month.Month())))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String()) //nolint:gosec // numbers and escaped text
}

package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
)

// giftMonthRow is one month of the report, figures written out.
type giftMonthRow struct {
	Month, ISO             string
	OneOff, Monthly, Total string
	Recurring              string
	Donors, ActiveAtStart  int
	New, Cancelled         int
	Churn                  string
}

type giftReportPage struct {
	basePage
	Chart template.HTML
	Rows  []giftMonthRow
	// Total is what the months brought together.
	Total string
}

// showDonationsReport shows the last twelve months: what the gifts
// brought (one-off and monthly apart) as a bar chart with the same
// figures in a table, the recurring revenue, and how many monthly donors
// came and went.
func (h *Handler) showDonationsReport(w http.ResponseWriter, r *http.Request, s *session) {
	rep, err := h.Donations.Report(r.Context(), s.actor, h.Settings.Get().Location())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &giftReportPage{basePage: h.base(r, s, p.T("admin.report.title"), "donations"), Chart: reportChart(rep, p)}
	var total int64
	for i := range rep.Months {
		m := &rep.Months[i]
		total += m.TotalCents()
		row := giftMonthRow{Month: locale.Capitalize(p.Date(m.Start, locale.MonthYear)), ISO: m.Start.Format("2006-01"),
			OneOff: p.Money(m.OneOffCents, "EUR"), Monthly: p.Money(m.MonthlyCents, "EUR"), Total: p.Money(m.TotalCents(), "EUR"),
			Recurring: p.Money(m.RecurringCents, "EUR"), Donors: m.Donors, ActiveAtStart: m.ActiveAtStart, New: m.New,
			Cancelled: m.Cancelled, Churn: "—"}
		if bp, ok := m.ChurnBasisPoints(); ok {
			row.Churn = percentText(p, bp)
		}
		page.Rows = append(page.Rows, row)
	}
	page.Total = p.Money(total, "EUR")
	h.render(w, r, http.StatusOK, "donations_report", page)
}

// percentText writes hundredths of a percent the language's way: "33,33 %",
// "33.33%". The decimals are those of an amount without its currency.
func percentText(p *locale.Printer, bp int64) string {
	return p.T("admin.report.percent", p.Money(bp, ""))
}

// reportChart draws what each month brought as stacked bars, one-off
// gifts below and monthly ones above, in an inline SVG a screen reader
// announces by its title and description (the table below the chart
// holds every figure).
func reportChart(rep *donations.Report, p *locale.Printer) template.HTML {
	const width, height, pad, legend = 720, 240, 28, 18
	var top int64 = 1
	for i := range rep.Months {
		top = max(top, rep.Months[i].TotalCents())
	}
	n := len(rep.Months)
	bar := float64(width-2*pad) / float64(max(n, 1))
	base := float64(height - pad)
	scale := float64(height-2*pad-legend) / float64(top)
	esc := template.HTMLEscapeString
	var b strings.Builder
	first, last := "", ""
	if n > 0 {
		first, last = p.Date(rep.Months[0].Start, locale.MonthYear), p.Date(rep.Months[n-1].Start, locale.MonthYear)
	}
	fmt.Fprintf(&b, `<svg class="plot report" viewBox="0 0 %d %d" role="img" aria-labelledby="report-title report-desc">`, width, height)
	fmt.Fprintf(&b, `<title id="report-title">%s</title><desc id="report-desc">%s</desc>`,
		esc(p.T("admin.report.chart_title", first, last)), esc(p.T("admin.report.chart_desc", p.MoneyShort(top, "EUR"))))
	// The legend: monthly gifts are the paler bars.
	fmt.Fprintf(&b, `<rect x="%d" y="4" width="12" height="12"/><text x="%d" y="14">%s</text>`, pad, pad+16, esc(p.T("admin.report.one_off")))
	fmt.Fprintf(&b, `<rect x="%d" y="4" width="12" height="12" fill-opacity="0.45"/><text x="%d" y="14">%s</text>`,
		pad+180, pad+196, esc(p.T("admin.report.monthly")))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, pad, height-pad, width-pad, height-pad)
	for i := range rep.Months {
		m := &rep.Months[i]
		x := float64(pad) + float64(i)*bar + 3
		one, mon := float64(m.OneOffCents)*scale, float64(m.MonthlyCents)*scale
		month := p.Date(m.Start, locale.MonthYear)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`, x, base-one, bar-6, one,
			esc(p.T("admin.report.bar_one_off", month, p.Money(m.OneOffCents, "EUR"))))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill-opacity="0.45"><title>%s</title></rect>`, x, base-one-mon,
			bar-6, mon, esc(p.T("admin.report.bar_monthly", month, p.Money(m.MonthlyCents, "EUR"))))
		if m.TotalCents() > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="value">%s</text>`, x+(bar-6)/2, base-one-mon-4, esc(p.MoneyShort(m.TotalCents()/100*100, "EUR")))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="label">%s</text>`, x, height-8, esc(shortMonth(p, m.Start.Month())))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String()) //nolint:gosec // numbers and escaped text
}

// frenchShortMonths are the months' abbreviations in French (CLDR).
var frenchShortMonths = [...]string{"", "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// shortMonth is a month's abbreviated name, for the chart's axis.
func shortMonth(p *locale.Printer, m time.Month) string {
	if p.Lang() == locale.French && m >= time.January && m <= time.December {
		return frenchShortMonths[m]
	}
	r := []rune(p.MonthName(m))
	return string(r[:min(3, len(r))])
}

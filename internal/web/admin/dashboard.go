package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
)

type dashboardPage struct {
	basePage
	Drafts, Pending, Scheduled, Published int
	// Comments waiting for a moderator, shown to those who moderate.
	HeldComments int
	// MonthGifts is what this month's gifts brought, shown to those who
	// manage donations, with the list of them at MonthGiftsURL.
	MonthGifts, MonthGiftsURL string
	Latest                    []*content.Article
	Plot                      template.HTML
	PlotTotal                 int

	// LowStock counts the books to reorder, shown to the shop's managers.
	LowStock int
}

// showDashboard shows what waits (drafts, reviews, scheduled), the last
// ten articles published and a plot of the last three months.
func (h *Handler) showDashboard(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	counts, err := h.Content.Counts(ctx)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	latest, err := h.Content.PublicList(ctx, content.ArticleFilter{}, 1, 10)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	st := h.Settings.Get()
	weeks, err := h.Content.PublishedPerWeek(ctx, 13, st.Location())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &dashboardPage{basePage: h.base(r, s, p.T("admin.nav.dashboard"), "dashboard"),
		Drafts: counts[content.StatusDraft], Pending: counts[content.StatusPending],
		Scheduled: counts[content.StatusScheduled], Published: counts[content.StatusPublished],
		Latest: latest.Articles}
	if page.Can.Moderate {
		if page.HeldComments, err = h.Comments.PendingCount(ctx); err != nil {
			h.fail(w, r, s, err)
			return
		}
	}
	if page.Can.Donations && h.Donations != nil {
		cents, err := h.Donations.MonthToDate(ctx, s.actor, st.Location())
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		now := h.Clock.Now().In(st.Location())
		page.MonthGifts = p.MoneyShort(cents, "EUR")
		page.MonthGiftsURL = "/admin/donations?status=paid&from=" + now.AddDate(0, 0, 1-now.Day()).Format(formDayLayout)
	}
	if page.Can.Shop {
		low, err := h.Shop.LowStock(ctx)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		page.LowStock = len(low)
	}
	page.Plot, page.PlotTotal = weeklyPlot(weeks, p)
	h.render(w, r, http.StatusOK, "dashboard", page)
}

// weeklyPlot draws the articles published per week as an inline SVG bar
// chart, with a text alternative for screen readers.
func weeklyPlot(weeks []content.WeekCount, p *locale.Printer) (template.HTML, int) {
	const width, height, pad = 560, 160, 24
	maxN, total := 1, 0
	for _, w := range weeks {
		maxN = max(maxN, w.Count)
		total += w.Count
	}
	bar := float64(width-2*pad) / float64(len(weeks))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" viewBox="0 0 %d %d" role="img" aria-labelledby="plot-title"><title id="plot-title">%s</title>`,
		width, height, template.HTMLEscapeString(p.N("admin.dashboard.plot_alt", total, len(weeks))))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, pad, height-pad, width-pad, height-pad)
	for i, w := range weeks {
		h := float64(height-2*pad) * float64(w.Count) / float64(maxN)
		x := float64(pad) + float64(i)*bar + 2
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
			x, float64(height-pad)-h, bar-4, h, template.HTMLEscapeString(p.N("admin.dashboard.week", w.Count, p.Date(w.Start, locale.DateLong))))
		if w.Count > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="value">%d</text>`, x+(bar-4)/2, float64(height-pad)-h-4, w.Count)
		}
		if i%4 == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="label">%s</text>`, x, height-6, template.HTMLEscapeString(p.Date(w.Start, locale.DateShort)))
		}
	}
	b.WriteString("</svg>")
	return template.HTML(b.String()), total //nolint:gosec // numbers and escaped text
}

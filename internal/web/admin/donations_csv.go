package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/donations"
)

// exportDonations sends the gifts the list's filters select as a CSV file
// a spreadsheet opens as it is: UTF-8 with a byte order mark (or Excel
// reads it as Windows-1252), the separator and decimal mark of the
// site's language (a semicolon and a comma in French, as French Excel
// expects), and every cell a spreadsheet would read as a formula made
// inert.
func (h *Handler) exportDonations(w http.ResponseWriter, r *http.Request, s *session) {
	_, f := h.giftFilter(r.URL.Query())
	p := h.printer()
	out := h.newCSVStream(w, "dons", []string{"id", p.T("admin.donations.date.paid"), p.T("admin.donations.date.created"),
		p.T("admin.donations.last_name"), p.T("admin.donations.first_names"), p.T("admin.field.email"), p.T("admin.donations.amount"),
		p.T("admin.donations.refunded"), p.T("admin.donations.currency"), p.T("admin.donations.frequency"),
		p.T("admin.donations.method"), p.T("admin.filter.status"), p.T("admin.donations.campaign"), p.T("admin.donations.provider"),
		p.T("admin.donations.reference"), p.T("admin.donations.note")})
	err := h.Donations.ExportGifts(r.Context(), s.actor, f, func(row *donations.LedgerRow) error {
		return out.Row(strconv.FormatInt(row.ID, 10), out.time(row.PaidAt), out.time(row.CreatedAt), row.DonorLastName,
			row.DonorFirstNames, row.DonorEmail, out.amount(row.AmountCents), out.amount(row.RefundedCents), strings.ToUpper(row.Currency),
			p.T("admin.donations.frequency."+string(row.Frequency)), p.T("admin.donations.method."+string(row.Method)),
			p.T("admin.donations.status."+string(row.Status)), row.CampaignTitle, row.Provider, row.Reference, row.Note)
	})
	if err != nil && !out.Started() {
		h.fail(w, r, s, err)
		return
	}
	if err != nil {
		// Half a file is gone already: the log says why it stops short.
		h.Log.Error("export donations", "error", err)
	}
	out.Close()
}

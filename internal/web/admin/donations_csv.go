package admin

import (
	"bufio"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
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
	st := h.Settings.Get()
	loc := st.Location()
	comma, decimal := ',', "."
	if st.Lang() == locale.French {
		comma, decimal = ';', ","
	}
	header := []string{"id", p.T("admin.donations.date.paid"), p.T("admin.donations.date.created"), p.T("admin.donations.last_name"),
		p.T("admin.donations.first_names"), p.T("admin.field.email"), p.T("admin.donations.amount"), p.T("admin.donations.refunded"),
		p.T("admin.donations.currency"), p.T("admin.donations.frequency"), p.T("admin.donations.method"), p.T("admin.filter.status"),
		p.T("admin.donations.campaign"), p.T("admin.donations.provider"), p.T("admin.donations.reference"), p.T("admin.donations.note")}
	// The first row goes out only once the query answered, so a failure
	// still gets an error page and not half a file.
	var out *csv.Writer
	var buf *bufio.Writer
	start := func() {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name := "dons-" + h.Clock.Now().In(loc).Format("2006-01-02") + ".csv"
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
	amount := func(cents int64) string {
		return strconv.FormatInt(cents/100, 10) + decimal + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
	}
	err := h.Donations.ExportGifts(r.Context(), s.actor, f, func(row *donations.LedgerRow) error {
		if out == nil {
			start()
		}
		return out.Write(ledgerCSVSafe([]string{strconv.FormatInt(row.ID, 10), day(row.PaidAt), day(row.CreatedAt), row.DonorLastName,
			row.DonorFirstNames, row.DonorEmail, amount(row.AmountCents), amount(row.RefundedCents), strings.ToUpper(row.Currency),
			p.T("admin.donations.frequency." + string(row.Frequency)), p.T("admin.donations.method." + string(row.Method)),
			p.T("admin.donations.status." + string(row.Status)), row.CampaignTitle, row.Provider, row.Reference, row.Note}))
	})
	if err != nil && out == nil {
		h.fail(w, r, s, err)
		return
	}
	if err != nil {
		// Half a file is gone already: the log says why it stops short.
		h.Log.Error("export donations", "error", err)
	}
	if out == nil {
		start()
	}
	out.Flush()
	_ = buf.Flush()
}

// ledgerCSVSafe neutralises the cells a spreadsheet would run as a formula
// (those starting with = + - @, or a tab or carriage return that hides
// one): a leading apostrophe makes them text, as OWASP advises.
func ledgerCSVSafe(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

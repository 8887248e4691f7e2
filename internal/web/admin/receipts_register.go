package admin

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
)

// The tax receipts register: a year's receipts by number, issued or
// annulled, with the count and total the association declares (CGI art.
// 222 bis), their PDF, and annulment after a confirmation step.

// registerReceiptsRegister adds the register's pages.
func (h *Handler) registerReceiptsRegister(mux router) {
	mux.HandleFunc("GET /admin/receipts", h.allowed(access.ManageDonations, h.showReceiptsRegister))
	mux.HandleFunc("GET /admin/receipts.csv", h.allowed(access.ManageDonations, h.exportReceiptsRegister))
	mux.HandleFunc("GET /admin/receipts/{id}/pdf", h.allowed(access.ManageDonations, h.downloadReceipt))
	mux.HandleFunc("GET /admin/receipts/{id}/annul", h.allowed(access.ManageDonations, h.confirmReceiptAnnulment))
	mux.HandleFunc("POST /admin/receipts/{id}/annul", h.allowed(access.ManageDonations, h.annulReceipt))
}

// registerPageSize is the length of a page of the register.
const registerPageSize = 100

type registerPage struct {
	basePage
	Year     int
	Years    []int
	Receipts []receiptRow
	Count    int
	// Issued and IssuedTotal are the year's receipts less the annulled
	// ones: what is declared.
	Issued        int
	IssuedTotal   string
	Annulled      int
	AnnulledTotal string
	Pagination    pagination
	CSVURL        string
}

// registerYear reads the year of the query string, the current one in
// the site's time zone by default.
func (h *Handler) registerYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		return y
	}
	return h.Clock.Now().In(h.Settings.Get().Location()).Year()
}

// showReceiptsRegister shows a year's register.
func (h *Handler) showReceiptsRegister(w http.ResponseWriter, r *http.Request, s *session) {
	year := h.registerYear(r)
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	reg, err := h.Donations.ReceiptRegister(r.Context(), s.actor, donations.ReceiptFilter{Year: year, Limit: registerPageSize,
		Offset: (n - 1) * registerPageSize})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	page := &registerPage{basePage: h.donorsBase(r, s, p.T("admin.receipts.title")), Year: year, Count: reg.Count,
		Issued: reg.Totals.Issued, IssuedTotal: p.Money(reg.Totals.IssuedCents, "EUR"), Annulled: reg.Totals.Annulled,
		AnnulledTotal: p.Money(reg.Totals.AnnulledCents, "EUR"),
		Pagination:    pageLinks(r, n, (reg.Count+registerPageSize-1)/registerPageSize),
		CSVURL:        "/admin/receipts.csv?" + url.Values{"year": {strconv.Itoa(year)}}.Encode()}
	page.Years = reg.Years
	if now := h.Clock.Now().In(loc).Year(); !slices.Contains(page.Years, now) {
		page.Years = append([]int{now}, page.Years...)
	}
	if !slices.Contains(page.Years, year) {
		page.Years = append(page.Years, year)
	}
	slices.Sort(page.Years)
	slices.Reverse(page.Years)
	for _, rc := range reg.Receipts {
		page.Receipts = append(page.Receipts, h.receiptRowOf(rc, loc))
	}
	h.render(w, r, http.StatusOK, "receipts", page)
}

// exportReceiptsRegister sends a year's register as a spreadsheet file,
// the totals of the issued receipts on its last line.
func (h *Handler) exportReceiptsRegister(w http.ResponseWriter, r *http.Request, s *session) {
	year := h.registerYear(r)
	reg, err := h.Donations.ReceiptRegister(r.Context(), s.actor, donations.ReceiptFilter{Year: year})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	st := h.Settings.Get()
	loc := st.Location()
	sheet := newSheet(st.Lang())
	sheet.row([]string{p.T("admin.receipts.number"), p.T("admin.receipts.issued_at"), p.T("admin.receipts.donor"),
		p.T("admin.donors.address"), p.T("admin.receipts.amount"), p.T("admin.receipts.gift_date"), p.T("admin.receipts.period_to"),
		p.T("admin.receipts.method"), p.T("admin.receipts.status"), p.T("admin.receipts.annulled_at")})
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.DateOnly)
	}
	for _, rc := range reg.Receipts {
		sheet.row([]string{rc.Number, day(rc.IssuedAt), rc.DonorName, rc.DonorAddress, sheet.amount(rc.AmountCents), day(rc.PeriodFrom),
			day(rc.PeriodTo), p.T("admin.donors.method." + string(rc.Method)), p.T("admin.receipts.status." + string(rc.Status)),
			day(rc.AnnulledAt)})
	}
	sheet.row([]string{p.T("admin.receipts.csv_total", reg.Totals.Issued), "", "", "", sheet.amount(reg.Totals.IssuedCents)})
	sheet.send(w, "recus-fiscaux-"+strconv.Itoa(year)+".csv")
}

// receiptID reads the receipt's number from the path.
func receiptID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound()
	}
	return id, nil
}

// downloadReceipt sends a receipt's PDF as it was issued.
func (h *Handler) downloadReceipt(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := receiptID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	rc, err := h.Donations.RegisterReceipt(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "recu-fiscal-" + rc.Number + ".pdf"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(rc.PDF)))
	_, _ = w.Write(rc.PDF) //nolint:gosec // G705: a PDF we drew, sent as an attachment
}

// annulPage asks to confirm a receipt's annulment.
type annulPage struct {
	basePage
	Receipt receiptRow
	Error   string
}

func (h *Handler) receiptAnnulment(w http.ResponseWriter, r *http.Request, s *session, status int, refusal error) {
	id, err := receiptID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	rc, err := h.Donations.RegisterReceipt(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &annulPage{basePage: h.donorsBase(r, s, p.T("admin.receipts.annul.title", rc.Number)),
		Receipt: h.receiptRowOf(rc, h.Settings.Get().Location())}
	if refusal != nil {
		key, args := apperr.Message(refusal)
		page.Error = p.T(key, args...)
	}
	h.render(w, r, status, "receipts_annul", page)
}

// confirmReceiptAnnulment shows what annulling a receipt means, with the
// button that does it. Nothing changes yet.
func (h *Handler) confirmReceiptAnnulment(w http.ResponseWriter, r *http.Request, s *session) {
	h.receiptAnnulment(w, r, s, http.StatusOK, nil)
}

// annulReceipt annuls a receipt and goes back to its year's register.
func (h *Handler) annulReceipt(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := receiptID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	rc, err := h.Donations.AnnulReceiptBy(r.Context(), s.actor, id)
	if err != nil {
		if apperr.KindOf(err) == apperr.Conflict {
			h.receiptAnnulment(w, r, s, http.StatusConflict, err)
			return
		}
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/receipts?"+url.Values{"year": {strconv.Itoa(rc.Year)}}.Encode(), "annulled")
}

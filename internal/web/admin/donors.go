package admin

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
)

// registerDonors adds the donors and receipts register pages: admins
// only, the service checking again.
func (h *Handler) registerDonors(mux router) {
	mux.HandleFunc("GET /admin/donors", h.allowed(access.ManageDonations, h.listDonors))
	mux.HandleFunc("GET /admin/donors.csv", h.allowed(access.ManageDonations, h.exportDonorsCSV))
	mux.HandleFunc("GET /admin/donors/{id}", h.allowed(access.ManageDonations, h.showDonor))
	mux.HandleFunc("POST /admin/donors/{id}", h.allowed(access.ManageDonations, h.saveDonor))
	mux.HandleFunc("POST /admin/donors/{id}/stop", h.allowed(access.ManageDonations, h.stopDonorMonthly))
	mux.HandleFunc("GET /admin/donors/{id}/export", h.allowed(access.ManageDonations, h.exportDonor))
	mux.HandleFunc("GET /admin/donors/{id}/erase", h.allowed(access.ManageDonations, h.confirmDonorErasure))
	mux.HandleFunc("POST /admin/donors/{id}/erase", h.allowed(access.ManageDonations, h.eraseDonor))
	h.registerReceiptsRegister(mux)
}

// donorsPageSize is the length of a page of the donors list.
const donorsPageSize = 50

// donorFlashes are the confirmations the donors' and receipts' pages
// show after a redirect with ?done=…, beside the back office's own.
var donorFlashes = map[string]string{
	"stopped":  "admin.donors.flash.stopped",
	"erased":   "admin.donors.flash.erased",
	"annulled": "admin.receipts.flash.annulled",
}

// donorsBase is h.base with the donations section's confirmations.
func (h *Handler) donorsBase(r *http.Request, s *session, title string) basePage {
	p := h.base(r, s, title, "donations")
	if key, ok := donorFlashes[r.URL.Query().Get("done")]; ok {
		p.Flash = &flash{Kind: "ok", Text: h.printer().T(key)}
	}
	return p
}

// donorSorts are the orders the list offers, the default first.
var donorSorts = []donations.DonorSort{donations.SortLastGift, donations.SortTotal, donations.SortGifts, donations.SortName}

type donorsPage struct {
	basePage
	Query      string
	Sort       donations.DonorSort
	Sorts      []donations.DonorSort
	Rows       []donorRow
	Total      int
	Pagination pagination
	// CSVURL is the export of the list as filtered.
	CSVURL string
}

// donorRow is a donor as the list shows them, amounts written out and
// dates in the site's time zone.
type donorRow struct {
	ID         int64
	Name       string
	Email      string
	City       string
	Anonymous  bool
	Gifts      int
	Total      string
	LastGiftAt time.Time
	Monthly    donations.MonthlyState
	// MonthlyAmount is the active monthly amount, written out.
	MonthlyAmount string
}

// donorFilterOf reads the list's search and order from the query string.
func donorFilterOf(q url.Values) donations.DonorFilter {
	f := donations.DonorFilter{Search: strings.TrimSpace(q.Get("q")), Sort: donations.DonorSort(q.Get("sort"))}
	if !f.Sort.Valid() {
		f.Sort = donations.SortLastGift
	}
	return f
}

// listDonors shows one line per donor, with search, order and pages.
func (h *Handler) listDonors(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	f := donorFilterOf(q)
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	f.Limit, f.Offset = donorsPageSize, (n-1)*donorsPageSize
	list, total, err := h.Donations.Donors(r.Context(), s.actor, f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	page := &donorsPage{basePage: h.donorsBase(r, s, p.T("admin.donors.title")), Query: f.Search, Sort: f.Sort, Sorts: donorSorts,
		Total: total, Pagination: pageLinks(r, n, (total+donorsPageSize-1)/donorsPageSize)}
	csvQuery := url.Values{}
	if f.Search != "" {
		csvQuery.Set("q", f.Search)
	}
	csvQuery.Set("sort", string(f.Sort))
	page.CSVURL = "/admin/donors.csv?" + csvQuery.Encode()
	for _, d := range list {
		row := donorRow{ID: d.ID, Name: d.Name(), Email: d.Email, City: d.City, Anonymous: d.Anonymous, Gifts: d.Gifts,
			Total: p.Money(d.TotalCents, "EUR"), Monthly: d.Monthly}
		if !d.LastGiftAt.IsZero() {
			row.LastGiftAt = d.LastGiftAt.In(loc)
		}
		if d.Monthly == donations.MonthlyActive {
			row.MonthlyAmount = p.Money(d.MonthlyCents, "EUR")
		}
		page.Rows = append(page.Rows, row)
	}
	h.render(w, r, http.StatusOK, "donors", page)
}

// exportDonorsCSV sends the donors the list's search selects, all pages,
// as a spreadsheet file: contact, postal address, totals, and what each
// gave per calendar year (the tax year). Same conventions as the gifts'
// export: UTF-8 with a byte order mark, the separator and decimal mark of
// the site's language, formulas made inert.
func (h *Handler) exportDonorsCSV(w http.ResponseWriter, r *http.Request, s *session) {
	st := h.Settings.Get()
	loc := st.Location()
	x, err := h.Donations.ExportDonors(r.Context(), s.actor, donorFilterOf(r.URL.Query()), loc)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	header := []string{"id", p.T("admin.donors.last_name"), p.T("admin.donors.first_names"), p.T("admin.field.email"),
		p.T("admin.donors.address"), p.T("admin.donors.postal_code"), p.T("admin.donors.city"), p.T("admin.donors.country"),
		p.T("admin.donors.anonymous"), p.T("admin.donors.gifts"), p.T("admin.donors.total"), p.T("admin.donors.last_gift"),
		p.T("admin.donors.monthly"), p.T("admin.donors.monthly_amount")}
	for _, y := range x.Years {
		header = append(header, p.T("admin.donors.total_of", y))
	}
	sheet := newSheet(st.Lang())
	sheet.row(header)
	for _, d := range x.Rows {
		last := ""
		if !d.LastGiftAt.IsZero() {
			last = d.LastGiftAt.In(loc).Format(time.DateOnly)
		}
		anonymous := ""
		if d.Anonymous {
			anonymous = p.T("admin.donors.yes")
		}
		monthly := ""
		if d.Monthly == donations.MonthlyActive {
			monthly = sheet.amount(d.MonthlyCents)
		}
		cells := []string{strconv.FormatInt(d.ID, 10), d.LastName, d.FirstNames, d.Email, strings.ReplaceAll(d.Address, "\n", ", "),
			d.PostalCode, d.City, d.Country, anonymous, strconv.Itoa(d.Gifts), sheet.amount(d.TotalCents), last,
			p.T("admin.donors.monthly." + string(d.Monthly)), monthly}
		for _, y := range x.Years {
			cells = append(cells, sheet.amount(d.ByYear[y]))
		}
		sheet.row(cells)
	}
	sheet.send(w, "donateurs-"+h.Clock.Now().In(loc).Format(time.DateOnly)+".csv")
}

// sheet is a CSV file a spreadsheet opens as it is, written in memory
// so that a failure still gets an error page and not half a file.
type sheet struct {
	buf     bytes.Buffer
	w       *csv.Writer
	decimal string
}

// newSheet starts a file with the byte order mark (Excel reads UTF-8
// without it as Windows-1252), and the separator and decimal mark of
// lang: a semicolon and a comma in French, as French Excel expects.
func newSheet(lang locale.Lang) *sheet {
	s := &sheet{decimal: "."}
	s.buf.WriteString("\ufeff")
	s.w = csv.NewWriter(&s.buf)
	if lang == locale.French {
		s.w.Comma, s.decimal = ';', ","
	}
	return s
}

// row writes one line, every cell a spreadsheet would run as a formula
// made inert.
func (s *sheet) row(cells []string) { _ = s.w.Write(spreadsheetSafe(cells)) }

// amount writes cents as a plain decimal number, without grouping nor
// currency, which a spreadsheet sums.
func (s *sheet) amount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d%s%02d", sign, cents/100, s.decimal, cents%100)
}

// send writes the file as an attachment named name.
func (s *sheet) send(w http.ResponseWriter, name string) {
	s.w.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = w.Write(s.buf.Bytes())
}

// spreadsheetSafe neutralises the cells a spreadsheet would run as a
// formula (those starting with = + - @, or a tab or carriage return that
// hides one): a leading apostrophe makes them text, as OWASP advises.
// Amounts are written by the program and never start so, but for a
// negative one, which is left as a number.
func spreadsheetSafe(cells []string) []string {
	for i, c := range cells {
		if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			continue
		}
		if _, err := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64); err == nil && c[0] == '-' {
			continue
		}
		cells[i] = "'" + c
	}
	return cells
}

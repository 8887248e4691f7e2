package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
)

// donorPage is a donor's page: their contact and address as a form, what
// they gave, their monthly gifts and their receipts.
type donorPage struct {
	basePage
	ID       int64
	Name     string
	ErasedAt time.Time
	// Form is the contact form, as saved or as just typed.
	Form   donorForm
	Errors formErrors
	// Years are the totals per calendar year, latest first.
	Years    []yearRow
	Gifts    []giftRow
	Monthly  []monthlyRow
	Receipts []receiptRow
	// Online tells whether stopping a monthly gift reaches the provider.
	Online bool
}

// donorForm is what the contact form posts.
type donorForm struct {
	Email, FirstNames, LastName, Address, PostalCode, City, Country string
	Anonymous                                                       bool
}

type yearRow struct {
	Year  int
	Gifts int
	Total string
}

type giftRow struct {
	ID        int64
	At        time.Time
	Amount    string
	Refunded  string
	Method    donations.Method
	Status    donations.Status
	Frequency donations.Frequency
	// Receipt is the gift's receipt, nil when none was issued.
	Receipt *receiptRow
}

type monthlyRow struct {
	ID          int64
	Amount      string
	Status      donations.SubscriptionStatus
	StartedAt   time.Time
	CancelledAt time.Time
	CreatedAt   time.Time
	// AtProvider tells whether the provider charges it (it has an id
	// there).
	AtProvider bool
}

// receiptRow is a receipt as the donor's page and the register show it.
type receiptRow struct {
	ID         int64
	Year       int
	Number     string
	IssuedAt   time.Time
	DonorID    int64
	DonorName  string
	Amount     string
	GiftDate   time.Time
	PeriodTo   time.Time
	Annual     bool
	Status     donations.ReceiptStatus
	AnnulledAt time.Time
}

// receiptRowOf writes r out for a page, dates in loc.
func (h *Handler) receiptRowOf(r *donations.Receipt, loc *time.Location) receiptRow {
	row := receiptRow{ID: r.ID, Year: r.Year, Number: r.Number, IssuedAt: r.IssuedAt.In(loc), DonorID: r.DonorID, DonorName: r.DonorName,
		Amount: h.printer().Money(r.AmountCents, "EUR"), GiftDate: r.PeriodFrom.In(loc), PeriodTo: r.PeriodTo.In(loc),
		Annual: r.DonationID == 0, Status: r.Status}
	if !r.AnnulledAt.IsZero() {
		row.AnnulledAt = r.AnnulledAt.In(loc)
	}
	return row
}

// donorID reads the donor's number from the path.
func donorID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound()
	}
	return id, nil
}

// donorDetail shows donor id's page; form and errs, when set, are a
// refused form shown again as typed.
func (h *Handler) donorDetail(w http.ResponseWriter, r *http.Request, s *session, status int, form *donorForm, errs formErrors) {
	id, err := donorID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f, err := h.Donations.DonorFile(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	d := f.Donor
	name := d.Name()
	if f.Erased() {
		name = p.T("admin.donors.erased_name", d.ID)
	}
	page := &donorPage{basePage: h.donorsBase(r, s, name), ID: d.ID, Name: name, Errors: errs, Online: h.Donations.Online(),
		Form: donorForm{Email: d.Email, FirstNames: d.FirstNames, LastName: d.LastName, Address: d.Address, PostalCode: d.PostalCode,
			City: d.City, Country: d.Country, Anonymous: d.Anonymous}}
	if form != nil {
		page.Form = *form
	}
	if f.Erased() {
		page.ErasedAt = f.ErasedAt.In(loc)
	}
	for _, y := range f.YearTotals(loc) {
		page.Years = append(page.Years, yearRow{Year: y.Year, Gifts: y.Gifts, Total: p.Money(y.Cents, "EUR")})
	}
	byGift := map[int64]*receiptRow{}
	for _, rc := range f.Receipts {
		row := h.receiptRowOf(rc, loc)
		page.Receipts = append(page.Receipts, row)
		if rc.DonationID != 0 && (byGift[rc.DonationID] == nil || rc.Status == donations.ReceiptIssued) {
			byGift[rc.DonationID] = &row
		}
	}
	for _, g := range f.Gifts {
		at := g.PaidAt
		if at.IsZero() {
			at = g.CreatedAt
		}
		row := giftRow{ID: g.ID, At: at.In(loc), Amount: p.Money(g.AmountCents, g.Currency), Method: g.Method, Status: g.Status,
			Frequency: g.Frequency, Receipt: byGift[g.ID]}
		if g.RefundedCents > 0 {
			row.Refunded = p.Money(g.RefundedCents, g.Currency)
		}
		page.Gifts = append(page.Gifts, row)
	}
	for _, m := range f.Monthly {
		row := monthlyRow{ID: m.ID, Amount: p.Money(m.AmountCents, m.Currency), Status: m.Status, CreatedAt: m.CreatedAt.In(loc),
			AtProvider: m.ProviderID != ""}
		if !m.StartedAt.IsZero() {
			row.StartedAt = m.StartedAt.In(loc)
		}
		if !m.CancelledAt.IsZero() {
			row.CancelledAt = m.CancelledAt.In(loc)
		}
		page.Monthly = append(page.Monthly, row)
	}
	h.render(w, r, status, "donor", page)
}

func (h *Handler) showDonor(w http.ResponseWriter, r *http.Request, s *session) {
	h.donorDetail(w, r, s, http.StatusOK, nil, nil)
}

// saveDonor corrects a donor's contact and postal address; a refused
// form comes back as typed with a message by each field at fault.
func (h *Handler) saveDonor(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := donorID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := donorForm{Email: r.PostFormValue("email"), FirstNames: r.PostFormValue("first_names"), LastName: r.PostFormValue("last_name"),
		Address: strings.ReplaceAll(r.PostFormValue("address"), "\r\n", "\n"), PostalCode: r.PostFormValue("postal_code"),
		City: r.PostFormValue("city"), Country: r.PostFormValue("country"), Anonymous: r.PostFormValue("anonymous") == "1"}
	_, err = h.Donations.UpdateDonor(r.Context(), s.actor, id, donations.DonorUpdate{Email: f.Email, FirstNames: f.FirstNames,
		LastName: f.LastName, Address: f.Address, PostalCode: f.PostalCode, City: f.City, Country: f.Country, Anonymous: f.Anonymous})
	if err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.donorDetail(w, r, s, formStatus(err), &f, errs)
		return
	}
	redirect(w, r, "/admin/donors/"+strconv.FormatInt(id, 10), "saved")
}

// stopDonorMonthly stops one of the donor's monthly gifts, at the payment
// provider first; a refusal (the provider down) gets the error page
// that says so, and nothing changes.
func (h *Handler) stopDonorMonthly(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := donorID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	subID, err := strconv.ParseInt(r.PostFormValue("monthly"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	if _, err := h.Donations.StopDonorMonthly(r.Context(), s.actor, id, subID); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/donors/"+strconv.FormatInt(id, 10), "stopped")
}

package admin

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
)

// A donor's GDPR requests: everything stored about them as a JSON file
// (art. 15 and 20), and erasure (art. 17) after a confirmation page that
// says what goes and what the law makes the association keep.

// exportDonor downloads everything stored about a donor (donorExport).
func (h *Handler) exportDonor(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := donorID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f, err := h.Donations.ExportDonor(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	now := h.Clock.Now()
	body, err := json.MarshalIndent(donorExportOf(f, now, h.Settings.Get().Location()), "", "  ")
	if err != nil {
		h.fail(w, r, s, fmt.Errorf("encode a donor's export: %w", err))
		return
	}
	name := "donateur-" + strconv.FormatInt(id, 10) + "-" + now.In(h.Settings.Get().Location()).Format(time.DateOnly) + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = w.Write(append(body, '\n'))
}

// donorErasePage is the confirmation of an erasure: what goes, what
// stays, and the button.
type donorErasePage struct {
	basePage
	ID       int64
	Name     string
	Email    string
	Gifts    int
	Receipts int
	// Active are the monthly gifts to stop first; the button is not
	// offered while there are some.
	Active []monthlyRow
	// Error is a refusal of the erasure, shown above the button.
	Error string
}

// donorErasure shows the confirmation page of donor id's erasure, with
// err's message when the erasure was refused.
func (h *Handler) donorErasure(w http.ResponseWriter, r *http.Request, s *session, status int, refusal error) {
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
	if f.Erased() {
		h.fail(w, r, s, apperr.New(apperr.Conflict, "error.donor.erased"))
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	page := &donorErasePage{basePage: h.donorsBase(r, s, p.T("admin.donors.erase.title", f.Donor.Name())), ID: id, Name: f.Donor.Name(),
		Email: f.Donor.Email, Gifts: len(f.Gifts), Receipts: len(f.Receipts)}
	for _, m := range f.ActiveMonthly() {
		page.Active = append(page.Active, monthlyRow{ID: m.ID, Amount: p.Money(m.AmountCents, m.Currency), Status: m.Status,
			CreatedAt: m.CreatedAt.In(loc), AtProvider: m.ProviderID != ""})
	}
	if refusal != nil {
		key, args := apperr.Message(refusal)
		page.Error = p.T(key, args...)
	}
	h.render(w, r, status, "donor_erase", page)
}

func (h *Handler) confirmDonorErasure(w http.ResponseWriter, r *http.Request, s *session) {
	h.donorErasure(w, r, s, http.StatusOK, nil)
}

// eraseDonor erases a donor's personal data and goes back to their page,
// which now shows only what was kept. A refusal (a monthly gift still
// active) is shown on the confirmation page.
func (h *Handler) eraseDonor(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := donorID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if _, err := h.Donations.EraseDonor(r.Context(), s.actor, id); err != nil {
		if apperr.KindOf(err) == apperr.Conflict {
			h.donorErasure(w, r, s, http.StatusConflict, err)
			return
		}
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/donors/"+strconv.FormatInt(id, 10), "erased")
}

// donorExportFormat names the layout of donorExport and its version; a
// change that would break a program reading it bumps the version.
const donorExportFormat = "kiosque-donor-export/1"

// donorExport is the file a donor's export downloads. Times are RFC 3339
// in UTC, amounts in cents; every list is present, empty when there is
// nothing.
type donorExport struct {
	Format     string    `json:"format"`
	ExportedAt time.Time `json:"exported_at"`
	Donor      struct {
		ID         int64  `json:"id"`
		Email      string `json:"email"`
		FirstNames string `json:"first_names"`
		LastName   string `json:"last_name"`
		// Address holds the street lines, one per line.
		Address    string `json:"address"`
		PostalCode string `json:"postal_code"`
		City       string `json:"city"`
		Country    string `json:"country"`
		// Anonymous donors are left out of public counts.
		Anonymous bool       `json:"anonymous"`
		CreatedAt time.Time  `json:"created_at"`
		UpdatedAt time.Time  `json:"updated_at"`
		ErasedAt  *time.Time `json:"erased_at"`
	} `json:"donor"`
	Gifts []exportedGift `json:"gifts"`
	// Monthly are the monthly gifts, each month's payment being a gift.
	Monthly []exportedMonthly `json:"monthly_gifts"`
	// Receipts are the tax receipts issued, without their PDF.
	Receipts []exportedReceipt `json:"tax_receipts"`
	// YearTotals are the paid gifts less refunds per calendar year in the
	// association's time zone, the tax year.
	YearTotals []exportedYear `json:"year_totals"`
}

type exportedGift struct {
	ID            int64      `json:"id"`
	AmountCents   int64      `json:"amount_cents"`
	RefundedCents int64      `json:"refunded_cents"`
	Currency      string     `json:"currency"`
	Frequency     string     `json:"frequency"`
	Status        string     `json:"status"`
	Method        string     `json:"method"`
	Provider      string     `json:"provider"`
	MonthlyGiftID *int64     `json:"monthly_gift_id"`
	CampaignID    *int64     `json:"campaign_id"`
	Note          string     `json:"note"`
	CreatedAt     time.Time  `json:"created_at"`
	PaidAt        *time.Time `json:"paid_at"`
}

type exportedMonthly struct {
	ID          int64      `json:"id"`
	AmountCents int64      `json:"amount_cents"`
	Currency    string     `json:"currency"`
	Provider    string     `json:"provider"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at"`
	CancelledAt *time.Time `json:"cancelled_at"`
}

type exportedReceipt struct {
	Number string `json:"number"`
	// GiftID is the gift of a single receipt, null for an annual one.
	GiftID       *int64     `json:"gift_id"`
	AmountCents  int64      `json:"amount_cents"`
	Method       string     `json:"method"`
	PeriodFrom   time.Time  `json:"period_from"`
	PeriodTo     time.Time  `json:"period_to"`
	DonorName    string     `json:"donor_name"`
	DonorAddress string     `json:"donor_address"`
	Status       string     `json:"status"`
	IssuedAt     time.Time  `json:"issued_at"`
	AnnulledAt   *time.Time `json:"annulled_at"`
}

type exportedYear struct {
	Year       int   `json:"year"`
	Gifts      int   `json:"gifts"`
	TotalCents int64 `json:"total_cents"`
}

// utcOrNull is t in UTC, nil when zero.
func utcOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func idOrNull(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// donorExportOf converts a donor's file to its export, made at now.
func donorExportOf(f *donations.DonorFile, now time.Time, loc *time.Location) donorExport {
	x := donorExport{Format: donorExportFormat, ExportedAt: now.UTC(), Gifts: make([]exportedGift, 0, len(f.Gifts)),
		Monthly: make([]exportedMonthly, 0, len(f.Monthly)), Receipts: make([]exportedReceipt, 0, len(f.Receipts)),
		YearTotals: []exportedYear{}}
	d := f.Donor
	x.Donor.ID, x.Donor.Email, x.Donor.FirstNames, x.Donor.LastName = d.ID, d.Email, d.FirstNames, d.LastName
	x.Donor.Address, x.Donor.PostalCode, x.Donor.City, x.Donor.Country = d.Address, d.PostalCode, d.City, d.Country
	x.Donor.Anonymous, x.Donor.CreatedAt, x.Donor.UpdatedAt, x.Donor.ErasedAt = d.Anonymous, d.CreatedAt.UTC(), d.UpdatedAt.UTC(), utcOrNull(f.ErasedAt)
	for _, g := range f.Gifts {
		x.Gifts = append(x.Gifts, exportedGift{ID: g.ID, AmountCents: g.AmountCents, RefundedCents: g.RefundedCents, Currency: g.Currency,
			Frequency: string(g.Frequency), Status: string(g.Status), Method: string(g.Method), Provider: g.Provider,
			MonthlyGiftID: idOrNull(g.SubscriptionID), CampaignID: idOrNull(g.CampaignID), Note: g.Note, CreatedAt: g.CreatedAt.UTC(),
			PaidAt: utcOrNull(g.PaidAt)})
	}
	for _, m := range f.Monthly {
		x.Monthly = append(x.Monthly, exportedMonthly{ID: m.ID, AmountCents: m.AmountCents, Currency: m.Currency, Provider: m.Provider,
			Status: string(m.Status), CreatedAt: m.CreatedAt.UTC(), StartedAt: utcOrNull(m.StartedAt), CancelledAt: utcOrNull(m.CancelledAt)})
	}
	for _, r := range f.Receipts {
		x.Receipts = append(x.Receipts, exportedReceipt{Number: r.Number, GiftID: idOrNull(r.DonationID), AmountCents: r.AmountCents,
			Method: string(r.Method), PeriodFrom: r.PeriodFrom.UTC(), PeriodTo: r.PeriodTo.UTC(), DonorName: r.DonorName,
			DonorAddress: r.DonorAddress, Status: string(r.Status), IssuedAt: r.IssuedAt.UTC(), AnnulledAt: utcOrNull(r.AnnulledAt)})
	}
	for _, y := range f.YearTotals(loc) {
		x.YearTotals = append(x.YearTotals, exportedYear{Year: y.Year, Gifts: y.Gifts, TotalCents: y.Cents})
	}
	return x
}

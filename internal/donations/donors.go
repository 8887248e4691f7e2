package donations

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// Audit actions recorded by the donors' pages and the receipts register.
const (
	// ActionDonorUpdate changed a donor's contact or address.
	ActionDonorUpdate = "donor_update"
	// ActionDonorErase erased a donor's personal data (GDPR art. 17); the
	// target is the donor's record, which keeps only its number.
	ActionDonorErase = "donor_erase"
	// ActionDonorExport downloaded everything stored about a donor
	// (GDPR art. 15 and 20): a read of personal data, logged.
	ActionDonorExport = "donor_export"
	// ActionMonthlyStop stopped a donor's monthly gift from the back
	// office.
	ActionMonthlyStop = "monthly_stop"
	// ActionReceiptAnnul annulled a tax receipt, which keeps its number.
	ActionReceiptAnnul = "receipt_annul"
)

// DonorSort orders the donors list.
type DonorSort string

// The orders of the donors list.
const (
	// SortLastGift puts the latest givers first, donors who never paid
	// last.
	SortLastGift DonorSort = "last_gift"
	// SortTotal puts the biggest givers first.
	SortTotal DonorSort = "total"
	// SortGifts puts those who gave most often first.
	SortGifts DonorSort = "gifts"
	// SortName sorts by last name, then first names.
	SortName DonorSort = "name"
)

// Valid reports whether o is a known order.
func (o DonorSort) Valid() bool {
	switch o {
	case SortLastGift, SortTotal, SortGifts, SortName:
		return true
	}
	return false
}

// DonorFilter selects donors for the back office's list and its export.
type DonorFilter struct {
	// Search is matched, word by word, against the names, the email and
	// the city: every word must match one of them.
	Search string
	// Sort is the order, SortLastGift when empty.
	Sort DonorSort
	// Limit and Offset cut a page; a zero Limit selects every donor.
	Limit, Offset int
}

// MonthlyState is where a donor's monthly giving stands.
type MonthlyState string

// The states of a donor's monthly giving.
const (
	MonthlyNone    MonthlyState = "none"
	MonthlyActive  MonthlyState = "active"
	MonthlyStopped MonthlyState = "stopped"
)

// DonorSummary is a donor as the list shows them.
type DonorSummary struct {
	Donor
	// Gifts counts the paid gifts, TotalCents sums them less refunds,
	// and LastGiftAt is the latest's payment (zero when none).
	Gifts      int
	TotalCents int64
	LastGiftAt time.Time
	// Monthly is the state of the donor's monthly gifts: active when one
	// is, stopped when all were, none otherwise; MonthlyCents sums the
	// active ones.
	Monthly      MonthlyState
	MonthlyCents int64
}

// GiftLine is one paid gift of a donor, for totals per year.
type GiftLine struct {
	DonorID  int64
	PaidAt   time.Time
	NetCents int64
}

// YearTotal is what a donor gave in one calendar year, the tax year of
// the gifts made in it.
type YearTotal struct {
	Year  int
	Gifts int
	Cents int64
}

// DonorFile is everything stored about a donor.
type DonorFile struct {
	Donor Donor
	// ErasedAt is when the donor's data was erased, zero if it was not.
	ErasedAt time.Time
	// Gifts are all the donor's gifts whatever their state, Monthly the
	// monthly gifts and Receipts the tax receipts issued to them (without
	// their PDF), each newest first.
	Gifts    []*Donation
	Monthly  []*Subscription
	Receipts []*Receipt
}

// Erased reports whether the donor's data was erased.
func (f *DonorFile) Erased() bool { return !f.ErasedAt.IsZero() }

// ActiveMonthly returns the donor's monthly gifts that are active.
func (f *DonorFile) ActiveMonthly() []*Subscription {
	var out []*Subscription
	for _, s := range f.Monthly {
		if s.Status == SubscriptionActive {
			out = append(out, s)
		}
	}
	return out
}

// YearTotals sums the donor's paid gifts, less refunds, per calendar
// year in loc (the association's time zone: a gift paid on 31 December
// at 23:30 in Paris is of that year), the latest year first.
func (f *DonorFile) YearTotals(loc *time.Location) []YearTotal {
	lines := make([]GiftLine, 0, len(f.Gifts))
	for _, d := range f.Gifts {
		if d.Status == StatusPaid && !d.PaidAt.IsZero() {
			lines = append(lines, GiftLine{DonorID: d.DonorID, PaidAt: d.PaidAt, NetCents: d.AmountCents - d.RefundedCents})
		}
	}
	return yearTotals(lines, loc)
}

// yearTotals sums lines per calendar year in loc, the latest first.
func yearTotals(lines []GiftLine, loc *time.Location) []YearTotal {
	if loc == nil {
		loc = time.UTC
	}
	byYear := map[int]*YearTotal{}
	for _, l := range lines {
		y := l.PaidAt.In(loc).Year()
		t := byYear[y]
		if t == nil {
			t = &YearTotal{Year: y}
			byYear[y] = t
		}
		t.Gifts++
		t.Cents += l.NetCents
	}
	out := make([]YearTotal, 0, len(byYear))
	for _, t := range byYear {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b YearTotal) int { return cmp.Compare(b.Year, a.Year) })
	return out
}

// DonorUpdate is what an admin may change about a donor: what a tax
// receipt needs to name and reach them, and whether they are counted in
// public.
type DonorUpdate struct {
	Email      string
	FirstNames string
	LastName   string
	Address    string
	PostalCode string
	City       string
	Country    string
	Anonymous  bool
}

// Erasure tells what EraseDonor kept: the gifts, monthly gifts and
// receipts of the donor's record, now without a name.
type Erasure struct {
	DonorID  int64
	Gifts    int
	Monthly  int
	Receipts int
	// PersonErased tells whether the person's shared record was blanked
	// too; it is kept when comments point to it (the commenters' page
	// erases those).
	PersonErased bool
}

// DonorsExport is the donors list as a file: each donor with their
// totals per year.
type DonorsExport struct {
	// Years are those of any gift of the donors, oldest first.
	Years []int
	Rows  []DonorExportRow
}

// DonorExportRow is one donor of an export.
type DonorExportRow struct {
	DonorSummary
	// ByYear is what the donor gave in each year of DonorsExport.Years.
	ByYear map[int]int64
}

// maxDonorsPage bounds a page of the donors list.
const maxDonorsPage = 200

// registryAllowed refuses actors who may not see donors and receipts.
func registryAllowed(actor access.Actor) error {
	if !actor.Can(access.ManageDonations) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	return nil
}

// Donors returns a page of the donors f selects and how many it selects,
// for admins (access.ManageDonations).
func (s *Service) Donors(ctx context.Context, actor access.Actor, f DonorFilter) ([]DonorSummary, int, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, 0, err
	}
	f = donorFilter(f)
	if f.Limit <= 0 || f.Limit > maxDonorsPage {
		f.Limit = maxDonorsPage
	}
	list, total, err := s.Store.Donors(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list donors: %w", err)
	}
	return list, total, nil
}

func donorFilter(f DonorFilter) DonorFilter {
	f.Search = strings.TrimSpace(f.Search)
	if !f.Sort.Valid() {
		f.Sort = SortLastGift
	}
	f.Offset = max(f.Offset, 0)
	return f
}

// ExportDonors returns every donor f selects, whatever its page, with
// what they gave per calendar year in loc, for admins.
func (s *Service) ExportDonors(ctx context.Context, actor access.Actor, f DonorFilter, loc *time.Location) (*DonorsExport, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	f = donorFilter(f)
	f.Limit, f.Offset = 0, 0
	list, _, err := s.Store.Donors(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("export donors: %w", err)
	}
	lines, err := s.Store.DonorGiftLines(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("export donors: %w", err)
	}
	perDonor := map[int64][]GiftLine{}
	for _, l := range lines {
		perDonor[l.DonorID] = append(perDonor[l.DonorID], l)
	}
	out := &DonorsExport{Rows: make([]DonorExportRow, 0, len(list))}
	years := map[int]bool{}
	for _, d := range list {
		row := DonorExportRow{DonorSummary: d, ByYear: map[int]int64{}}
		for _, t := range yearTotals(perDonor[d.ID], loc) {
			row.ByYear[t.Year] = t.Cents
			years[t.Year] = true
		}
		out.Rows = append(out.Rows, row)
	}
	for y := range years {
		out.Years = append(out.Years, y)
	}
	slices.Sort(out.Years)
	return out, nil
}

// DonorFile returns everything stored about donor id, for admins: the
// page of a donor and the file their right of access (GDPR art. 15 and
// 20) hands them.
func (s *Service) DonorFile(ctx context.Context, actor access.Actor, id int64) (*DonorFile, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	f, err := s.Store.DonorFile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("donor %d: %w", id, err)
	}
	return f, nil
}

// ExportDonor is DonorFile for the file an admin downloads: the read is
// recorded in the audit log first (the donor's number, not their name).
func (s *Service) ExportDonor(ctx context.Context, actor access.Actor, id int64) (*DonorFile, error) {
	f, err := s.DonorFile(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if s.Audit == nil {
		return nil, errors.New("export a donor's data: no audit log")
	}
	if err := s.Audit.RecordAudit(ctx, audit.Entry{At: s.Clock.Now(), UserID: actor.UserID, UserName: actor.Name,
		Action: ActionDonorExport, TargetType: "donor", TargetID: id, Summary: fmt.Sprintf("donor %d", id), IP: actor.IP}); err != nil {
		return nil, fmt.Errorf("export donor %d: %w", id, err)
	}
	return f, nil
}

// UpdateDonor corrects donor id's contact and postal address, for
// admins: a tax receipt must name the donor and their address exactly.
// Every field at fault is reported (apperr.Invalid, joined); an email
// another donor has is apperr.Conflict in the field "email"; an erased
// donor cannot be changed (apperr.Conflict). The change is recorded in
// the audit log by the names of the fields changed, not their values.
func (s *Service) UpdateDonor(ctx context.Context, actor access.Actor, id int64, u DonorUpdate) (*Donor, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	f, err := s.Store.DonorFile(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("update donor %d: %w", id, err)
	}
	if f.Erased() {
		return nil, apperr.New(apperr.Conflict, "error.donor.erased")
	}
	g := trimGift(Gift{Email: u.Email, FirstNames: u.FirstNames, LastName: u.LastName, Address: u.Address,
		PostalCode: u.PostalCode, City: u.City, Country: u.Country})
	u = DonorUpdate{Email: g.Email, FirstNames: g.FirstNames, LastName: g.LastName, Address: g.Address, PostalCode: g.PostalCode,
		City: g.City, Country: g.Country, Anonymous: u.Anonymous}
	if err := validateDonor(u); err != nil {
		return nil, err
	}
	changed := changedFields(&f.Donor, u)
	if len(changed) == 0 {
		return &f.Donor, nil
	}
	now := s.Clock.Now()
	e := &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: ActionDonorUpdate, TargetType: "donor",
		TargetID: id, Summary: strings.Join(changed, ", "), IP: actor.IP}
	d, err := s.Store.UpdateDonor(ctx, id, u, e)
	if err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.donor.email_taken").InField("email")
		}
		return nil, fmt.Errorf("update donor %d: %w", id, err)
	}
	return d, nil
}

// validateDonor reports every field of u at fault. An address is all or
// nothing: a receipt cannot be sent to a street without a town.
func validateDonor(u DonorUpdate) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		bad("email", "error.donor.email")
	}
	for _, f := range []struct{ field, value string }{{"first_names", u.FirstNames}, {"last_name", u.LastName}} {
		switch {
		case f.value == "":
			bad(f.field, "error.donation.name_required")
		case utf8.RuneCountInString(f.value) > maxNameLen || !utf8.ValidString(f.value):
			bad(f.field, "error.donation.too_long", maxNameLen)
		}
	}
	address := []struct{ field, value string }{{"address", u.Address}, {"postal_code", u.PostalCode}, {"city", u.City}}
	some := u.Address != "" || u.PostalCode != "" || u.City != ""
	for _, f := range address {
		switch {
		case f.value == "" && some:
			bad(f.field, "error.donor.address_partial")
		case utf8.RuneCountInString(f.value) > maxAddressLen || !utf8.ValidString(f.value):
			bad(f.field, "error.donation.too_long", maxAddressLen)
		}
	}
	if len(u.Country) != 2 || strings.Trim(u.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		bad("country", "error.donation.country")
	}
	if u.Country == "FR" && u.PostalCode != "" && (len(u.PostalCode) != 5 || strings.Trim(u.PostalCode, "0123456789") != "") {
		bad("postal_code", "error.donor.postal_code")
	}
	return errors.Join(errs...)
}

// changedFields names the fields u changes in d.
func changedFields(d *Donor, u DonorUpdate) []string {
	var out []string
	for _, f := range []struct {
		name     string
		old, new string
	}{{"email", d.Email, u.Email}, {"first_names", d.FirstNames, u.FirstNames}, {"last_name", d.LastName, u.LastName},
		{"address", d.Address, u.Address}, {"postal_code", d.PostalCode, u.PostalCode}, {"city", d.City, u.City},
		{"country", d.Country, u.Country}} {
		if f.old != f.new {
			out = append(out, f.name)
		}
	}
	if d.Anonymous != u.Anonymous {
		out = append(out, "anonymous")
	}
	return out
}

// StopDonorMonthly stops monthly gift subID of donor donorID from the
// back office, for admins: the payment provider stops charging first
// (apperr.Unavailable when it does not answer, and nothing changes), then
// the gift is marked cancelled with an audit entry. A gift of another
// donor is apperr.NotFound; stopping a stopped gift changes nothing.
func (s *Service) StopDonorMonthly(ctx context.Context, actor access.Actor, donorID, subID int64) (*Subscription, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	sub, err := s.Store.Subscription(ctx, subID)
	if err != nil {
		return nil, fmt.Errorf("stop monthly gift %d: %w", subID, err)
	}
	if sub.DonorID != donorID {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	if sub.Status == SubscriptionCancelled {
		return sub, nil
	}
	if err := s.cancelAtProvider(ctx, sub); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	sub.Status, sub.CancelledAt = SubscriptionCancelled, now
	e := &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: ActionMonthlyStop, TargetType: "donor",
		TargetID: donorID, Summary: fmt.Sprintf("monthly gift %d", subID), IP: actor.IP}
	if err := s.Store.StopSubscription(ctx, sub, e); err != nil {
		return nil, fmt.Errorf("stop monthly gift %d: %w", subID, err)
	}
	return sub, nil
}

// EraseDonor erases donor id's personal data (GDPR art. 17), for
// admins: names, email, postal address and the notes of their gifts go;
// the gifts' amounts, dates, methods and states stay for the accounts,
// and the tax receipts issued to them stay as issued, the association
// having to keep them six years (art. 17(3)(b): a legal obligation). The
// record is marked erased, so the person may give again later as a new
// donor. A donor whose monthly gift is active is refused
// (apperr.Conflict): it must be stopped first, or the provider would go
// on charging someone the site no longer knows. Recorded in the audit
// log without any of the erased data.
func (s *Service) EraseDonor(ctx context.Context, actor access.Actor, id int64) (Erasure, error) {
	if err := registryAllowed(actor); err != nil {
		return Erasure{}, err
	}
	f, err := s.Store.DonorFile(ctx, id)
	if err != nil {
		return Erasure{}, fmt.Errorf("erase donor %d: %w", id, err)
	}
	if f.Erased() {
		return Erasure{}, apperr.New(apperr.Conflict, "error.donor.erased")
	}
	if len(f.ActiveMonthly()) > 0 {
		return Erasure{}, apperr.New(apperr.Conflict, "error.donor.monthly_active")
	}
	now := s.Clock.Now()
	rep, err := s.Store.EraseDonor(ctx, id, now, func(r Erasure) *audit.Entry {
		return &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: ActionDonorErase, TargetType: "donor",
			TargetID: id, Summary: fmt.Sprintf("donor %d: %d gifts and %d monthly gifts kept without a name, %d receipts kept as issued",
				id, r.Gifts, r.Monthly, r.Receipts), IP: actor.IP}
	})
	if err != nil {
		return Erasure{}, fmt.Errorf("erase donor %d: %w", id, err)
	}
	return rep, nil
}

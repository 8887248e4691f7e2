package donations

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/receipts"
)

// Issuer is what issuing tax receipts needs from the newsroom's settings:
// the association as its receipts state it, when receipts are enabled on
// a complete, attested identity (false otherwise), and the time zone
// whose calendar dates and numbers them.
type Issuer func() (org receipts.Organization, ready bool, loc *time.Location)

// receiptMethod is how a receipt states the payment method.
func receiptMethod(m Method) (receipts.Method, bool) {
	switch m {
	case MethodCard, MethodTransfer:
		return receipts.TransferOrCard, true
	case MethodCheque:
		return receipts.Cheque, true
	case MethodCash:
		return receipts.Cash, true
	}
	return "", false
}

// receiptSpec is what one receipt certifies: a single gift (date set) or
// the summary of a year's monthly gifts (from and to, both days
// included).
type receiptSpec struct {
	donationID     int64
	amountCents    int64
	method         Method
	date, from, to time.Time
	// replaces is the receipt this one corrects, annulled in the same
	// transaction.
	replaces *Receipt
}

// location is the time zone whose calendar dates receipts and sorts
// gifts into years.
func (s *Service) location() *time.Location {
	if s.Issuer == nil {
		return time.UTC
	}
	if _, _, loc := s.Issuer(); loc != nil {
		return loc
	}
	return time.UTC
}

// yearBounds are the first instants of year and of the next, in loc.
func yearBounds(year int, loc *time.Location) (from, to time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, loc), time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)
}

// draft prepares the receipt spec describes for donor, and the function
// drawing its PDF once numbered; it returns false when no receipt may be
// issued: receipts off, a method a receipt cannot state, no full postal
// address, or a receipt that would not be valid (the log says why). A
// wrong receipt costs the association more than a missing one, which an
// admin can issue later.
func (s *Service) draft(donor *Donor, spec receiptSpec) (*Receipt, func(*Receipt) ([]byte, error), bool) {
	if s.Issuer == nil {
		return nil, nil, false
	}
	org, ready, loc := s.Issuer()
	method, ok := receiptMethod(spec.method)
	if !ready || !ok || donor.Address == "" || donor.PostalCode == "" || donor.City == "" {
		return nil, nil, false
	}
	if loc == nil {
		loc = time.UTC
	}
	now := s.Clock.Now()
	rec := receipts.Receipt{IssuedAt: now.In(loc), Org: org, AmountCents: spec.amountCents, Currency: "EUR",
		Form: receipts.ManualGift, Nature: receipts.Money, Method: method,
		Donor: receipts.Donor{LastName: donor.LastName, FirstNames: donor.FirstNames, Address: strings.Split(donor.Address, "\n"),
			PostalCode: donor.PostalCode, City: donor.City, Country: donor.Country}}
	r := &Receipt{DonorID: donor.ID, DonationID: spec.donationID, AmountCents: spec.amountCents, Method: spec.method,
		DonorName: donor.Name(), DonorAddress: donor.Address + "\n" + donor.PostalCode + " " + donor.City, IssuedAt: now}
	if spec.date.IsZero() {
		rec.PeriodFrom, rec.PeriodTo = spec.from.In(loc), spec.to.In(loc)
		r.PeriodFrom, r.PeriodTo = spec.from, spec.to
	} else {
		rec.Date = spec.date.In(loc)
		r.PeriodFrom, r.PeriodTo = spec.date, spec.date
	}
	// A gift belongs to the year it reached the association (a card gift
	// of 31 December credited on 2 January is of the next year); so does
	// its number.
	r.Year = r.PeriodFrom.In(loc).Year()
	if spec.replaces != nil {
		rec.Replaces, r.ReplacesID = spec.replaces.Number, spec.replaces.ID
	}
	// Checked before the number is taken, under a placeholder number no
	// receipt holds.
	rec.Number = FormatNumber(r.Year, 0)
	if err := rec.Validate(); err != nil {
		s.Log.Warn("tax receipt not issued", "donor", donor.ID, "donation", spec.donationID, "error", err)
		return nil, nil, false
	}
	render := func(r *Receipt) ([]byte, error) {
		rec.Number = r.Number
		var buf bytes.Buffer
		if err := receipts.Render(&buf, rec); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return r, render, true
}

// issueFor issues, in tx, the tax receipt of a one-off gift just paid
// when one is due; it returns nil when there is none to issue. Monthly
// gifts get one annual receipt instead (IssueAnnualReceipts).
func (s *Service) issueFor(ctx context.Context, tx Tx, donor *Donor, d *Donation) (*Receipt, error) {
	if d.Frequency != OneOff {
		return nil, nil
	}
	if d.CounterpartCents > 0 {
		over, err := s.counterpartOver(ctx, tx, d)
		if err != nil || over {
			return nil, err
		}
	}
	r, render, ok := s.draft(donor, receiptSpec{donationID: d.ID, amountCents: d.AmountCents - d.RefundedCents, method: d.Method,
		date: d.PaidAt})
	if !ok {
		return nil, nil
	}
	if err := tx.IssueReceipt(ctx, r, render); err != nil {
		return nil, err
	}
	return r, nil
}

// DefaultCounterpartCeiling is what a donor may receive in return for a
// year's gifts (a book, a tote bag) and still get tax receipts: 69 € since
// 2016 (arrêté du 10 juin 2016), revised every five years; the settings
// hold the current figure.
const DefaultCounterpartCeiling = 6900

// counterpartOver reports whether the counterparts of d's donor for the
// year of d, d's included, pass the ceiling: then the gift is a purchase
// in the tax office's eyes, and gets no receipt.
func (s *Service) counterpartOver(ctx context.Context, tx Tx, d *Donation) (bool, error) {
	ceiling := int64(DefaultCounterpartCeiling)
	if s.CounterpartCeiling != nil {
		ceiling = s.CounterpartCeiling()
	}
	from, to := yearBounds(d.PaidAt.In(s.location()).Year(), s.location())
	total, err := tx.Counterparts(ctx, d.DonorID, from, to)
	if err != nil {
		return false, err
	}
	if total > ceiling {
		s.Log.Info("no tax receipt: counterparts over the ceiling", "donation", d.ID, "counterparts", total, "ceiling", ceiling)
		return true, nil
	}
	return false, nil
}

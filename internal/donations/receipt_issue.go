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

// issueFor issues, in the event's transaction, the tax receipt of a
// one-off gift just paid, when the association issues receipts and the
// donor gave a full address; it returns nil when there is none to issue.
// A receipt that would not be valid is not issued (the gift stays paid;
// the log says why): a wrong receipt costs the association more than a
// missing one, which an admin can issue later.
func (s *Service) issueFor(ctx context.Context, tx Tx, donor *Donor, d *Donation) (*Receipt, error) {
	if s.Issuer == nil || d.Frequency != OneOff {
		return nil, nil
	}
	org, ready, loc := s.Issuer()
	method, ok := receiptMethod(d.Method)
	if !ready || !ok || donor.Address == "" || donor.PostalCode == "" || donor.City == "" {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	now := s.Clock.Now().In(loc)
	paid := d.PaidAt.In(loc)
	rec := receipts.Receipt{Number: FormatNumber(paid.Year(), 1), IssuedAt: now, Org: org, AmountCents: d.AmountCents,
		Currency: "EUR", Date: paid, Form: receipts.ManualGift, Nature: receipts.Money, Method: method,
		Donor: receipts.Donor{LastName: donor.LastName, FirstNames: donor.FirstNames, Address: strings.Split(donor.Address, "\n"),
			PostalCode: donor.PostalCode, City: donor.City, Country: donor.Country}}
	if err := rec.Validate(); err != nil {
		s.Log.Warn("tax receipt not issued", "donation", d.ID, "error", err)
		return nil, nil
	}
	// A gift belongs to the year it reached the association (a card gift
	// of 31 December credited on 2 January is of the next year).
	r := &Receipt{Year: paid.Year(), DonorID: donor.ID, DonationID: d.ID, PeriodFrom: d.PaidAt, PeriodTo: d.PaidAt,
		AmountCents: d.AmountCents, Method: d.Method, DonorName: donor.Name(),
		DonorAddress: donor.Address + "\n" + donor.PostalCode + " " + donor.City, IssuedAt: s.Clock.Now()}
	err := tx.IssueReceipt(ctx, r, func(r *Receipt) ([]byte, error) {
		rec.Number = r.Number
		var buf bytes.Buffer
		if err := receipts.Render(&buf, rec); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

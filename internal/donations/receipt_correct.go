package donations

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
)

// correctReceipt brings the tax receipt covering d in line with a refund
// just recorded, in the refund's transaction: the receipt is annulled,
// keeping its number, and when something is left of the gift (a partial
// refund, the other months of a monthly donor's year) a replacement is
// issued for what is left, naming the receipt it replaces. The donor is
// told by email, with the replacement attached. A receipt already right
// (a second delivery of the refund) is left alone; gifts without a
// receipt have nothing to correct.
func (s *Service) correctReceipt(ctx context.Context, tx Tx, d *Donation, at time.Time) error {
	if d.DonorID == 0 || s.Issuer == nil {
		return nil
	}
	var old *Receipt
	var spec receiptSpec
	var err error
	if d.Frequency == OneOff {
		old, err = tx.ReceiptOfDonation(ctx, d.ID)
		spec = receiptSpec{donationID: d.ID, amountCents: d.AmountCents - d.RefundedCents, method: d.Method, date: d.PaidAt}
	} else {
		loc := s.location()
		year := d.PaidAt.In(loc).Year()
		old, err = tx.AnnualReceipt(ctx, d.DonorID, year)
		if err == nil {
			from, to := yearBounds(year, loc)
			var total DonorTotal
			total, err = tx.MonthlyTotal(ctx, d.DonorID, from, to)
			spec = receiptSpec{amountCents: total.AmountCents, method: MethodCard, from: from, to: to.AddDate(0, 0, -1)}
		}
	}
	if apperr.Is(err, apperr.NotFound) {
		return nil // no receipt yet: the one to come will count the refund
	}
	if err != nil {
		return err
	}
	if old.AmountCents == spec.amountCents {
		return nil
	}
	if err := tx.AnnulReceipt(ctx, old.ID, at); err != nil {
		return err
	}
	old.Status, old.AnnulledAt = ReceiptAnnulled, at
	donor, err := tx.Donor(ctx, d.DonorID)
	if err != nil {
		return err
	}
	var replacement *Receipt
	if spec.amountCents > 0 {
		spec.replaces = old
		if r, render, ok := s.draft(donor, spec); ok {
			if err := tx.IssueReceipt(ctx, r, render); err != nil {
				return err
			}
			replacement = r
		}
	}
	if s.Mails == nil || donor.Email == "" {
		return nil
	}
	m := s.Mails.ReceiptCorrected(donor, old, replacement)
	m.MessageID = "receipt-annulled-" + old.Number
	return tx.Enqueue(ctx, job.Job{Args: m, Unique: true})
}

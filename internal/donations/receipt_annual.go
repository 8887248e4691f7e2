package donations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
)

// Monthly donors get one summary receipt a year, for all their monthly
// gifts, early in January: the sum the tax return asks for, and one PDF
// instead of twelve.

// AnnualReceiptsDay is the day of January from which the previous year's
// summary receipts are issued: the payment provider retries a webhook
// for three days, so a gift of 31 December reported late is counted.
const AnnualReceiptsDay = 5

// AnnualReceiptsArgs asks for the summary receipts that are due; a job
// runs it every morning, and it does something only from
// AnnualReceiptsDay January until every monthly donor of the past year
// has their receipt.
type AnnualReceiptsArgs struct{}

// Kind names the worker that runs IssueDueAnnualReceipts.
func (AnnualReceiptsArgs) Kind() string { return "donations.annual_receipts" }

// IssueDueAnnualReceipts issues the past year's summary receipts once
// AnnualReceiptsDay January has come (in the site's time zone), for the
// monthly donors who have none yet; it returns how many it issued. It is
// safe to run any day and any number of times, on several instances.
func (s *Service) IssueDueAnnualReceipts(ctx context.Context) (int, error) {
	if s.Issuer == nil {
		return 0, nil
	}
	if _, ready, _ := s.Issuer(); !ready {
		return 0, nil
	}
	now := s.Clock.Now().In(s.location())
	if now.Month() == time.January && now.Day() < AnnualReceiptsDay {
		return 0, nil
	}
	return s.IssueAnnualReceipts(ctx, now.Year()-1)
}

// IssueAnnualReceipts issues, for each donor whose monthly gifts paid in
// year (less refunds) come to something and who holds no summary receipt
// of year, one receipt of the total covering 1 January to 31 December,
// and emails it. Each receipt is its own transaction with its email; a
// donor without a full postal address gets none (as for one-off gifts).
// It returns how many it issued, and the errors of those it could not.
func (s *Service) IssueAnnualReceipts(ctx context.Context, year int) (int, error) {
	if s.Issuer == nil {
		return 0, nil
	}
	loc := s.location()
	from, to := yearBounds(year, loc)
	if !s.Clock.Now().After(to) {
		return 0, apperr.New(apperr.Invalid, "error.receipt.year_not_over")
	}
	totals, err := s.Store.MonthlyTotals(ctx, year, from, to)
	if err != nil {
		return 0, fmt.Errorf("annual receipts %d: %w", year, err)
	}
	issued := 0
	var errs []error
	for _, t := range totals {
		ok, err := s.issueAnnual(ctx, year, t, from, to.AddDate(0, 0, -1))
		switch {
		case apperr.Is(err, apperr.Conflict):
			// Another instance issued it a moment ago.
		case err != nil:
			errs = append(errs, fmt.Errorf("annual receipt %d of donor %d: %w", year, t.DonorID, err))
		case ok:
			issued++
		}
	}
	if issued > 0 {
		s.Log.Info("annual receipts issued", "year", year, "issued", issued, "donors", len(totals))
	}
	return issued, errors.Join(errs...)
}

func (s *Service) issueAnnual(ctx context.Context, year int, t DonorTotal, from, to time.Time) (bool, error) {
	donor, err := s.Store.Donor(ctx, t.DonorID)
	if err != nil {
		return false, err
	}
	r, render, ok := s.draft(donor, receiptSpec{amountCents: t.AmountCents, method: MethodCard, from: from, to: to})
	if !ok {
		return false, nil
	}
	var then func(*Receipt) []job.Job
	if s.Mails != nil && donor.Email != "" {
		then = func(r *Receipt) []job.Job {
			m := s.Mails.AnnualReceipt(donor, r)
			m.MessageID = "receipt-annual-" + strconv.Itoa(year) + "-" + strconv.FormatInt(donor.ID, 10)
			return []job.Job{{Args: m, Unique: true}}
		}
	}
	if err := s.Store.IssueReceipt(ctx, r, render, then); err != nil {
		return false, err
	}
	return true, nil
}

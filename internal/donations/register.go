package donations

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// ReceiptFilter selects the receipts of one year for the register.
type ReceiptFilter struct {
	// Year is the receipts' year, the fiscal year of the gifts.
	Year int
	// Limit and Offset cut a page; a zero Limit selects all.
	Limit, Offset int
}

// RegisterTotals counts and sums a year's receipts: the issued ones
// (annulled left out) are what the association declares each year (CGI
// art. 222 bis: number of receipts and total amount).
type RegisterTotals struct {
	Issued        int
	IssuedCents   int64
	Annulled      int
	AnnulledCents int64
}

// Register is a page of the tax receipts register of one year.
type Register struct {
	Year int
	// Years are the years that have receipts, newest first.
	Years []int
	// Receipts are the page's, by number; Count is how many the year has.
	Receipts []*Receipt
	Count    int
	Totals   RegisterTotals
}

// maxRegisterPage bounds a page of the register.
const maxRegisterPage = 500

// ReceiptRegister returns a page of the register of receipts of f.Year
// with the year's totals, for admins. A zero f.Limit gives the whole year
// (the export).
func (s *Service) ReceiptRegister(ctx context.Context, actor access.Actor, f ReceiptFilter) (*Register, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	if f.Year < 1900 || f.Year > 9999 {
		return nil, apperr.New(apperr.Invalid, "error.receipt.year").InField("year")
	}
	f.Offset = max(f.Offset, 0)
	if f.Limit > maxRegisterPage {
		f.Limit = maxRegisterPage
	}
	list, n, err := s.Store.RegisterReceipts(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("receipts register of %d: %w", f.Year, err)
	}
	totals, err := s.Store.RegisterTotals(ctx, f.Year)
	if err != nil {
		return nil, fmt.Errorf("receipts register of %d: %w", f.Year, err)
	}
	years, err := s.Store.RegisterYears(ctx)
	if err != nil {
		return nil, fmt.Errorf("receipts register of %d: %w", f.Year, err)
	}
	return &Register{Year: f.Year, Years: years, Receipts: list, Count: n, Totals: totals}, nil
}

// RegisterReceipt returns receipt id with its PDF as it was sent, for admins.
func (s *Service) RegisterReceipt(ctx context.Context, actor access.Actor, id int64) (*Receipt, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	r, err := s.Store.Receipt(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("receipt %d: %w", id, err)
	}
	return r, nil
}

// AnnulReceiptBy annuls receipt id, for admins: it stays in the register
// under its number, marked annulled with the date (numbers are never
// reused nor renumbered), and leaves the year's totals. A receipt
// annulled already is apperr.Conflict. Recorded in the audit log.
func (s *Service) AnnulReceiptBy(ctx context.Context, actor access.Actor, id int64) (*Receipt, error) {
	if err := registryAllowed(actor); err != nil {
		return nil, err
	}
	r, err := s.Store.Receipt(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("annul receipt %d: %w", id, err)
	}
	now := s.Clock.Now()
	e := &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: ActionReceiptAnnul, TargetType: "receipt",
		TargetID: id, Summary: r.Number, IP: actor.IP}
	if err := s.Store.AnnulReceipt(ctx, id, now, e); err != nil {
		return nil, fmt.Errorf("annul receipt %d: %w", id, err)
	}
	r.Status, r.AnnulledAt = ReceiptAnnulled, now
	return r, nil
}

package donations

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
)

// Registry is what the back office reads and writes about donors and tax
// receipts: search, a donor's gifts and yearly totals, exports and
// erasure, the receipts register. package storage implements it.
type Registry interface {
	// Donors returns the page of donors f selects, erased ones left out,
	// with their paid gifts' count, total and last date and their monthly
	// gifts' state; and how many donors f selects in all.
	Donors(ctx context.Context, f DonorFilter) ([]DonorSummary, int, error)
	// DonorGiftLines returns the paid gifts of every donor f selects,
	// whatever f's page, for their totals per year.
	DonorGiftLines(ctx context.Context, f DonorFilter) ([]GiftLine, error)
	// DonorFile returns everything stored about donor id: the record, its
	// gifts, monthly gifts and receipts (without their PDF), each newest
	// first. apperr.NotFound if there is no such donor.
	DonorFile(ctx context.Context, id int64) (*DonorFile, error)
	// UpdateDonor saves u over donor id's contact, address and anonymity
	// with the audit entry e, in one transaction, and returns the donor as
	// saved. apperr.NotFound if there is no such donor; apperr.Conflict if
	// u.Email is another donor's.
	UpdateDonor(ctx context.Context, id int64, u DonorUpdate, e *audit.Entry) (*Donor, error)
	// StopSubscription saves sub as cancelled (status and date) with the
	// audit entry e, in one transaction.
	StopSubscription(ctx context.Context, sub *Subscription, e *audit.Entry) error
	// EraseDonor blanks donor id's personal fields (names, email, postal
	// address, the notes of its gifts), detaches it from its person's
	// record, blanking that one too when no comment points to it, and
	// marks it erased at at, with the audit entry e made from what was
	// kept, in one transaction. Gifts, monthly gifts and receipts stay as
	// they are. apperr.NotFound if there is no such donor, apperr.Conflict
	// if it was erased already.
	EraseDonor(ctx context.Context, id int64, at time.Time, e func(Erasure) *audit.Entry) (Erasure, error)
	// RegisterReceipts returns the page of receipts f selects, by number,
	// without their PDF, and how many f selects in all.
	RegisterReceipts(ctx context.Context, f ReceiptFilter) ([]*Receipt, int, error)
	// RegisterTotals counts and sums the receipts of year, issued and
	// annulled apart.
	RegisterTotals(ctx context.Context, year int) (RegisterTotals, error)
	// RegisterYears returns the years some receipt was issued for, newest
	// first.
	RegisterYears(ctx context.Context) ([]int, error)
}

package donations

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Store keeps donors, gifts, monthly gifts and campaigns. package storage
// implements it on SQLite and PostgreSQL.
type Store interface {
	// Ledger lists and sums gifts and campaigns for the back office.
	Ledger
	// Registry finds donors and receipts for the back office.
	Registry

	// StartGift records a gift in one transaction: the donor (created, or
	// updated by email), the monthly gift when sub is not nil, and the
	// donation (pending on its way to the payment page, or paid when an
	// admin enters it). IDs are filled, then then, when not nil, runs in
	// the same transaction (the receipt and the thank-you email of a gift
	// paid at once); its error rolls everything back.
	StartGift(ctx context.Context, donor *Donor, d *Donation, sub *Subscription, then func(Tx) error) error
	// ApplyEvent records that the provider's event id was received and
	// runs apply in the same transaction, so an event is applied once
	// whatever the deliveries: it returns false, without calling apply,
	// when the event was applied before. An error from apply rolls back
	// everything, the event's record included, so the provider's retry
	// tries again.
	ApplyEvent(ctx context.Context, provider, eventID, eventType string, at time.Time, apply func(Tx) error) (bool, error)
	// Donation returns one gift (NotFound if none).
	Donation(ctx context.Context, id int64) (*Donation, error)
	// DonationByReference returns the gift given this reference.
	DonationByReference(ctx context.Context, ref string) (*Donation, error)
	// Donor returns one donor.
	Donor(ctx context.Context, id int64) (*Donor, error)
	// Subscription returns one monthly gift.
	Subscription(ctx context.Context, id int64) (*Subscription, error)
	// CancelSubscription saves sub as cancelled.
	CancelSubscription(ctx context.Context, sub *Subscription) error
	// IssueReceipt gives r the next number of r.Year and stores it, in one
	// transaction with the jobs then returns (the email carrying it).
	// render draws the PDF once the number is known; if it or anything
	// else fails, the number is given back, so the sequence has no gap.
	// A gift already holding an issued receipt gets apperr.Conflict.
	IssueReceipt(ctx context.Context, r *Receipt, render func(*Receipt) ([]byte, error), then func(*Receipt) []job.Job) error
	// AnnulReceipt marks receipt id annulled at at, keeping its number,
	// and writes e (when not nil) to the audit log in the same
	// transaction; a receipt annulled already gets apperr.Conflict.
	AnnulReceipt(ctx context.Context, id int64, at time.Time, e *audit.Entry) error
	// Receipt returns one receipt, with its PDF.
	Receipt(ctx context.Context, id int64) (*Receipt, error)
	// MonthlyTotals sums, per donor, the monthly gifts paid in [from,
	// to), less refunds, leaving out donors who hold an annual receipt
	// of year already and totals of nothing.
	MonthlyTotals(ctx context.Context, year int, from, to time.Time) ([]DonorTotal, error)
	// CurrentCampaign returns the campaign running at now, the latest
	// started if several (NotFound if none).
	CurrentCampaign(ctx context.Context, now time.Time) (*Campaign, error)
	// CreateCampaign stores c and sets its ID.
	CreateCampaign(ctx context.Context, c *Campaign) error
	// Raised sums the paid gifts (less refunds) made in [from, to) and
	// counts the donors who gave them, but those who asked to stay out
	// of public counts.
	Raised(ctx context.Context, from, to time.Time) (cents int64, donors int, err error)
}

// Tx is what applying a provider event may read and write, inside the
// transaction that records the event. Finders return apperr.NotFound.
type Tx interface {
	DonationByReference(ctx context.Context, ref string) (*Donation, error)
	// DonationByPayment finds a gift by the provider's payment id.
	DonationByPayment(ctx context.Context, paymentID string) (*Donation, error)
	// DonationByInvoice finds the gift of one monthly payment.
	DonationByInvoice(ctx context.Context, provider, invoiceID string) (*Donation, error)
	Subscription(ctx context.Context, id int64) (*Subscription, error)
	SubscriptionByProviderID(ctx context.Context, provider, id string) (*Subscription, error)
	Donor(ctx context.Context, id int64) (*Donor, error)
	// CreateDonation stores a new gift (a month of a monthly gift).
	CreateDonation(ctx context.Context, d *Donation) error
	// UpdateDonation saves d's status, provider ids, refund and dates.
	UpdateDonation(ctx context.Context, d *Donation) error
	// UpdateSubscription saves s's provider id, status and dates.
	UpdateSubscription(ctx context.Context, s *Subscription) error
	// Enqueue inserts jobs (the thank-you email) in the transaction.
	Enqueue(ctx context.Context, jobs ...job.Job) error
	// IssueReceipt numbers, draws and stores a tax receipt, as
	// Store.IssueReceipt does, in the transaction.
	IssueReceipt(ctx context.Context, r *Receipt, render func(*Receipt) ([]byte, error)) error
	// AnnulReceipt marks receipt id annulled at at, keeping its number.
	AnnulReceipt(ctx context.Context, id int64, at time.Time) error
	// ReceiptOfDonation returns the issued receipt of one gift.
	ReceiptOfDonation(ctx context.Context, donationID int64) (*Receipt, error)
	// AnnualReceipt returns the issued annual receipt of a donor's
	// monthly gifts of year.
	AnnualReceipt(ctx context.Context, donorID int64, year int) (*Receipt, error)
	// Counterparts sums the counterparts of a donor's gifts paid in
	// [from, to).
	Counterparts(ctx context.Context, donorID int64, from, to time.Time) (int64, error)
	// MonthlyTotal sums one donor's monthly gifts paid in [from, to),
	// less refunds (a zero total when there are none).
	MonthlyTotal(ctx context.Context, donorID int64, from, to time.Time) (DonorTotal, error)
}

// DonorTotal is what one donor gave over a period: the amount of an
// annual receipt.
type DonorTotal struct {
	DonorID     int64
	AmountCents int64
	// Gifts counts the payments.
	Gifts int
	// First and Last are the first and last payments' dates.
	First, Last time.Time
}

package donations

import (
	"context"
	"time"
)

// Ledger is what the back office reads and writes about gifts and
// campaigns: lists with filters, totals per month, recurring revenue and
// churn. package storage implements it.
type Ledger interface {
	// Donations returns the page of gifts f selects, newest first (by
	// the date f.ByCreated names), and the count and sums of all the
	// gifts it selects.
	Donations(ctx context.Context, f DonationFilter) ([]*LedgerRow, LedgerSum, error)
	// EachDonation calls fn with every gift f selects, newest first,
	// ignoring f.Limit and f.Offset: an export of any length in constant
	// memory. An error from fn stops and is returned.
	EachDonation(ctx context.Context, f DonationFilter, fn func(*LedgerRow) error) error
	// PaidGifts returns the gifts paid in [from, to), refunded or not,
	// oldest first, for the monthly report.
	PaidGifts(ctx context.Context, from, to time.Time) ([]*Donation, error)
	// MonthlyGifts returns the monthly gifts that started before to and
	// were not cancelled before from: those active at some time of
	// [from, to).
	MonthlyGifts(ctx context.Context, from, to time.Time) ([]*Subscription, error)
	// Campaigns returns every campaign, the latest started first.
	Campaigns(ctx context.Context) ([]*Campaign, error)
	// Campaign returns one campaign (apperr.NotFound if none).
	Campaign(ctx context.Context, id int64) (*Campaign, error)
	// UpdateCampaign saves c's title, goal and dates (apperr.NotFound if
	// it is gone). The public bar follows at once.
	UpdateCampaign(ctx context.Context, c *Campaign) error
}

// DonationFilter selects gifts for the back office's list and export.
// Zero fields select everything.
type DonationFilter struct {
	Status     Status
	Frequency  Frequency
	Method     Method
	CampaignID int64
	// From and To bound the date, [From, To): the payment's date, or the
	// gift's creation when ByCreated (a pending gift has no payment).
	From, To  time.Time
	ByCreated bool
	// Text is searched in the donor's names and email.
	Text string
	// Limit and Offset cut a page of the list.
	Limit, Offset int
}

// LedgerRow is one gift as the back office lists it: with who gave it
// and for which campaign.
type LedgerRow struct {
	Donation
	DonorEmail      string
	DonorFirstNames string
	DonorLastName   string
	// CampaignTitle is empty when the gift is for no campaign.
	CampaignTitle string
}

// DonorName is the donor's full name, first names first.
func (r *LedgerRow) DonorName() string {
	d := Donor{FirstNames: r.DonorFirstNames, LastName: r.DonorLastName}
	return d.Name()
}

// NetCents is what the gift brought once refunds are taken off: nothing
// unless it is paid.
func (d *Donation) NetCents() int64 {
	if d.Status != StatusPaid {
		return 0
	}
	return d.AmountCents - d.RefundedCents
}

// LedgerSum counts the gifts a filter selects and sums the paid ones.
type LedgerSum struct {
	// Count is the number of gifts selected, whatever their state.
	Count int
	// Paid is the number of paid gifts among them, and NetCents what
	// they brought less refunds.
	Paid     int
	NetCents int64
}

package donations

import "time"

// Frequency is how often a gift is given.
type Frequency string

// The frequencies of a gift.
const (
	OneOff  Frequency = "one_off"
	Monthly Frequency = "monthly"
)

// Valid reports whether f is a known frequency.
func (f Frequency) Valid() bool { return f == OneOff || f == Monthly }

// Status is where a gift stands.
type Status string

// The states of a donation. Only a provider's signed event makes one
// paid; a refund or an expired checkout never deletes it.
const (
	// StatusPending: the donor is on the checkout page, or a delayed
	// payment is on its way.
	StatusPending Status = "pending"
	// StatusPaid: the money reached the association.
	StatusPaid Status = "paid"
	// StatusFailed: the payment was refused.
	StatusFailed Status = "failed"
	// StatusExpired: the donor left the checkout page without paying.
	StatusExpired Status = "expired"
	// StatusRefunded: all of the gift was given back.
	StatusRefunded Status = "refunded"
)

// Method is how a gift was paid, as a tax receipt states it.
type Method string

// The methods of payment.
const (
	MethodCard     Method = "card"
	MethodCheque   Method = "cheque"
	MethodTransfer Method = "transfer"
	MethodCash     Method = "cash"
	MethodOther    Method = "other"
)

// Valid reports whether m is a known method.
func (m Method) Valid() bool {
	switch m {
	case MethodCard, MethodCheque, MethodTransfer, MethodCash, MethodOther:
		return true
	}
	return false
}

// ProviderOffline marks gifts entered by an admin (cheques, transfers).
const ProviderOffline = "offline"

// Donor is a person who gives, with what a tax receipt needs.
type Donor struct {
	ID         int64
	PersonID   int64
	Email      string
	FirstNames string
	LastName   string
	// Address holds the street lines, one per line.
	Address    string
	PostalCode string
	City       string
	// Country is an ISO 3166 code, "FR" by default.
	Country string
	// Anonymous donors are left out of public counts.
	Anonymous bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name is the donor's full name, first names first.
func (d *Donor) Name() string {
	switch {
	case d.FirstNames == "":
		return d.LastName
	case d.LastName == "":
		return d.FirstNames
	}
	return d.FirstNames + " " + d.LastName
}

// Donation is one gift: a one-off payment, one month of a monthly gift,
// or a cheque or transfer an admin entered.
type Donation struct {
	ID int64
	// Reference is the unguessable id given to the payment provider.
	Reference      string
	DonorID        int64
	SubscriptionID int64
	CampaignID     int64
	AmountCents    int64
	Currency       string
	Frequency      Frequency
	Status         Status
	Method         Method
	// Provider is "stripe", or ProviderOffline.
	Provider string
	// SessionID, PaymentID and InvoiceID are the provider's ids.
	SessionID, PaymentID, InvoiceID string
	RefundedCents                   int64
	// CounterpartCents is the value of what the donor received in return
	// (a book offered): beyond a small yearly ceiling, no tax receipt.
	CounterpartCents int64
	Note             string
	CreatedAt        time.Time
	// PaidAt is when the money reached the association: the date a tax
	// receipt gives.
	PaidAt    time.Time
	UpdatedAt time.Time
}

// SubscriptionStatus is where a monthly gift stands.
type SubscriptionStatus string

// The states of a monthly gift.
const (
	SubscriptionPending   SubscriptionStatus = "pending"
	SubscriptionActive    SubscriptionStatus = "active"
	SubscriptionCancelled SubscriptionStatus = "cancelled"
)

// Subscription is a monthly gift: each month's payment is a Donation.
type Subscription struct {
	ID          int64
	DonorID     int64
	AmountCents int64
	Currency    string
	Provider    string
	// ProviderID is the provider's id (sub_…), once the first payment is
	// made.
	ProviderID  string
	Status      SubscriptionStatus
	StartedAt   time.Time
	CancelledAt time.Time
	CreatedAt   time.Time
}

// Campaign is a fundraising goal over a period, shown as a bar under the
// appeal.
type Campaign struct {
	ID        int64
	Title     string
	GoalCents int64
	StartsAt  time.Time
	EndsAt    time.Time
	CreatedAt time.Time
}

// Running reports whether the campaign is on at now.
func (c *Campaign) Running(now time.Time) bool {
	return !now.Before(c.StartsAt) && now.Before(c.EndsAt)
}

// Progress is what a campaign has raised: « 12 430 € sur 20 000 €, 312
// donateurs ».
type Progress struct {
	Campaign *Campaign
	// RaisedCents counts paid gifts, less refunds, in the campaign's
	// period, whatever page they came from.
	RaisedCents int64
	// Donors counts the people who gave, but those who asked to stay
	// out of public counts.
	Donors int
}

// Percent is the share of the goal raised, capped at 100.
func (p *Progress) Percent() int {
	if p.Campaign == nil || p.Campaign.GoalCents <= 0 {
		return 0
	}
	return int(min(100, p.RaisedCents*100/p.Campaign.GoalCents))
}

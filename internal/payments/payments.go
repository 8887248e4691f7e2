// Package payments describes, in the site's own terms, what it asks of a
// payment provider: a hosted checkout page for a one-off or a monthly
// payment, the end of a monthly payment, a refund, and the signed events
// that say money moved. Only a verified event marks anything paid: the
// reader's return from the checkout page proves nothing.
//
// Domain services (donations, the bookshop) consume Provider;
// package payments/stripe implements it with Stripe Checkout.
package payments

import (
	"context"
	"errors"
	"time"
)

// Mode is how often a checkout charges.
type Mode string

// The modes of a checkout.
const (
	// OneOff charges once (Stripe's payment mode).
	OneOff Mode = "one_off"
	// Monthly charges every month until cancelled (subscription mode).
	Monthly Mode = "monthly"
)

// Kind is what a payment is for. It is kept with the payment under
// KindKey, so the events about it can be routed to the donations or to
// the shop.
type Kind string

// The kinds of payment.
const (
	// KindDonation is a gift; the checkout page's button says "donate".
	// It is the kind of a request that names none.
	KindDonation Kind = "donation"
	// KindOrder is a purchase from the shop; the button says "pay".
	KindOrder Kind = "order"
)

// KindKey is the metadata key under which a checkout keeps its Kind, and
// which Event.Metadata carries back.
const KindKey = "kiosque_kind"

// The range of CheckoutRequest.ExpiresAt, from the time of the request.
// Stripe accepts 30 minutes to 24 hours after it creates the session; the
// extra 30 seconds cover the time the request takes to reach it, so an
// expiry of 31 minutes from a now taken a moment before the call passes.
const (
	MinCheckoutExpiry = 30*time.Minute + 30*time.Second
	MaxCheckoutExpiry = 24 * time.Hour
)

// CheckoutRequest is a payment the site asks the provider to take on its
// hosted page.
type CheckoutRequest struct {
	// Reference is the site's id of what is paid (a donation, an order),
	// sent back in every event about it (Stripe's client_reference_id).
	Reference string
	Mode      Mode
	// Kind says what is paid; empty means KindDonation.
	Kind Kind
	// AmountCents is the amount, each month for Monthly, in the
	// currency's minor unit. With Lines it must be their total.
	AmountCents int64
	// Lines, for OneOff only, are what the checkout page lists and
	// charges (books, then shipping as a line of its own); none means one
	// line of AmountCents named Description.
	Lines []CheckoutLine
	// ExpiresAt is when the page stops taking payment, between
	// MinCheckoutExpiry and MaxCheckoutExpiry from now, so that the
	// shop's reservation of stock ends with it; zero means the
	// provider's default (24 hours).
	ExpiresAt time.Time
	// Currency is an ISO 4217 code in lower case ("eur").
	Currency string
	// Description names the payment on the checkout page, when it has no
	// Lines, and in the provider's records ("Don au Veilleur").
	Description string
	// Email prefills the payer's address.
	Email string
	// Locale is the checkout page's language ("fr", "en").
	Locale string
	// SuccessURL and CancelURL are where the payer returns.
	SuccessURL, CancelURL string
	// Metadata are kept with the payment and sent back in events.
	Metadata map[string]string
	// IdempotencyKey makes a retried request create one session only.
	IdempotencyKey string
}

// CheckoutLine is one line of a checkout page: a book, or the shipping.
// The page shows the amounts the site computed; the provider computes no
// tax and collects no address (the site has the buyer's).
type CheckoutLine struct {
	// Name is what the buyer sees ("Roseanna — occasion", "Frais de port
	// (Colissimo)").
	Name string
	// Description is an optional second line under the name: the
	// authors, a note on VAT.
	Description string
	// UnitCents is the price of one, taxes included; zero is allowed for
	// a free line as long as the total is positive.
	UnitCents int64
	// Quantity is at least 1.
	Quantity int64
}

// CheckoutSession is the provider's hosted page for one payment.
type CheckoutSession struct {
	// ID is the provider's id of the session (cs_…).
	ID string
	// URL is where to send the payer.
	URL string
	// ExpiresAt is when the page stops taking payment.
	ExpiresAt time.Time
}

// EventType is what an event reports.
type EventType string

// The events the site acts on; any other is acknowledged and ignored.
const (
	// CheckoutCompleted: the payer finished the checkout page. Paid tells
	// whether the money is taken (a card) or still to come (a debit).
	CheckoutCompleted EventType = "checkout.completed"
	// CheckoutAsyncSucceeded and CheckoutAsyncFailed settle a delayed
	// payment method.
	CheckoutAsyncSucceeded EventType = "checkout.async_succeeded"
	CheckoutAsyncFailed    EventType = "checkout.async_failed"
	// CheckoutExpired: the payer never paid; the session is closed.
	CheckoutExpired EventType = "checkout.expired"
	// InvoicePaid: a monthly payment was taken (the first or a renewal).
	InvoicePaid EventType = "invoice.paid"
	// InvoiceFailed: a monthly payment failed; the provider retries.
	InvoiceFailed EventType = "invoice.failed"
	// InvoicePaymentPaid: the payment of a monthly invoice is known,
	// giving the payment id (PaymentID) of the invoice (InvoiceID), by
	// which a refund names it: Stripe's invoices no longer carry it.
	InvoicePaymentPaid EventType = "invoice_payment.paid"
	// Refunded: some or all of a payment was given back.
	Refunded EventType = "refunded"
	// SubscriptionEnded: a monthly payment stopped for good.
	SubscriptionEnded EventType = "subscription.ended"
	// Ignored is any event the site does not act on.
	Ignored EventType = "ignored"
)

// Event is a verified notification from the provider, reduced to what the
// site acts on. Fields that do not apply to its Type are zero.
type Event struct {
	// ID is the provider's event id (evt_…): an event is applied once,
	// whatever the deliveries.
	ID   string
	Type EventType
	// Raw is the provider's own type name ("checkout.session.completed").
	Raw     string
	Created time.Time

	// Reference is the site's id given at checkout, when the event is
	// about a checkout.
	Reference string
	// SessionID, CustomerID, SubscriptionID, PaymentID (the payment
	// intent) and InvoiceID are the provider's ids involved.
	SessionID, CustomerID, SubscriptionID, PaymentID, InvoiceID string
	// Paid reports, for CheckoutCompleted, whether the money is taken.
	Paid bool
	// AmountCents and Currency are what was paid (checkout, invoice), or
	// for Refunded the total refunded so far.
	AmountCents int64
	Currency    string
	// FullyRefunded reports, for Refunded, that nothing is left.
	FullyRefunded bool
	// Email and Name are the payer's, as they gave them to the provider.
	Email, Name string
	// PaidAt is when the payment was taken (invoice), or the subscription
	// ended (SubscriptionEnded).
	PaidAt time.Time
	// Renewal reports, for InvoicePaid, a monthly payment after the
	// first (the first is the checkout's).
	Renewal bool
	// Metadata are the key-value pairs kept with the object the event is
	// about (the checkout, the subscription, the charge), with the kind
	// under KindKey; nil when it has none.
	Metadata map[string]string
}

// Kind returns the kind of payment the event is about, from its
// metadata. It is empty when the object carries no kind: a checkout made
// before kinds existed (a donation), or a refunded charge to which Stripe
// copied no metadata; those are found by their Reference or PaymentID.
func (e *Event) Kind() Kind {
	return Kind(e.Metadata[KindKey])
}

// Errors a Provider returns, wrapped.
var (
	// ErrSignature: the event's signature is missing, forged, or too old
	// (a replay). Nothing in it may be believed.
	ErrSignature = errors.New("payment event signature not valid")
	// ErrUnavailable: the provider could not be reached or failed; the
	// payer may try again later.
	ErrUnavailable = errors.New("payment provider unavailable")
	// ErrNothingToRefund: the payment was already refunded in full, so a
	// retried refund can count as done.
	ErrNothingToRefund = errors.New("payment already refunded in full")
)

// Provider takes payments on a hosted page and reports what happened.
// Its methods return an error wrapping ErrUnavailable when the provider
// could not be reached or failed, and a plain error when the request is
// invalid (checked before any network call) or refused.
type Provider interface {
	// CreateCheckout opens a hosted checkout page for req. For Monthly
	// it uses, or creates once, a monthly price of that amount.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (*CheckoutSession, error)
	// CancelSubscription stops a monthly payment at once.
	CancelSubscription(ctx context.Context, subscriptionID string) error
	// Refund gives back some or all of a payment. The money moves later:
	// the provider's Refunded event reports it. An error wraps
	// ErrNothingToRefund when nothing is left to give back.
	Refund(ctx context.Context, req RefundRequest) (*Refund, error)
	// ParseEvent verifies a webhook delivery (its raw body and signature
	// header) at now and returns the event, or an error wrapping
	// ErrSignature.
	ParseEvent(payload []byte, signature string, now time.Time) (*Event, error)
}

// Package payments describes, in the site's own terms, what it asks of a
// payment provider: a hosted checkout page for a one-off or a monthly
// payment, the end of a monthly payment, and the signed events that say
// money moved. Only a verified event marks anything paid: the reader's
// return from the checkout page proves nothing.
//
// Domain services (donations, later the bookshop) consume Provider;
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

// CheckoutRequest is a payment the site asks the provider to take on its
// hosted page.
type CheckoutRequest struct {
	// Reference is the site's id of what is paid (a donation), sent back
	// in every event about it (Stripe's client_reference_id).
	Reference string
	Mode      Mode
	// AmountCents is the amount, each month for Monthly, in the
	// currency's minor unit.
	AmountCents int64
	// Currency is an ISO 4217 code in lower case ("eur").
	Currency string
	// Description names the payment on the checkout page and the bank
	// statement ("Don au Veilleur").
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
}

// Errors a Provider returns, wrapped.
var (
	// ErrSignature: the event's signature is missing, forged, or too old
	// (a replay). Nothing in it may be believed.
	ErrSignature = errors.New("payment event signature not valid")
	// ErrUnavailable: the provider could not be reached or failed; the
	// payer may try again later.
	ErrUnavailable = errors.New("payment provider unavailable")
)

// Provider takes payments on a hosted page and reports what happened.
type Provider interface {
	// CreateCheckout opens a hosted checkout page for req. For Monthly
	// it uses, or creates once, a monthly price of that amount.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (*CheckoutSession, error)
	// CancelSubscription stops a monthly payment at once.
	CancelSubscription(ctx context.Context, subscriptionID string) error
	// ParseEvent verifies a webhook delivery (its raw body and signature
	// header) at now and returns the event, or an error wrapping
	// ErrSignature.
	ParseEvent(payload []byte, signature string, now time.Time) (*Event, error)
}

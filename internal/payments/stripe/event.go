package stripe

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/kiosque/kiosque/internal/payments"
)

// ParseEvent verifies a webhook delivery at now and reduces it to a
// payments.Event. A missing, forged or stale signature (more than
// Tolerance from now) is an error wrapping payments.ErrSignature. A signed
// payload that is not a Stripe event, or an event of another release train
// than stripe.APIVersion's (basil), is a plain error: the endpoint's
// configuration is wrong and retrying will not help. Event types kiosque
// does not act on come back as payments.Ignored.
func (p *Provider) ParseEvent(payload []byte, signature string, now time.Time) (*payments.Event, error) {
	if err := verifySignature(payload, signature, p.webhookSecret, now); err != nil {
		return nil, fmt.Errorf("verify stripe event: %w: %w", payments.ErrSignature, err)
	}
	// The signature and its age were checked at now above; the SDK would
	// check the age against time.Now, so it is told to skip that, and
	// still checks the signature, decodes the event and refuses another
	// API version.
	e, err := webhook.ConstructEventWithOptions(payload, signature, p.webhookSecret, webhook.ConstructEventOptions{
		Tolerance:                Tolerance,
		IgnoreTolerance:          true,
		IgnoreAPIVersionMismatch: false,
	})
	if err != nil {
		if isSignatureError(err) {
			return nil, fmt.Errorf("verify stripe event: %w: %w", payments.ErrSignature, err)
		}
		return nil, fmt.Errorf("parse stripe event: %w", err)
	}
	ev, err := toEvent(e)
	if err != nil {
		return nil, fmt.Errorf("parse stripe event %s (%s): %w", e.ID, e.Type, err)
	}
	return ev, nil
}

func isSignatureError(err error) bool {
	return errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) ||
		errors.Is(err, webhook.ErrNoValidSignature) || errors.Is(err, webhook.ErrTooOld)
}

// toEvent maps the event types kiosque acts on; see payments.EventType.
func toEvent(e stripego.Event) (*payments.Event, error) {
	if e.ID == "" || e.Type == "" {
		return nil, errors.New("event without id or type")
	}
	ev := &payments.Event{ID: e.ID, Type: payments.Ignored, Raw: string(e.Type), Created: unix(e.Created)}
	var object any
	switch e.Type {
	case stripego.EventTypeCheckoutSessionCompleted, stripego.EventTypeCheckoutSessionAsyncPaymentSucceeded,
		stripego.EventTypeCheckoutSessionAsyncPaymentFailed, stripego.EventTypeCheckoutSessionExpired:
		object = &stripego.CheckoutSession{}
	case stripego.EventTypeInvoicePaid, stripego.EventTypeInvoicePaymentFailed:
		object = &stripego.Invoice{}
	case stripego.EventTypeChargeRefunded:
		object = &stripego.Charge{}
	case stripego.EventTypeInvoicePaymentPaid:
		object = &stripego.InvoicePayment{}
	case stripego.EventTypeCustomerSubscriptionDeleted:
		object = &stripego.Subscription{}
	default:
		return ev, nil
	}
	if e.Data == nil || len(e.Data.Raw) == 0 {
		return nil, errors.New("event without data.object")
	}
	if err := json.Unmarshal(e.Data.Raw, object); err != nil {
		return nil, fmt.Errorf("decode data.object: %w", err)
	}

	switch o := object.(type) {
	case *stripego.CheckoutSession:
		fromSession(ev, e.Type, o)
	case *stripego.Invoice:
		fromInvoice(ev, e.Type, o)
	case *stripego.Charge:
		ev.Type = payments.Refunded
		ev.PaymentID = paymentIntentID(o.PaymentIntent)
		ev.CustomerID = customerID(o.Customer)
		ev.AmountCents = o.AmountRefunded
		ev.Currency = string(o.Currency)
		ev.FullyRefunded = o.Refunded
		// The payment intent is what finds the payment (PaymentID). The
		// charge's metadata, and so the reference and the kind, are there
		// only when Stripe copied the payment intent's to it; failing
		// that, a refund made by Refund carries the reference, if the
		// event lists the refunds at all (since 2022 it does not).
		ev.Metadata = nonEmpty(o.Metadata)
		ev.Reference = o.Metadata[ReferenceKey]
		if ev.Reference == "" {
			ev.Reference = refundsReference(o.Refunds)
		}
	case *stripego.InvoicePayment:
		// Since basil, an invoice's payment intent is only here.
		ev.Type = payments.InvoicePaymentPaid
		if o.Invoice != nil {
			ev.InvoiceID = o.Invoice.ID
		}
		if o.Payment != nil {
			ev.PaymentID = paymentIntentID(o.Payment.PaymentIntent)
		}
		ev.AmountCents = o.AmountPaid
		ev.Currency = string(o.Currency)
		if o.StatusTransitions != nil {
			ev.PaidAt = unix(o.StatusTransitions.PaidAt)
		}
	case *stripego.Subscription:
		ev.Type = payments.SubscriptionEnded
		ev.SubscriptionID = o.ID
		ev.CustomerID = customerID(o.Customer)
		ev.Reference = o.Metadata[ReferenceKey]
		ev.Metadata = nonEmpty(o.Metadata)
		ev.PaidAt = unix(o.EndedAt)
	}
	return ev, nil
}

func fromSession(ev *payments.Event, t stripego.EventType, s *stripego.CheckoutSession) {
	switch t {
	case stripego.EventTypeCheckoutSessionCompleted:
		ev.Type = payments.CheckoutCompleted
	case stripego.EventTypeCheckoutSessionAsyncPaymentSucceeded:
		ev.Type = payments.CheckoutAsyncSucceeded
	case stripego.EventTypeCheckoutSessionAsyncPaymentFailed:
		ev.Type = payments.CheckoutAsyncFailed
	case stripego.EventTypeCheckoutSessionExpired:
		ev.Type = payments.CheckoutExpired
	}
	ev.Reference = s.ClientReferenceID
	if ev.Reference == "" {
		ev.Reference = s.Metadata[ReferenceKey]
	}
	ev.Metadata = nonEmpty(s.Metadata)
	ev.SessionID = s.ID
	ev.CustomerID = customerID(s.Customer)
	if s.Subscription != nil {
		ev.SubscriptionID = s.Subscription.ID
	}
	ev.PaymentID = paymentIntentID(s.PaymentIntent)
	if s.Invoice != nil {
		ev.InvoiceID = s.Invoice.ID
	}
	ev.Paid = s.PaymentStatus == stripego.CheckoutSessionPaymentStatusPaid
	ev.AmountCents = s.AmountTotal
	ev.Currency = string(s.Currency)
	ev.Email = s.CustomerEmail
	if d := s.CustomerDetails; d != nil {
		if d.Email != "" {
			ev.Email = d.Email
		}
		ev.Name = d.Name
	}
}

// fromInvoice reads a basil invoice: the subscription and its metadata are
// under parent.subscription_details (invoice.subscription is gone).
func fromInvoice(ev *payments.Event, t stripego.EventType, in *stripego.Invoice) {
	ev.InvoiceID = in.ID
	ev.CustomerID = customerID(in.Customer)
	ev.Currency = string(in.Currency)
	ev.Email = in.CustomerEmail
	ev.Name = in.CustomerName
	if in.Parent != nil && in.Parent.SubscriptionDetails != nil {
		d := in.Parent.SubscriptionDetails
		if d.Subscription != nil {
			ev.SubscriptionID = d.Subscription.ID
		}
		ev.Reference = d.Metadata[ReferenceKey]
		ev.Metadata = nonEmpty(d.Metadata)
	}
	switch t {
	case stripego.EventTypeInvoicePaid:
		ev.Type = payments.InvoicePaid
		ev.AmountCents = in.AmountPaid
		ev.Renewal = in.BillingReason == stripego.InvoiceBillingReasonSubscriptionCycle
		ev.PaidAt = unix(in.Created)
		if in.StatusTransitions != nil && in.StatusTransitions.PaidAt != 0 {
			ev.PaidAt = unix(in.StatusTransitions.PaidAt)
		}
	case stripego.EventTypeInvoicePaymentFailed:
		ev.Type = payments.InvoiceFailed
		// Nothing was paid: the amount is what the payer owes, for the
		// message telling them their payment failed.
		ev.AmountCents = in.AmountDue
	}
}

// nonEmpty returns m, or nil when it has no key, so that an event about an
// object without metadata compares equal to one that has no Metadata.
func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// refundsReference returns the reference of the latest refund listed that
// has one (Stripe lists the newest first).
func refundsReference(l *stripego.RefundList) string {
	if l == nil {
		return ""
	}
	for _, r := range l.Data {
		if r != nil && r.Metadata[ReferenceKey] != "" {
			return r.Metadata[ReferenceKey]
		}
	}
	return ""
}

func customerID(c *stripego.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

func paymentIntentID(pi *stripego.PaymentIntent) string {
	if pi == nil {
		return ""
	}
	return pi.ID
}

// unix converts Stripe's seconds to a UTC time; 0 (absent) stays zero.
func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

package donations

import (
	"cmp"
	"context"
	"fmt"
	"strconv"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/payments"
)

// HandleEvent verifies a webhook delivery from the payment provider and
// applies its event, once: a replayed or duplicated delivery changes
// nothing, and a forged one (apperr.Invalid) records nothing. Events come
// in any order; each is applied from the state it finds.
func (s *Service) HandleEvent(ctx context.Context, payload []byte, signature string) error {
	ev, err := s.ParseEvent(payload, signature)
	if err != nil {
		return err
	}
	return s.ApplyEvent(ctx, ev)
}

// ParseEvent verifies a webhook delivery at the site's clock and returns
// its event; a forged, replayed or foreign one gets apperr.Invalid (the
// provider is told 400 and nothing is recorded).
func (s *Service) ParseEvent(payload []byte, signature string) (*payments.Event, error) {
	ev, err := s.Payments.ParseEvent(payload, signature, s.Clock.Now())
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "error.donation.bad_event")
	}
	return ev, nil
}

// ApplyEvent applies a verified event of the provider, once: the site's
// webhook verifies each delivery and hands gifts' events here (the
// bookshop's go to package shop).
func (s *Service) ApplyEvent(ctx context.Context, ev *payments.Event) error {
	applied, err := s.Store.ApplyEvent(ctx, s.ProviderName, ev.ID, ev.Raw, s.Clock.Now(), func(tx Tx) error {
		return s.apply(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("payment event %s (%s): %w", ev.ID, ev.Raw, err)
	}
	if !applied {
		s.Log.Info("payment event already applied", "event", ev.ID, "type", ev.Raw)
	}
	return nil
}

// apply changes the records as ev says, inside the event's transaction.
func (s *Service) apply(ctx context.Context, tx Tx, ev *payments.Event) error {
	switch ev.Type {
	case payments.CheckoutCompleted:
		return s.checkoutCompleted(ctx, tx, ev)
	case payments.CheckoutAsyncSucceeded:
		return s.settle(ctx, tx, ev, true)
	case payments.CheckoutAsyncFailed:
		return s.settle(ctx, tx, ev, false)
	case payments.CheckoutExpired:
		return s.expire(ctx, tx, ev)
	case payments.InvoicePaid:
		return s.invoicePaid(ctx, tx, ev)
	case payments.InvoicePaymentPaid:
		return s.invoicePayment(ctx, tx, ev)
	case payments.Refunded:
		return s.refunded(ctx, tx, ev)
	case payments.SubscriptionEnded:
		return s.subscriptionEnded(ctx, tx, ev)
	}
	return nil // acknowledged, nothing to do
}

// gift finds the gift an event is about by its reference; an event about
// a payment that is not a gift of this site (the bookshop's, another
// site's on the same account) is acknowledged and ignored.
func gift(ctx context.Context, tx Tx, ev *payments.Event) (*Donation, error) {
	if ev.Reference == "" {
		return nil, nil
	}
	d, err := tx.DonationByReference(ctx, ev.Reference)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	return d, err
}

func (s *Service) checkoutCompleted(ctx context.Context, tx Tx, ev *payments.Event) error {
	d, err := gift(ctx, tx, ev)
	if err != nil || d == nil {
		return err
	}
	d.SessionID = cmp.Or(d.SessionID, ev.SessionID)
	d.PaymentID = cmp.Or(d.PaymentID, ev.PaymentID)
	if err := s.startSubscription(ctx, tx, d, ev); err != nil {
		return err
	}
	if ev.Paid {
		return s.markPaid(ctx, tx, d, ev)
	}
	return tx.UpdateDonation(ctx, d)
}

// settle ends a delayed payment: paid, or failed.
func (s *Service) settle(ctx context.Context, tx Tx, ev *payments.Event, ok bool) error {
	d, err := gift(ctx, tx, ev)
	if err != nil || d == nil || d.Status != StatusPending {
		return err
	}
	d.PaymentID = cmp.Or(d.PaymentID, ev.PaymentID)
	if ok {
		return s.markPaid(ctx, tx, d, ev)
	}
	d.Status, d.UpdatedAt = StatusFailed, ev.Created
	return tx.UpdateDonation(ctx, d)
}

func (s *Service) expire(ctx context.Context, tx Tx, ev *payments.Event) error {
	d, err := gift(ctx, tx, ev)
	if err != nil || d == nil || d.Status != StatusPending {
		return err
	}
	d.Status, d.UpdatedAt = StatusExpired, ev.Created
	if d.SubscriptionID != 0 {
		sub, err := tx.Subscription(ctx, d.SubscriptionID)
		if err != nil {
			return err
		}
		if sub.Status == SubscriptionPending {
			sub.Status, sub.CancelledAt = SubscriptionCancelled, ev.Created
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
		}
	}
	return tx.UpdateDonation(ctx, d)
}

// invoicePaid records a month of a monthly gift: the first month is the
// gift started on the checkout page (whichever of this event and the
// checkout's comes first marks it paid); a renewal is a new gift, once
// per invoice.
func (s *Service) invoicePaid(ctx context.Context, tx Tx, ev *payments.Event) error {
	if ev.InvoiceID != "" {
		if _, err := tx.DonationByInvoice(ctx, s.ProviderName, ev.InvoiceID); err == nil {
			return nil // recorded already
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	var sub *Subscription
	if ev.SubscriptionID != "" {
		found, err := tx.SubscriptionByProviderID(ctx, s.ProviderName, ev.SubscriptionID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		sub = found
	}
	if !ev.Renewal {
		d, err := gift(ctx, tx, ev)
		if err != nil {
			return err
		}
		if d != nil {
			d.InvoiceID = cmp.Or(d.InvoiceID, ev.InvoiceID)
			if err := s.startSubscription(ctx, tx, d, ev); err != nil {
				return err
			}
			return s.markPaid(ctx, tx, d, ev)
		}
	}
	if sub == nil {
		// A renewal of a monthly gift the first event of which has not
		// come yet: refuse, so the provider delivers it again later.
		if ev.Reference != "" {
			if d, err := gift(ctx, tx, ev); err == nil && d != nil {
				return apperr.New(apperr.Conflict, "error.donation.out_of_order")
			}
		}
		return nil // not a gift of this site
	}
	now := cmp.Or(ev.PaidAt, ev.Created)
	d := &Donation{SubscriptionID: sub.ID, DonorID: sub.DonorID, AmountCents: ev.AmountCents, Currency: cmp.Or(ev.Currency, sub.Currency),
		Frequency: Monthly, Status: StatusPending, Method: MethodCard, Provider: s.ProviderName, InvoiceID: ev.InvoiceID,
		PaymentID: ev.PaymentID, CreatedAt: now, UpdatedAt: now}
	d.Reference = "renewal_" + s.ProviderName + "_" + ev.InvoiceID
	if ev.InvoiceID == "" {
		d.Reference = "renewal_" + s.ProviderName + "_" + ev.ID
	}
	if d.AmountCents <= 0 {
		d.AmountCents = sub.AmountCents
	}
	if err := tx.CreateDonation(ctx, d); err != nil {
		return err
	}
	return s.markPaid(ctx, tx, d, ev)
}

// startSubscription links the monthly gift of d to the provider's, and
// makes it active.
func (s *Service) startSubscription(ctx context.Context, tx Tx, d *Donation, ev *payments.Event) error {
	if d.SubscriptionID == 0 || ev.SubscriptionID == "" {
		return nil
	}
	sub, err := tx.Subscription(ctx, d.SubscriptionID)
	if err != nil {
		return err
	}
	if sub.ProviderID == ev.SubscriptionID && sub.Status == SubscriptionActive {
		return nil
	}
	sub.ProviderID = ev.SubscriptionID
	if sub.Status == SubscriptionPending {
		sub.Status, sub.StartedAt = SubscriptionActive, cmp.Or(ev.PaidAt, ev.Created)
	}
	return tx.UpdateSubscription(ctx, sub)
}

// markPaid makes d paid, once, and thanks its donor in the same
// transaction: a crash after the commit cannot lose the email, a retry
// cannot send it twice.
func (s *Service) markPaid(ctx context.Context, tx Tx, d *Donation, ev *payments.Event) error {
	if d.Status == StatusPaid || d.Status == StatusRefunded {
		return tx.UpdateDonation(ctx, d)
	}
	d.Status = StatusPaid
	d.PaidAt = cmp.Or(ev.PaidAt, ev.Created)
	d.UpdatedAt = ev.Created
	d.PaymentID = cmp.Or(d.PaymentID, ev.PaymentID)
	if err := tx.UpdateDonation(ctx, d); err != nil {
		return err
	}
	if d.DonorID == 0 {
		return nil
	}
	donor, err := tx.Donor(ctx, d.DonorID)
	if err != nil {
		return err
	}
	return s.thank(ctx, tx, donor, d, true)
}

// thank issues the tax receipt of d, a gift just paid, when one is due,
// and, when mail is true, queues the thank-you email carrying it, in
// tx: a crash after the commit cannot lose the email, a retry cannot
// send it twice.
func (s *Service) thank(ctx context.Context, tx Tx, donor *Donor, d *Donation, mail bool) error {
	receipt, err := s.issueFor(ctx, tx, donor, d)
	if err != nil || !mail || s.Mails == nil || donor.Email == "" {
		return err
	}
	m := s.Mails.ThankYou(donor, d, receipt)
	m.MessageID = "donation-thanks-" + strconv.FormatInt(d.ID, 10)
	return tx.Enqueue(ctx, job.Job{Args: m, Unique: true})
}

// invoicePayment records the payment id of a month of a monthly gift, by
// which a refund of that month will name it. It may come before the
// invoice's own event: then the month is not recorded yet, and the
// provider is asked to deliver it again later.
func (s *Service) invoicePayment(ctx context.Context, tx Tx, ev *payments.Event) error {
	if ev.InvoiceID == "" || ev.PaymentID == "" {
		return nil
	}
	d, err := tx.DonationByInvoice(ctx, s.ProviderName, ev.InvoiceID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.Conflict, "error.donation.out_of_order")
	}
	if err != nil || d.PaymentID == ev.PaymentID {
		return err
	}
	d.PaymentID = ev.PaymentID
	return tx.UpdateDonation(ctx, d)
}

func (s *Service) refunded(ctx context.Context, tx Tx, ev *payments.Event) error {
	if ev.PaymentID == "" {
		return nil
	}
	d, err := tx.DonationByPayment(ctx, ev.PaymentID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d.RefundedCents = min(max(d.RefundedCents, ev.AmountCents), d.AmountCents)
	if ev.FullyRefunded || d.RefundedCents >= d.AmountCents {
		d.Status, d.RefundedCents = StatusRefunded, d.AmountCents
	}
	d.UpdatedAt = ev.Created
	if err := tx.UpdateDonation(ctx, d); err != nil {
		return err
	}
	return s.correctReceipt(ctx, tx, d, ev.Created)
}

func (s *Service) subscriptionEnded(ctx context.Context, tx Tx, ev *payments.Event) error {
	sub, err := tx.SubscriptionByProviderID(ctx, s.ProviderName, ev.SubscriptionID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil || sub.Status == SubscriptionCancelled {
		return err
	}
	sub.Status, sub.CancelledAt = SubscriptionCancelled, cmp.Or(ev.PaidAt, ev.Created)
	return tx.UpdateSubscription(ctx, sub)
}

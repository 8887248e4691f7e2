package shop

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/payments"
)

// errNotOurs stops applying an event that names no order of the shop; the
// transaction, and the record of the event, are rolled back so that the
// donations may apply it.
var errNotOurs = errors.New("event about no order")

// actorProvider is who moves an order on a provider's event.
const actorProvider = "stripe"

// ApplyEvent applies a verified provider event about an order, once
// (whatever the deliveries), and reports whether it was the shop's: an
// event naming no order (a gift's) is left for the donations and records
// nothing. Events come in any order; each is applied from the state it
// finds.
func (s *Service) ApplyEvent(ctx context.Context, ev *payments.Event) (bool, error) {
	if ev.Reference != "" && !isOrderReference(ev.Reference) {
		return false, nil
	}
	if ev.Reference == "" && (ev.Type != payments.Refunded || ev.PaymentID == "") {
		return false, nil
	}
	applied, err := s.Orders.ApplyEvent(ctx, s.ProviderName, ev.ID, ev.Raw, s.Clock.Now(), func(tx OrderTx) error {
		return s.apply(ctx, tx, ev)
	})
	switch {
	case errors.Is(err, errNotOurs):
		return false, nil
	case err != nil:
		return true, fmt.Errorf("order event %s (%s): %w", ev.ID, ev.Raw, err)
	case !applied:
		s.Log.Info("order event already applied", "event", ev.ID, "type", ev.Raw)
	}
	return true, nil
}

func (s *Service) apply(ctx context.Context, tx OrderTx, ev *payments.Event) error {
	var o *Order
	var err error
	if ev.Reference != "" {
		o, err = tx.OrderByReference(ctx, ev.Reference)
	} else {
		o, err = tx.OrderByPayment(ctx, ev.PaymentID)
	}
	if apperr.Is(err, apperr.NotFound) {
		if ev.Reference != "" {
			// An order reference the site never made (another site on
			// the same account, or a forged test): acknowledged, logged.
			s.Log.Warn("payment event for an unknown order", "event", ev.ID, "reference", ev.Reference)
			return nil
		}
		return errNotOurs
	}
	if err != nil {
		return err
	}
	switch ev.Type {
	case payments.CheckoutCompleted:
		if !ev.Paid {
			return s.recordPayment(ctx, tx, o, ev)
		}
		return s.markPaid(ctx, tx, o, ev)
	case payments.CheckoutAsyncSucceeded:
		return s.markPaid(ctx, tx, o, ev)
	case payments.CheckoutAsyncFailed, payments.CheckoutExpired:
		return s.abandon(ctx, tx, o, ev)
	case payments.Refunded:
		return s.refundedByProvider(ctx, tx, o, ev)
	}
	return nil
}

// recordPayment notes the ids of a payment still on its way (a debit).
func (s *Service) recordPayment(ctx context.Context, tx OrderTx, o *Order, ev *payments.Event) error {
	if o.Status != OrderPending {
		return nil
	}
	o.SessionID, o.PaymentID = cmp.Or(o.SessionID, ev.SessionID), cmp.Or(o.PaymentID, ev.PaymentID)
	o.UpdatedAt = s.Clock.Now()
	return tx.SaveOrderStatus(ctx, o, OrderPending, actorProvider, "payment on its way")
}

// markPaid makes a pending order paid, issues its invoice and thanks the
// customer, in the event's transaction. A payment that arrives after the
// order was given up (its checkout expired, its copies released) still
// makes it paid: the money was taken, so the shop must serve or refund;
// the note says to check the stock.
func (s *Service) markPaid(ctx context.Context, tx OrderTx, o *Order, ev *payments.Event) error {
	note := "paid"
	switch o.Status {
	case OrderPending:
	case OrderCancelled:
		note = "paid after its checkout expired: check the stock of its books"
		s.Log.Warn("order paid after expiry", "order", o.Reference, "event", ev.ID)
	default:
		return nil // paid already
	}
	if ev.AmountCents != 0 && ev.AmountCents != o.TotalCents {
		s.Log.Error("order paid an amount other than its total", "order", o.Reference, "paid", ev.AmountCents, "total", o.TotalCents)
		note += fmt.Sprintf("; amount paid %d differs from the total %d", ev.AmountCents, o.TotalCents)
	}
	from := o.Status
	now := s.Clock.Now()
	o.Status, o.PaidAt, o.UpdatedAt = OrderPaid, orNow(ev.PaidAt, now), now
	o.SessionID, o.PaymentID = cmp.Or(o.SessionID, ev.SessionID), cmp.Or(o.PaymentID, ev.PaymentID)
	if err := tx.SaveOrderStatus(ctx, o, from, actorProvider, note); err != nil {
		return err
	}
	inv, err := s.issueInvoice(ctx, tx, o)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, mailJob(s.Mails.OrderPaid(o, inv), "order-paid-"+o.Reference))
}

// issueInvoice numbers and draws the invoice of a paid order.
func (s *Service) issueInvoice(ctx context.Context, tx OrderTx, o *Order) (*Invoice, error) {
	if s.Render == nil {
		return nil, nil
	}
	inv := &Invoice{OrderID: o.ID, Kind: KindInvoice, IssuedAt: o.PaidAt, AmountCents: o.TotalCents}
	err := tx.IssueInvoice(ctx, inv, s.render(o))
	var rerr *renderError
	switch {
	case apperr.Is(err, apperr.Conflict):
		return nil, nil // issued before (a payment after expiry)
	case errors.As(err, &rerr):
		// The association's identity is incomplete (no SIREN yet): the
		// payment is recorded all the same, the number given back, and
		// the back office issues the invoice once the settings are set.
		s.Log.Error("order paid without its invoice", "order", o.Reference, "error", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("invoice order %s: %w", o.Reference, err)
	}
	o.InvoiceNumber = inv.Number
	return inv, nil
}

// abandon cancels a pending order whose checkout expired or whose payment
// failed, and gives its copies back.
func (s *Service) abandon(ctx context.Context, tx OrderTx, o *Order, ev *payments.Event) error {
	if o.Status != OrderPending {
		return nil
	}
	o.Status, o.UpdatedAt = OrderCancelled, s.Clock.Now()
	if err := tx.SaveOrderStatus(ctx, o, OrderPending, actorProvider, "checkout "+string(ev.Type)); err != nil {
		return err
	}
	return tx.ReleaseStock(ctx, o)
}

// refundedByProvider records a refund made at the provider (from its
// dashboard, or by the back office: then it was recorded already and the
// event changes nothing). ev.AmountCents is the total refunded so far.
func (s *Service) refundedByProvider(ctx context.Context, tx OrderTx, o *Order, ev *payments.Event) error {
	delta := ev.AmountCents - o.RefundedCents
	if delta <= 0 {
		return nil
	}
	return s.recordRefund(ctx, tx, o, delta, ev.FullyRefunded, actorProvider)
}

// recordRefund adds cents to what o gave back, issues the credit note and
// tells the customer.
func (s *Service) recordRefund(ctx context.Context, tx OrderTx, o *Order, cents int64, full bool, actor string) error {
	from := o.Status
	o.RefundedCents += cents
	o.UpdatedAt = s.Clock.Now()
	if full || o.RefundedCents >= o.TotalCents {
		o.Status = OrderRefunded
	}
	if err := tx.SaveOrderStatus(ctx, o, from, actor, fmt.Sprintf(refundNote, cents)); err != nil {
		return err
	}
	var credit *Invoice
	if s.Render != nil && o.InvoiceNumber != "" {
		credit = &Invoice{OrderID: o.ID, Kind: KindCredit, IssuedAt: o.UpdatedAt, AmountCents: cents}
		err := tx.IssueInvoice(ctx, credit, s.render(o))
		var rerr *renderError
		switch {
		case errors.As(err, &rerr):
			s.Log.Error("order refunded without its credit note", "order", o.Reference, "error", err)
			credit = nil
		case err != nil:
			return fmt.Errorf("credit note of order %s: %w", o.Reference, err)
		}
	}
	key := fmt.Sprintf("order-refund-%s-%d", o.Reference, o.RefundedCents)
	return tx.Enqueue(ctx, mailJob(s.Mails.OrderRefunded(o, cents, credit), key))
}

// orNow returns t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// mailJob enqueues m once: id makes retries of the job one message.
func mailJob(m job.Email, id string) job.Job {
	m.MessageID = id
	return job.Job{Args: m, Unique: true}
}

// renderError is a document that could not be drawn (the seller's
// identity incomplete): it must not stop the money's record.
type renderError struct{ err error }

func (e *renderError) Error() string { return "draw invoice: " + e.err.Error() }
func (e *renderError) Unwrap() error { return e.err }

// render draws o's documents, marking its failures as renderError.
func (s *Service) render(o *Order) func(*Invoice) ([]byte, error) {
	return func(inv *Invoice) ([]byte, error) {
		pdf, err := s.Render(o, inv)
		if err != nil {
			return nil, &renderError{err: err}
		}
		return pdf, nil
	}
}

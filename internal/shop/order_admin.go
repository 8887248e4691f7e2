package shop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/payments"
)

// maxTracking bounds a tracking number: carriers' are 10 to 30 characters.
const maxTracking = 64

// Prepare moves a paid order to preparing: the parcel is being made up.
func (s *Service) Prepare(ctx context.Context, id int64, actor string) error {
	return s.Orders.UpdateOrder(ctx, id, OrderPaid, actor, "", func(_ OrderTx, o *Order) error {
		o.Status, o.UpdatedAt = OrderPreparing, s.Clock.Now()
		return nil
	})
}

// Ship records that the parcel of a paid or preparing order left, with its
// tracking number, and tells the customer.
func (s *Service) Ship(ctx context.Context, id int64, tracking, actor string) error {
	tracking = strings.TrimSpace(tracking)
	if utf8.RuneCountInString(tracking) > maxTracking {
		return apperr.New(apperr.Invalid, "error.shop.tracking_too_long", maxTracking).InField("tracking")
	}
	o, err := s.Orders.Order(ctx, id)
	if err != nil {
		return err
	}
	if o.Status != OrderPaid && o.Status != OrderPreparing {
		return apperr.New(apperr.Conflict, "error.shop.order_changed")
	}
	if tracking == "" && o.Delivery != DeliveryPickup {
		return apperr.New(apperr.Invalid, "error.shop.tracking_required").InField("tracking")
	}
	return s.Orders.UpdateOrder(ctx, id, o.Status, actor, tracking, func(tx OrderTx, o *Order) error {
		now := s.Clock.Now()
		o.Status, o.Tracking, o.ShippedAt, o.UpdatedAt = OrderShipped, tracking, now, now
		return tx.Enqueue(ctx, mailJob(s.Mails.OrderShipped(o), "order-shipped-"+o.Reference))
	})
}

// Deliver records that a shipped order arrived (or was collected).
func (s *Service) Deliver(ctx context.Context, id int64, actor string) error {
	return s.Orders.UpdateOrder(ctx, id, OrderShipped, actor, "", func(tx OrderTx, o *Order) error {
		now := s.Clock.Now()
		o.Status, o.DeliveredAt, o.UpdatedAt = OrderDelivered, now, now
		return tx.Enqueue(ctx, mailJob(s.Mails.OrderDelivered(o), "order-delivered-"+o.Reference))
	})
}

// Cancel cancels an order the shop cannot or will not serve. A pending one
// just gives its copies back; a paid or preparing one is refunded in full
// through the provider first (the customer is told), then its copies go
// back to stock. A shipped order is not cancelled: it is refunded.
func (s *Service) Cancel(ctx context.Context, id int64, actor, reason string) error {
	o, err := s.Orders.Order(ctx, id)
	if err != nil {
		return err
	}
	switch o.Status {
	case OrderPending:
		return s.Orders.UpdateOrder(ctx, id, OrderPending, actor, reason, func(tx OrderTx, o *Order) error {
			o.Status, o.UpdatedAt = OrderCancelled, s.Clock.Now()
			return tx.ReleaseStock(ctx, o)
		})
	case OrderPaid, OrderPreparing:
	default:
		return apperr.New(apperr.Conflict, "error.shop.cannot_cancel")
	}
	left := o.TotalCents - o.RefundedCents
	if err := s.refundAtProvider(ctx, o, left, reason); err != nil {
		return err
	}
	return s.Orders.UpdateOrder(ctx, id, o.Status, actor, reason, func(tx OrderTx, o *Order) error {
		if err := s.recordRefund(ctx, tx, o, o.TotalCents-o.RefundedCents, true, actor); err != nil {
			return err
		}
		o.Status, o.UpdatedAt = OrderCancelled, s.Clock.Now()
		if err := tx.ReleaseStock(ctx, o); err != nil {
			return err
		}
		return tx.Enqueue(ctx, mailJob(s.Mails.OrderCancelled(o), "order-cancelled-"+o.Reference))
	})
}

// Refund gives back cents of a paid order through the provider, issues a
// credit note and tells the customer. A partial refund never gives back
// the delivery charge: under the Darcos floor delivery may not become
// free, directly or indirectly (french-rules checklist 6), so it is bounded
// by what the goods cost less what was refunded; only a full refund, for
// a whole order sent back, returns the delivery too (consumer law).
func (s *Service) Refund(ctx context.Context, id int64, cents int64, full bool, actor, reason string) error {
	o, err := s.Orders.Order(ctx, id)
	if err != nil {
		return err
	}
	switch o.Status {
	case OrderPaid, OrderPreparing, OrderShipped, OrderDelivered:
	default:
		return apperr.New(apperr.Conflict, "error.shop.cannot_refund")
	}
	left := o.TotalCents - o.RefundedCents
	if full {
		cents = left
	} else if maxPartial := left - o.ShippingCents; cents <= 0 || cents > maxPartial {
		return apperr.New(apperr.Invalid, "error.shop.refund_bounds", locale.EuroCents(max(maxPartial, 0))).InField("amount")
	}
	if cents <= 0 {
		return apperr.New(apperr.Conflict, "error.shop.cannot_refund")
	}
	if err := s.refundAtProvider(ctx, o, cents, reason); err != nil {
		return err
	}
	before := o.RefundedCents
	return s.Orders.UpdateOrder(ctx, id, o.Status, actor, reason, func(tx OrderTx, o *Order) error {
		if o.RefundedCents != before {
			// Another refund (a second click, the provider's event) was
			// recorded meanwhile: the provider's idempotency made the two
			// clicks one refund, and this one is not recorded twice.
			return apperr.New(apperr.Conflict, "error.shop.order_changed")
		}
		return s.recordRefund(ctx, tx, o, cents, full, actor)
	})
}

// refundAtProvider asks the provider to give cents of o back. The key
// makes a double click one refund.
func (s *Service) refundAtProvider(ctx context.Context, o *Order, cents int64, reason string) error {
	if cents <= 0 || o.PaymentID == "" {
		return nil
	}
	if s.Payments == nil {
		return apperr.New(apperr.Unavailable, "error.shop.not_online")
	}
	_, err := s.Payments.Refund(ctx, payments.RefundRequest{
		PaymentID:      o.PaymentID,
		AmountCents:    cents,
		Reference:      o.Reference,
		IdempotencyKey: fmt.Sprintf("refund-%s-%d-%d", o.Reference, o.RefundedCents, cents),
		Metadata:       map[string]string{"reason": reason},
	})
	switch {
	case err == nil, errors.Is(err, payments.ErrNothingToRefund):
		// Refunded already (from the provider's dashboard): the event
		// that says so records it.
		return nil
	case errors.Is(err, payments.ErrUnavailable):
		return apperr.Wrap(fmt.Errorf("refund order %s: %w", o.Reference, err), apperr.Unavailable, "error.shop.refund_failed")
	default:
		return apperr.Wrap(fmt.Errorf("refund order %s: %w", o.Reference, err), apperr.Invalid, "error.shop.refund_refused")
	}
}

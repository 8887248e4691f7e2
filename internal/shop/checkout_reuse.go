package shop

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/payments"
)

// replayMargin keeps a replayed payment request clear of the provider's
// shortest expiry, for the time the request takes to arrive.
const replayMargin = 5 * time.Second

// PlaceOrderOnce is PlaceOrder safe against a double click: when the same
// buyer sent the very same order (same lines and prices, delivery and
// addresses) moments ago and it still awaits payment, it opens that
// order's payment page again instead of placing a second order, which
// would hold a second set of copies until it expired. The provider
// replays a request of the same idempotency key with the same answer, so
// the buyer lands on the same page; this holds while that request's
// expiry is still far enough ahead for the provider to accept it (about
// thirty seconds after the first click). Later, or for an order that
// differs, a new order is placed.
func (s *Service) PlaceOrderOnce(ctx context.Context, signed string, in Checkout) (*CheckoutResult, error) {
	if s.Payments == nil {
		return s.PlaceOrder(ctx, signed, in)
	}
	o, err := s.pendingTwin(ctx, signed, in)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return s.PlaceOrder(ctx, signed, in)
	}
	in = trimCheckout(in)
	p := s.Messages.Printer(in.Lang)
	ref := o.Reference
	// The request PlaceOrder sent, field for field: the provider refuses
	// a replay whose parameters differ.
	session, err := s.Payments.CreateCheckout(ctx, payments.CheckoutRequest{
		Reference: ref, Kind: payments.KindOrder, Mode: payments.OneOff, AmountCents: o.TotalCents, Currency: "eur",
		Description: p.T("shop.checkout.description", ref[len(orderPrefix):len(orderPrefix)+8]),
		Lines:       checkoutLines(o, p), Email: o.Email, Locale: string(in.Lang),
		SuccessURL: in.SuccessURL(o), CancelURL: in.CancelURL, ExpiresAt: o.CreatedAt.Add(CheckoutTTL).Add(time.Minute),
		IdempotencyKey: "order-" + ref,
	})
	switch {
	case errors.Is(err, payments.ErrUnavailable):
		return nil, apperr.Wrap(err, apperr.Unavailable, "error.shop.provider_down")
	case err != nil:
		// Not the same request after all: a new order is the safe way on.
		s.Log.Warn("replay the payment page of a pending order", "order", ref, "error", err)
		return s.PlaceOrder(ctx, signed, in)
	}
	if o.SessionID == "" {
		// The first click is still waiting for its answer; either may
		// record the session, which is the same.
		err := s.Orders.SetOrderSession(ctx, o.ID, s.ProviderName, session.ID, session.ExpiresAt)
		if err != nil && !apperr.Is(err, apperr.Conflict) {
			return nil, fmt.Errorf("place order %s again: %w", ref, err)
		}
		o.SessionID = session.ID
	}
	return &CheckoutResult{Order: o, PaymentURL: session.URL}, nil
}

// pendingTwin returns the pending order placed moments ago by the same
// buyer with exactly what in and the cart would place now, or nil when
// there is none (or the checkout has a fault PlaceOrder will report).
func (s *Service) pendingTwin(ctx context.Context, signed string, in Checkout) (*Order, error) {
	in = trimCheckout(in)
	if validateCheckout(in) != nil {
		return nil, nil //nolint:nilerr // no twin: PlaceOrder reports the fields at fault
	}
	c, err := s.Cart(ctx, signed)
	if err != nil || len(c.Lines) == 0 {
		return nil, err
	}
	// Priced without the stock: the twin itself holds the copies.
	books, err := s.cartBooks(ctx, c)
	if err != nil {
		return nil, err
	}
	items := make([]QuoteItem, len(c.Lines))
	for i, l := range c.Lines {
		items[i] = QuoteItem{BookID: l.BookID, Quantity: l.Quantity}
		if b := books[l.BookID]; b != nil {
			free := *b
			free.TrackStock = false
			items[i].Book = &free
		}
	}
	pol := s.Policy()
	carrier := in.CarrierID
	if carrier == "" && len(pol.Carriers) > 0 {
		carrier = pol.Carriers[0].ID // as Service.QuoteCart
	}
	q, err := QuoteCart(QuoteInput{Items: items, CarrierID: carrier, Country: cmp.Or(in.ShipTo.Country, "FR"), Policy: pol,
		At: s.Clock.Now()})
	if err != nil {
		return nil, err
	}
	want, err := q.Order(nil)
	if err != nil || want.TotalCents != in.SeenTotalCents {
		return nil, nil //nolint:nilerr // no twin: PlaceOrder reports what blocks the cart
	}
	now := s.Clock.Now()
	// The first request asked for an expiry of CheckoutTTL and a minute
	// after the order was placed; the provider accepts no expiry nearer
	// than MinCheckoutExpiry.
	since := now.Add(-(CheckoutTTL + time.Minute - payments.MinCheckoutExpiry - replayMargin))
	orders, _, err := s.Orders.Orders(ctx, OrderFilter{Status: OrderPending, Query: in.Email, From: since, Limit: 20})
	if err != nil {
		return nil, fmt.Errorf("find a pending twin order: %w", err)
	}
	for _, o := range orders {
		if o.Email == in.Email && o.CreatedAt.After(since) && sameOrder(o, want, in) {
			return o, nil
		}
	}
	return nil, nil
}

// sameOrder reports whether the placed order o is what a new checkout in
// would place as want.
func sameOrder(o, want *Order, in Checkout) bool {
	sameLine := func(a, b OrderLine) bool {
		return a.BookID == b.BookID && a.Quantity == b.Quantity && a.UnitCents == b.UnitCents && a.Condition == b.Condition
	}
	return o.TotalCents == want.TotalCents && o.ShippingCents == want.ShippingCents && o.Carrier == want.Carrier &&
		o.ShipTo == in.ShipTo && o.BillTo == in.BillTo && o.Lang == string(in.Lang) &&
		slices.EqualFunc(o.Lines, want.Lines, sameLine)
}

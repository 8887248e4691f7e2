package shop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/payments"
)

// CheckoutTTL is how long a checkout holds its copies: the provider's page
// accepts payment that long (Stripe's shortest expiry), after which the
// order is cancelled and its copies go back to stock.
const CheckoutTTL = 30 * time.Minute

// Checkout is what the customer filled in on the checkout page.
type Checkout struct {
	Email string
	// Company is set when the buyer is a legal person (then BillTo holds
	// its name and SIREN).
	Company bool
	ShipTo  Address
	// SameBilling bills the delivery address.
	SameBilling bool
	BillTo      Address
	CarrierID   string
	// SeenTotalCents is the total the summary showed; the order is not
	// placed when the price changed meanwhile.
	SeenTotalCents int64
	Lang           locale.Lang
	// SuccessURL returns where the provider sends the customer once
	// paid (the order's page, from OrderQuery); CancelURL where it sends
	// one who gave up (the cart).
	SuccessURL func(o *Order) string
	CancelURL  string
}

// CheckoutResult is a placed order and where to pay it.
type CheckoutResult struct {
	Order *Order
	// PaymentURL is the provider's page.
	PaymentURL string
}

// PlaceOrder turns the cart into a pending order and opens the provider's
// payment page for its exact lines, delivery included. The prices are
// computed again now: if the total differs from what the customer saw,
// nothing is placed and apperr.Conflict says so (the page shows the new
// total). The copies are reserved in the order's transaction, so the last
// copy goes to one customer only; if the provider is down, the order is
// cancelled and its copies released.
func (s *Service) PlaceOrder(ctx context.Context, signed string, in Checkout) (*CheckoutResult, error) {
	if s.Payments == nil {
		return nil, apperr.New(apperr.Unavailable, "error.shop.not_online")
	}
	in = trimCheckout(in)
	if err := validateCheckout(in); err != nil {
		return nil, err
	}
	c, err := s.Cart(ctx, signed)
	if err != nil {
		return nil, err
	}
	if len(c.Lines) == 0 {
		return nil, apperr.New(apperr.Invalid, "error.shop.cart_empty")
	}
	for i := range c.Lines {
		c.Lines[i].SeenCents = 0 // the total is what is checked below
	}
	q, err := s.QuoteCart(ctx, c, in.CarrierID, in.ShipTo.Country)
	if err != nil {
		return nil, err
	}
	if err := blockingProblem(q); err != nil {
		return nil, err
	}
	p := s.Messages.Printer(in.Lang)
	o, err := q.Order(p)
	if err != nil {
		return nil, err
	}
	if in.SeenTotalCents != o.TotalCents {
		return nil, apperr.New(apperr.Conflict, "error.shop.total_changed", p.Money(in.SeenTotalCents, "EUR"), p.Money(o.TotalCents, "EUR"))
	}
	if err := o.CheckAmounts(); err != nil {
		return nil, fmt.Errorf("place order: %w", err)
	}
	ref, err := newToken(orderPrefix)
	if err != nil {
		return nil, fmt.Errorf("place order: %w", err)
	}
	now := s.Clock.Now()
	o.Reference, o.Email, o.ShipTo, o.BillTo, o.Lang = ref, in.Email, in.ShipTo, in.BillTo, string(in.Lang)
	o.Provider, o.CreatedAt, o.UpdatedAt, o.ExpiresAt = s.ProviderName, now, now, now.Add(CheckoutTTL)
	if err := s.Orders.PlaceOrder(ctx, o, nil); err != nil {
		return nil, err // out of stock: Conflict with the title
	}
	session, err := s.Payments.CreateCheckout(ctx, payments.CheckoutRequest{
		Reference: ref, Kind: payments.KindOrder, Mode: payments.OneOff, AmountCents: o.TotalCents, Currency: "eur",
		Description: p.T("shop.checkout.description", ref[len(orderPrefix):len(orderPrefix)+8]),
		Lines:       checkoutLines(o, p), Email: o.Email, Locale: string(in.Lang),
		SuccessURL: in.SuccessURL(o), CancelURL: in.CancelURL, ExpiresAt: o.ExpiresAt.Add(time.Minute),
		IdempotencyKey: "order-" + ref,
	})
	if err != nil {
		if cerr := s.cancelUnpaid(ctx, o.ID, "payment page not opened"); cerr != nil {
			s.Log.Error("cancel order whose payment page failed", "order", ref, "error", cerr)
		}
		if errors.Is(err, payments.ErrUnavailable) {
			return nil, apperr.Wrap(err, apperr.Unavailable, "error.shop.provider_down")
		}
		return nil, fmt.Errorf("place order %s: %w", ref, err)
	}
	if err := s.Orders.SetOrderSession(ctx, o.ID, s.ProviderName, session.ID, session.ExpiresAt); err != nil {
		return nil, fmt.Errorf("place order %s: %w", ref, err)
	}
	o.SessionID = session.ID
	return &CheckoutResult{Order: o, PaymentURL: session.URL}, nil
}

// checkoutLines are the order's lines as the payment page lists them, the
// delivery charge last, so the customer pays exactly the order.
func checkoutLines(o *Order, p *locale.Printer) []payments.CheckoutLine {
	lines := make([]payments.CheckoutLine, 0, len(o.Lines)+1)
	for _, l := range o.Lines {
		name := l.Title
		if l.Condition == ConditionUsed {
			name += " (" + p.T("shop.used") + ")"
		}
		lines = append(lines, payments.CheckoutLine{Name: name, Description: l.ISBN, UnitCents: l.UnitCents, Quantity: int64(l.Quantity)})
	}
	if o.ShippingCents > 0 {
		lines = append(lines, payments.CheckoutLine{Name: p.T("shop.checkout.shipping", o.CarrierName), UnitCents: o.ShippingCents, Quantity: 1})
	}
	return lines
}

// cancelUnpaid cancels a pending order and releases its copies.
func (s *Service) cancelUnpaid(ctx context.Context, id int64, why string) error {
	return s.Orders.UpdateOrder(ctx, id, OrderPending, "system", why, func(tx OrderTx, o *Order) error {
		o.Status, o.UpdatedAt = OrderCancelled, s.Clock.Now()
		return tx.ReleaseStock(ctx, o)
	})
}

// ExpireOrders cancels the pending orders whose payment page closed more
// than grace ago without a word from the provider (its event lost), and
// gives their copies back. The job queue calls it every few minutes.
func (s *Service) ExpireOrders(ctx context.Context, grace time.Duration) (int, error) {
	orders, err := s.Orders.ExpiredOrders(ctx, s.Clock.Now().Add(-grace), 200)
	if err != nil {
		return 0, fmt.Errorf("expire orders: %w", err)
	}
	n := 0
	for _, o := range orders {
		err := s.cancelUnpaid(ctx, o.ID, "checkout expired")
		if apperr.Is(err, apperr.Conflict) {
			continue // paid or cancelled meanwhile
		}
		if err != nil {
			return n, fmt.Errorf("expire order %s: %w", o.Reference, err)
		}
		n++
	}
	return n, nil
}

func trimCheckout(in Checkout) Checkout {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.ShipTo.Normalize()
	if in.SameBilling {
		in.BillTo = in.ShipTo
	} else {
		in.BillTo.Normalize()
	}
	if !in.Company {
		in.BillTo.Company, in.BillTo.SIREN = "", ""
	}
	if !in.Lang.Supported() {
		in.Lang = locale.French
	}
	return in
}

// validateCheckout reports every field at fault.
func validateCheckout(in Checkout) error {
	var errs []error
	if !ValidEmail(in.Email) {
		errs = append(errs, apperr.New(apperr.Invalid, "error.shop.email").InField("email"))
	}
	if err := ValidateAddress("ship_to", in.ShipTo); err != nil {
		errs = append(errs, err)
	}
	if !in.SameBilling {
		if err := ValidateAddress("bill_to", in.BillTo); err != nil {
			errs = append(errs, err)
		}
	}
	if err := ValidateBuyer(in.BillTo, in.Company); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// blockingProblem returns the first problem that stops checkout, as the
// error the customer reads: a copy gone meanwhile is a Conflict (« … est
// épuisé »), anything else Invalid.
func blockingProblem(q *Quote) error {
	for _, pb := range q.Problems {
		if !pb.Blocks {
			continue
		}
		kind := apperr.Invalid
		if pb.Key == "error.shop.out_of_stock" || pb.Key == "error.shop.not_enough_stock" {
			kind = apperr.Conflict
		}
		return apperr.New(kind, pb.Key, pb.Args...)
	}
	return nil
}

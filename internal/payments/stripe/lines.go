package stripe

import (
	"fmt"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
)

// Stripe's limits on a payment-mode Checkout Session.
const (
	// maxLines is how many line items a session in payment mode takes.
	maxLines = 100
	// maxAmountCents is the largest amount Stripe charges in euros
	// (999 999,99 €); it also keeps a line's product from overflowing.
	maxAmountCents = 99_999_999
)

// kindOf returns req's kind, a donation when it names none: sessions
// opened before kinds existed were all gifts.
func kindOf(req payments.CheckoutRequest) payments.Kind {
	if req.Kind == "" {
		return payments.KindDonation
	}
	return req.Kind
}

// submitType is the word on the checkout page's button: "Faire un don"
// for a gift, "Payer" for an order.
func submitType(k payments.Kind) stripego.CheckoutSessionSubmitType {
	if k == payments.KindDonation {
		return stripego.CheckoutSessionSubmitTypeDonate
	}
	return stripego.CheckoutSessionSubmitTypePay
}

// oneOffLines returns the line items of a one-off session: req's lines,
// or one line of its amount named by its description.
func oneOffLines(req payments.CheckoutRequest) []*stripego.CheckoutSessionCreateLineItemParams {
	lines := req.Lines
	if len(lines) == 0 {
		lines = []payments.CheckoutLine{{Name: req.Description, UnitCents: req.AmountCents, Quantity: 1}}
	}
	out := make([]*stripego.CheckoutSessionCreateLineItemParams, 0, len(lines))
	for _, l := range lines {
		product := &stripego.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripego.String(l.Name)}
		if l.Description != "" {
			product.Description = stripego.String(l.Description)
		}
		out = append(out, &stripego.CheckoutSessionCreateLineItemParams{
			PriceData: &stripego.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripego.String(req.Currency),
				UnitAmount:  stripego.Int64(l.UnitCents),
				ProductData: product,
			},
			Quantity: stripego.Int64(l.Quantity),
		})
	}
	return out
}

// validateKindAndLines checks the kind, the lines and the expiry of req at
// now. The lines must add up to AmountCents, so that what the site
// recorded (shipping included) is exactly what Stripe charges.
func validateKindAndLines(req payments.CheckoutRequest, now time.Time) []error {
	var errs []error
	if k := req.Kind; k != "" && k != payments.KindDonation && k != payments.KindOrder {
		errs = append(errs, fmt.Errorf("unknown kind %q", k))
	}
	if !req.ExpiresAt.IsZero() {
		d := req.ExpiresAt.Sub(now)
		if d < payments.MinCheckoutExpiry || d > payments.MaxCheckoutExpiry {
			errs = append(errs, fmt.Errorf("expiry %s is %s from now, must be between %s and %s",
				req.ExpiresAt.UTC().Format(time.RFC3339), d.Round(time.Second), payments.MinCheckoutExpiry, payments.MaxCheckoutExpiry))
		}
	}
	if len(req.Lines) == 0 {
		return errs
	}
	if req.Mode != payments.OneOff {
		return append(errs, fmt.Errorf("lines are for one-off checkouts only, not %q", req.Mode))
	}
	var total int64
	valid := true
	if len(req.Lines) > maxLines {
		errs = append(errs, fmt.Errorf("%d lines, at most %d", len(req.Lines), maxLines))
		valid = false
	}
	for i, l := range req.Lines {
		if strings.TrimSpace(l.Name) == "" {
			errs = append(errs, fmt.Errorf("line %d: name is required", i+1))
		}
		if l.UnitCents < 0 || l.UnitCents > maxAmountCents {
			errs = append(errs, fmt.Errorf("line %d %q: unit amount %d must be between 0 and %d", i+1, l.Name, l.UnitCents, maxAmountCents))
			valid = false
		}
		if l.Quantity < 1 || l.Quantity > maxAmountCents {
			errs = append(errs, fmt.Errorf("line %d %q: quantity %d must be between 1 and %d", i+1, l.Name, l.Quantity, maxAmountCents))
			valid = false
		}
		if valid {
			// Both factors are at most 10^8 and there are at most 100
			// lines, so neither this product nor the sum overflows.
			total += l.UnitCents * l.Quantity
		}
	}
	if valid && total != req.AmountCents {
		errs = append(errs, fmt.Errorf("amount %d is not the lines' total %d", req.AmountCents, total))
	}
	return errs
}

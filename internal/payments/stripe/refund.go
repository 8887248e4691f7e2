package stripe

import (
	"context"
	"errors"
	"fmt"
	"maps"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
)

// maxIdempotencyKey is the longest Idempotency-Key Stripe accepts.
const maxIdempotencyKey = 255

// Refund gives back req.AmountCents of the payment intent req.PaymentID,
// or all that is left of it when the amount is 0, with req's metadata and
// reference (under ReferenceKey) kept on the refund. Stripe then sends
// charge.refunded, which ParseEvent reports as payments.Refunded.
//
// An error wraps payments.ErrUnavailable when Stripe could not be reached
// or failed, and payments.ErrNothingToRefund when the payment was already
// refunded in full; it is a plain error when the request is invalid
// (checked before any call) or refused, as is a refund larger than what
// is left.
func (p *Provider) Refund(ctx context.Context, req payments.RefundRequest) (*payments.Refund, error) {
	if err := validateRefund(req); err != nil {
		return nil, fmt.Errorf("create stripe refund of %q: %w", req.PaymentID, err)
	}
	params := &stripego.RefundCreateParams{PaymentIntent: stripego.String(req.PaymentID)}
	if req.AmountCents > 0 {
		params.Amount = stripego.Int64(req.AmountCents)
	}
	if req.Reason != payments.RefundUnspecified {
		params.Reason = stripego.String(string(req.Reason))
	}
	params.Metadata = maps.Clone(req.Metadata)
	if req.Reference != "" {
		params.Metadata = withReference(req.Metadata, req.Reference)
	}
	params.SetIdempotencyKey(req.IdempotencyKey)

	r, err := p.client.V1Refunds.Create(ctx, params)
	if err != nil {
		var se *stripego.Error
		if errors.As(err, &se) && se.Code == stripego.ErrorCodeChargeAlreadyRefunded {
			return nil, fmt.Errorf("create stripe refund of %s: %w: %w", req.PaymentID, payments.ErrNothingToRefund, err)
		}
		return nil, fmt.Errorf("create stripe refund of %s: %w", req.PaymentID, classify(err))
	}
	if r.ID == "" {
		return nil, fmt.Errorf("create stripe refund of %s: refund without id", req.PaymentID)
	}
	return &payments.Refund{ID: r.ID, AmountCents: r.Amount, Status: payments.RefundStatus(r.Status)}, nil
}

// validateRefund checks what Stripe would refuse, and insists on an
// idempotency key: without one, a retried job would refund twice.
func validateRefund(req payments.RefundRequest) error {
	var errs []error
	if req.PaymentID == "" {
		errs = append(errs, errors.New("payment id is required"))
	}
	if req.AmountCents < 0 || req.AmountCents > maxAmountCents {
		errs = append(errs, fmt.Errorf("amount %d must be between 0 (all that is left) and %d", req.AmountCents, maxAmountCents))
	}
	switch req.Reason {
	case payments.RefundUnspecified, payments.RefundRequestedByCustomer, payments.RefundDuplicate, payments.RefundFraudulent:
	default:
		errs = append(errs, fmt.Errorf("unknown reason %q", req.Reason))
	}
	if len(req.Reference) > 200 {
		errs = append(errs, errors.New("reference must have at most 200 characters"))
	}
	if req.IdempotencyKey == "" || len(req.IdempotencyKey) > maxIdempotencyKey {
		errs = append(errs, fmt.Errorf("idempotency key must have 1 to %d characters", maxIdempotencyKey))
	}
	return errors.Join(errs...)
}

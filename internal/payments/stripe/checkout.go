package stripe

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
)

// ReferenceKey is the metadata key that carries CheckoutRequest.Reference
// on the session, its payment intent or its subscription. Stripe copies
// client_reference_id nowhere, so the metadata is what lets a refund
// (charge.refunded), a renewal (invoice.paid) or a cancellation
// (customer.subscription.deleted) be traced back to what was paid.
const ReferenceKey = "kiosque_reference"

// sessionIDParam is appended to the success URL; Stripe replaces the
// template with the session id, literally, so it must not be escaped.
const sessionIDParam = "session_id={CHECKOUT_SESSION_ID}"

// CreateCheckout opens a Stripe Checkout Session for req: payment mode with
// inline prices (one per line) for OneOff, subscription mode with a reused
// monthly Price for Monthly. The session, its payment intent or its
// subscription keep req's metadata with the reference and the kind. No
// shipping address is asked for: the site collects it. An error wraps
// payments.ErrUnavailable when Stripe could not be reached or failed, and
// is a plain error when the request is invalid.
func (p *Provider) CreateCheckout(ctx context.Context, req payments.CheckoutRequest) (*payments.CheckoutSession, error) {
	if err := validateCheckout(req, p.clock.Now()); err != nil {
		return nil, fmt.Errorf("create stripe checkout %q: %w", req.Reference, err)
	}
	metadata := withReference(req.Metadata, req.Reference)
	metadata[payments.KindKey] = string(kindOf(req))
	params := &stripego.CheckoutSessionCreateParams{
		ClientReferenceID: stripego.String(req.Reference),
		Metadata:          metadata,
		SuccessURL:        stripego.String(withSessionID(req.SuccessURL)),
		CancelURL:         stripego.String(req.CancelURL),
	}
	if req.Email != "" {
		params.CustomerEmail = stripego.String(req.Email)
	}
	if req.Locale != "" {
		params.Locale = stripego.String(req.Locale)
	}
	if req.IdempotencyKey != "" {
		params.SetIdempotencyKey(req.IdempotencyKey)
	}
	if !req.ExpiresAt.IsZero() {
		params.ExpiresAt = stripego.Int64(req.ExpiresAt.Unix())
	}

	switch req.Mode {
	case payments.OneOff:
		params.Mode = stripego.String(string(stripego.CheckoutSessionModePayment))
		params.SubmitType = stripego.String(string(submitType(kindOf(req))))
		params.LineItems = oneOffLines(req)
		params.PaymentIntentData = &stripego.CheckoutSessionCreatePaymentIntentDataParams{
			Description: stripego.String(req.Description),
			Metadata:    metadata,
		}
	case payments.Monthly:
		priceID, err := p.monthlyPrice(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("create stripe checkout %q: %w", req.Reference, err)
		}
		params.Mode = stripego.String(string(stripego.CheckoutSessionModeSubscription))
		params.LineItems = []*stripego.CheckoutSessionCreateLineItemParams{{
			Price:    stripego.String(priceID),
			Quantity: stripego.Int64(1),
		}}
		params.SubscriptionData = &stripego.CheckoutSessionCreateSubscriptionDataParams{
			Description: stripego.String(req.Description),
			Metadata:    metadata,
		}
	}

	s, err := p.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("create stripe checkout %q: %w", req.Reference, classify(err))
	}
	if s.ID == "" || s.URL == "" {
		return nil, fmt.Errorf("create stripe checkout %q: session without id or url", req.Reference)
	}
	out := &payments.CheckoutSession{ID: s.ID, URL: s.URL}
	if s.ExpiresAt != 0 {
		out.ExpiresAt = time.Unix(s.ExpiresAt, 0).UTC()
	}
	return out, nil
}

// validateCheckout checks, at now, what Stripe would refuse, so a mistake
// is found without a round trip and never reported as the provider being
// down.
func validateCheckout(req payments.CheckoutRequest, now time.Time) error {
	errs := validateKindAndLines(req, now)
	if req.Reference == "" || len(req.Reference) > 200 {
		errs = append(errs, errors.New("reference must have 1 to 200 characters"))
	}
	if req.Mode != payments.OneOff && req.Mode != payments.Monthly {
		errs = append(errs, fmt.Errorf("unknown mode %q", req.Mode))
	}
	if req.AmountCents <= 0 {
		errs = append(errs, fmt.Errorf("amount %d must be positive", req.AmountCents))
	}
	if !isCurrency(req.Currency) {
		errs = append(errs, fmt.Errorf("currency %q must be a lower-case ISO 4217 code", req.Currency))
	}
	if strings.TrimSpace(req.Description) == "" {
		errs = append(errs, errors.New("description is required"))
	}
	for name, u := range map[string]string{"success url": req.SuccessURL, "cancel url": req.CancelURL} {
		if !isAbsoluteURL(u) {
			errs = append(errs, fmt.Errorf("%s %q must be an absolute http or https url", name, u))
		}
	}
	return errors.Join(errs...)
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// withReference returns a copy of metadata with the reference added under
// ReferenceKey, which wins over a caller's key of the same name.
func withReference(metadata map[string]string, reference string) map[string]string {
	out := make(map[string]string, len(metadata)+1)
	maps.Copy(out, metadata)
	out[ReferenceKey] = reference
	return out
}

// withSessionID appends session_id={CHECKOUT_SESSION_ID} to the query of
// u, before any fragment. It works on the string because url.Values would
// escape the braces and Stripe would no longer recognise the template.
func withSessionID(u string) string {
	base, fragment, hasFragment := strings.Cut(u, "#")
	switch {
	case !strings.Contains(base, "?"):
		base += "?"
	case !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&"):
		base += "&"
	}
	base += sessionIDParam
	if hasFragment {
		base += "#" + fragment
	}
	return base
}

package stripe_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

func refundRequest() payments.RefundRequest {
	return payments.RefundRequest{
		PaymentID:      "pi_3SWp1QKiosque0Order13",
		Reason:         payments.RefundRequestedByCustomer,
		Reference:      "cmd_7",
		Metadata:       map[string]string{"motif": "commande annulée"},
		IdempotencyKey: "refund:cmd_7:1",
	}
}

func TestRefund(t *testing.T) {
	mock := stripemock.Start(t)
	const route = "POST /v1/refunds"
	tests := []struct {
		name   string
		edit   func(*payments.RefundRequest)
		want   map[string]string
		absent []string
		// wantAmount is what the refund gives back: stripe-mock echoes
		// the amount sent, or answers its fixture's (100) for a refund of
		// all that is left.
		wantAmount int64
	}{
		{
			name: "OK/Full",
			edit: func(*payments.RefundRequest) {},
			want: map[string]string{
				"payment_intent":                 "pi_3SWp1QKiosque0Order13",
				"reason":                         "requested_by_customer",
				"metadata[kiosque_reference]":    "cmd_7",
				"metadata[motif]":                "commande annulée",
				headerPrefix + "Idempotency-Key": "refund:cmd_7:1",
			},
			absent:     []string{"amount", "charge"},
			wantAmount: 100,
		},
		{
			name: "OK/Partial",
			edit: func(r *payments.RefundRequest) { r.AmountCents = 800 },
			want: map[string]string{
				"payment_intent":                 "pi_3SWp1QKiosque0Order13",
				"amount":                         "800",
				headerPrefix + "Idempotency-Key": "refund:cmd_7:1",
			},
			wantAmount: 800,
		},
		{
			// A refund the back office makes of a gift names no reason,
			// reference or metadata: none is sent.
			name: "OK/Bare",
			edit: func(r *payments.RefundRequest) {
				r.Reason, r.Reference, r.Metadata = payments.RefundUnspecified, "", nil
			},
			want:       map[string]string{"payment_intent": "pi_3SWp1QKiosque0Order13"},
			absent:     []string{"reason", "metadata[kiosque_reference]", "metadata[motif]", "amount"},
			wantAmount: 100,
		},
		{
			// The caller's metadata cannot replace the reference.
			name: "OK/ReferenceWins",
			edit: func(r *payments.RefundRequest) {
				r.Metadata = map[string]string{"kiosque_reference": "cmd_other"}
			},
			want:       map[string]string{"metadata[kiosque_reference]": "cmd_7"},
			wantAmount: 100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, backend := newRecorder(t, mock, nil)
			p := newProvider(t, backend)
			req := refundRequest()
			tt.edit(&req)

			got, err := p.Refund(context.Background(), req)
			if err != nil {
				t.Fatalf("Refund: %v", err)
			}
			if got.ID == "" {
				t.Errorf("refund without id: %+v", got)
			}
			if got.AmountCents != tt.wantAmount || got.Status != payments.RefundSucceeded {
				t.Errorf("refund = %d %q, want %d %q", got.AmountCents, got.Status, tt.wantAmount, payments.RefundSucceeded)
			}
			reqs := rec.requests()
			if diff := cmp.Diff([]string{route}, routes(reqs)); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
			if reqs[0].Status != http.StatusOK {
				t.Fatalf("stripe-mock answered %d: %s", reqs[0].Status, reqs[0].Body)
			}
			if got := reqs[0].Header.Get("Stripe-Version"); got != stripego.APIVersion {
				t.Errorf("Stripe-Version = %q, want %q", got, stripego.APIVersion)
			}
			checkForm(t, reqs[0], tt.want, tt.absent)
		})
	}
}

func TestRefundErrors(t *testing.T) {
	const js = "application/json"
	tests := []struct {
		name            string
		backend         func(t *testing.T) string
		wantUnavailable bool
		wantNothingLeft bool
	}{
		{"ErrClosedPort", closedURL, true, false},
		{"ErrServiceUnavailable", func(t *testing.T) string {
			return answering(t, http.StatusServiceUnavailable, js, jsonError("api_error", "", "Stripe is down"))
		}, true, false},
		{"ErrProxyPage", func(t *testing.T) string {
			return answering(t, http.StatusBadGateway, "text/html", "<html><body>502 Bad Gateway</body></html>")
		}, true, false},
		{"ErrRateLimited", func(t *testing.T) string {
			return answering(t, http.StatusTooManyRequests, js, jsonError("invalid_request_error", "rate_limit", "Too many requests"))
		}, true, false},
		{
			// Nothing left to refund: a retried refund is done already.
			"ErrAlreadyRefunded", func(t *testing.T) string {
				return answering(t, http.StatusBadRequest, js, jsonError("invalid_request_error", "charge_already_refunded",
					"Charge ch_3SWp1QKiosque0Order13 has already been refunded."))
			}, false, true,
		},
		{"ErrMoreThanLeft", func(t *testing.T) string {
			return answering(t, http.StatusBadRequest, js, jsonError("invalid_request_error", "amount_too_large",
				"Refund amount (€50.00) is greater than unrefunded amount on charge (€33.00)"))
		}, false, false},
		{"ErrNoSuchPayment", func(t *testing.T) string {
			return answering(t, http.StatusNotFound, js, jsonError("invalid_request_error", "resource_missing",
				"No such payment_intent: 'pi_3SWp1QKiosque0Order13'"))
		}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProvider(t, tt.backend(t))
			got, err := p.Refund(context.Background(), refundRequest())
			if err == nil {
				t.Fatalf("Refund() = %+v, want an error", got)
			}
			if g := errors.Is(err, payments.ErrUnavailable); g != tt.wantUnavailable {
				t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, g, tt.wantUnavailable)
			}
			if g := errors.Is(err, payments.ErrNothingToRefund); g != tt.wantNothingLeft {
				t.Errorf("errors.Is(%v, ErrNothingToRefund) = %v, want %v", err, g, tt.wantNothingLeft)
			}
		})
	}
}

func TestRefundInvalid(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	p := newProvider(t, srv.URL)

	tests := []struct {
		name    string
		edit    func(*payments.RefundRequest)
		wantMsg string
	}{
		{"ErrNoPayment", func(r *payments.RefundRequest) { r.PaymentID = "" }, "payment id is required"},
		{"ErrNegativeAmount", func(r *payments.RefundRequest) { r.AmountCents = -800 }, "amount -800"},
		{"ErrHugeAmount", func(r *payments.RefundRequest) { r.AmountCents = 100_000_000 }, "amount 100000000"},
		{"ErrReason", func(r *payments.RefundRequest) { r.Reason = "out_of_stock" }, `unknown reason "out_of_stock"`},
		{"ErrNoIdempotencyKey", func(r *payments.RefundRequest) { r.IdempotencyKey = "" }, "idempotency key"},
		{"ErrLongIdempotencyKey", func(r *payments.RefundRequest) { r.IdempotencyKey = strings.Repeat("k", 256) }, "idempotency key"},
		{"ErrLongReference", func(r *payments.RefundRequest) { r.Reference = strings.Repeat("x", 201) }, "reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := refundRequest()
			tt.edit(&req)
			got, err := p.Refund(context.Background(), req)
			if err == nil {
				t.Fatalf("Refund() = %+v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q, want it to say %q", err, tt.wantMsg)
			}
			if errors.Is(err, payments.ErrUnavailable) {
				t.Errorf("err = %v, want no ErrUnavailable for an invalid request", err)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d requests sent for invalid refunds, want none", n)
	}
}

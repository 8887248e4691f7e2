package stripe_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

// TestParseEventOrder checks that the events about a shop order carry
// what finds the order (its reference, or the payment intent of a
// refund) and its kind, by which they are routed to the shop.
func TestParseEventOrder(t *testing.T) {
	p := newProvider(t, "http://127.0.0.1:1")
	order := map[string]string{stripe.ReferenceKey: "cmd_7", payments.KindKey: "order"}
	tests := []struct {
		name     string
		file     string
		want     payments.Event
		wantKind payments.Kind
	}{
		{
			name: "OK/CheckoutCompleted",
			file: "checkout.session.completed.order.json",
			want: payments.Event{
				ID: "evt_1SWp1RKiosqueOrder0013", Type: payments.CheckoutCompleted, Raw: "checkout.session.completed",
				Created: ago(150 * time.Second), Reference: "cmd_7", Metadata: order,
				SessionID: "cs_test_a1KiosqueOrder0013", PaymentID: "pi_3SWp1QKiosque0Order13",
				Paid: true, AmountCents: 4100, Currency: "eur", Email: "jeanne.roux@example.fr", Name: "Jeanne Roux",
			},
			wantKind: payments.KindOrder,
		},
		{
			// The order's copies go back on sale: the reference says
			// which.
			name: "OK/CheckoutExpired",
			file: "checkout.session.expired.order.json",
			want: payments.Event{
				ID: "evt_1SWp2RKiosqueOrdEx0014", Type: payments.CheckoutExpired, Raw: "checkout.session.expired",
				Created: ago(160 * time.Second), Reference: "cmd_8",
				Metadata:  map[string]string{stripe.ReferenceKey: "cmd_8", payments.KindKey: "order"},
				SessionID: "cs_test_a1KiosqueOrderExp0014", AmountCents: 2500, Currency: "eur",
				Email: "louis.blanc@example.fr",
			},
			wantKind: payments.KindOrder,
		},
		{
			// Stripe copied the payment intent's metadata to the charge.
			name: "OK/ChargeRefundedPartly",
			file: "charge.refunded.order.json",
			want: payments.Event{
				ID: "evt_3SWp1QKiosqueRefnd0015", Type: payments.Refunded, Raw: "charge.refunded",
				Created: ago(170 * time.Second), Reference: "cmd_7", Metadata: order,
				PaymentID: "pi_3SWp1QKiosque0Order13", AmountCents: 800, Currency: "eur",
			},
			wantKind: payments.KindOrder,
		},
		{
			// A charge without metadata: the payment intent alone finds
			// the order, and the kind is unknown.
			name: "OK/ChargeRefundedNoMetadata",
			file: "charge.refunded.json",
			want: payments.Event{
				ID: "evt_3SWk2QKiosqueRefnd0009", Type: payments.Refunded, Raw: "charge.refunded",
				Created: ago(110 * time.Second), PaymentID: "pi_3SWk2QKiosque0Pay0001",
				AmountCents: 1500, Currency: "eur", FullyRefunded: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := readFixture(t, tt.file)
			got, err := p.ParseEvent(payload, sign(payload, webhookSecret, ago(10*time.Second)), now)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if k := got.Kind(); k != tt.wantKind {
				t.Errorf("Kind() = %q, want %q", k, tt.wantKind)
			}
		})
	}
}

// TestParseEventRefundsReference checks that, when a charge.refunded lists
// its refunds (Stripe stopped doing so in 2022, but an endpoint may still
// expand them), the reference Refund put on a refund finds the order even
// though the charge has no metadata.
func TestParseEventRefundsReference(t *testing.T) {
	p := newProvider(t, "http://127.0.0.1:1")
	refund := func(id, ref string) map[string]any {
		md := map[string]any{}
		if ref != "" {
			md[stripe.ReferenceKey] = ref
		}
		return map[string]any{"id": id, "object": "refund", "amount": 800, "currency": "eur",
			"payment_intent": "pi_3SWp1QKiosque0Order13", "status": "succeeded", "metadata": md}
	}
	charge := func(refunds ...map[string]any) map[string]any {
		return map[string]any{"id": "ch_3SWp1QKiosque0Order13", "object": "charge", "amount": 4100,
			"amount_refunded": 1600, "currency": "eur", "refunded": false, "metadata": map[string]any{},
			"payment_intent": "pi_3SWp1QKiosque0Order13",
			"refunds":        map[string]any{"object": "list", "has_more": false, "url": "/v1/charges/ch_3SWp1QKiosque0Order13/refunds", "data": refunds}}
	}
	tests := []struct {
		name          string
		obj           map[string]any
		wantReference string
	}{
		{"OKLatestWithReference", charge(refund("re_2", ""), refund("re_1", "cmd_7")), "cmd_7"},
		{"OKNoReference", charge(refund("re_1", "")), ""},
		{"OKNoRefundsListed", charge(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, sig := stripemock.Event(t, webhookSecret, now, "evt_refunds_"+tt.name, "charge.refunded", tt.obj)
			got, err := p.ParseEvent(payload, sig, now)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			want := &payments.Event{
				ID: "evt_refunds_" + tt.name, Type: payments.Refunded, Raw: "charge.refunded", Created: now,
				Reference: tt.wantReference, PaymentID: "pi_3SWp1QKiosque0Order13", AmountCents: 1600, Currency: "eur",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

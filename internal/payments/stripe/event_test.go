package stripe_test

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
)

// now is the tests' fixed clock; the fixtures were written around it.
var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// ago returns the time d before now.
func ago(d time.Duration) time.Time { return now.Add(-d) }

// sign returns the Stripe-Signature header for payload, signed at ts.
func sign(payload []byte, secret string, ts time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: ts,
	}).Header
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEvent(t *testing.T) {
	p := newProvider(t, "http://127.0.0.1:1")
	const (
		donor    = "cus_TQk8KiosqueDonor43"
		sub      = "sub_1SWk3QKiosqueMonth43"
		paul     = "paul.durand@example.fr"
		paulName = "Paul Durand"
	)
	// meta is the metadata CreateCheckout gave a gift before kinds.
	meta := func(ref string) map[string]string {
		return map[string]string{stripe.ReferenceKey: ref, "campagne": "hiver-2026"}
	}
	tests := []struct {
		name string
		file string
		want payments.Event
	}{
		{
			name: "OK/CheckoutCompleted",
			file: "checkout.session.completed.json",
			want: payments.Event{
				ID: "evt_1SWk2RKiosqueCompl0001", Type: payments.CheckoutCompleted, Raw: "checkout.session.completed",
				Created: ago(30 * time.Second), Reference: "don_42", Metadata: meta("don_42"),
				SessionID: "cs_test_a1KiosqueOneOff0001", PaymentID: "pi_3SWk2QKiosque0Pay0001",
				Paid: true, AmountCents: 1500, Currency: "eur",
				Email: "claire.martin@example.fr", Name: "Claire Martin",
			},
		},
		{
			name: "OK/CheckoutCompletedSubscription",
			file: "checkout.session.completed.subscription.json",
			want: payments.Event{
				ID: "evt_1SWk3RKiosqueCompl0002", Type: payments.CheckoutCompleted, Raw: "checkout.session.completed",
				Created: ago(40 * time.Second), Reference: "don_43", Metadata: meta("don_43"),
				SessionID: "cs_test_a1KiosqueMonthly0002", CustomerID: donor, SubscriptionID: sub,
				InvoiceID: "in_1SWk3QKiosqueFirst43",
				Paid:      true, AmountCents: 2500, Currency: "eur", Email: paul, Name: paulName,
			},
		},
		{
			name: "OK/CheckoutAsyncSucceeded",
			file: "checkout.session.async_payment_succeeded.json",
			want: payments.Event{
				ID: "evt_1SWk4RKiosqueAsync0003", Type: payments.CheckoutAsyncSucceeded, Raw: "checkout.session.async_payment_succeeded",
				Created: ago(50 * time.Second), Reference: "don_44", Metadata: meta("don_44"),
				SessionID: "cs_test_a1KiosqueSepa0003", PaymentID: "pi_3SWk4QKiosque0Sepa0003",
				Paid: true, AmountCents: 5000, Currency: "eur", Email: "anne.petit@example.fr", Name: "Anne Petit",
			},
		},
		{
			name: "OK/CheckoutAsyncFailed",
			file: "checkout.session.async_payment_failed.json",
			want: payments.Event{
				ID: "evt_1SWk5RKiosqueAsync0004", Type: payments.CheckoutAsyncFailed, Raw: "checkout.session.async_payment_failed",
				Created: ago(60 * time.Second), Reference: "don_45", Metadata: meta("don_45"),
				SessionID: "cs_test_a1KiosqueSepa0004", PaymentID: "pi_3SWk5QKiosque0Sepa0004",
				AmountCents: 5000, Currency: "eur", Email: "marc.leroy@example.fr", Name: "Marc Leroy",
			},
		},
		{
			name: "OK/CheckoutExpired",
			file: "checkout.session.expired.json",
			want: payments.Event{
				ID: "evt_1SWk6RKiosqueExpir0005", Type: payments.CheckoutExpired, Raw: "checkout.session.expired",
				Created: ago(70 * time.Second), Reference: "don_46", Metadata: meta("don_46"),
				SessionID: "cs_test_a1KiosqueExpired0005", AmountCents: 2000, Currency: "eur",
				Email: "lea.moreau@example.fr",
			},
		},
		{
			name: "OK/InvoicePaidRenewal",
			file: "invoice.paid.json",
			want: payments.Event{
				ID: "evt_1SWm4SKiosqueInvPd0006", Type: payments.InvoicePaid, Raw: "invoice.paid",
				Created: ago(80 * time.Second), Reference: "don_43", Metadata: meta("don_43"),
				CustomerID: donor, SubscriptionID: sub, InvoiceID: "in_1SWm4RKiosque0Renew01",
				AmountCents: 2500, Currency: "eur", Email: paul, Name: paulName,
				PaidAt: ago(380 * time.Second), Renewal: true,
			},
		},
		{
			// No paid_at in status_transitions: the invoice's creation
			// stands for it.
			name: "OK/InvoicePaidFirst",
			file: "invoice.paid.first.json",
			want: payments.Event{
				ID: "evt_1SWk3SKiosqueInvPd0007", Type: payments.InvoicePaid, Raw: "invoice.paid",
				Created: ago(90 * time.Second), Reference: "don_43", Metadata: meta("don_43"),
				CustomerID: donor, SubscriptionID: sub, InvoiceID: "in_1SWk3QKiosqueFirst43",
				AmountCents: 2500, Currency: "eur", Email: paul, Name: paulName,
				PaidAt: ago(900 * time.Second),
			},
		},
		{
			name: "OK/InvoicePaymentFailed",
			file: "invoice.payment_failed.json",
			want: payments.Event{
				ID: "evt_1SWm5SKiosqueInvFl0008", Type: payments.InvoiceFailed, Raw: "invoice.payment_failed",
				Created: ago(100 * time.Second), Reference: "don_43", Metadata: meta("don_43"),
				CustomerID: donor, SubscriptionID: sub, InvoiceID: "in_1SWm5RKiosque0Renew02",
				AmountCents: 2500, Currency: "eur", Email: paul, Name: paulName,
			},
		},
		{
			name: "OK/ChargeRefundedFully",
			file: "charge.refunded.json",
			want: payments.Event{
				ID: "evt_3SWk2QKiosqueRefnd0009", Type: payments.Refunded, Raw: "charge.refunded",
				Created: ago(110 * time.Second), PaymentID: "pi_3SWk2QKiosque0Pay0001",
				AmountCents: 1500, Currency: "eur", FullyRefunded: true,
			},
		},
		{
			name: "OK/ChargeRefundedPartly",
			file: "charge.refunded.partial.json",
			want: payments.Event{
				ID: "evt_3SWk2QKiosqueRefnd0010", Type: payments.Refunded, Raw: "charge.refunded",
				Created: ago(120 * time.Second), PaymentID: "pi_3SWk2QKiosque0Pay0001",
				AmountCents: 500, Currency: "eur",
			},
		},
		{
			name: "OK/SubscriptionDeleted",
			file: "customer.subscription.deleted.json",
			want: payments.Event{
				ID: "evt_1SWm6SKiosqueSubDl0011", Type: payments.SubscriptionEnded, Raw: "customer.subscription.deleted",
				Created: ago(130 * time.Second), Reference: "don_43", Metadata: meta("don_43"),
				CustomerID: donor, SubscriptionID: sub, PaidAt: ago(200 * time.Second),
			},
		},
		{
			name: "OK/Ignored",
			file: "customer.created.json",
			want: payments.Event{
				ID: "evt_1SWk3PKiosqueCust0012", Type: payments.Ignored, Raw: "customer.created",
				Created: ago(140 * time.Second),
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
		})
	}
}

func TestParseEventSignature(t *testing.T) {
	p := newProvider(t, "http://127.0.0.1:1")
	payload := readFixture(t, "checkout.session.completed.json")
	v1 := func(secret string, ts time.Time) string {
		return "v1=" + hex.EncodeToString(webhook.ComputeSignature(ts, payload, secret))
	}
	tests := []struct {
		name    string
		body    []byte
		header  string
		wantErr bool
	}{
		{"OK", payload, sign(payload, webhookSecret, now), false},
		{"OK299sOld", payload, sign(payload, webhookSecret, ago(299*time.Second)), false},
		{"OK299sAhead", payload, sign(payload, webhookSecret, now.Add(299*time.Second)), false},
		{
			// While a secret is rolled, Stripe signs with both.
			"OKRolledSecret", payload,
			fmt.Sprintf("t=%d,%s,%s", now.Unix(), v1("whsec_old", now), v1(webhookSecret, now)), false,
		},
		{"OKV0Ignored", payload, fmt.Sprintf("t=%d,v0=deadbeef,%s", now.Unix(), v1(webhookSecret, now)), false},
		{"ErrWrongSecret", payload, sign(payload, "whsec_someone_else", now), true},
		{"ErrTamperedBody", []byte(strings.Replace(string(payload), `"amount_total": 1500`, `"amount_total": 150000`, 1)),
			sign(payload, webhookSecret, now), true},
		{"ErrTooOld", payload, sign(payload, webhookSecret, ago(301*time.Second)), true},
		{"ErrTooFarAhead", payload, sign(payload, webhookSecret, now.Add(301*time.Second)), true},
		{"ErrMissingHeader", payload, "", true},
		{"ErrGarbageHeader", payload, "garbage", true},
		{"ErrNoTimestamp", payload, v1(webhookSecret, now), true},
		{"ErrBadTimestamp", payload, "t=noon," + v1(webhookSecret, now), true},
		{"ErrOnlyV0", payload, fmt.Sprintf("t=%d,v0=%s", now.Unix(), hex.EncodeToString(webhook.ComputeSignature(now, payload, webhookSecret))), true},
		{"ErrTimestampNotSigned", payload, fmt.Sprintf("t=%d,%s", now.Unix(), v1(webhookSecret, ago(time.Second))), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "ErrTamperedBody" && string(tt.body) == string(payload) {
				t.Fatal("the tampering changed nothing")
			}
			ev, err := p.ParseEvent(tt.body, tt.header, now)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("ParseEvent: %v", err)
				}
				if ev.ID != "evt_1SWk2RKiosqueCompl0001" {
					t.Errorf("event id = %q", ev.ID)
				}
				return
			}
			if !errors.Is(err, payments.ErrSignature) {
				t.Fatalf("ParseEvent() error = %v, want ErrSignature", err)
			}
			if ev != nil {
				t.Errorf("ParseEvent() = %+v with an error", ev)
			}
		})
	}
}

// TestParseEventInvalid covers payloads that are signed but not events
// kiosque can read: an error, never ErrSignature, since the sender is
// Stripe and the fault is the endpoint's configuration or the payload.
func TestParseEventInvalid(t *testing.T) {
	p := newProvider(t, "http://127.0.0.1:1")
	completed := string(readFixture(t, "checkout.session.completed.json"))
	basil := fmt.Sprintf("%q", stripego.APIVersion)
	tests := []struct {
		name    string
		payload string
	}{
		{"ErrNewerReleaseTrain", strings.Replace(completed, basil, `"2025-09-30.clover"`, 1)},
		{"ErrLegacyVersion", strings.Replace(completed, basil, `"2020-08-27"`, 1)},
		{"ErrNoVersion", strings.Replace(completed, `"api_version": `+basil+`,`, "", 1)},
		{"ErrNotJSON", "<html>not an event</html>"},
		{"ErrNoData", `{"id":"evt_1","object":"event","api_version":` + basil + `,"created":1795867000,"type":"invoice.paid"}`},
		{"ErrObjectNotAnObject", `{"id":"evt_1","object":"event","api_version":` + basil + `,"created":1795867000,"type":"invoice.paid","data":{"object":"in_1"}}`},
		{"ErrWrongFieldType", strings.Replace(completed, `"amount_total": 1500`, `"amount_total": "quinze euros"`, 1)},
		{"ErrNoID", strings.Replace(completed, `"id": "evt_1SWk2RKiosqueCompl0001"`, `"id": ""`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.payload == completed {
				t.Fatal("the edit changed nothing")
			}
			payload := []byte(tt.payload)
			ev, err := p.ParseEvent(payload, sign(payload, webhookSecret, now), now)
			if err == nil {
				t.Fatalf("ParseEvent() = %+v, want an error", ev)
			}
			if errors.Is(err, payments.ErrSignature) {
				t.Errorf("ParseEvent() error = %v, want no ErrSignature for a signed payload", err)
			}
		})
	}
}

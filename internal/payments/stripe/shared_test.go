package stripe_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
)

// sharedStripe is the team's collection of real Stripe documents, beside
// the checkout (never edited; see its SOURCES.md).
var sharedStripe = filepath.Join("..", "..", "..", "..", "shared", "testdata", "stripe")

func sharedDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join(sharedStripe, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: no shared Stripe documents at %s (%v)", dir, err)
	}
	return dir
}

// TestParseEventSharedEvents runs the full events of stripe-ruby-mock
// through ParseEvent. Their api_version is 2020-08-27 (or none), not of
// the basil release train, so each must be refused with a plain error,
// as an endpoint left on an old version would be; one of the basil train
// would have to parse.
func TestParseEventSharedEvents(t *testing.T) {
	dir := sharedDir(t, "stripe-ruby-mock")
	p := newProvider(t, "http://127.0.0.1:1")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no documents in %s: %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			payload, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var head struct {
				ID         string `json:"id"`
				Type       string `json:"type"`
				APIVersion string `json:"api_version"`
			}
			if err := json.Unmarshal(payload, &head); err != nil {
				t.Fatal(err)
			}
			ev, err := p.ParseEvent(payload, sign(payload, webhookSecret, now), now)
			if !strings.HasSuffix(head.APIVersion, "."+stripego.APIMajorVersion) {
				if err == nil || errors.Is(err, payments.ErrSignature) {
					t.Fatalf("api_version %q: ParseEvent() = %+v, %v; want a plain error", head.APIVersion, ev, err)
				}
				t.Logf("api_version %q refused as expected: %.120s", head.APIVersion, err)
				return
			}
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if ev.ID != head.ID || ev.Raw != head.Type {
				t.Errorf("event = %s %s, want %s %s", ev.ID, ev.Raw, head.ID, head.Type)
			}
		})
	}
}

// TestParseEventSharedObjects wraps the real objects collected from
// pay-rails (event data without its envelope) in a basil event envelope
// of our own, signs it and parses it, so the mapping is tried on objects
// Stripe actually sent rather than only on kiosque's fixtures.
// invoice.payment_failed is basil-shaped (parent.subscription_details);
// the others predate basil but the fields read are unchanged.
func TestParseEventSharedObjects(t *testing.T) {
	dir := sharedDir(t, "pay")
	p := newProvider(t, "http://127.0.0.1:1")
	created := ago(time.Minute)
	tests := []struct {
		name string
		file string
		typ  string
		want payments.Event
	}{
		{
			name: "OK/CheckoutCompleted",
			file: "checkout.session.completed.json",
			typ:  "checkout.session.completed",
			want: payments.Event{
				Type:       payments.CheckoutCompleted,
				SessionID:  "cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT",
				CustomerID: "cus_M5wW9RPFk9xNZ5", SubscriptionID: "sub_1LNkeSKXBGcbgpbZ7jMqOPSi",
				Paid: true, AmountCents: 1900, Currency: "usd", Email: "chris@gorails.com", Name: "Chris Oliver",
			},
		},
		{
			name: "OK/ChargeRefunded",
			file: "charge.refunded.json",
			typ:  "charge.refunded",
			want: payments.Event{
				Type: payments.Refunded, PaymentID: "pm_1234", CustomerID: "cus_0dUMWLtzCTagWs",
				AmountCents: 500, Currency: "usd",
			},
		},
		{
			name: "OK/InvoicePaymentFailed",
			file: "invoice.payment_failed.json",
			typ:  "invoice.payment_failed",
			want: payments.Event{
				Type: payments.InvoiceFailed, InvoiceID: "in_1234", CustomerID: "cus_1234", SubscriptionID: "sub_1234",
				AmountCents: 24900, Currency: "usd", Email: "customer@example.org", Name: "Example Customer",
				Metadata: map[string]string{"license_id": "0"},
			},
		},
		{
			name: "OK/InvoicePaid",
			file: "invoice.json",
			typ:  "invoice.paid",
			want: payments.Event{
				Type: payments.InvoicePaid, InvoiceID: "in_1RFFohKXBGcbgpbZk9MxzDMc", CustomerID: "cus_S9YwWMaQEgeJYO",
				AmountCents: 24512, Currency: "usd", Email: "missouri@example.org", Name: "Missouri",
				PaidAt: time.Unix(1744986363, 0).UTC(),
			},
		},
		{
			name: "OK/SubscriptionDeleted",
			file: "subscription.deleted.json",
			typ:  "customer.subscription.deleted",
			want: payments.Event{
				Type: payments.SubscriptionEnded, SubscriptionID: "sub_00000000000000", CustomerID: "cus_00000000000000",
				PaidAt: time.Unix(1546925027, 0).UTC(),
			},
		},
		{
			name: "OK/SubscriptionCreatedIgnored",
			file: "subscription.created.json",
			typ:  "customer.subscription.created",
			want: payments.Event{Type: payments.Ignored},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var data map[string]json.RawMessage
			if err := json.Unmarshal(doc, &data); err != nil {
				t.Fatal(err)
			}
			if _, ok := data["object"]; !ok || string(data["object"]) == `"invoice"` {
				// A bare object, not an event's data.
				data = map[string]json.RawMessage{"object": doc}
			}
			payload, err := json.Marshal(map[string]any{
				"id": "evt_shared_" + strings.ReplaceAll(tt.typ, ".", "_"), "object": "event",
				"api_version": stripego.APIVersion, "created": created.Unix(), "type": tt.typ,
				"livemode": false, "pending_webhooks": 1, "data": data,
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.ParseEvent(payload, sign(payload, webhookSecret, now), now)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			want := tt.want
			want.ID, want.Raw, want.Created = "evt_shared_"+strings.ReplaceAll(tt.typ, ".", "_"), tt.typ, created
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

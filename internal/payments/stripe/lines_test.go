package stripe_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

// newProviderAt is newProvider with its clock stopped at now, for
// expiries.
func newProviderAt(tb testing.TB, backendURL string, now time.Time) *stripe.Provider {
	tb.Helper()
	p, err := stripe.New(stripe.Config{
		SecretKey:         stripemock.SecretKey,
		WebhookSecret:     webhookSecret,
		BackendURL:        backendURL,
		MaxNetworkRetries: stripego.Int64(0),
		Clock:             clock.NewFixed(now),
	})
	if err != nil {
		tb.Fatalf("new provider: %v", err)
	}
	return p
}

// checkForm reports the form values (or headers, under headerPrefix) of r
// that differ from want, and the fields of absent that r carries.
func checkForm(t *testing.T, r recorded, want map[string]string, absent []string) {
	t.Helper()
	route := r.Method + " " + r.Path
	for k, w := range want {
		var got string
		var ok bool
		if h, isHeader := strings.CutPrefix(k, headerPrefix); isHeader {
			got, ok = r.Header.Get(h), r.Header.Get(h) != ""
		} else if vs := r.Form[k]; len(vs) == 1 {
			got, ok = vs[0], true
		}
		if !ok || got != w {
			t.Errorf("%s %s = %q, want %q", route, k, got, w)
		}
	}
	for _, k := range absent {
		if _, ok := r.Form[k]; ok {
			t.Errorf("%s has %s = %q, want none", route, k, r.Form.Get(k))
		}
	}
}

// orderRequest is a shop order: two books, one of them used and bought
// twice, and the shipping as a line of its own.
func orderRequest() payments.CheckoutRequest {
	return payments.CheckoutRequest{
		Reference:   "cmd_7",
		Mode:        payments.OneOff,
		Kind:        payments.KindOrder,
		AmountCents: 4100,
		Lines: []payments.CheckoutLine{
			{Name: "Roseanna", Description: "Maj Sjöwall, Per Wahlöö — TVA 5,5 % incluse", UnitCents: 2200, Quantity: 1},
			{Name: "Certaines n'avaient jamais vu la mer — occasion", UnitCents: 800, Quantity: 2},
			{Name: "Frais de port (Colissimo)", UnitCents: 300, Quantity: 1},
		},
		ExpiresAt:      now.Add(45 * time.Minute),
		Currency:       "eur",
		Description:    "Commande cmd_7 à la librairie du Veilleur",
		Email:          "jeanne.roux@example.fr",
		Locale:         "fr",
		SuccessURL:     "https://veilleur.example/librairie/merci",
		CancelURL:      "https://veilleur.example/librairie/panier",
		IdempotencyKey: "checkout:cmd_7",
	}
}

func TestCreateCheckoutLines(t *testing.T) {
	mock := stripemock.Start(t)
	const session = "POST /v1/checkout/sessions"
	orderForm := map[string]string{
		"mode":                                   "payment",
		"submit_type":                            "pay",
		"client_reference_id":                    "cmd_7",
		"expires_at":                             strconv.FormatInt(now.Add(45*time.Minute).Unix(), 10),
		"line_items[0][price_data][currency]":    "eur",
		"line_items[0][price_data][unit_amount]": "2200",
		"line_items[0][price_data][product_data][name]":        "Roseanna",
		"line_items[0][price_data][product_data][description]": "Maj Sjöwall, Per Wahlöö — TVA 5,5 % incluse",
		"line_items[0][quantity]":                              "1",
		"line_items[1][price_data][unit_amount]":               "800",
		"line_items[1][price_data][product_data][name]":        "Certaines n'avaient jamais vu la mer — occasion",
		"line_items[1][quantity]":                              "2",
		"line_items[2][price_data][currency]":                  "eur",
		"line_items[2][price_data][unit_amount]":               "300",
		"line_items[2][price_data][product_data][name]":        "Frais de port (Colissimo)",
		"line_items[2][quantity]":                              "1",
		"metadata[kiosque_reference]":                          "cmd_7",
		"metadata[kiosque_kind]":                               "order",
		"payment_intent_data[description]":                     "Commande cmd_7 à la librairie du Veilleur",
		"payment_intent_data[metadata][kiosque_reference]":     "cmd_7",
		"payment_intent_data[metadata][kiosque_kind]":          "order",
		"success_url":                    "https://veilleur.example/librairie/merci?session_id={CHECKOUT_SESSION_ID}",
		headerPrefix + "Idempotency-Key": "checkout:cmd_7",
	}
	// The site has the buyer's address: Stripe must not ask for one.
	orderAbsent := []string{"line_items[3][quantity]", "line_items[1][price_data][product_data][description]",
		"line_items[2][price_data][product_data][description]", "shipping_address_collection[allowed_countries][0]",
		"shipping_options[0][shipping_rate]", "line_items[0][price]"}

	tests := []struct {
		name          string
		edit          func(*payments.CheckoutRequest)
		want          map[string]string
		absent        []string
		wantExpiresAt time.Time
	}{
		{
			name:          "OK/Order",
			edit:          func(*payments.CheckoutRequest) {},
			want:          orderForm,
			absent:        orderAbsent,
			wantExpiresAt: now.Add(45 * time.Minute),
		},
		{
			// A pickup at a bookshop may ship for nothing; the line stays
			// so the buyer sees it.
			name: "OK/FreeShippingLine",
			edit: func(r *payments.CheckoutRequest) {
				r.Lines[2] = payments.CheckoutLine{Name: "Retrait en librairie", UnitCents: 0, Quantity: 1}
				r.AmountCents = 3800
			},
			want: map[string]string{"line_items[2][price_data][unit_amount]": "0",
				"line_items[2][price_data][product_data][name]": "Retrait en librairie", "submit_type": "pay"},
			wantExpiresAt: now.Add(45 * time.Minute),
		},
		{
			// A gift that names no kind stays a gift, one line of its
			// amount, with the button "donate", however long it is open.
			name: "OK/DonationLongestExpiry",
			edit: func(r *payments.CheckoutRequest) {
				*r = oneOffRequest()
				r.ExpiresAt = now.Add(payments.MaxCheckoutExpiry)
			},
			want: map[string]string{"submit_type": "donate", "metadata[kiosque_kind]": "donation",
				"line_items[0][price_data][unit_amount]": "1500", "line_items[0][quantity]": "1",
				"expires_at": strconv.FormatInt(now.Add(24*time.Hour).Unix(), 10)},
			absent:        []string{"line_items[1][quantity]"},
			wantExpiresAt: now.Add(24 * time.Hour),
		},
		{
			// The caller's metadata cannot change the kind.
			name: "OK/KindWins",
			edit: func(r *payments.CheckoutRequest) { r.Metadata = map[string]string{payments.KindKey: "donation"} },
			want: map[string]string{"metadata[kiosque_kind]": "order", "payment_intent_data[metadata][kiosque_kind]": "order",
				"submit_type": "pay"},
			wantExpiresAt: now.Add(45 * time.Minute),
		},
		{
			name: "OK/ShortestExpiry",
			edit: func(r *payments.CheckoutRequest) { r.ExpiresAt = now.Add(payments.MinCheckoutExpiry) },
			want: map[string]string{"expires_at": strconv.FormatInt(now.Add(30*time.Minute+30*time.Second).Unix(), 10)},
			// stripe-mock echoes the expires_at it was sent.
			wantExpiresAt: now.Add(30*time.Minute + 30*time.Second),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, backend := newRecorder(t, mock, nil)
			p := newProviderAt(t, backend, now)
			req := orderRequest()
			tt.edit(&req)

			got, err := p.CreateCheckout(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateCheckout: %v", err)
			}
			if got.ID == "" || got.URL == "" {
				t.Errorf("session = %+v, want an id and a url", got)
			}
			if !got.ExpiresAt.Equal(tt.wantExpiresAt) {
				t.Errorf("ExpiresAt = %s, want %s", got.ExpiresAt, tt.wantExpiresAt)
			}
			reqs := rec.requests()
			if diff := cmp.Diff([]string{session}, routes(reqs)); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
			if reqs[0].Status != http.StatusOK {
				t.Fatalf("stripe-mock answered %d: %s", reqs[0].Status, reqs[0].Body)
			}
			checkForm(t, reqs[0], tt.want, tt.absent)
		})
	}
}

func TestCreateCheckoutLinesInvalid(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	p := newProviderAt(t, srv.URL, now)

	tests := []struct {
		name    string
		edit    func(*payments.CheckoutRequest)
		wantMsg string
	}{
		{"ErrSumMismatch", func(r *payments.CheckoutRequest) { r.AmountCents = 3800 }, "amount 3800 is not the lines' total 4100"},
		{"ErrShippingLeftOut", func(r *payments.CheckoutRequest) { r.Lines = r.Lines[:2] }, "amount 4100 is not the lines' total 3800"},
		{"ErrLinesMonthly", func(r *payments.CheckoutRequest) { r.Mode = payments.Monthly }, "lines are for one-off checkouts only"},
		{"ErrLineNoName", func(r *payments.CheckoutRequest) { r.Lines[1].Name = " " }, "line 2: name is required"},
		{"ErrLineZeroQuantity", func(r *payments.CheckoutRequest) { r.Lines[0].Quantity = 0 }, "line 1 \"Roseanna\": quantity 0"},
		{"ErrLineNegativeUnit", func(r *payments.CheckoutRequest) { r.Lines[2].UnitCents = -300 }, "unit amount -300"},
		{"ErrLineOverflow", func(r *payments.CheckoutRequest) { r.Lines[0].Quantity = 1 << 62 }, "quantity 4611686018427387904"},
		{"ErrTooManyLines", func(r *payments.CheckoutRequest) {
			r.Lines = make([]payments.CheckoutLine, 101)
			for i := range r.Lines {
				r.Lines[i] = payments.CheckoutLine{Name: "Marque-page", UnitCents: 100, Quantity: 1}
			}
			r.AmountCents = 10100
		}, "101 lines, at most 100"},
		{"ErrExpiryTooSoon", func(r *payments.CheckoutRequest) { r.ExpiresAt = now.Add(30 * time.Minute) }, "is 30m0s from now, must be between 30m30s and 24h0m0s"},
		{"ErrExpiryPast", func(r *payments.CheckoutRequest) { r.ExpiresAt = now.Add(-time.Minute) }, "is -1m0s from now"},
		{"ErrExpiryTooLate", func(r *payments.CheckoutRequest) { r.ExpiresAt = now.Add(24*time.Hour + time.Second) }, "is 24h0m1s from now"},
		{"ErrUnknownKind", func(r *payments.CheckoutRequest) { r.Kind = "membership" }, `unknown kind "membership"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := orderRequest()
			tt.edit(&req)
			_, err := p.CreateCheckout(context.Background(), req)
			if err == nil {
				t.Fatal("CreateCheckout succeeded, want an error")
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
		t.Errorf("%d requests sent for invalid checkouts, want none", n)
	}
}

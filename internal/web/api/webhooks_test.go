package api_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

const whsec = "whsec_kiosque_webhook_http"

func TestStripeWebhook(t *testing.T) {
	backend := stripemock.Start(t)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Clock: clk, Configure: func(c *config.Config) {
		c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, whsec, backend
	}})
	ctx := context.Background()
	if _, err := s.App.Donations.Start(ctx, donations.Gift{AmountCents: 2500, Frequency: donations.OneOff, Email: "ines@example.org",
		FirstNames: "Inès", LastName: "Lambert", SuccessURL: s.URL + "/soutenir/merci/", CancelURL: s.URL + "/soutenir/", Description: "Don au Veilleur"}); err != nil {
		t.Fatal(err)
	}
	var ref string
	if err := s.App.DB.SQLWrite().QueryRowContext(ctx, "SELECT reference FROM donations ORDER BY id DESC LIMIT 1").Scan(&ref); err != nil {
		t.Fatal(err)
	}
	body, _ := stripemock.Event(t, whsec, clk.Now(), "evt_http_1", "checkout.session.completed", map[string]any{
		"id": "cs_http", "object": "checkout.session", "client_reference_id": ref, "payment_status": "paid",
		"amount_total": 2500, "currency": "eur", "payment_intent": "pi_http"})
	send := func(payload []byte, signature string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/webhooks/stripe", bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		if signature != "" {
			req.Header.Set("Stripe-Signature", signature)
		}
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	sign := func(secret string, at time.Time) string { return stripemock.Sign(body, secret, at) }
	status := func() donations.Status {
		d, err := s.App.Donations.Store.DonationByReference(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}

	cases := []struct {
		name      string
		signature string
		want      int
	}{
		{"ErrUnsigned", "", http.StatusBadRequest},
		{"ErrWrongSecret", sign("whsec_someone_else", clk.Now()), http.StatusBadRequest},
		{"ErrReplayedLater", sign(whsec, clk.Now().Add(-6*time.Minute)), http.StatusBadRequest},
		{"ErrGarbled", "t=1,v1=zz", http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := send(body, c.signature); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
			if status() != donations.StatusPending {
				t.Fatal("a refused event changed the gift")
			}
		})
	}
	t.Run("OKOnce", func(t *testing.T) {
		sig := sign(whsec, clk.Now())
		for range 2 {
			if got := send(body, sig); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
		}
		if status() != donations.StatusPaid {
			t.Fatal("the signed event did not mark the gift paid")
		}
	})
	t.Run("ErrTampered", func(t *testing.T) {
		tampered := bytes.Replace(body, []byte(`"amount_total":2500`), []byte(`"amount_total":9999`), 1)
		if got := send(tampered, sign(whsec, clk.Now())); got != http.StatusBadRequest {
			t.Errorf("status %d", got)
		}
	})
}

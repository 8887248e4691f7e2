package stripe_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

func TestNew(t *testing.T) {
	valid := stripe.Config{SecretKey: "sk_test_123", WebhookSecret: "whsec_123"}
	tests := []struct {
		name    string
		edit    func(*stripe.Config)
		wantErr bool
	}{
		{"OK", func(*stripe.Config) {}, false},
		{"OKRestrictedKey", func(c *stripe.Config) { c.SecretKey = "rk_live_123" }, false},
		{"OKBackendURL", func(c *stripe.Config) { c.BackendURL = "http://127.0.0.1:12111" }, false},
		{"OKNoRetries", func(c *stripe.Config) { c.MaxNetworkRetries = stripego.Int64(0) }, false},
		{"ErrNoSecretKey", func(c *stripe.Config) { c.SecretKey = "" }, true},
		{"ErrPublishableKey", func(c *stripe.Config) { c.SecretKey = "pk_test_123" }, true},
		{"ErrNoWebhookSecret", func(c *stripe.Config) { c.WebhookSecret = "" }, true},
		{"ErrWebhookSecretIsAKey", func(c *stripe.Config) { c.WebhookSecret = "sk_test_123" }, true},
		{"ErrRelativeBackendURL", func(c *stripe.Config) { c.BackendURL = "127.0.0.1:12111" }, true},
		{"ErrNegativeRetries", func(c *stripe.Config) { c.MaxNetworkRetries = stripego.Int64(-1) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.edit(&cfg)
			p, err := stripe.New(cfg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("New() error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && p == nil {
				t.Fatal("New() = nil, nil")
			}
		})
	}
}

func TestCancelSubscription(t *testing.T) {
	mock := stripemock.Start(t)
	tests := []struct {
		name            string
		id              string
		stubs           map[string]stub
		wantRoutes      []string
		wantErr         bool
		wantUnavailable bool
	}{
		{
			name:       "OK",
			id:         "sub_1SWk3QKiosqueMonth43",
			wantRoutes: []string{"DELETE /v1/subscriptions/sub_1SWk3QKiosqueMonth43"},
		},
		{
			name:    "ErrEmptyID",
			id:      "",
			wantErr: true,
		},
		{
			name: "ErrNoSuchSubscription",
			id:   "sub_gone",
			stubs: map[string]stub{"DELETE /v1/subscriptions/sub_gone": {http.StatusNotFound,
				jsonError("invalid_request_error", "resource_missing", "No such subscription: 'sub_gone'")}},
			wantRoutes: []string{"DELETE /v1/subscriptions/sub_gone"},
			wantErr:    true,
		},
		{
			name: "ErrUnavailable",
			id:   "sub_1SWk3QKiosqueMonth43",
			stubs: map[string]stub{"DELETE /v1/subscriptions/sub_1SWk3QKiosqueMonth43": {http.StatusServiceUnavailable,
				jsonError("api_error", "", "Stripe is down")}},
			wantRoutes:      []string{"DELETE /v1/subscriptions/sub_1SWk3QKiosqueMonth43"},
			wantErr:         true,
			wantUnavailable: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, backend := newRecorder(t, mock, tt.stubs)
			p := newProvider(t, backend)

			err := p.CancelSubscription(context.Background(), tt.id)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("CancelSubscription() error = %v, want error %v", err, tt.wantErr)
			}
			if got := errors.Is(err, payments.ErrUnavailable); got != tt.wantUnavailable {
				t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, got, tt.wantUnavailable)
			}
			reqs := rec.requests()
			if diff := cmp.Diff(tt.wantRoutes, routes(reqs)); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
			for _, r := range reqs {
				if got := r.Header.Get("Stripe-Version"); got != stripego.APIVersion {
					t.Errorf("Stripe-Version = %q, want %q", got, stripego.APIVersion)
				}
			}
		})
	}
}

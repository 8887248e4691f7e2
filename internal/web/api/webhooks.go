package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/shop"
)

// maxEvent bounds a webhook delivery: Stripe's events weigh a few kB.
const maxEvent = 1 << 20

// Webhooks receives the payment provider's events at /webhooks/stripe.
// It answers fast: 200 once the event is applied (or was before), 400 for
// a delivery that is not signed by the provider (nothing is recorded),
// and 500 when the database failed, so the provider delivers it again.
//
// Gifts and the bookshop share the provider account and the endpoint: each
// delivery is verified once, then handed to the bookshop when it is about
// an order, and to the donations otherwise.
type Webhooks struct {
	Donations *donations.Service
	// Shop takes the events about orders; nil sends all to Donations.
	Shop *shop.Service
	Log  *slog.Logger
}

// Register adds the webhook routes to mux.
func (wh *Webhooks) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/stripe", wh.stripe)
}

func (wh *Webhooks) stripe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if wh.Donations == nil || !wh.Donations.Online() {
		http.Error(w, "online gifts are not configured", http.StatusNotFound)
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEvent))
	if err != nil {
		http.Error(w, "event too large or unreadable", http.StatusBadRequest)
		return
	}
	err = wh.apply(r.Context(), payload, r.Header.Get("Stripe-Signature"))
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"received":true}` + "\n"))
	case apperr.Is(err, apperr.Invalid):
		wh.Log.Warn("payment event refused", "error", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusBadRequest)
	case apperr.Is(err, apperr.Conflict):
		// Out of order: the provider will deliver it again later.
		http.Error(w, "not yet", http.StatusConflict)
	default:
		wh.Log.Error("payment event failed", "error", err)
		http.Error(w, "temporary failure", http.StatusInternalServerError)
	}
}

// apply verifies a delivery and applies its event where it belongs.
func (wh *Webhooks) apply(ctx context.Context, payload []byte, signature string) error {
	ev, err := wh.Donations.ParseEvent(payload, signature)
	if err != nil {
		return err
	}
	if wh.Shop != nil {
		ours, err := wh.Shop.ApplyEvent(ctx, ev)
		if ours || err != nil {
			return err
		}
	}
	return wh.Donations.ApplyEvent(ctx, ev)
}

package stripemock

import (
	"encoding/json"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// Event returns a webhook delivery as Stripe would post it: an event of
// type typ with obj as its data.object, in the SDK's pinned API version,
// created and signed with secret at at. stripe-mock sends no webhooks:
// tests deliver these themselves.
func Event(tb testing.TB, secret string, at time.Time, id, typ string, obj map[string]any) (payload []byte, signature string) {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripego.APIVersion,
		"created": at.Unix(), "type": typ, "livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": obj}})
	if err != nil {
		tb.Fatal(err)
	}
	return body, Sign(body, secret, at)
}

// Sign returns the Stripe-Signature header of payload signed with secret
// at at.
func Sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

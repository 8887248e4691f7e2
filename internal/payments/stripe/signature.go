package stripe

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

// Tolerance is how far from now a signature's timestamp may be: Stripe's
// default, which stops a captured delivery from being replayed later.
const Tolerance = webhook.DefaultTolerance

// verifySignature checks the Stripe-Signature header of payload at now:
// one of its v1 signatures must be the HMAC-SHA256 of "{t}.{payload}" with
// secret, and t must be within Tolerance of now, either side.
//
// The SDK's own check compares with time.Now and cannot be given a clock,
// so kiosque parses the header itself (the SDK's parser is private) and
// uses the SDK's webhook.ComputeSignature and its error values. Several v1
// signatures appear while a secret is being rolled; v0 and unknown schemes
// are ignored, as the SDK does.
func verifySignature(payload []byte, header, secret string, now time.Time) error {
	if header == "" {
		return webhook.ErrNotSigned
	}
	var (
		timestamp  time.Time
		signatures [][]byte
	)
	for pair := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return webhook.ErrInvalidHeader
		}
		switch k {
		case "t":
			sec, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return webhook.ErrInvalidHeader
			}
			timestamp = time.Unix(sec, 0)
		case "v1":
			if sig, err := hex.DecodeString(v); err == nil {
				signatures = append(signatures, sig)
			}
		}
	}
	if timestamp.IsZero() {
		return webhook.ErrInvalidHeader
	}
	if len(signatures) == 0 {
		return webhook.ErrNoValidSignature
	}
	if age := now.Sub(timestamp); age > Tolerance || age < -Tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now", webhook.ErrTooOld, timestamp.UTC().Format(time.RFC3339), age)
	}
	want := webhook.ComputeSignature(timestamp, payload, secret)
	for _, sig := range signatures {
		if hmac.Equal(want, sig) {
			return nil
		}
	}
	return webhook.ErrNoValidSignature
}

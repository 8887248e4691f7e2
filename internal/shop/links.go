package shop

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Signer signs the values the shop hands to browsers (the cart cookie) and
// to customers (the link to their order), so that a changed value is
// refused rather than believed: no one can read another's cart or order by
// guessing or editing a token.
type Signer struct{ secret []byte }

// NewSigner returns a Signer under secret, which must be long and random
// (storage keeps one per site).
func NewSigner(secret []byte) *Signer { return &Signer{secret: secret} }

func (s *Signer) mac(purpose, value string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(purpose + "\x00" + value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Sign returns value and its signature for purpose, as "value.signature".
func (s *Signer) Sign(purpose, value string) string {
	return value + "." + s.mac(purpose, value)
}

// Verify returns the value signed by Sign for purpose, or false when the
// signed string was changed, truncated or made for another purpose.
func (s *Signer) Verify(purpose, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '.')
	if i <= 0 || len(s.secret) == 0 {
		return "", false
	}
	value, sig := signed[:i], signed[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	want, _ := base64.RawURLEncoding.DecodeString(s.mac(purpose, value))
	if err != nil || !hmac.Equal(got, want) {
		return "", false
	}
	return value, true
}

// The purposes of signed values.
const (
	purposeCart  = "shop-cart"
	purposeOrder = "shop-order"
)

// newToken returns an unguessable id with prefix ("cart_", "ord_").
func newToken(prefix string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b), nil
}

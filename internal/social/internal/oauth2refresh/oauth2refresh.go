// Package oauth2refresh renews the OAuth 2.0 tokens of networks whose
// refresh tokens are single-use (X, Tumblr): a refresh spends the stored
// refresh token and gives a new pair, which must reach the account's
// secrets (Credentials.Rotate) or the account is locked out.
//
// Two things make that safe here. Refreshes run one at a time per client,
// since two deliveries racing with one refresh token would leave one of
// them refused. And each new pair is kept in memory by the refresh token
// it spent, so that a call that comes again with the spent one (its
// Rotate failed, or there was none) takes the new pair and saves it,
// instead of being refused.
package oauth2refresh

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"sync"

	"github.com/kiosque/kiosque/internal/syndication"
)

// Pair is an access token and the refresh token that renews it, as a
// token endpoint answers them (RFC 6749 §5.1).
type Pair struct {
	Access  string `json:"access_token"`
	Refresh string `json:"refresh_token"`
}

// Secrets names where a network keeps an account's pair among its
// secrets, and the network, for messages.
type Secrets struct {
	Network         string
	Access, Refresh string
}

// Tokens are one account's pair for one call, and how to save a new one.
type Tokens struct {
	Pair
	Secrets Secrets
	// Rotate is the account's Credentials.Rotate; nil when nothing stores
	// the tokens (a check before saving).
	Rotate func(ctx context.Context, secrets map[string]string) error
}

// Save stores t's pair through Rotate, when something stores it; a
// failure is Transient, the pair being kept in memory for the next try.
func (t *Tokens) Save(ctx context.Context) error {
	if t.Rotate == nil {
		return nil
	}
	if err := t.Rotate(ctx, map[string]string{t.Secrets.Access: t.Access, t.Secrets.Refresh: t.Refresh}); err != nil {
		return &syndication.Error{Class: syndication.Transient, Message: "cannot save the renewed " + t.Secrets.Network + " token", Err: err}
	}
	return nil
}

// Rotator renews the tokens of one client's accounts. The zero Rotator is
// ready; it is safe for concurrent use.
type Rotator struct {
	mu sync.Mutex
	// given keeps the pair each refresh gave, by a digest of the refresh
	// token it spent.
	given map[string]Pair

	refreshMu sync.Mutex
}

// CatchUp replaces t's pair by the one an earlier refresh gave for t's
// refresh token, and saves it: the stored refresh token is spent. It does
// nothing when no refresh spent it.
func (r *Rotator) CatchUp(ctx context.Context, t *Tokens) error {
	if t.Refresh == "" {
		return nil
	}
	r.mu.Lock()
	p, ok := r.given[digest(t.Refresh)]
	r.mu.Unlock()
	if !ok {
		return nil
	}
	t.Pair = p
	return t.Save(ctx)
}

// Refresh renews t's pair with renew, which spends refresh at the
// network's token endpoint, keeps the new pair and saves it. A pair
// without a refresh token keeps the old one. When another call renewed
// the pair meanwhile, Refresh takes that one instead.
//
// A refusal of the token endpoint (a 4xx other than 429: a refresh token
// revoked or already used, a wrong client) is Auth, with the network's
// words: only a new authorization helps.
func (r *Rotator) Refresh(ctx context.Context, t *Tokens, renew func(ctx context.Context, refresh string) (Pair, error)) error {
	r.refreshMu.Lock()
	defer r.refreshMu.Unlock()
	stale := t.Access
	if err := r.CatchUp(ctx, t); err != nil || t.Access != stale {
		return err
	}
	p, err := renew(ctx, t.Refresh)
	if err != nil {
		var e *syndication.Error
		if errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests {
			e.Class = syndication.Auth
			e.Message = t.Secrets.Network + " refused to renew the token: " + e.Message
		}
		return err
	}
	spent := t.Refresh
	t.Access = p.Access
	if p.Refresh != "" {
		t.Refresh = p.Refresh
	}
	r.mu.Lock()
	if r.given == nil {
		r.given = map[string]Pair{}
	}
	r.given[digest(spent)] = t.Pair
	r.mu.Unlock()
	return t.Save(ctx)
}

// digest names a refresh token without keeping it.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

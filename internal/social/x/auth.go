package x

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"

	"github.com/kiosque/kiosque/internal/syndication"
)

// account is one X account's way to sign requests, for one call.
type account struct {
	// o1 is set for OAuth 1.0a user context, which X prefers here since
	// its tokens never expire.
	o1 *oauth1
	// OAuth 2.0 user context: a 2-hour token, its refresh token and the
	// app's client id (and secret, for a confidential client).
	token, refresh         string
	clientID, clientSecret string
	rotate                 func(ctx context.Context, secrets map[string]string) error
}

// accountOf reads creds; incomplete credentials are an Auth failure.
func accountOf(creds syndication.Credentials) (*account, error) {
	s := creds.Secrets
	if s["api_key"] != "" && s["api_secret"] != "" && s["access_token"] != "" && s["access_token_secret"] != "" {
		return &account{o1: &oauth1{consumerKey: s["api_key"], consumerSecret: s["api_secret"],
			token: s["access_token"], tokenSecret: s["access_token_secret"]}}, nil
	}
	if s["oauth2_token"] != "" {
		return &account{token: s["oauth2_token"], refresh: s["oauth2_refresh_token"],
			clientID: creds.Config["client_id"], clientSecret: s["client_secret"], rotate: creds.Rotate}, nil
	}
	return nil, &syndication.Error{Class: syndication.Auth,
		Message: "no X credentials: give api_key, api_secret, access_token and access_token_secret (OAuth 1.0a), or oauth2_token (OAuth 2.0)"}
}

// authorize sets the Authorization header of r.
func (a *account) authorize(r *http.Request, form url.Values) {
	if a.o1 != nil {
		r.Header.Set("Authorization", a.o1.authorization(r.Method, r.URL, form))
		return
	}
	r.Header.Set("Authorization", "Bearer "+a.token)
}

// canRefresh reports whether a refused OAuth 2.0 token can be renewed.
func (a *account) canRefresh() bool {
	return a.o1 == nil && a.refresh != "" && a.clientID != ""
}

// cacheKey names the account's user in the Client's cache without
// keeping its token.
func (a *account) cacheKey() string {
	t := a.token
	if a.o1 != nil {
		t = a.o1.consumerKey + "\x00" + a.o1.token
	}
	return digest(t)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// tokens are an OAuth 2.0 access token and its refresh token.
type tokens struct{ access, refresh string }

// useRotated replaces a's tokens by those an earlier call got for the
// same refresh token and could not save (no Rotate, or Rotate failed):
// X's refresh tokens are single-use, so the stored one no longer works.
func (c *Client) useRotated(ctx context.Context, a *account) error {
	if a.o1 != nil || a.refresh == "" {
		return nil
	}
	c.mu.Lock()
	t, ok := c.rotated[digest(a.refresh)]
	c.mu.Unlock()
	if !ok {
		return nil
	}
	a.token, a.refresh = t.access, t.refresh
	return a.save(ctx)
}

// save stores a's tokens through Rotate, when something stores them.
func (a *account) save(ctx context.Context) error {
	if a.rotate == nil {
		return nil
	}
	if err := a.rotate(ctx, map[string]string{"oauth2_token": a.token, "oauth2_refresh_token": a.refresh}); err != nil {
		return &syndication.Error{Class: syndication.Transient, Message: "cannot save the renewed X token", Err: err}
	}
	return nil
}

// refresh renews a's OAuth 2.0 token at POST /2/oauth2/token
// (grant_type=refresh_token; HTTP Basic with the client secret for a
// confidential client) and saves the new pair.
func (c *Client) refresh(ctx context.Context, a *account) error {
	// One refresh at a time: two deliveries racing with one single-use
	// refresh token would leave one of them refused.
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	stale := a.token
	if err := c.useRotated(ctx, a); err != nil || a.token != stale {
		return err
	}

	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {a.refresh}, "client_id": {a.clientID}}
	rep, err := c.send(ctx, request{method: http.MethodPost, path: "/2/oauth2/token", form: form,
		authorize: func(r *http.Request, _ url.Values) {
			if a.clientSecret != "" {
				r.SetBasicAuth(a.clientID, a.clientSecret)
			}
		}})
	if err != nil {
		return err
	}
	if rep.Status != http.StatusOK {
		err := apiError(rep)
		if e, ok := errorsAs(err); ok && rep.Status >= 400 && rep.Status < 500 && rep.Status != http.StatusTooManyRequests {
			// A refresh token refused (revoked, already used) or a wrong
			// client: only a new authorization helps.
			e.Class = syndication.Auth
			e.Message = "X refused to renew the token: " + e.Message
		}
		return err
	}
	var out struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := decode(rep, &out, "POST /2/oauth2/token"); err != nil {
		return err
	}
	if out.AccessToken == "" {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "X renewed the token without giving one"}
	}
	old := a.refresh
	a.token = out.AccessToken
	if out.RefreshToken != "" {
		a.refresh = out.RefreshToken
	}
	c.mu.Lock()
	if c.rotated == nil {
		c.rotated = map[string]tokens{}
	}
	c.rotated[digest(old)] = tokens{access: a.token, refresh: a.refresh}
	c.mu.Unlock()
	return a.save(ctx)
}

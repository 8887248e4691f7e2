package x

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"

	"github.com/kiosque/kiosque/internal/social/internal/oauth2refresh"
	"github.com/kiosque/kiosque/internal/syndication"
)

// account is one X account's way to sign requests, for one call.
type account struct {
	// o1 is set for OAuth 1.0a user context, which X prefers here since
	// its tokens never expire.
	o1 *oauth1
	// OAuth 2.0 user context: a 2-hour token, its single-use refresh
	// token and the app's client id (and secret, for a confidential
	// client).
	tokens                 oauth2refresh.Tokens
	clientID, clientSecret string
}

// oauth2Secrets are the secrets of an account's OAuth 2.0 tokens.
var oauth2Secrets = oauth2refresh.Secrets{Network: "X", Access: "oauth2_token", Refresh: "oauth2_refresh_token"}

// accountOf reads creds; incomplete credentials are an Auth failure.
func accountOf(creds syndication.Credentials) (*account, error) {
	s := creds.Secrets
	if s["api_key"] != "" && s["api_secret"] != "" && s["access_token"] != "" && s["access_token_secret"] != "" {
		return &account{o1: &oauth1{consumerKey: s["api_key"], consumerSecret: s["api_secret"],
			token: s["access_token"], tokenSecret: s["access_token_secret"]}}, nil
	}
	if s[oauth2Secrets.Access] != "" {
		return &account{clientID: creds.Config["client_id"], clientSecret: s["client_secret"], tokens: oauth2refresh.Tokens{
			Pair:    oauth2refresh.Pair{Access: s[oauth2Secrets.Access], Refresh: s[oauth2Secrets.Refresh]},
			Secrets: oauth2Secrets, Rotate: creds.Rotate}}, nil
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
	r.Header.Set("Authorization", "Bearer "+a.tokens.Access)
}

// canRefresh reports whether a refused OAuth 2.0 token can be renewed.
func (a *account) canRefresh() bool {
	return a.o1 == nil && a.tokens.Refresh != "" && a.clientID != ""
}

// cacheKey names the account's user in the Client's cache without
// keeping its token.
func (a *account) cacheKey() string {
	t := a.tokens.Access
	if a.o1 != nil {
		t = a.o1.consumerKey + "\x00" + a.o1.token
	}
	return digest(t)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// refresh renews a's OAuth 2.0 token at POST /2/oauth2/token
// (grant_type=refresh_token; HTTP Basic with the client secret for a
// confidential client) and saves the new pair.
func (c *Client) refresh(ctx context.Context, a *account) error {
	return c.tokens.Refresh(ctx, &a.tokens, func(ctx context.Context, refresh string) (oauth2refresh.Pair, error) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {a.clientID}}
		rep, err := c.send(ctx, request{method: http.MethodPost, path: "/2/oauth2/token", form: form,
			authorize: func(r *http.Request, _ url.Values) {
				if a.clientSecret != "" {
					r.SetBasicAuth(a.clientID, a.clientSecret)
				}
			}})
		if err != nil {
			return oauth2refresh.Pair{}, err
		}
		if rep.Status != http.StatusOK {
			return oauth2refresh.Pair{}, apiError(rep)
		}
		var out oauth2refresh.Pair
		if err := decode(rep, &out, "POST /2/oauth2/token"); err != nil {
			return oauth2refresh.Pair{}, err
		}
		if out.Access == "" {
			return oauth2refresh.Pair{}, &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "X renewed the token without giving one"}
		}
		return out, nil
	})
}

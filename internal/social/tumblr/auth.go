package tumblr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kiosque/kiosque/internal/social/internal/oauth2refresh"
	"github.com/kiosque/kiosque/internal/syndication"
)

// account is one Tumblr account for one call: its blog and OAuth 2.0
// tokens (an access token lives 42 minutes; the refresh token, single
// use, gives the next pair).
type account struct {
	blog                   string
	tokens                 oauth2refresh.Tokens
	clientID, clientSecret string
}

// tokenSecrets are the secrets of an account's tokens.
var tokenSecrets = oauth2refresh.Secrets{Network: "Tumblr", Access: "access_token", Refresh: "refresh_token"}

// accountOf reads creds; a missing blog or token is an Auth failure: the
// account needs fixing.
func accountOf(creds syndication.Credentials) (*account, error) {
	a := &account{
		blog: strings.TrimSpace(creds.Config["blog"]),
		tokens: oauth2refresh.Tokens{Pair: oauth2refresh.Pair{Access: creds.Secrets[tokenSecrets.Access], Refresh: creds.Secrets[tokenSecrets.Refresh]},
			Secrets: tokenSecrets, Rotate: creds.Rotate},
		clientID: creds.Config["client_id"], clientSecret: creds.Secrets["client_secret"],
	}
	switch {
	case a.tokens.Access == "":
		return nil, &syndication.Error{Class: syndication.Auth, Message: "no Tumblr access token"}
	case a.blog == "" || strings.ContainsAny(a.blog, "/?#% "):
		return nil, &syndication.Error{Class: syndication.Auth, Message: fmt.Sprintf("the Tumblr blog %q is no blog name, host name or uuid", a.blog)}
	}
	return a, nil
}

// canRefresh reports whether a refused token can be renewed.
func (a *account) canRefresh() bool { return a.tokens.Refresh != "" && a.clientID != "" }

// refresh renews a's token at POST /v2/oauth2/token
// (grant_type=refresh_token) and saves the new pair.
func (c *Client) refresh(ctx context.Context, a *account) error {
	return c.tokens.Refresh(ctx, &a.tokens, func(ctx context.Context, refresh string) (oauth2refresh.Pair, error) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {a.clientID}}
		if a.clientSecret != "" {
			form.Set("client_secret", a.clientSecret)
		}
		rep, err := c.send(ctx, request{method: http.MethodPost, path: "/v2/oauth2/token",
			body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded"})
		if err != nil {
			return oauth2refresh.Pair{}, err
		}
		if rep.Status != http.StatusOK {
			return oauth2refresh.Pair{}, apiError(rep)
		}
		var out oauth2refresh.Pair
		if err := json.Unmarshal(rep.Body, &out); err != nil || out.Access == "" {
			return oauth2refresh.Pair{}, &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "unreadable token from Tumblr", Err: err}
		}
		return out, nil
	})
}

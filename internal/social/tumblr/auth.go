package tumblr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kiosque/kiosque/internal/syndication"
)

// account is one Tumblr account for one call: its blog and OAuth 2.0
// tokens (an access token lives 42 minutes; the refresh token, single
// use, gives the next pair).
type account struct {
	blog                   string
	token, refresh         string
	clientID, clientSecret string
	rotate                 func(ctx context.Context, secrets map[string]string) error
}

// accountOf reads creds; a missing blog or token is an Auth failure: the
// account needs fixing.
func accountOf(creds syndication.Credentials) (*account, error) {
	a := &account{
		blog:  strings.TrimSpace(creds.Config["blog"]),
		token: creds.Secrets["access_token"], refresh: creds.Secrets["refresh_token"],
		clientID: creds.Config["client_id"], clientSecret: creds.Secrets["client_secret"],
		rotate: creds.Rotate,
	}
	switch {
	case a.token == "":
		return nil, &syndication.Error{Class: syndication.Auth, Message: "no Tumblr access token"}
	case a.blog == "" || strings.ContainsAny(a.blog, "/?#% "):
		return nil, &syndication.Error{Class: syndication.Auth, Message: fmt.Sprintf("the Tumblr blog %q is no blog name, host name or uuid", a.blog)}
	}
	return a, nil
}

// canRefresh reports whether a refused token can be renewed.
func (a *account) canRefresh() bool { return a.refresh != "" && a.clientID != "" }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// tokens are an access token and its refresh token.
type tokens struct{ access, refresh string }

// useRotated replaces a's tokens by those an earlier call got for the
// same refresh token and could not save (no Rotate, or Rotate failed):
// the stored refresh token is spent.
func (c *Client) useRotated(ctx context.Context, a *account) error {
	if a.refresh == "" {
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
	if err := a.rotate(ctx, map[string]string{"access_token": a.token, "refresh_token": a.refresh}); err != nil {
		return &syndication.Error{Class: syndication.Transient, Message: "cannot save the renewed Tumblr token", Err: err}
	}
	return nil
}

// refresh renews a's token at POST /v2/oauth2/token
// (grant_type=refresh_token) and saves the new pair.
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
	if a.clientSecret != "" {
		form.Set("client_secret", a.clientSecret)
	}
	rep, err := c.send(ctx, request{method: http.MethodPost, path: "/v2/oauth2/token",
		body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded"})
	if err != nil {
		return err
	}
	if rep.Status != http.StatusOK {
		e := apiError(rep)
		if rep.Status >= 400 && rep.Status < 500 && rep.Status != http.StatusTooManyRequests {
			// An expired or spent refresh token, or a wrong client: only
			// a new authorization helps.
			e.Class = syndication.Auth
			e.Message = "Tumblr refused to renew the token: " + e.Message
		}
		return e
	}
	var out struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(rep.Body, &out); err != nil || out.AccessToken == "" {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "unreadable token from Tumblr", Err: err}
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

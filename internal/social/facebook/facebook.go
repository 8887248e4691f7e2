// Package facebook posts to a Facebook Page with the Graph API
// (integrations.md §4): a link post on the page's feed, made with a Page
// access token and, when the app requires it, an appsecret_proof.
package facebook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/kiosque/kiosque/internal/social/internal/graph"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is the Graph API's host.
const DefaultBaseURL = "https://graph.facebook.com"

// Version is the Graph API version every call is pinned to.
const Version = graph.Version

// Client posts to Facebook Pages.
type Client struct {
	HTTP *http.Client
	// BaseURL is the Graph API's host, DefaultBaseURL unless a test
	// points it at a fake.
	BaseURL string
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a client sending with hc (httpclient.New's).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL}
}

// account is an account's settings, read from Credentials: its page,
// the Page token, and the app's secret when the app requires a proof.
type account struct {
	graph.Account
	appSecret string
}

func accountOf(creds syndication.Credentials) (account, error) {
	a, err := graph.AccountOf(creds, "page_id", "page_token", "a Graph id")
	return account{Account: a, appSecret: creds.Secrets["app_secret"]}, err
}

// params returns the authentication parameters: the Page token and, when
// the app secret is known, appsecret_proof = hex(HMAC-SHA256(key=app
// secret, message=token)), which apps with « Require App Secret » need.
func (a account) params() url.Values {
	v := url.Values{"access_token": {a.Token}}
	if a.appSecret != "" {
		v.Set("appsecret_proof", AppSecretProof(a.Token, a.appSecret))
	}
	return v
}

// AppSecretProof returns the appsecret_proof of token for an app's secret.
func AppSecretProof(token, appSecret string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

func (c *Client) url(parts ...string) string {
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return graph.BaseURL(c.BaseURL, DefaultBaseURL, Version) + "/" + strings.Join(parts, "/")
}

// Verify reads the page's name and address with the Page token.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	p := a.params()
	p.Set("fields", "name,link")
	var page struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Link string `json:"link"`
	}
	if err := graph.Do(ctx, c.HTTP, graph.Request{Method: http.MethodGet, URL: c.url(a.ID), Params: p}, &page); err != nil {
		return syndication.Profile{}, err
	}
	if page.Link == "" {
		page.Link = "https://www.facebook.com/" + a.ID
	}
	return syndication.Profile{Name: page.Name, URL: page.Link}, nil
}

// Publish posts the message with the article's link on the page's feed;
// Facebook draws the link's card from the article's OpenGraph tags.
// Facebook has no idempotency key: a lost answer is Ambiguous.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	text := at.Post.Text
	if strings.TrimSpace(text) == "" && at.Post.Link == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "nothing to post: no message and no link"}
	}
	if l := syndication.Facebook.Limit(); !l.Fits(text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: "the message is longer than Facebook allows"}
	}
	p := a.params()
	if text != "" {
		p.Set("message", text)
	}
	if at.Post.Link != "" {
		p.Set("link", at.Post.Link)
	}
	var out struct {
		ID string `json:"id"`
	}
	req := graph.Request{Method: http.MethodPost, URL: c.url(a.ID, "feed"), Params: p, Unsafe: true}
	if err := graph.Do(ctx, c.HTTP, req, &out); err != nil {
		return syndication.Remote{}, err
	}
	if out.ID == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Status: http.StatusOK,
			Message: "Facebook answered without the post's id: it may have been posted"}
	}
	return syndication.Remote{ID: out.ID, URL: "https://www.facebook.com/" + out.ID}, nil
}

// Delete removes a post the page made.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	if r.ID == "" {
		return &syndication.Error{Class: syndication.Permanent, Message: "no post id to delete"}
	}
	var out struct {
		Success bool `json:"success"`
	}
	if err := graph.Do(ctx, c.HTTP, graph.Request{Method: http.MethodDelete, URL: c.url(r.ID), Params: a.params()}, &out); err != nil {
		return err
	}
	if !out.Success {
		return &syndication.Error{Class: syndication.Permanent, Status: http.StatusOK, Message: "Facebook did not delete the post"}
	}
	return nil
}

// Package x posts articles to X (formerly Twitter) through its v2 API
// (integrations.md §3): POST /2/tweets with the text, signed with OAuth
// 1.0a user keys or sent with an OAuth 2.0 user token renewed on refusal.
//
// The post carries no uploaded picture: X draws the article's card from
// the page's twitter:card tags (summary_large_image), and a post with a
// picture attached shows the picture instead of that card, which leads
// readers to the article. Uploading would also cost three more calls and
// the media.write scope, for a worse post.
package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/kiosque/kiosque/internal/social/internal/oauth2refresh"
	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is X's API.
const DefaultBaseURL = "https://api.x.com"

var _ syndication.Publisher = (*Client)(nil)

// Client posts to X accounts. It is safe for concurrent use.
type Client struct {
	HTTP *http.Client
	// BaseURL is the API's address, DefaultBaseURL unless a test points
	// it at a fake.
	BaseURL string

	mu sync.Mutex
	// users caches each account's user name (for its posts' addresses),
	// by a digest of its token.
	users map[string]string
	// tokens renews OAuth 2.0 tokens, keeping the pair each refresh gave
	// for calls that come with the spent refresh token again.
	tokens oauth2refresh.Rotator
}

// New returns a client of X's API over hc (an httpclient client).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL}
}

// account reads creds, with the tokens of an earlier refresh when the
// stored ones are used up.
func (c *Client) account(ctx context.Context, creds syndication.Credentials) (*account, error) {
	a, err := accountOf(creds)
	if err != nil {
		return nil, err
	}
	if a.o1 == nil {
		if err := c.tokens.CatchUp(ctx, &a.tokens); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// call makes rq as a, renewing an OAuth 2.0 token X refuses once, and
// returns the answer when it is a success.
func (c *Client) call(ctx context.Context, a *account, rq request) (*wire.Reply, error) {
	rq.authorize = a.authorize
	rep, err := c.send(ctx, rq)
	if err != nil {
		return nil, err
	}
	if rep.Status == http.StatusUnauthorized && a.canRefresh() {
		if err := c.refresh(ctx, a); err != nil {
			return nil, err
		}
		if rep, err = c.send(ctx, rq); err != nil {
			return nil, err
		}
	}
	if rep.Status < 200 || rep.Status > 299 {
		return rep, apiError(rep)
	}
	return rep, nil
}

// user is the account as GET /2/users/me describes it.
type user struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// me returns the account's user and caches its user name.
func (c *Client) me(ctx context.Context, a *account) (user, error) {
	rep, err := c.call(ctx, a, request{method: http.MethodGet, path: "/2/users/me"})
	if err != nil {
		return user{}, err
	}
	var out struct {
		Data user `json:"data"`
	}
	if err := decode(rep, &out, "GET /2/users/me"); err != nil {
		return user{}, err
	}
	if out.Data.Username == "" {
		return user{}, &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "X described the account without its user name"}
	}
	c.mu.Lock()
	if c.users == nil {
		c.users = map[string]string{}
	}
	c.users[a.cacheKey()] = out.Data.Username
	c.mu.Unlock()
	return out.Data, nil
}

// Verify checks creds with GET /2/users/me.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := c.account(ctx, creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	u, err := c.me(ctx, a)
	if err != nil {
		return syndication.Profile{}, err
	}
	name := u.Name
	if name == "" {
		name = "@" + u.Username
	}
	return syndication.Profile{Name: name, URL: "https://x.com/" + u.Username}, nil
}

// username returns the account's user name, from the cache or X. A
// lookup X refuses for good (a plan without reads) leaves it empty: the
// post's address then does without it.
func (c *Client) username(ctx context.Context, a *account) (string, error) {
	c.mu.Lock()
	name, ok := c.users[a.cacheKey()]
	c.mu.Unlock()
	if ok {
		return name, nil
	}
	u, err := c.me(ctx, a)
	if err != nil && syndication.ClassOf(err) != syndication.Permanent {
		return "", err
	}
	return u.Username, nil
}

// Publish posts at.Post.Text with POST /2/tweets. X has no idempotency
// key: an answer lost after sending is Ambiguous, and a text the account
// posted recently is refused as a duplicate (Permanent, since X does not
// say which post it was).
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	text := at.Post.Text
	if strings.TrimSpace(text) == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "nothing to post: the text is empty"}
	}
	if l := syndication.X.Limit(); !l.Fits(text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the text counts %d on X, over its %d", l.Count(text), l.Max)}
	}
	a, err := c.account(ctx, creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	// Looked up before posting, so that a failure here costs nothing.
	username, err := c.username(ctx, a)
	if err != nil {
		return syndication.Remote{}, err
	}
	body, err := json.Marshal(struct {
		Text string `json:"text"`
	}{text})
	if err != nil {
		return syndication.Remote{}, fmt.Errorf("encode post: %w", err)
	}
	rep, err := c.call(ctx, a, request{method: http.MethodPost, path: "/2/tweets", body: body, creates: true})
	if err != nil {
		return syndication.Remote{}, err
	}
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(rep.Body, &out); err != nil || !digits(out.Data.ID) {
		// X said 201: the post exists, but which one is unknown, and
		// posting again would repeat it.
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Status: rep.Status,
			Message: "X accepted the post but its answer has no readable id: check the account before retrying", Err: err}
	}
	r := syndication.Remote{ID: out.Data.ID, URL: "https://x.com/i/web/status/" + out.Data.ID}
	if username != "" {
		r.URL = "https://x.com/" + username + "/status/" + out.Data.ID
	}
	return r, nil
}

// Delete removes the post with DELETE /2/tweets/:id; a post already gone
// is deleted.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	if !digits(r.ID) {
		return &syndication.Error{Class: syndication.Permanent, Message: fmt.Sprintf("%q is not an X post id", r.ID)}
	}
	a, err := c.account(ctx, creds)
	if err != nil {
		return err
	}
	rep, err := c.call(ctx, a, request{method: http.MethodDelete, path: "/2/tweets/" + r.ID})
	if err != nil {
		if rep != nil && rep.Status == http.StatusNotFound {
			return nil
		}
		return err
	}
	var out struct {
		Data struct {
			Deleted bool `json:"deleted"`
		} `json:"data"`
	}
	if err := decode(rep, &out, "DELETE /2/tweets/:id"); err != nil {
		return err
	}
	if !out.Data.Deleted {
		return &syndication.Error{Class: syndication.Permanent, Status: rep.Status, Message: "X did not delete the post"}
	}
	return nil
}

// digits reports whether s is a non-empty decimal number, as X's ids are.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

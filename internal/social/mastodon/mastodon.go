// Package mastodon posts the newsroom's articles to a Mastodon account over
// the instance's REST API (integrations.md §1): one status per article, with
// the article's link in the text so that the instance builds the link card
// from the page itself (no media is attached: a status with media shows no
// card).
//
// Mastodon is the one network with a real idempotency header: every post
// carries the delivery's key as Idempotency-Key, so a retry after a timeout
// returns the status the first try created instead of posting twice.
package mastodon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// The account settings this package reads (syndication.Mastodon.Fields).
const (
	fieldInstance    = "instance"
	fieldVisibility  = "visibility"
	fieldMaxChars    = "max_chars"
	fieldAccessToken = "access_token"
)

// visibilities are the values POST /api/v1/statuses accepts.
var visibilities = map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}

// Client speaks to Mastodon instances; the instance comes from each
// account's "instance" setting.
type Client struct {
	// HTTP makes the requests: kiosque's outbound client (httpclient.New).
	HTTP *http.Client
	// Now tells the time X-RateLimit-Reset is measured from; time.Now when nil.
	Now func() time.Time
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a Client using hc, or kiosque's default outbound client when
// hc is nil.
func New(hc *http.Client) *Client {
	if hc == nil {
		hc = httpclient.New(httpclient.Options{})
	}
	return &Client{HTTP: hc}
}

// account is an account's settings, checked.
type account struct {
	base       string // https://instance, without a trailing slash
	token      string
	visibility string
	limit      syndication.Limit
}

// accountOf reads and checks creds; a missing or malformed setting is an
// Auth failure, since the account must be fixed before anything can work.
func accountOf(creds syndication.Credentials) (account, error) {
	a := account{
		token:      strings.TrimSpace(creds.Secrets[fieldAccessToken]),
		visibility: strings.TrimSpace(creds.Config[fieldVisibility]),
		limit:      syndication.Mastodon.Limit(),
	}
	if a.token == "" {
		return a, settingError("no access token")
	}
	base, err := instanceURL(creds.Config[fieldInstance])
	if err != nil {
		return a, settingError(err.Error())
	}
	a.base = base
	if a.visibility == "" {
		a.visibility = "public"
	}
	if !visibilities[a.visibility] {
		return a, settingError(fmt.Sprintf("visibility %q is not one of public, unlisted, private, direct", a.visibility))
	}
	if s := strings.TrimSpace(creds.Config[fieldMaxChars]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return a, settingError(fmt.Sprintf("max_chars %q is not a positive number", s))
		}
		a.limit.Max = n
	}
	return a, nil
}

// instanceURL turns the "instance" setting ("mastodon.social",
// "https://mastodon.social/") into the API's base URL.
func instanceURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("no instance address")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("instance address %q is not a server address such as https://mastodon.social", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

func settingError(msg string) *syndication.Error {
	return &syndication.Error{Class: syndication.Auth, Message: "account setting: " + msg}
}

// Verify checks the token with GET /api/v1/accounts/verify_credentials and
// returns the account's display name and profile address.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	var acc struct {
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		URL         string `json:"url"`
	}
	if err := c.call(ctx, a, http.MethodGet, "/api/v1/accounts/verify_credentials", "", nil, &acc); err != nil {
		return syndication.Profile{}, err
	}
	if acc.Username == "" && acc.URL == "" {
		return syndication.Profile{}, malformed("verify credentials", errors.New("no account in the answer"))
	}
	name := acc.DisplayName
	if name == "" {
		name = "@" + acc.Username
	}
	return syndication.Profile{Name: name, URL: acc.URL}, nil
}

// statusRequest is the JSON body of POST /api/v1/statuses.
type statusRequest struct {
	Status     string `json:"status"`
	Visibility string `json:"visibility"`
	Language   string `json:"language,omitempty"`
}

// Publish posts at.Post.Text as a status with at.Key as its
// Idempotency-Key, and returns the status's id and address.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	text := at.Post.Text
	if strings.TrimSpace(text) == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "the post has no text"}
	}
	if !a.limit.Fits(text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the text counts %d characters, more than the %d the instance accepts", a.limit.Count(text), a.limit.Max)}
	}
	// Without a key a retry could post twice: refuse rather than guess.
	if at.Key == "" || strings.ContainsAny(at.Key, "\r\n") {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "the attempt has no usable idempotency key"}
	}
	body := statusRequest{Status: text, Visibility: a.visibility, Language: strings.ToLower(strings.TrimSpace(at.Post.Language))}
	var st struct {
		ID  string `json:"id"`
		URI string `json:"uri"`
		URL string `json:"url"`
	}
	if err := c.call(ctx, a, http.MethodPost, "/api/v1/statuses", at.Key, body, &st); err != nil {
		return syndication.Remote{}, err
	}
	if st.ID == "" {
		return syndication.Remote{}, malformed("post status", errors.New("no status id in the answer"))
	}
	// url is null for some visibilities on some servers; uri is always set.
	return syndication.Remote{ID: st.ID, URL: cmp.Or(st.URL, st.URI)}, nil
}

// Delete removes the status r.ID. A status already gone (404) counts as
// deleted: a retry after a lost answer must not fail.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	if r.ID == "" {
		return &syndication.Error{Class: syndication.Permanent, Message: "no status id to delete"}
	}
	err = c.call(ctx, a, http.MethodDelete, "/api/v1/statuses/"+url.PathEscape(r.ID), "", nil, nil)
	if errors.Is(err, errRecordNotFound) {
		return nil
	}
	return err
}

// call makes one API request and decodes a 2xx answer into out (when not
// nil); every failure is a classified *syndication.Error.
func (c *Client) call(ctx context.Context, a account, method, path, key string, in, out any) error {
	op := strings.ToLower(method) + " " + path
	var body []byte
	contentType := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return &syndication.Error{Class: syndication.Permanent, Message: "cannot encode the request", Err: err}
		}
		body, contentType = b, "application/json"
	}
	req, err := wire.NewRequest(ctx, method, a.base+path, body, contentType)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "cannot build the request", Err: fmt.Errorf("%s: %w", op, err)}
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rep, lost := wire.Send(c.HTTP, req)
	if lost != nil && lost.Status != 0 {
		// Safe to retry even after a POST: the key makes it idempotent.
		return &syndication.Error{Class: syndication.Transient, Status: lost.Status,
			Message: "the answer was cut off", Err: fmt.Errorf("%s: read answer: %w", op, lost.Err)}
	}
	if lost != nil {
		return transport.Error(op, lost, key != "")
	}
	if rep.Status < 200 || rep.Status > 299 {
		return c.statusError(op, rep)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(rep.Body, out); err != nil {
		return malformed(op, err)
	}
	return nil
}

// transport classifies a request that got no answer. Mastodon posts are
// idempotent by key, so a timeout or a reset is worth another try with
// the same key, which returns the status if the first try created it.
// The instance keeps a key for an hour only: a retry later than that could
// post a second status. The instance's address is the account's setting:
// a redirect loop or a private address is for a person to fix.
var transport = wire.Policy{Idempotent: true, CheckAddress: true,
	Cause: func(op string, err error) error { return fmt.Errorf("%s: %w", op, err) },
	Words: func(why wire.Reason, _ string) string {
		switch why {
		case wire.RedirectLoop:
			return "the instance answers with a redirect loop: check its address"
		case wire.PrivateAddress:
			return "the instance address is on a private network"
		case wire.Timeout:
			return "the instance did not answer in time"
		}
		return "the instance could not be reached"
	}}

// errRecordNotFound is the cause of a 404 the API itself answered
// ({"error":"Record not found"}), as opposed to a 404 page of a server
// that is not a Mastodon instance.
var errRecordNotFound = errors.New("record not found")

// apiError is Mastodon's error body: {"error": "...", "error_description": "..."}.
type apiError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// statusError classifies a non-2xx answer (integrations.md §1.3, §1.4).
func (c *Client) statusError(op string, rep *wire.Reply) *syndication.Error {
	var body apiError
	msg := http.StatusText(rep.Status)
	cause := fmt.Errorf("%s: HTTP %d", op, rep.Status)
	if json.Unmarshal(rep.Body, &body) == nil && body.Error != "" {
		msg = body.Error
		if body.Description != "" {
			msg += ": " + body.Description
		}
		if rep.Status == http.StatusNotFound {
			cause = fmt.Errorf("%s: %w", op, errRecordNotFound)
		}
	}
	e := &syndication.Error{Status: rep.Status, Message: msg, Err: cause}
	switch {
	case rep.Status == http.StatusUnauthorized, rep.Status == http.StatusForbidden:
		// 401: token revoked or invalid; 403: token without the scope, or
		// the account suspended. Either way a person must fix the account.
		e.Class = syndication.Auth
	case rep.Status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = c.retryAfter(rep.Header)
	case rep.Status >= 500:
		e.Class = syndication.Transient
	default:
		// 422 (validation: blank, too long), 404, other refusals.
		e.Class = syndication.Permanent
	}
	return e
}

// retryAfter reads how long to wait from X-RateLimit-Reset (an ISO 8601
// time, api/rate-limits.md), or from Retry-After, which a proxy in front
// of the instance may send instead.
func (c *Client) retryAfter(h http.Header) time.Duration {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if s := h.Get("X-RateLimit-Reset"); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return max(t.Sub(now()), 0)
		}
	}
	if s := h.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(s); err == nil {
			return max(t.Sub(now()), 0)
		}
	}
	return 0
}

func malformed(op string, err error) *syndication.Error {
	return &syndication.Error{Class: syndication.Transient, Message: "the instance's answer is not the JSON expected",
		Err: fmt.Errorf("%s: %w", op, err)}
}

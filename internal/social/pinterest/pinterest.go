// Package pinterest pins an article to a Pinterest board with the
// Pinterest API v5 (integrations.md, Addendum): the article's image,
// title, link and alt text, with the message as the pin's description.
package pinterest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is the Pinterest API's host.
const DefaultBaseURL = "https://api.pinterest.com"

// The limits of a pin (API v5, « Create Pin »).
const (
	MaxTitle       = 100
	MaxDescription = 500
	MaxAltText     = 500
	MaxLink        = 2048
)

// defaultRetryAfter is the wait after a 429 that does not say how long.
const defaultRetryAfter = time.Minute

// Client pins to Pinterest.
type Client struct {
	HTTP *http.Client
	// BaseURL is the API's host, DefaultBaseURL unless a test points it
	// at a fake.
	BaseURL string
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a client sending with hc (httpclient.New's).
func New(hc *http.Client) *Client {
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL}
}

type account struct{ boardID, token string }

func accountOf(creds syndication.Credentials) (account, error) {
	a := account{boardID: strings.TrimSpace(creds.Config["board_id"]), token: creds.Secrets["access_token"]}
	switch {
	case a.boardID == "":
		return a, &syndication.Error{Class: syndication.Auth, Message: "the account has no board_id"}
	case a.token == "":
		return a, &syndication.Error{Class: syndication.Auth, Message: "the account has no access_token"}
	}
	return a, nil
}

// MediaSource is a pin's image, fetched by Pinterest from its address.
type MediaSource struct {
	SourceType string `json:"source_type"`
	URL        string `json:"url"`
}

// PinCreate is the body of POST /v5/pins.
type PinCreate struct {
	BoardID     string      `json:"board_id"`
	MediaSource MediaSource `json:"media_source"`
	Link        string      `json:"link,omitempty"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	AltText     string      `json:"alt_text,omitempty"`
}

// Pin is the part of a pin kiosque reads.
type Pin struct {
	ID      string `json:"id"`
	BoardID string `json:"board_id"`
}

// APIError is Pinterest's error body.
type APIError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// PinOf returns the pin a post makes on board: the title shortened on a
// word boundary to MaxTitle characters, the alt text to MaxAltText.
func PinOf(board string, p syndication.Post) (PinCreate, error) {
	switch {
	case strings.TrimSpace(p.ImageURL) == "":
		return PinCreate{}, &syndication.Error{Class: syndication.Permanent, Message: "an image is required"}
	case !syndication.Pinterest.Limit().Fits(p.Text):
		return PinCreate{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the description is longer than %d characters", MaxDescription)}
	case len(p.Link) > MaxLink:
		return PinCreate{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the link is longer than %d characters", MaxLink)}
	}
	return PinCreate{BoardID: board, MediaSource: MediaSource{SourceType: "image_url", URL: p.ImageURL},
		Link: p.Link, Title: fit(p.Title, MaxTitle), Description: p.Text, AltText: fit(p.ImageAlt, MaxAltText)}, nil
}

// fit shortens s to n characters on a word boundary, with an ellipsis.
func fit(s string, n int) string {
	s = strings.TrimSpace(s)
	l := syndication.Limit{Max: n, Unit: syndication.Runes}
	if out, ok := l.Shorten(s); ok && utf8.RuneCountInString(out) <= n {
		return out
	}
	// Only a link longer than n, which Shorten never cuts.
	return string([]rune(s)[:n-1]) + syndication.Ellipsis
}

// Verify reads the user the token opens and the board pins go to.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	var user struct {
		Username     string `json:"username"`
		BusinessName string `json:"business_name"`
	}
	if err := c.do(ctx, a, http.MethodGet, "/v5/user_account", nil, false, &user); err != nil {
		return syndication.Profile{}, err
	}
	var board struct {
		Name  string `json:"name"`
		Owner struct {
			Username string `json:"username"`
		} `json:"owner"`
	}
	if err := c.do(ctx, a, http.MethodGet, "/v5/boards/"+url.PathEscape(a.boardID), nil, false, &board); err != nil {
		return syndication.Profile{}, err
	}
	return syndication.Profile{Name: fmt.Sprintf("%s · %s", cmp.Or(user.BusinessName, user.Username), board.Name),
		URL: "https://www.pinterest.com/" + url.PathEscape(user.Username) + "/"}, nil
}

// Publish creates the pin. Pinterest has no idempotency key: a lost
// answer is Ambiguous.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	body, err := PinOf(a.boardID, at.Post)
	if err != nil {
		return syndication.Remote{}, err
	}
	var pin Pin
	if err := c.do(ctx, a, http.MethodPost, "/v5/pins", body, true, &pin); err != nil {
		return syndication.Remote{}, err
	}
	if pin.ID == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Status: http.StatusCreated,
			Message: "Pinterest answered without the pin's id: it may have been pinned"}
	}
	return syndication.Remote{ID: pin.ID, URL: "https://www.pinterest.com/pin/" + url.PathEscape(pin.ID) + "/"}, nil
}

// Delete removes a pin.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	if r.ID == "" {
		return &syndication.Error{Class: syndication.Permanent, Message: "no pin id to delete"}
	}
	return c.do(ctx, a, http.MethodDelete, "/v5/pins/"+url.PathEscape(r.ID), nil, false, nil)
}

// transport classifies Pinterest's requests that got no answer, by the
// Graph APIs' rules (graph.Do): Pinterest has no idempotency key.
var transport = wire.Policy{Words: wire.Brief("no answer after the pin was sent: it may have been pinned"),
	Cause: wire.Prefix, TellCanceled: true}

// do sends a request with the Bearer token and decodes a successful
// answer into out (unless nil). unsafe marks a call without idempotency.
// Every failure is a *syndication.Error.
func (c *Client) do(ctx context.Context, a account, method, path string, in any, unsafe bool, out any) error {
	op := method + " " + path
	var body []byte
	contentType := ""
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return &syndication.Error{Class: syndication.Permanent, Message: "invalid pin", Err: fmt.Errorf("%s: %w", op, err)}
		}
		body, contentType = data, "application/json"
	}
	req, err := wire.NewRequest(ctx, method, wire.BaseURL(c.BaseURL, DefaultBaseURL)+path, body, contentType)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "invalid request", Err: fmt.Errorf("%s: %w", op, err)}
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	rep, lost := wire.Send(c.HTTP, req)
	if lost != nil {
		return transport.Error(op, lost, unsafe)
	}
	if rep.Status >= 200 && rep.Status < 300 {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(rep.Body, out); err != nil {
			e := &syndication.Error{Class: syndication.Transient, Status: rep.Status, Message: "malformed answer (not the expected JSON)",
				Err: fmt.Errorf("%s: decode: %w", op, err)}
			if unsafe {
				e.Class, e.Message = syndication.Ambiguous, "malformed answer to a pin: it may have been pinned"
			}
			return e
		}
		return nil
	}
	return errorOf(op, rep.Status, rep.Header, rep.Body)
}

// errorOf classifies a failed answer: 401 Auth, 429 RateLimited, 5xx
// Transient, any other 4xx Permanent, with Pinterest's message.
func errorOf(op string, status int, h http.Header, data []byte) *syndication.Error {
	var ae APIError
	msg := fmt.Sprintf("HTTP %d", status)
	if json.Unmarshal(data, &ae) == nil && ae.Message != "" {
		msg = ae.Message
	} else if status < 500 {
		msg += " (not a Pinterest error)"
	}
	e := &syndication.Error{Status: status, Message: msg, Err: fmt.Errorf("%s: HTTP %d, code %d", op, status, ae.Code)}
	switch {
	case status == http.StatusUnauthorized:
		e.Class = syndication.Auth
	case status == http.StatusTooManyRequests:
		e.Class, e.RetryAfter = syndication.RateLimited, retryAfter(h)
	case status >= 500 || status < 400:
		e.Class = syndication.Transient
	default:
		e.Class = syndication.Permanent
	}
	return e
}

// retryAfter reads Retry-After (seconds), else X-RateLimit-Reset
// (seconds to wait, or a Unix time).
func retryAfter(h http.Header) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && n > 0 {
		if n > 1_000_000_000 {
			if d := time.Until(time.Unix(n, 0)); d > 0 {
				return d
			}
			return defaultRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	return defaultRetryAfter
}

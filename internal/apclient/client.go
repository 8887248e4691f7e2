// Package apclient is the site's ActivityPub client: it fetches other
// servers' documents and delivers activities to their inboxes, each
// request signed with the publication's key (package httpsig), through
// the one outbound HTTP client (package httpclient). It implements
// federation.Fetcher.
package apclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/httpsig"
)

// MaxDocument bounds a fetched document: an actor or a note is a few
// kilobytes, and a server that sends more is not read further.
const MaxDocument = 1 << 20

// accept is what a fetch asks for: ActivityPub's JSON, then the JSON-LD
// profile some servers answer to only.
const accept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// Client signs and sends requests. It is safe for concurrent use.
type Client struct {
	http  *http.Client
	key   func(ctx context.Context) (httpsig.Key, error)
	clock clock.Clock
}

var _ federation.Fetcher = (*Client)(nil)

// New returns a client sending through hc, signing with the key that key
// returns (the publication's, loaded once by the caller).
func New(hc *http.Client, key func(ctx context.Context) (httpsig.Key, error), clk clock.Clock) *Client {
	return &Client{http: hc, key: key, clock: clk}
}

// Get implements federation.Fetcher.
func (c *Client) Get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, &federation.RemoteError{Err: err}
	}
	req.Header.Set("Accept", accept)
	res, err := c.send(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(res.Body, MaxDocument+1))
	if err != nil {
		return nil, &federation.RemoteError{Status: res.StatusCode, Temporary: true, Err: err}
	}
	if len(body) > MaxDocument {
		return nil, &federation.RemoteError{Status: res.StatusCode, Err: fmt.Errorf("document over %d bytes", MaxDocument)}
	}
	return body, nil
}

// Post implements federation.Fetcher.
func (c *Client) Post(ctx context.Context, inbox string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return &federation.RemoteError{Err: err}
	}
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Accept", accept)
	res, err := c.send(ctx, req, body)
	if err != nil {
		return err
	}
	// Read a little of the answer, so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	return nil
}

// send signs req and sends it, turning a failure into the errors of
// federation.Fetcher.
func (c *Client) send(ctx context.Context, req *http.Request, body []byte) (*http.Response, error) {
	key, err := c.key(ctx)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if err := httpsig.SignRequest(req, body, key, c.clock.Now()); err != nil {
		return nil, &federation.RemoteError{Err: err}
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, &federation.RemoteError{Temporary: ctx.Err() == nil, Err: err}
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return res, nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 300))
	_ = res.Body.Close()
	switch res.StatusCode {
	case http.StatusGone:
		return nil, federation.ErrGone
	case http.StatusNotFound:
		return nil, federation.ErrNotFound
	}
	re := &federation.RemoteError{Status: res.StatusCode, RetryAfter: retryAfter(res.Header.Get("Retry-After"), c.clock.Now())}
	re.Temporary = res.StatusCode == http.StatusRequestTimeout || res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500
	if msg := strings.TrimSpace(string(snippet)); msg != "" {
		re.Err = errors.New(msg)
	}
	return nil, re
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

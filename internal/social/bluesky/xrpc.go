package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// request is one XRPC call: a query (GET with params) or a procedure
// (POST with a body, JSON unless contentType says otherwise).
type request struct {
	nsid        string
	query       url.Values
	body        []byte
	contentType string
	procedure   bool
}

// xrpcError is XRPC's error body.
type xrpcError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// send makes one call with token as Bearer ("" for none) and decodes the
// answer into out (nil to ignore it). Failures are *syndication.Error;
// err.Err is a *callError when the PDS answered.
func (c *Client) send(ctx context.Context, service string, req request, token string, out any) error {
	u := service + "/xrpc/" + req.nsid
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	method := http.MethodGet
	var body io.Reader
	if req.procedure {
		method = http.MethodPost
		if req.body != nil {
			body = bytes.NewReader(req.body)
		}
	}
	hr, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "bad service address", Err: err}
	}
	hr.Header.Set("Accept", "application/json")
	if req.body != nil {
		ct := req.contentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return transportError(req.nsid, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return transportError(req.nsid, err)
	}
	if resp.StatusCode != http.StatusOK {
		return statusError(req.nsid, resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: resp.StatusCode,
			Message: req.nsid + " answered malformed JSON", Err: err}
	}
	return nil
}

// callError is the PDS's refusal, kept as the cause of a *syndication.Error
// so that the session code can tell an expired token from the rest.
type callError struct {
	Status int
	Name   string
}

func (e *callError) Error() string { return fmt.Sprintf("HTTP %d %s", e.Status, e.Name) }

// transportError classifies a call that got no answer. A timeout is
// Transient even after the request went out: a post's record key makes
// the retry safe, and Publish asks the repository before giving up.
func transportError(nsid string, err error) error {
	switch {
	case errors.Is(err, httpclient.ErrTooManyRedirects):
		return &syndication.Error{Class: syndication.Permanent, Message: nsid + ": redirect loop at the service address", Err: err}
	case errors.Is(err, httpclient.ErrPrivateAddress):
		return &syndication.Error{Class: syndication.Permanent, Message: nsid + ": the service address is on a private network", Err: err}
	case httpclient.IsTimeout(err):
		return &syndication.Error{Class: syndication.Transient, Message: nsid + ": no answer in time", Err: err}
	}
	return &syndication.Error{Class: syndication.Transient, Message: nsid + ": no answer", Err: err}
}

// statusError classifies an answer other than 200 (integrations.md §0, §2).
func statusError(nsid string, resp *http.Response, data []byte) error {
	var xe xrpcError
	_ = json.Unmarshal(data, &xe)
	msg := xe.Error
	if xe.Message != "" {
		msg = strings.TrimPrefix(msg+": "+xe.Message, ": ")
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	e := &syndication.Error{Status: resp.StatusCode, Message: nsid + ": " + msg,
		Err: &callError{Status: resp.StatusCode, Name: xe.Error}}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(resp.Header, time.Now())
	case resp.StatusCode == http.StatusUnauthorized || authName(xe.Error):
		e.Class = syndication.Auth
	case resp.StatusCode >= 500:
		e.Class = syndication.Transient
	default:
		e.Class = syndication.Permanent
	}
	return e
}

// authName reports whether an error name says the account or its
// session is refused, whatever the status.
func authName(name string) bool {
	switch name {
	case "ExpiredToken", "InvalidToken", "AuthMissing", "AuthenticationRequired",
		"AccountTakedown", "AccountDeactivated", "AuthFactorTokenRequired":
		return true
	}
	return false
}

// retryAfter reads the PDS's RateLimit-Reset (Unix seconds), or a
// Retry-After, as a wait from now.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("RateLimit-Reset"); v != "" {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(time.Unix(sec, 0).Sub(now), time.Second)
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if sec, err := strconv.Atoi(v); err == nil {
			return max(time.Duration(sec)*time.Second, time.Second)
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), time.Second)
		}
	}
	return 0
}

// errorName returns the XRPC error name of err ("ExpiredToken") and its
// status, or "" and 0 when the PDS did not answer.
func errorName(err error) (string, int) {
	var ce *callError
	if errors.As(err, &ce) {
		return ce.Name, ce.Status
	}
	return "", 0
}

package bluesky

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

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

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
	var body []byte
	if req.procedure {
		method, body = http.MethodPost, req.body
	}
	contentType := ""
	if req.body != nil {
		contentType = cmp.Or(req.contentType, "application/json")
	}
	hr, err := wire.NewRequest(ctx, method, u, body, contentType)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "bad service address", Err: err}
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	rep, lost := wire.Send(c.HTTP, hr)
	if lost != nil {
		return transport.Error(req.nsid, lost, req.procedure)
	}
	if rep.Status != http.StatusOK {
		return statusError(req.nsid, rep)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(rep.Body, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status,
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

// transport classifies a call that got no answer. A timeout is
// Transient even after the request went out: a post's record key makes
// the retry safe, and Publish asks the repository before giving up. The
// service is the account's setting: a redirect loop or a private address
// is for a person to fix.
var transport = wire.Policy{Idempotent: true, CheckAddress: true,
	Words: func(why wire.Reason, nsid string) string {
		switch why {
		case wire.RedirectLoop:
			return nsid + ": redirect loop at the service address"
		case wire.PrivateAddress:
			return nsid + ": the service address is on a private network"
		case wire.Timeout:
			return nsid + ": no answer in time"
		}
		return nsid + ": no answer"
	}}

// statusError classifies an answer other than 200 (integrations.md §0, §2).
func statusError(nsid string, rep *wire.Reply) error {
	var xe xrpcError
	_ = json.Unmarshal(rep.Body, &xe)
	msg := xe.Error
	if xe.Message != "" {
		msg = strings.TrimPrefix(msg+": "+xe.Message, ": ")
	}
	if msg == "" {
		msg = http.StatusText(rep.Status)
	}
	e := &syndication.Error{Status: rep.Status, Message: nsid + ": " + msg,
		Err: &callError{Status: rep.Status, Name: xe.Error}}
	switch {
	case rep.Status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(rep.Header, time.Now())
	case rep.Status == http.StatusUnauthorized || authName(xe.Error):
		e.Class = syndication.Auth
	case rep.Status >= 500:
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

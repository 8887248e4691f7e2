// Package graph holds what Meta's Graph APIs share (Facebook Pages,
// Instagram, Threads): the error object and its classes, the usage
// headers that say when a throttled app may call again, and the one way
// the three clients send a request and read its answer.
package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Version is the Facebook Graph API version kiosque's Facebook and
// Instagram calls are pinned to (integrations.md §4: always pin one;
// the documentation's examples show v25.0 in 2026, and a version lives
// about two years).
const Version = "v25.0"

// DefaultRetryAfter is the wait after a Graph rate limit that says
// nothing of its length: the usage windows are an hour long at most.
const DefaultRetryAfter = 15 * time.Minute

// APIError is the Graph API's error object, the value of "error" in a
// failed answer.
type APIError struct {
	Message        string `json:"message"`
	Type           string `json:"type,omitempty"`
	Code           int    `json:"code"`
	ErrorSubcode   int    `json:"error_subcode,omitempty"`
	ErrorUserTitle string `json:"error_user_title,omitempty"`
	ErrorUserMsg   string `json:"error_user_msg,omitempty"`
	IsTransient    bool   `json:"is_transient,omitempty"`
	FBTraceID      string `json:"fbtrace_id,omitempty"`
}

// ErrorBody is a failed answer: {"error": {...}}.
type ErrorBody struct {
	Error *APIError `json:"error"`
}

// Class returns what the outbox does after e, answered with HTTP status
// (integrations.md §4 and Meta's « Handling Errors » guide).
func (e *APIError) Class(status int) syndication.Class {
	switch {
	case e.Code == 190 || e.Code == 102 || e.Code == 104 || e.Code == 10 || (e.Code >= 200 && e.Code <= 299):
		// An expired, revoked or missing token, or one without the
		// permission: someone must connect the account again.
		return syndication.Auth
	case e.Code == 4 || e.Code == 9 || e.Code == 17 || e.Code == 32 || e.Code == 341 || e.Code == 613 ||
		(e.Code >= 80001 && e.Code <= 80014):
		// App, user, page and custom rate limits (80001-80014 are the
		// Business Use Case limits: pages, Instagram…); 9 is the
		// publishing limit of Instagram and Threads.
		return syndication.RateLimited
	case e.Code == 1 || e.Code == 2 || e.Code == 9007 || e.IsTransient:
		// 9007: a container not ready to publish yet.
		return syndication.Transient
	case e.Code == 368 || e.Code == 100 || e.Code == 506:
		// Blocked for policy, an invalid parameter, a duplicate post.
		return syndication.Permanent
	}
	return classOfStatus(status)
}

func classOfStatus(status int) syndication.Class {
	switch {
	case status == http.StatusUnauthorized:
		return syndication.Auth
	case status == http.StatusTooManyRequests:
		return syndication.RateLimited
	case status >= 500:
		return syndication.Transient
	default:
		return syndication.Permanent
	}
}

// Account is the node an account posts as (a Facebook Page, an
// Instagram or Threads user) and its access token.
type Account struct{ ID, Token string }

// AccountOf reads an account's node id from the setting idField and its
// token from the secret tokenField. A missing one, or an id that would
// leave its path segment, is an Auth failure: the account must be fixed.
// what names the id the setting should hold ("an Instagram user id").
func AccountOf(creds syndication.Credentials, idField, tokenField, what string) (Account, error) {
	a := Account{ID: strings.TrimSpace(creds.Config[idField]), Token: creds.Secrets[tokenField]}
	switch {
	case a.ID == "":
		return a, &syndication.Error{Class: syndication.Auth, Message: "the account has no " + idField}
	case a.Token == "":
		return a, &syndication.Error{Class: syndication.Auth, Message: "the account has no " + tokenField}
	case strings.ContainsAny(a.ID, "/?#"):
		return a, &syndication.Error{Class: syndication.Auth, Message: idField + " is not " + what}
	}
	return a, nil
}

// BaseURL returns the address of an API's version: configured without
// its trailing slashes (a test's fake), or def when that leaves nothing.
func BaseURL(configured, def, version string) string {
	base := strings.TrimRight(configured, "/")
	if base == "" {
		base = def
	}
	return base + "/" + version
}

// Usage is one entry of the usage headers: X-App-Usage and X-Page-Usage
// hold one, X-Business-Use-Case-Usage a list per business object.
type Usage struct {
	Type                        string  `json:"type,omitempty"`
	CallCount                   float64 `json:"call_count"`
	TotalCPUTime                float64 `json:"total_cputime"`
	TotalTime                   float64 `json:"total_time"`
	EstimatedTimeToRegainAccess float64 `json:"estimated_time_to_regain_access,omitempty"`
}

// RetryAfter returns how long Meta asks to wait: Retry-After when sent,
// else the longest estimated_time_to_regain_access (minutes) of the
// usage headers; 0 when none says.
func RetryAfter(h http.Header) time.Duration {
	if s := h.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
	}
	var minutes float64
	if s := h.Get("X-Business-Use-Case-Usage"); s != "" {
		var buc map[string][]Usage
		if json.Unmarshal([]byte(s), &buc) == nil {
			for _, list := range buc {
				for _, u := range list {
					minutes = max(minutes, u.EstimatedTimeToRegainAccess)
				}
			}
		}
	}
	for _, name := range []string{"X-App-Usage", "X-Page-Usage"} {
		var u Usage
		if s := h.Get(name); s != "" && json.Unmarshal([]byte(s), &u) == nil {
			minutes = max(minutes, u.EstimatedTimeToRegainAccess)
		}
	}
	return time.Duration(minutes * float64(time.Minute))
}

// Request is one call to a Graph API.
type Request struct {
	Method string
	// URL is the address without the parameters.
	URL string
	// Params go in the query of a GET or DELETE and in the form body of
	// a POST; they carry access_token, so they never reach an error.
	Params url.Values
	// Unsafe marks a call that creates something the network has no
	// idempotency for: when it may have been acted on and its answer was
	// lost, the failure is Ambiguous instead of Transient.
	Unsafe bool
}

// transport classifies a request that got no answer: a timeout or a
// broken connection after the request was sent may have been acted on,
// which is Ambiguous for an unsafe call; before, or for a safe one, it is
// Transient. A redirect loop is Transient: the network answered without
// acting; so is a cancelled request. The cause names the request without
// its address, whose query holds the access token.
var transport = wire.Policy{Words: wire.Brief("no answer after the request was sent: it may have been posted"),
	Cause: wire.Prefix, TellCanceled: true}

// Do sends r with hc and decodes a successful answer into out (unless
// nil). Every failure is a *syndication.Error.
func Do(ctx context.Context, hc *http.Client, r Request, out any) error {
	op := r.Method + " " + redact(r.URL)
	var body []byte
	contentType := ""
	target := r.URL
	if r.Method == http.MethodPost {
		body, contentType = []byte(r.Params.Encode()), "application/x-www-form-urlencoded"
	} else if len(r.Params) > 0 {
		target += "?" + r.Params.Encode()
	}
	req, err := wire.NewRequest(ctx, r.Method, target, body, contentType)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "invalid request", Err: wire.Prefix(op, err)}
	}
	rep, lost := wire.Send(hc, req)
	if lost != nil {
		return transport.Error(op, lost, r.Unsafe)
	}
	if rep.Status >= 200 && rep.Status < 300 {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(rep.Body, out); err != nil {
			return Malformed(op, rep.Status, err, r.Unsafe)
		}
		return nil
	}
	return ErrorOf(op, rep.Status, rep.Header, rep.Body)
}

// ErrorOf classifies a failed answer with its status, headers and body.
func ErrorOf(op string, status int, h http.Header, data []byte) *syndication.Error {
	var eb ErrorBody
	if err := json.Unmarshal(data, &eb); err != nil || eb.Error == nil {
		class := classOfStatus(status)
		if class == syndication.Permanent && status < 400 {
			class = syndication.Transient
		}
		e := &syndication.Error{Class: class, Status: status, Message: fmt.Sprintf("unexpected answer (HTTP %d, not a Graph error)", status),
			Err: fmt.Errorf("%s: HTTP %d", op, status)}
		if class == syndication.RateLimited {
			e.RetryAfter = cmpOr(RetryAfter(h), DefaultRetryAfter)
		}
		return e
	}
	ge := eb.Error
	e := &syndication.Error{Class: ge.Class(status), Status: status, Message: messageOf(ge),
		Err: fmt.Errorf("%s: graph error code %d subcode %d type %s trace %s", op, ge.Code, ge.ErrorSubcode, ge.Type, ge.FBTraceID)}
	if e.Class == syndication.RateLimited {
		e.RetryAfter = cmpOr(RetryAfter(h), DefaultRetryAfter)
	}
	return e
}

// messageOf is what the delivery log shows: Meta's message, and the one
// meant for people when there is one.
func messageOf(e *APIError) string {
	msg := e.Message
	if e.ErrorUserMsg != "" && e.ErrorUserMsg != msg {
		msg += " — " + e.ErrorUserMsg
	}
	return msg
}

// Malformed classifies a successful status whose body could not be read:
// an unsafe call was probably acted on, so that is Ambiguous.
func Malformed(op string, status int, err error, unsafe bool) *syndication.Error {
	e := &syndication.Error{Class: syndication.Transient, Status: status, Message: "malformed answer (not the expected JSON)",
		Err: fmt.Errorf("%s: decode: %w", op, err)}
	if unsafe {
		e.Class = syndication.Ambiguous
		e.Message = "malformed answer to a post: it may have been posted"
	}
	return e
}

// redact returns u without its query.
func redact(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

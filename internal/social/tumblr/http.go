package tumblr

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// defaultRateWait is how long to wait after a refusal for a limit that
// names no reset: Tumblr's limits are per minute, hour and calendar day
// of its own clock, so an hourly retry finds the next day soon enough.
const defaultRateWait = time.Hour

// request is one call to the API.
type request struct {
	method, path string
	body         []byte
	contentType  string
	// creates marks the call that publishes: Tumblr has no idempotency
	// key, so losing its answer after it was sent is Ambiguous.
	creates bool
	// token is sent as Bearer when not empty.
	token string
}

// transport classifies Tumblr's requests that got no answer.
var transport = wire.Policy{Words: wire.Named("Tumblr", "the blog")}

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*wire.Reply, error) {
	req, err := wire.NewRequest(ctx, rq.method, wire.BaseURL(c.BaseURL, DefaultBaseURL)+rq.path, rq.body, rq.contentType)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid Tumblr API address", Err: err}
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	rep, lost := wire.Send(cmp.Or(c.HTTP, http.DefaultClient), req)
	if lost != nil {
		return nil, transport.Error(rq.method+" "+rq.path, lost, rq.creates)
	}
	return rep, nil
}

// envelope is every answer of Tumblr's API: meta mirrors the HTTP
// status, errors explain a failure.
type envelope struct {
	Meta struct {
		Status int    `json:"status"`
		Msg    string `json:"msg"`
	} `json:"meta"`
	Response json.RawMessage `json:"response"`
	Errors   []struct {
		Title  string `json:"title"`
		Code   int    `json:"code"`
		Detail string `json:"detail"`
	} `json:"errors"`
	// The token endpoint answers as OAuth 2.0 does (RFC 6749 §5.2).
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// message is the failure in Tumblr's words.
func (e envelope) message() string {
	var parts []string
	for _, er := range e.Errors {
		m := er.Title
		if er.Detail != "" && er.Detail != er.Title {
			m = strings.TrimSpace(m + ": " + er.Detail)
		}
		if er.Code != 0 {
			m += fmt.Sprintf(" (%d)", er.Code)
		}
		parts = append(parts, m)
	}
	if len(parts) == 0 && e.Error != "" {
		parts = append(parts, strings.TrimSpace(e.Error+": "+e.ErrorDescription))
	}
	if len(parts) == 0 {
		return e.Meta.Msg
	}
	return strings.Join(parts, "; ")
}

// hasCode reports whether one of the errors has code.
func (e envelope) hasCode(code int) bool {
	for _, er := range e.Errors {
		if er.Code == code {
			return true
		}
	}
	return false
}

// dailyPostLimit is the error subcode of a blog's daily posting limit
// (403.8023).
const dailyPostLimit = 8023

// apiError classifies an answer that is not a success.
func apiError(rep *wire.Reply) *syndication.Error {
	var env envelope
	_ = json.Unmarshal(rep.Body, &env) // an HTML or empty answer leaves env empty
	msg := env.message()
	if msg == "" {
		msg = http.StatusText(rep.Status)
	}
	e := &syndication.Error{Status: rep.Status, Message: msg}
	switch {
	case rep.Status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(rep.Header)
	case rep.Status == http.StatusForbidden && env.hasCode(dailyPostLimit):
		e.Class = syndication.RateLimited
		e.RetryAfter = defaultRateWait
	case rep.Status == http.StatusUnauthorized:
		e.Class = syndication.Auth
	case rep.Status >= 500:
		e.Class = syndication.Transient
	default:
		e.Class = syndication.Permanent
	}
	return e
}

// retryAfter reads how long Tumblr asks to wait: Retry-After, or the
// reset (in seconds) of the exhausted hourly or daily window.
func retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	var wait time.Duration
	for _, window := range []string{"Perhour", "Perday"} {
		if h.Get("X-Ratelimit-"+window+"-Remaining") != "0" {
			continue
		}
		if s, err := strconv.Atoi(h.Get("X-Ratelimit-" + window + "-Reset")); err == nil && s > 0 {
			wait = max(wait, time.Duration(s)*time.Second)
		}
	}
	if wait == 0 {
		return defaultRateWait
	}
	return wait
}

// decode reads the response of a success answer into out.
func decode(rep *wire.Reply, out any, op string) error {
	var env envelope
	err := json.Unmarshal(rep.Body, &env)
	if err == nil {
		err = json.Unmarshal(env.Response, out)
	}
	if err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status,
			Message: fmt.Sprintf("unreadable answer from Tumblr to %s", op), Err: err}
	}
	return nil
}

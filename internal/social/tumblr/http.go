package tumblr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// defaultRateWait is how long to wait after a refusal for a limit that
// names no reset: Tumblr's limits are per minute, hour and calendar day
// of its own clock, so an hourly retry finds the next day soon enough.
const defaultRateWait = time.Hour

// reply is an answer of Tumblr, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

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

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*reply, error) {
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, c.baseURL()+rq.path, body)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid Tumblr API address", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				sent.Store(true)
			}
		},
	}))
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, transportError(rq, err, sent.Load())
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, transportError(rq, err, true)
	}
	return &reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// transportError classifies a request that got no answer.
func transportError(rq request, err error, sent bool) error {
	op := rq.method + " " + rq.path
	switch {
	case errors.Is(err, httpclient.ErrTooManyRedirects):
		return &syndication.Error{Class: syndication.Transient, Message: "Tumblr answered " + op + " with a redirect loop", Err: err}
	case rq.creates && sent:
		return &syndication.Error{Class: syndication.Ambiguous,
			Message: "no answer from Tumblr after the post was sent: it may have been published, check the blog before retrying", Err: err}
	case httpclient.IsTimeout(err):
		return &syndication.Error{Class: syndication.Transient, Message: "Tumblr did not answer " + op + " in time", Err: err}
	default:
		return &syndication.Error{Class: syndication.Transient, Message: "cannot reach Tumblr for " + op, Err: err}
	}
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
func apiError(rep *reply) *syndication.Error {
	var env envelope
	_ = json.Unmarshal(rep.body, &env) // an HTML or empty answer leaves env empty
	msg := env.message()
	if msg == "" {
		msg = http.StatusText(rep.status)
	}
	e := &syndication.Error{Status: rep.status, Message: msg}
	switch {
	case rep.status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(rep.header)
	case rep.status == http.StatusForbidden && env.hasCode(dailyPostLimit):
		e.Class = syndication.RateLimited
		e.RetryAfter = defaultRateWait
	case rep.status == http.StatusUnauthorized:
		e.Class = syndication.Auth
	case rep.status >= 500:
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
func decode(rep *reply, out any, op string) error {
	var env envelope
	err := json.Unmarshal(rep.body, &env)
	if err == nil {
		err = json.Unmarshal(env.Response, out)
	}
	if err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.status,
			Message: fmt.Sprintf("unreadable answer from Tumblr to %s", op), Err: err}
	}
	return nil
}

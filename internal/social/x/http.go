package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/syndication"
)

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// defaultRateWait is how long to wait after a 429 without reset headers:
// X's windows are 15 minutes long.
const defaultRateWait = 15 * time.Minute

// reply is an answer of X, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// request is one call to the API.
type request struct {
	method, path string
	// body is JSON, nil for none.
	body []byte
	// form is a form body (the token endpoint), signed with OAuth 1.0a.
	form url.Values
	// creates marks a call that publishes: X has no idempotency key, so
	// losing its answer after it was sent is Ambiguous, not Transient.
	creates bool
	// authorize sets the Authorization header.
	authorize func(r *http.Request, form url.Values)
}

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*reply, error) {
	var body io.Reader
	switch {
	case rq.body != nil:
		body = bytes.NewReader(rq.body)
	case rq.form != nil:
		body = strings.NewReader(rq.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, strings.TrimRight(c.baseURL(), "/")+rq.path, body)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid X API address", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	switch {
	case rq.body != nil:
		req.Header.Set("Content-Type", "application/json")
	case rq.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rq.authorize(req, rq.form)

	// sent turns true once the whole request went out: a failure after
	// that may come after X acted on it.
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
		return &syndication.Error{Class: syndication.Transient, Message: "X answered " + op + " with a redirect loop", Err: err}
	case rq.creates && sent:
		return &syndication.Error{Class: syndication.Ambiguous,
			Message: "no answer from X after the post was sent: it may have been published, check the account before retrying", Err: err}
	case httpclient.IsTimeout(err):
		return &syndication.Error{Class: syndication.Transient, Message: "X did not answer " + op + " in time", Err: err}
	default:
		return &syndication.Error{Class: syndication.Transient, Message: "cannot reach X for " + op, Err: err}
	}
}

// problem is X's error answer: an RFC 7807 problem, or a list of
// errors for an invalid request.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Status int    `json:"status"`
	Errors []struct {
		Message string `json:"message"`
		Detail  string `json:"detail"`
	} `json:"errors"`
	// The token endpoint answers as OAuth 2.0 does (RFC 6749 §5.2).
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// message is the problem in X's words.
func (p problem) message() string {
	msg := p.Detail
	if msg == "" {
		msg = p.Title
	}
	var more []string
	for _, e := range p.Errors {
		if m := strings.TrimSpace(e.Message + " " + e.Detail); m != "" && m != msg {
			more = append(more, m)
		}
	}
	if len(more) > 0 {
		if msg != "" {
			msg += ": "
		}
		msg += strings.Join(more, "; ")
	}
	if msg == "" {
		msg = strings.TrimSpace(p.Error + " " + p.ErrorDescription)
	}
	return msg
}

// duplicateDetail is how X words its refusal of a text the account
// posted recently.
const duplicateDetail = "duplicate content"

// authProblems are 403 problem types that come from the credentials, not
// the post (a read-only app, an app outside a Project, a token type the
// endpoint does not take): every post would fail until they are fixed.
var authProblems = []string{"/problems/oauth1-permissions", "/problems/client-forbidden", "/problems/unsupported-authentication"}

// apiError classifies an answer that is not the expected one.
func apiError(rep *reply) error {
	var p problem
	_ = json.Unmarshal(rep.body, &p) // an HTML or empty answer leaves p empty
	msg := p.message()
	if msg == "" {
		msg = http.StatusText(rep.status)
	}
	e := &syndication.Error{Status: rep.status, Message: msg}
	switch {
	case rep.status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(rep.header, time.Now())
	case rep.status == http.StatusUnauthorized:
		e.Class = syndication.Auth
	case rep.status == http.StatusForbidden && strings.Contains(msg, duplicateDetail):
		// X refuses a text the account posted recently and does not say
		// which post it was, so the earlier post cannot be taken for this
		// one: the delivery stops, with X's words.
		e.Class = syndication.Permanent
		e.Message = msg + " (X does not give the id of the earlier post)"
	case rep.status == http.StatusForbidden && hasSuffix(p.Type, authProblems):
		e.Class = syndication.Auth
	case rep.status >= 500:
		e.Class = syndication.Transient
	default:
		e.Class = syndication.Permanent
	}
	return e
}

func hasSuffix(s string, suffixes []string) bool {
	for _, suf := range suffixes {
		if s != "" && strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// retryAfter reads when X's exhausted limit resets: the 15-minute window
// (x-rate-limit-*) or the 24-hour caps on posting (x-user-limit-24hour-*,
// x-app-limit-24hour-*), whichever is exhausted and resets last. X sends
// no Retry-After.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var latest int64
	for _, prefix := range []string{"x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour"} {
		reset, err := strconv.ParseInt(h.Get(prefix+"-reset"), 10, 64)
		if err != nil {
			continue
		}
		// A daily cap with posts left is not what refused this one.
		if rem := h.Get(prefix + "-remaining"); prefix != "x-rate-limit" && rem != "" && rem != "0" {
			continue
		}
		latest = max(latest, reset)
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		latest = max(latest, now.Unix()+int64(s))
	}
	if latest == 0 {
		return defaultRateWait
	}
	return max(time.Unix(latest, 0).Sub(now), time.Second)
}

// decode reads a success answer into out.
func decode(rep *reply, out any, op string) error {
	if err := json.Unmarshal(rep.body, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.status,
			Message: fmt.Sprintf("unreadable answer from X to %s", op), Err: err}
	}
	return nil
}

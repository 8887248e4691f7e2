package x

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

	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// defaultRateWait is how long to wait after a 429 without reset headers:
// X's windows are 15 minutes long.
const defaultRateWait = 15 * time.Minute

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

// transport classifies X's requests that got no answer.
var transport = wire.Policy{Words: wire.Named("X", "the account")}

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*wire.Reply, error) {
	body, contentType := rq.body, ""
	switch {
	case rq.body != nil:
		contentType = "application/json"
	case rq.form != nil:
		body, contentType = []byte(rq.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := wire.NewRequest(ctx, rq.method, wire.BaseURL(c.BaseURL, DefaultBaseURL)+rq.path, body, contentType)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid X API address", Err: err}
	}
	rq.authorize(req, rq.form)
	rep, lost := wire.Send(cmp.Or(c.HTTP, http.DefaultClient), req)
	if lost != nil {
		return nil, transport.Error(rq.method+" "+rq.path, lost, rq.creates)
	}
	return rep, nil
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
func apiError(rep *wire.Reply) error {
	var p problem
	_ = json.Unmarshal(rep.Body, &p) // an HTML or empty answer leaves p empty
	msg := p.message()
	if msg == "" {
		msg = http.StatusText(rep.Status)
	}
	e := &syndication.Error{Status: rep.Status, Message: msg}
	switch {
	case rep.Status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = retryAfter(rep.Header, time.Now())
	case rep.Status == http.StatusUnauthorized:
		e.Class = syndication.Auth
	case rep.Status == http.StatusForbidden && strings.Contains(msg, duplicateDetail):
		// X refuses a text the account posted recently and does not say
		// which post it was, so the earlier post cannot be taken for this
		// one: the delivery stops, with X's words.
		e.Class = syndication.Permanent
		e.Message = msg + " (X does not give the id of the earlier post)"
	case rep.Status == http.StatusForbidden && hasSuffix(p.Type, authProblems):
		e.Class = syndication.Auth
	case rep.Status >= 500:
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
func decode(rep *wire.Reply, out any, op string) error {
	if err := json.Unmarshal(rep.Body, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status,
			Message: fmt.Sprintf("unreadable answer from X to %s", op), Err: err}
	}
	return nil
}

package linkedin

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

// reply is an answer of LinkedIn, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// request is one call to LinkedIn.
type request struct {
	method string
	// url is absolute: uploads go to the address LinkedIn gives.
	url         string
	body        []byte
	contentType string
	// rest marks the versioned API (/rest/…), which needs the
	// LinkedIn-Version and Rest.li protocol headers.
	rest bool
	// token is sent as Bearer when not empty.
	token string
	// creates marks the call that publishes: LinkedIn has no idempotency
	// key, so losing its answer after it was sent is Ambiguous.
	creates bool
}

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*reply, error) {
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, rq.url, body)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid LinkedIn address", Err: err}
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	if rq.token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.token)
	}
	if rq.rest {
		req.Header.Set("LinkedIn-Version", c.version())
		req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
		if rq.method == http.MethodDelete {
			req.Header.Set("X-RestLi-Method", "DELETE")
		}
	}
	req.Header.Set("Accept", "application/json")

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
	op := rq.method + " " + opPath(rq.url)
	switch {
	case errors.Is(err, httpclient.ErrTooManyRedirects):
		return &syndication.Error{Class: syndication.Transient, Message: "LinkedIn answered " + op + " with a redirect loop", Err: err}
	case rq.creates && sent:
		return &syndication.Error{Class: syndication.Ambiguous,
			Message: "no answer from LinkedIn after the post was sent: it may have been published, check the page before retrying", Err: err}
	case httpclient.IsTimeout(err):
		return &syndication.Error{Class: syndication.Transient, Message: "LinkedIn did not answer " + op + " in time", Err: err}
	default:
		return &syndication.Error{Class: syndication.Transient, Message: "cannot reach LinkedIn for " + op, Err: err}
	}
}

// opPath is the path of an address, for messages: an upload address
// carries a signature that has no place in logs.
func opPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		}
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

// apiErrorBody is LinkedIn's error answer.
type apiErrorBody struct {
	Status           int    `json:"status"`
	ServiceErrorCode int    `json:"serviceErrorCode"`
	Code             string `json:"code"`
	Message          string `json:"message"`
	ErrorDetails     struct {
		InputErrors []struct {
			Description string `json:"description"`
			Code        string `json:"code"`
			Input       struct {
				InputPath struct {
					FieldPath string `json:"fieldPath"`
				} `json:"inputPath"`
			} `json:"input"`
		} `json:"inputErrors"`
	} `json:"errorDetails"`
}

// message is the error in LinkedIn's words.
func (e apiErrorBody) message() string {
	msg := e.Message
	var more []string
	for _, ie := range e.ErrorDetails.InputErrors {
		m := ie.Description
		if p := ie.Input.InputPath.FieldPath; p != "" {
			m = p + ": " + m
		}
		if m != "" && !strings.Contains(msg, m) {
			more = append(more, m)
		}
	}
	if len(more) > 0 {
		if msg != "" {
			msg += ": "
		}
		msg += strings.Join(more, "; ")
	}
	return msg
}

// apiError classifies an answer that is not a success.
func apiError(rep *reply) *syndication.Error {
	var body apiErrorBody
	_ = json.Unmarshal(rep.body, &body) // an HTML or empty answer leaves body empty
	msg := body.message()
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
	case rep.status == http.StatusForbidden:
		// ACCESS_DENIED: the token lacks a scope (w_member_social,
		// w_organization_social) or the member no longer administers the
		// page. Every post would fail until the account is reconnected.
		e.Class = syndication.Auth
	case rep.status >= 500:
		e.Class = syndication.Transient
	default:
		// 400, 422 (a post LinkedIn refuses), 426 (a LinkedIn-Version no
		// longer served: DefaultVersion needs a bump).
		e.Class = syndication.Permanent
	}
	return e
}

// retryAfter is Retry-After when LinkedIn sends one; otherwise the wait
// until midnight UTC, when LinkedIn's daily limits reset.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h.Get("Retry-After")); err == nil && t.After(now) {
		return t.Sub(now)
	}
	now = now.UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	return midnight.Sub(now)
}

// decode reads a success answer into out.
func decode(rep *reply, out any, op string) error {
	if err := json.Unmarshal(rep.body, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.status,
			Message: fmt.Sprintf("unreadable answer from LinkedIn to %s", op), Err: err}
	}
	return nil
}

package linkedin

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

// transport classifies LinkedIn's requests that got no answer.
var transport = wire.Policy{Words: wire.Named("LinkedIn", "the page")}

// send makes one request and reads its answer; failures to get one are
// classified.
func (c *Client) send(ctx context.Context, rq request) (*wire.Reply, error) {
	req, err := wire.NewRequest(ctx, rq.method, rq.url, rq.body, rq.contentType)
	if err != nil {
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "invalid LinkedIn address", Err: err}
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
	rep, lost := wire.Send(cmp.Or(c.HTTP, http.DefaultClient), req)
	if lost != nil {
		return nil, transport.Error(rq.method+" "+opPath(rq.url), lost, rq.creates)
	}
	return rep, nil
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
func apiError(rep *wire.Reply) *syndication.Error {
	var body apiErrorBody
	_ = json.Unmarshal(rep.Body, &body) // an HTML or empty answer leaves body empty
	msg := body.message()
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
	case rep.Status == http.StatusForbidden:
		// ACCESS_DENIED: the token lacks a scope (w_member_social,
		// w_organization_social) or the member no longer administers the
		// page. Every post would fail until the account is reconnected.
		e.Class = syndication.Auth
	case rep.Status >= 500:
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
func decode(rep *wire.Reply, out any, op string) error {
	if err := json.Unmarshal(rep.Body, out); err != nil {
		return &syndication.Error{Class: syndication.Transient, Status: rep.Status,
			Message: fmt.Sprintf("unreadable answer from LinkedIn to %s", op), Err: err}
	}
	return nil
}

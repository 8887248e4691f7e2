// Package wire is the one round trip of the social networks' clients:
// it builds a request for a JSON API, sends it through the injected
// *http.Client while noting whether the request was fully written, reads
// at most MaxBody of the answer, and classifies a request that got no
// answer into syndication's classes (transport.go).
//
// Noting that a request was sent is what tells a lost post from one that
// never left: once written, the network may have acted on it, and on a
// network without idempotency a retry could post twice.
package wire

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
)

// MaxBody bounds what is read of an answer: the networks answer a post
// in a few kilobytes, and a larger answer is not one of theirs.
const MaxBody = 1 << 20

// Reply is an answer, read whole.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// NoAnswer is a request that got no whole answer.
type NoAnswer struct {
	// Err is the cause: http.Client.Do's error (a *url.Error), or the
	// error that cut the answer's body off.
	Err error
	// Sent reports whether the whole request was written: a failure after
	// that may come after the network acted on it.
	Sent bool
	// Status is the status of an answer whose body was cut off, 0 when no
	// answer came at all.
	Status int
}

// NewRequest returns a request to url that asks for JSON (Accept) and
// carries body, unless nil, labelled contentType (no Content-Type when
// "").
func NewRequest(ctx context.Context, method, url string, body []byte, contentType string) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// Send sends req with hc and reads its answer whole (up to MaxBody).
// Whatever the status, an answer is a *Reply; a request that got none, or
// whose body was cut off, is a *NoAnswer.
func Send(hc *http.Client, req *http.Request) (*Reply, *NoAnswer) {
	var sent atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				sent.Store(true)
			}
		},
	}))
	//nolint:gosec // G704: the address is the network's API or the account's server, and hc is httpclient's, which refuses private addresses.
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &NoAnswer{Err: err, Sent: sent.Load()}
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		return nil, &NoAnswer{Err: err, Sent: true, Status: resp.StatusCode}
	}
	return &Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// BaseURL returns configured without its trailing slashes, or def when
// configured is empty: a client's BaseURL is the network's own unless a
// test points it at a fake.
func BaseURL(configured, def string) string {
	return strings.TrimRight(cmp.Or(configured, def), "/")
}

// Package fake holds what the social networks' fake servers (the
// <network>test packages) share: the queue of failures a test asks a fake
// for ("the next two requests answer 429"), the failures that behave
// alike on every network (a server that hangs, an answer lost after the
// request was acted on, JSON cut in the middle, a redirect), the record
// of the requests a fake received, its JSON writer, and the OAuth 2.0
// tokens of the networks whose refresh tokens are single-use. Each fake keeps
// what is its network's own: its error bodies, its rate-limit headers,
// which failures it offers.
package fake

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Queue is the failures a fake's next requests answer with, in the order
// a test asked for them. F is the fake's failure type, whose zero value
// is no failure. The zero Queue is empty and ready; it is safe for
// concurrent use.
type Queue[F comparable] struct {
	mu      sync.Mutex
	pending []pending[F]
}

type pending[F comparable] struct {
	failure F
	match   func(*http.Request) bool
}

// Add makes the next n requests fail with f.
func (q *Queue[F]) Add(f F, n int) { q.AddFor(nil, f, n) }

// AddFor makes the next n requests that match (any request when match is
// nil) fail with f; the others pass it by.
func (q *Queue[F]) AddFor(match func(*http.Request) bool, f F, n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range n {
		q.pending = append(q.pending, pending[F]{failure: f, match: match})
	}
}

// Next takes the first failure queued for r out of the queue, and
// returns it; the zero F when none is.
func (q *Queue[F]) Next(r *http.Request) F {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.pending {
		if p.match == nil || p.match(r) {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
			return p.failure
		}
	}
	var none F
	return none
}

// Log is what a fake received, in order. The zero Log is empty and
// ready; it is safe for concurrent use.
type Log[T any] struct {
	mu    sync.Mutex
	items []T
}

// Add appends v.
func (l *Log[T]) Add(v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, v)
}

// All returns a copy of what was added, oldest first.
func (l *Log[T]) All() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.items...)
}

// Hang sends nothing until the client gives up on r, bound passes or stop
// is closed (a nil stop never is): a server that does not answer. It
// reads r's body first, since only then does the server watch the
// connection and notice the client hanging up.
func Hang(r *http.Request, bound time.Duration, stop <-chan struct{}) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-stop:
	case <-time.After(bound):
	}
}

// Lose serves r with h, throws the answer away and hangs as Hang does:
// the request is acted on (a post is made) and its answer is lost on the
// way back, the failure that makes a post ambiguous.
func Lose(h http.Handler, r *http.Request, bound time.Duration, stop <-chan struct{}) {
	h.ServeHTTP(httptest.NewRecorder(), r)
	Hang(r, bound, stop)
}

// Created returns the status of a success to r as most APIs answer it:
// 201 Created to a POST, 200 OK to any other method.
func Created(r *http.Request) int {
	if r.Method == http.MethodPost {
		return http.StatusCreated
	}
	return http.StatusOK
}

// WriteRaw answers body as it is, with status and contentType: the start
// of a JSON answer cut in the middle, or a proxy's HTML page.
func WriteRaw(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// WriteJSON answers v as JSON with status, labelled contentType (each
// network's own: "application/json", with a charset on some).
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Redirect answers status with location as the address to follow: a
// request's own address makes a redirect loop, the client coming back
// until it gives up.
func Redirect(w http.ResponseWriter, status int, location string) {
	w.Header().Set("Location", location)
	w.WriteHeader(status)
}

// Tokens are a fake's OAuth 2.0 tokens: the access token it accepts now
// and the single-use refresh token that renews it, as X and Tumblr issue
// them. Safe for concurrent use.
type Tokens struct {
	accessPrefix, refreshPrefix string

	mu              sync.Mutex
	access, refresh string
	refreshes       int
}

// NewTokens returns a first pair, its tokens random after accessPrefix
// and refreshPrefix.
func NewTokens(accessPrefix, refreshPrefix string) *Tokens {
	return &Tokens{accessPrefix: accessPrefix, refreshPrefix: refreshPrefix,
		access: accessPrefix + rand.Text(), refresh: refreshPrefix + rand.Text()}
}

// Access returns the access token accepted now.
func (t *Tokens) Access() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access
}

// Refresh returns the refresh token accepted now.
func (t *Tokens) Refresh() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refresh
}

// Refreshes returns how many pairs Renew issued.
func (t *Tokens) Refreshes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.refreshes
}

// Expire makes the access token stop working, as when its time is up.
func (t *Tokens) Expire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access = t.accessPrefix + rand.Text()
}

// Renew spends refresh, when it is the current refresh token, and issues
// a new pair; ok is false for any other (spent, revoked, empty).
func (t *Tokens) Renew(refresh string) (access, newRefresh string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if refresh == "" || refresh != t.refresh {
		return "", "", false
	}
	t.access, t.refresh = t.accessPrefix+rand.Text(), t.refreshPrefix+rand.Text()
	t.refreshes++
	return t.access, t.refresh, true
}

// Package blueskytest runs a fake Bluesky PDS (an AT Protocol personal
// data server) for tests: the XRPC calls kiosque makes, checked as the
// real PDS checks them (integrations.md §2) and answered in its JSON
// shapes, with switches to make it fail.
package blueskytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
	"github.com/kiosque/kiosque/internal/syndication"
)

// The account the fake hosts, as NewServer sets it.
const (
	Handle      = "kiosque.bsky.social"
	DID         = "did:plc:kiosque7fakepdsz2xuqaztn"
	AppPassword = "abcd-efgh-ijkl-mnop"
	DisplayName = "Kiosque — la rédaction"
)

// Limits the fake enforces, as the real PDS and the lexicons do.
const (
	// MaxThumbBytes is app.bsky.embed.external#external.thumb's maxSize.
	MaxThumbBytes = 1_000_000
	// MaxUploadBytes is the PDS's default PDS_BLOB_UPLOAD_LIMIT (5 MiB).
	MaxUploadBytes = 5 << 20
	// SessionsPerWindow is createSession's limit per account (30 / 5 min).
	SessionsPerWindow = 30
)

// Failure is a way to make the next requests fail.
type Failure int

// The failures FailNext injects.
const (
	// RateLimited answers 429 RateLimitExceeded with RateLimit-* headers
	// whose reset is RateLimitWait from now.
	RateLimited Failure = iota + 1
	// Unauthorized answers 401 AuthenticationRequired.
	Unauthorized
	// ServerError answers 500 InternalServerError.
	ServerError
	// Hang answers nothing until the client gives up (or HangFor).
	Hang
	// HangAfterWrite does the call (the record is written) and then hangs:
	// the ambiguous failure rkeys make safe.
	HangAfterWrite
	// Malformed answers 200 with a body that is not JSON.
	Malformed
	// RedirectLoop answers 302 to the same address, forever.
	RedirectLoop
)

// Post is a record app.bsky.feed.post the fake accepted, as it stored it.
type Post struct {
	URI  string
	CID  string
	Rkey string
	// Raw is the record exactly as received.
	Raw       json.RawMessage
	Text      string
	CreatedAt string
	Langs     []string
	Facets    []Facet
	// External is the link card, nil when the post has none.
	External *External
}

// Facet is an app.bsky.richtext.facet as received.
type Facet struct {
	ByteStart int
	ByteEnd   int
	// Type is the feature's $type (app.bsky.richtext.facet#link, #tag…).
	Type string
	URI  string
	Tag  string
}

// External is an app.bsky.embed.external#external as received.
type External struct {
	URI         string
	Title       string
	Description string
	// Thumb is the blob's CID, "" without a thumbnail.
	Thumb string
}

// Blob is an upload the fake accepted.
type Blob struct {
	CID      string
	MimeType string
	Size     int
	// JSON is the blob object uploadBlob answered.
	JSON json.RawMessage
}

// Server is the fake PDS. Its fields may be changed between requests.
type Server struct {
	// URL is the PDS's address, the account's "service".
	URL string
	// RateLimitWait is how far RateLimit-Reset is in a RateLimited answer.
	RateLimitWait time.Duration
	// HangFor bounds a Hang, in case the client never gives up.
	HangFor time.Duration

	srv *httptest.Server

	mu       sync.Mutex
	password string
	tokens   map[string]*token
	logins   []time.Time
	calls    map[string]int
	blobs    map[string]Blob
	uploads  []Blob
	records  map[string]*Post // by rkey
	order    []string
	seq      int

	failures fake.Queue[Failure]
}

// NewServer starts a fake PDS hosting the account Handle (DID) with the
// app password AppPassword; it stops with the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		RateLimitWait: 30 * time.Second,
		HangFor:       5 * time.Second,
		password:      AppPassword,
		tokens:        map[string]*token{},
		calls:         map[string]int{},
		blobs:         map[string]Blob{},
		records:       map[string]*Post{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Creds returns the account's settings as kiosque stores them, without a
// cached session and without Rotate.
func (s *Server) Creds() syndication.Credentials {
	return syndication.Credentials{
		Config:  map[string]string{"service": s.URL, "handle": Handle},
		Secrets: map[string]string{"app_password": AppPassword},
	}
}

// Posts returns the posts in the repository, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, 0, len(s.order))
	for _, rkey := range s.order {
		if p, ok := s.records[rkey]; ok {
			out = append(out, *p)
		}
	}
	return out
}

// Blobs returns the blobs uploaded, in order.
func (s *Server) Blobs() []Blob {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Blob(nil), s.uploads...)
}

// Calls returns how many requests the method nsid received, failed ones
// included ("com.atproto.server.createSession": the logins).
func (s *Server) Calls(nsid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[nsid]
}

// FailNext makes the next n requests to nsid ("" for any method) fail as f.
func (s *Server) FailNext(nsid string, n int, f Failure) {
	s.failures.AddFor(func(r *http.Request) bool {
		m, _ := xrpcMethod(r.URL.Path)
		return nsid == "" || m == nsid
	}, f, n)
}

// ExpireAccessTokens makes every access token issued so far expired: the
// next call with one answers 400 ExpiredToken.
func (s *Server) ExpireAccessTokens() { s.expire(accessToken) }

// ExpireRefreshTokens makes every refresh token issued so far expired.
func (s *Server) ExpireRefreshTokens() { s.expire(refreshToken) }

// RevokeAppPassword deletes the app password, as the account's owner does
// in the settings: its sessions end and it no longer logs in.
func (s *Server) RevokeAppPassword() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.password = ""
	for _, t := range s.tokens {
		t.revoked = true
	}
}

// serve routes /xrpc/{nsid} after the injected failures.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	nsid, ok := xrpcMethod(r.URL.Path)
	if !ok {
		writeError(w, http.StatusNotFound, "NotFound", "Not Found")
		return
	}
	s.mu.Lock()
	s.calls[nsid]++
	s.mu.Unlock()

	switch s.failures.Next(r) {
	case RateLimited:
		reset := time.Now().Add(s.RateLimitWait).Unix()
		w.Header().Set("RateLimit-Limit", "3000")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset, 10))
		w.Header().Set("RateLimit-Policy", "3000;w=300")
		writeError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
	case Unauthorized:
		writeError(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
	case ServerError:
		writeError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
	case Hang:
		fake.Hang(r, s.HangFor, nil)
	case HangAfterWrite:
		s.route(httptest.NewRecorder(), r, nsid)
		fake.Hang(r, s.HangFor, nil)
	case Malformed:
		fake.WriteRaw(w, http.StatusOK, jsonType, `{"uri": "at://`)
	case RedirectLoop:
		// Back to the same path on the same server, forever.
		fake.Redirect(w, http.StatusFound, r.URL.RequestURI())
	default:
		s.route(w, r, nsid)
	}
}

// route dispatches to the method's handler, checking the HTTP method as
// xrpc-server does: queries are GET, procedures POST.
func (s *Server) route(w http.ResponseWriter, r *http.Request, nsid string) {
	type method struct {
		procedure bool
		handle    func(http.ResponseWriter, *http.Request)
	}
	methods := map[string]method{
		"com.atproto.server.createSession":  {true, s.createSession},
		"com.atproto.server.refreshSession": {true, s.refreshSession},
		"com.atproto.server.getSession":     {false, s.getSession},
		"com.atproto.repo.uploadBlob":       {true, s.uploadBlob},
		"com.atproto.repo.createRecord":     {true, s.createRecord},
		"com.atproto.repo.getRecord":        {false, s.getRecord},
		"com.atproto.repo.deleteRecord":     {true, s.deleteRecord},
		"app.bsky.actor.getProfile":         {false, s.getProfile},
	}
	m, ok := methods[nsid]
	if !ok {
		writeError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
		return
	}
	want := http.MethodGet
	if m.procedure {
		want = http.MethodPost
	}
	if r.Method != want {
		writeError(w, http.StatusBadRequest, "InvalidRequest",
			fmt.Sprintf("Incorrect HTTP method (%s) expected %s", r.Method, want))
		return
	}
	m.handle(w, r)
}

// xrpcMethod returns the NSID of a path /xrpc/{nsid}.
func xrpcMethod(path string) (string, bool) {
	const prefix = "/xrpc/"
	if len(path) <= len(prefix) || path[:len(prefix)] != prefix {
		return "", false
	}
	return path[len(prefix):], true
}

// jsonType is the Content-Type of the PDS's JSON answers.
const jsonType = "application/json; charset=utf-8"

// writeJSON answers v with status 200.
func writeJSON(w http.ResponseWriter, v any) { fake.WriteJSON(w, http.StatusOK, jsonType, v) }

// writeError answers XRPC's error shape {"error", "message"}.
func writeError(w http.ResponseWriter, status int, name, message string) {
	fake.WriteJSON(w, status, jsonType, map[string]string{"error": name, "message": message})
}

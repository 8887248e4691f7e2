// Package mastodontest is a fake Mastodon instance for tests: the part of
// the REST API kiosque uses (post, read and delete a status, verify the
// token), checked as the real server checks it and answered with the real
// JSON shapes, plus switches that make the next requests fail as instances
// do (rate limit, revoked token, 500, no answer, broken JSON, redirect
// loop). Other packages' tests (the outbox, the back office) reuse it.
package mastodontest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
)

// Failure is how the fake answers a request it was told to fail.
type Failure int

// The failures FailNext injects, before the request is handled unless
// said otherwise.
const (
	// RateLimited answers 429 with X-RateLimit-* headers, the reset
	// SetRateLimitReset ahead (5 minutes by default).
	RateLimited Failure = iota + 1
	// Unauthorized answers 401 as for a revoked token.
	Unauthorized
	// ServerError answers 500 with the HTML page Rails sends.
	ServerError
	// Hang never answers: the request waits until the client gives up.
	Hang
	// HangAfterPosting handles the request (a status is posted) and then
	// never answers, as when the answer is lost on the way back.
	HangAfterPosting
	// MalformedJSON answers 200 with JSON cut in the middle.
	MalformedJSON
	// RedirectLoop answers 307 to an address that redirects to itself.
	RedirectLoop
)

// IdempotencyWindow is how long the instance remembers an Idempotency-Key
// (Mastodon keeps it in Redis for an hour).
const IdempotencyWindow = time.Hour

// Post is a status the fake received, with what matters to kiosque.
type Post struct {
	ID             string
	URL            string
	Text           string
	Visibility     string
	Language       string
	Sensitive      bool
	SpoilerText    string
	MediaIDs       []string
	IdempotencyKey string
	CreatedAt      time.Time
	Deleted        bool
}

// Request is one request the fake received.
type Request struct {
	Method         string
	Path           string
	ContentType    string
	IdempotencyKey string
}

// Server is the fake instance.
type Server struct {
	// URL is the instance's address, the "instance" setting of an account.
	URL string
	// Token is the access token it accepts with every scope.
	Token string
	// ReadToken is a token with the read scopes only: writes answer 403.
	ReadToken string
	// Username names the account the tokens open.
	Username string

	srv  *httptest.Server
	done chan struct{}

	mu          sync.Mutex
	displayName string
	maxChars    int
	offset      time.Duration
	resetIn     time.Duration
	seq         int64
	posts       []*Post
	byKey       map[string]keyEntry

	failures fake.Queue[Failure]
	requests fake.Log[Request]
}

type keyEntry struct {
	post *Post
	at   time.Time
}

// NewServer starts a fake instance, closed when tb ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{ //nolint:gosec // G101: the fake's own test tokens, not secrets
		Token:       "kiosque-test-token",
		ReadToken:   "kiosque-read-only-token",
		Username:    "lagazette",
		displayName: "La Gazette",
		done:        make(chan struct{}),
		maxChars:    500,
		resetIn:     5 * time.Minute,
		byKey:       map[string]keyEntry{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", s.verifyCredentials)
	mux.HandleFunc("POST /api/v1/statuses", s.createStatus)
	mux.HandleFunc("GET /api/v1/statuses/{id}", s.showStatus)
	mux.HandleFunc("DELETE /api/v1/statuses/{id}", s.deleteStatus)
	mux.HandleFunc("/redirect-loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/redirect-loop", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Record not found")
	})
	s.srv = httptest.NewServer(s.intercept(mux))
	s.URL = s.srv.URL
	tb.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// FailNext makes the next n requests fail with f.
func (s *Server) FailNext(n int, f Failure) {
	// The loop's own address answers its redirect whatever is queued.
	s.failures.AddFor(func(r *http.Request) bool { return r.URL.Path != "/redirect-loop" }, f, n)
}

// SetDisplayName renames the account ("" is allowed, as on Mastodon).
func (s *Server) SetDisplayName(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.displayName = name
}

// SetMaxChars sets the instance's character limit (500 by default).
func (s *Server) SetMaxChars(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxChars = n
}

// SetRateLimitReset sets how far ahead a RateLimited answer puts the reset.
func (s *Server) SetRateLimitReset(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetIn = d
}

// Advance moves the instance's clock forward, to expire idempotency keys.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

// Now returns the instance's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

func (s *Server) now() time.Time { return time.Now().UTC().Add(s.offset) }

// Posts returns the statuses posted so far, deleted ones included.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
		out[i].MediaIDs = append([]string(nil), p.MediaIDs...)
	}
	return out
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Request { return s.requests.All() }

// intercept logs each request and applies the failure queued for it.
func (s *Server) intercept(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(Request{Method: r.Method, Path: r.URL.Path,
			ContentType: r.Header.Get("Content-Type"), IdempotencyKey: r.Header.Get("Idempotency-Key")})
		switch s.failures.Next(r) {
		case RateLimited:
			s.mu.Lock()
			reset := s.now().Add(s.resetIn)
			s.mu.Unlock()
			w.Header().Set("X-RateLimit-Limit", "300")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", reset.Format("2006-01-02T15:04:05.000000Z"))
			writeError(w, http.StatusTooManyRequests, "Too many requests")
		case Unauthorized:
			unauthorized(w)
		case ServerError:
			fake.WriteRaw(w, http.StatusInternalServerError, "text/html; charset=utf-8",
				"<!DOCTYPE html>\n<html><head><title>We're sorry, but something went wrong (500)</title></head>"+
					"<body><h1>We're sorry, but something went wrong.</h1></body></html>\n")
		case Hang:
			fake.Hang(r, time.Minute, s.done)
		case HangAfterPosting:
			fake.Lose(next, r, time.Minute, s.done)
		case MalformedJSON:
			fake.WriteRaw(w, http.StatusOK, jsonType, `{"id":"1093","created_at":"2026-11-`)
		case RedirectLoop:
			http.Redirect(w, r, "/redirect-loop", http.StatusTemporaryRedirect)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// auth checks the Bearer token as Doorkeeper does; write says the call
// needs a write scope. It answers the refusal itself.
func (s *Server) auth(w http.ResponseWriter, r *http.Request, write bool) bool {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	switch {
	case !ok || (token != s.Token && token != s.ReadToken):
		unauthorized(w)
		return false
	case write && token == s.ReadToken:
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return false
	}
	return true
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`)
	writeError(w, http.StatusUnauthorized, "The access token is invalid")
}

func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, false) {
		return
	}
	s.mu.Lock()
	acc := s.account()
	count := 0
	for _, p := range s.posts {
		if !p.Deleted {
			count++
		}
	}
	s.mu.Unlock()
	acc.StatusesCount = count
	writeJSON(w, http.StatusOK, credentialAccountJSON{
		accountJSON: acc,
		Source:      sourceJSON{Privacy: "public", Language: "fr", Note: "Le journal du quartier", Fields: []fieldJSON{}},
		Role:        roleJSON{ID: "-99", Name: "", Color: "", Permissions: "0", Highlighted: false},
	})
}

// createStatus is POST /api/v1/statuses (PostStatusService): form or JSON
// parameters, Idempotency-Key, the length rule, the Status answer.
func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, true) {
		return
	}
	p, refusal := readStatusParams(w, r)
	if refusal != "" {
		writeError(w, http.StatusBadRequest, refusal)
		return
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	key := r.Header.Get("Idempotency-Key")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if key != "" {
		if e, ok := s.byKey[token+"\x00"+key]; ok && now.Sub(e.at) < IdempotencyWindow && !e.post.Deleted {
			writeJSON(w, http.StatusOK, s.status(e.post))
			return
		}
	}
	switch {
	case p.Visibility != "" && !map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}[p.Visibility]:
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("'%s' is not a valid visibility", p.Visibility))
		return
	case strings.TrimSpace(p.Status) == "" && len(p.MediaIDs) == 0:
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	case CountLength(p.Status, p.SpoilerText) > s.maxChars:
		writeError(w, http.StatusUnprocessableEntity,
			fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.maxChars))
		return
	}
	s.seq++
	// Snowflake ids, as Mastodon makes them: milliseconds then a sequence.
	id := fmt.Sprint(now.UnixMilli()<<16 | s.seq&0xffff)
	post := &Post{
		ID:             id,
		URL:            s.URL + "/@" + s.Username + "/" + id,
		Text:           p.Status,
		Visibility:     cmp.Or(p.Visibility, "public"),
		Language:       p.Language,
		Sensitive:      p.Sensitive,
		SpoilerText:    p.SpoilerText,
		MediaIDs:       p.MediaIDs,
		IdempotencyKey: key,
		CreatedAt:      now,
	}
	s.posts = append(s.posts, post)
	if key != "" {
		s.byKey[token+"\x00"+key] = keyEntry{post: post, at: now}
	}
	writeJSON(w, http.StatusOK, s.status(post))
}

func (s *Server) showStatus(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" && !s.auth(w, r, false) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("id"))
	if p == nil {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, s.status(p))
}

// deleteStatus answers the deleted status with its source text, as
// Mastodon does for "delete and redraft".
func (s *Server) deleteStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, true) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("id"))
	if p == nil {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	p.Deleted = true
	st := s.status(p)
	st.Text = &p.Text
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) find(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id && !p.Deleted {
			return p
		}
	}
	return nil
}

// languagePattern is an ISO 639 code as a status's language.
var languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)

// statusParams are the parameters of POST /api/v1/statuses kiosque may send.
type statusParams struct {
	Status      string
	Visibility  string
	Language    string
	SpoilerText string
	Sensitive   bool
	MediaIDs    []string
}

// readStatusParams reads a JSON, urlencoded or multipart body; it returns
// the refusal's message for a body that does not parse or a parameter of
// the wrong type. Like Rails, another content type yields no parameters.
func readStatusParams(w http.ResponseWriter, r *http.Request) (statusParams, string) {
	var p statusParams
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var raw map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return p, "Error occurred while parsing request parameters"
		}
		for name, dst := range map[string]*string{"status": &p.Status, "visibility": &p.Visibility,
			"language": &p.Language, "spoiler_text": &p.SpoilerText} {
			if v, ok := raw[name]; ok && string(v) != "null" {
				if err := json.Unmarshal(v, dst); err != nil {
					return p, name + " must be a string"
				}
			}
		}
		if v, ok := raw["sensitive"]; ok {
			if err := json.Unmarshal(v, &p.Sensitive); err != nil {
				return p, "sensitive must be a boolean"
			}
		}
		if v, ok := raw["media_ids"]; ok {
			if err := json.Unmarshal(v, &p.MediaIDs); err != nil {
				return p, "media_ids must be an array of strings"
			}
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		//nolint:gosec // G120: r.Body is bounded by MaxBytesReader above
		if err := r.ParseMultipartForm(1 << 20); err != nil && mt == "multipart/form-data" {
			return p, "Error occurred while parsing request parameters"
		}
		p.Status = r.PostFormValue("status")
		p.Visibility = r.PostFormValue("visibility")
		p.Language = r.PostFormValue("language")
		p.SpoilerText = r.PostFormValue("spoiler_text")
		p.Sensitive = r.PostFormValue("sensitive") == "true"
		p.MediaIDs = r.PostForm["media_ids[]"]
	}
	// An unknown language is dropped for the account's default, not refused.
	if !languagePattern.MatchString(p.Language) {
		p.Language = ""
	}
	return p, ""
}

// jsonType is the Content-Type of Mastodon's JSON answers.
const jsonType = "application/json; charset=utf-8"

func writeJSON(w http.ResponseWriter, code int, v any) { fake.WriteJSON(w, code, jsonType, v) }

// writeError answers Mastodon's error shape, {"error": "..."}.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// contentHTML renders a status's text as Mastodon's plain-text formatter
// does: paragraphs, line breaks, links.
func contentHTML(text string) string {
	var b strings.Builder
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString("</p>")
		}
		b.WriteString("<p>")
		last := 0
		for _, m := range urlPattern.FindAllStringIndex(para, -1) {
			b.WriteString(html.EscapeString(para[last:m[0]]))
			u := html.EscapeString(para[m[0]:m[1]])
			fmt.Fprintf(&b, `<a href="%s" target="_blank" rel="nofollow noopener" translate="no">%s</a>`, u, u)
			last = m[1]
		}
		b.WriteString(strings.ReplaceAll(html.EscapeString(para[last:]), "\n", "<br />"))
	}
	b.WriteString("</p>")
	return b.String()
}

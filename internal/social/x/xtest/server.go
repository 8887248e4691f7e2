// Package xtest is a fake of X's v2 API for tests: it checks requests as
// X documents them (OAuth 1.0a signatures recomputed, with stale
// timestamps and replayed nonces refused; OAuth 2.0 bearer tokens with
// single-use refresh tokens; the weighted length of a post; duplicate
// texts) and answers with X's JSON shapes, successes and problems alike.
// Fail makes its next requests fail.
package xtest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Failure is a way for the fake's next requests to fail.
type Failure int

// The failures Fail can inject.
const (
	// RateLimited answers 429 with x-rate-limit-reset RateReset ahead.
	RateLimited Failure = iota + 1
	// Unauthorized answers 401, as for a revoked token.
	Unauthorized
	// ServerError answers 503, as X does when over capacity.
	ServerError
	// Hang handles the request, then sends nothing until the client gives
	// up (or HangFor passes): a post made whose answer is lost.
	Hang
	// Malformed answers 200 (201 to a POST) with a cut JSON body, without
	// acting.
	Malformed
	// RedirectLoop answers 307 to the same address.
	RedirectLoop
)

// Post is a post the fake holds.
type Post struct {
	ID   string
	Text string
	// Auth is how the request was authorised: "oauth1" or "oauth2".
	Auth string
}

// Server is a running fake. Its exported fields are the credentials it
// accepts and the account it describes; change them before use only.
type Server struct {
	URL string

	// OAuth 1.0a keys.
	ConsumerKey, ConsumerSecret, AccessToken, AccessTokenSecret string
	// OAuth 2.0 app; a ClientSecret makes it a confidential client, which
	// must authenticate to the token endpoint with HTTP Basic.
	ClientID, ClientSecret string

	UserID, Username, Name string

	// HangFor bounds a Hang (default 3 s).
	HangFor time.Duration
	// RateReset is how far ahead a RateLimited answer's reset lies
	// (default 15 minutes).
	RateReset time.Duration

	srv *httptest.Server

	// tokens are the OAuth 2.0 user token and its refresh token.
	tokens *fake.Tokens

	mu     sync.Mutex
	nonces map[string]bool
	posts  []Post
	nextID int64

	failures fake.Queue[Failure]
	requests fake.Log[string]
}

// NewServer starts a fake, closed at the end of tb.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		ConsumerKey:       "ck" + rand.Text(),
		ConsumerSecret:    "cs" + rand.Text(),
		AccessToken:       "2244994945-" + rand.Text(),
		AccessTokenSecret: "ts" + rand.Text(),
		ClientID:          "client" + rand.Text(),
		ClientSecret:      "secret-" + rand.Text(),
		UserID:            "2244994945",
		Username:          "kiosque_test",
		Name:              "Kiosque Test",
		HangFor:           3 * time.Second,
		RateReset:         15 * time.Minute,
		tokens:            fake.NewTokens("bearer-", "refresh-"),
		nonces:            map[string]bool{},
		nextID:            1880028106020515840,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2/tweets", s.authed(s.createPost))
	mux.HandleFunc("DELETE /2/tweets/{id}", s.authed(s.deletePost))
	mux.HandleFunc("GET /2/users/me", s.authed(s.usersMe))
	mux.HandleFunc("POST /2/oauth2/token", s.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "Not Found", "Sorry, that page does not exist.", "about:blank")
	})
	s.srv = httptest.NewServer(s.inject(mux))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// OAuth2Token returns the OAuth 2.0 access token the fake accepts now.
func (s *Server) OAuth2Token() string { return s.tokens.Access() }

// RefreshToken returns the refresh token the fake accepts now.
func (s *Server) RefreshToken() string { return s.tokens.Refresh() }

// ExpireOAuth2Token makes the current access token stop working, as two
// hours after it was issued.
func (s *Server) ExpireOAuth2Token() { s.tokens.Expire() }

// Refreshes returns how many tokens the fake issued by refresh.
func (s *Server) Refreshes() int { return s.tokens.Refreshes() }

// Fail makes the next n requests fail with f.
func (s *Server) Fail(f Failure, n int) { s.failures.Add(f, n) }

// Posts returns the posts the fake holds (not deleted), oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// Requests returns "METHOD /path" of every request received.
func (s *Server) Requests() []string { return s.requests.All() }

// inject records each request and applies the next failure, if any.
func (s *Server) inject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(r.Method + " " + r.URL.Path)
		switch s.failures.Next(r) {
		case RateLimited:
			reset := time.Now().Add(s.RateReset).Unix()
			w.Header().Set("x-rate-limit-limit", "100")
			w.Header().Set("x-rate-limit-remaining", "0")
			w.Header().Set("x-rate-limit-reset", strconv.FormatInt(reset, 10))
			writeProblem(w, http.StatusTooManyRequests, "Too Many Requests", "Too Many Requests", "about:blank")
		case Unauthorized:
			writeUnauthorized(w)
		case ServerError:
			writeProblem(w, http.StatusServiceUnavailable, "Service Unavailable", "Service Unavailable", "about:blank")
		case Hang:
			fake.Lose(next, r, s.HangFor, nil)
		case Malformed:
			fake.WriteRaw(w, fake.Created(r), jsonType, `{"data": {"id": "18800`)
		case RedirectLoop:
			// Back to the same path: a loop.
			fake.Redirect(w, http.StatusTemporaryRedirect, r.URL.Path)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// authed lets through requests with valid OAuth 1.0a or OAuth 2.0 user
// credentials, as X's user-context endpoints do.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, auth string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		switch {
		case strings.HasPrefix(header, "OAuth "):
			// A JSON body is not part of the signature; a form body is.
			var form url.Values
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
				if err := r.ParseForm(); err != nil {
					writeInvalid(w, "form", err.Error())
					return
				}
				form = r.PostForm
			}
			if err := s.checkOAuth1(header, r.Method, "http://"+r.Host+r.URL.EscapedPath(), r.URL.Query(), form); err != nil {
				writeUnauthorized(w)
				return
			}
			h(w, r, "oauth1")
		case strings.HasPrefix(header, "Bearer "):
			if strings.TrimPrefix(header, "Bearer ") != s.tokens.Access() {
				writeUnauthorized(w)
				return
			}
			h(w, r, "oauth2")
		default:
			writeUnauthorized(w)
		}
	}
}

// createFields are the body fields POST /2/tweets documents.
var createFields = map[string]bool{
	"text": true, "media": true, "reply": true, "quote_tweet_id": true, "poll": true, "reply_settings": true,
	"geo": true, "for_super_followers_only": true, "direct_message_deep_link": true, "nullcast": true,
	"card_uri": true, "community_id": true, "share_with_followers": true, "made_with_ai": true, "paid_partnership": true,
}

// createPost is POST /2/tweets.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request, auth string) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeInvalid(w, "body", fmt.Sprintf("Content-Type %q is not application/json", ct))
		return
	}
	var body map[string]json.RawMessage
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		writeInvalid(w, "body", "the body is not a JSON object: "+err.Error())
		return
	}
	for k := range body {
		if !createFields[k] {
			writeInvalid(w, k, fmt.Sprintf("The `%s` field is not a valid field", k))
			return
		}
	}
	var text string
	if raw, ok := body["text"]; ok {
		if err := json.Unmarshal(raw, &text); err != nil {
			writeInvalid(w, "text", "The `text` field must be a string")
			return
		}
	}
	if strings.TrimSpace(text) == "" && body["media"] == nil {
		writeInvalid(w, "text", "The `text` field is required when `media` is absent")
		return
	}
	if l := syndication.X.Limit(); l.Count(text) > l.Max {
		writeInvalid(w, "text", fmt.Sprintf("The weighted length of the `text` field [%d] is not between 0 and %d", l.Count(text), l.Max))
		return
	}
	s.mu.Lock()
	for _, p := range s.posts {
		if p.Text == text {
			s.mu.Unlock()
			writeProblem(w, http.StatusForbidden, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", "about:blank")
			return
		}
	}
	s.nextID++
	p := Post{ID: strconv.FormatInt(s.nextID, 10), Text: text, Auth: auth}
	s.posts = append(s.posts, p)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{
		"id": p.ID, "text": p.Text, "edit_history_tweet_ids": []string{p.ID}}})
}

// deletePost is DELETE /2/tweets/{id}.
func (s *Server) deletePost(w http.ResponseWriter, r *http.Request, _ string) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.posts {
		if p.ID == id {
			s.posts = append(s.posts[:i], s.posts[i+1:]...)
			writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"deleted": true}})
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]any{
		"title":  "Not Found Error",
		"detail": "Could not find tweet with id: [" + id + "].",
		"type":   "https://api.twitter.com/2/problems/resource-not-found",
		"status": http.StatusNotFound,
	})
}

// usersMe is GET /2/users/me.
func (s *Server) usersMe(w http.ResponseWriter, _ *http.Request, _ string) {
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{
		"id": s.UserID, "name": s.Name, "username": s.Username}})
}

// token is POST /2/oauth2/token with grant_type=refresh_token: it issues
// a new access token and a new refresh token, the old one being spent.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	oauthError := func(status int, code, desc string) {
		writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthError(http.StatusBadRequest, "invalid_request", "Missing required parameter [grant_type].")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	f := r.PostForm
	if f.Get("client_id") != s.ClientID {
		oauthError(http.StatusBadRequest, "invalid_request", "Value passed for the client_id was invalid.")
		return
	}
	if s.ClientSecret != "" {
		id, secret, ok := r.BasicAuth()
		if !ok || id != s.ClientID || secret != s.ClientSecret {
			oauthError(http.StatusUnauthorized, "unauthorized_client", "Missing valid authorization header")
			return
		}
	}
	if f.Get("grant_type") != "refresh_token" {
		oauthError(http.StatusBadRequest, "invalid_request", "Value passed for the grant type was invalid.")
		return
	}
	access, refresh, ok := s.tokens.Renew(f.Get("refresh_token"))
	if !ok {
		oauthError(http.StatusBadRequest, "invalid_request", "Value passed for the token was invalid.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "bearer", "expires_in": 7200, "access_token": access,
		"scope": "tweet.write users.read tweet.read offline.access", "refresh_token": refresh,
	})
}

// jsonType is the Content-Type of X's JSON answers.
const jsonType = "application/json; charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) { fake.WriteJSON(w, status, jsonType, v) }

// writeProblem answers with X's problem JSON.
func writeProblem(w http.ResponseWriter, status int, title, detail, typ string) {
	writeJSON(w, status, map[string]any{"title": title, "detail": detail, "type": typ, "status": status})
}

func writeUnauthorized(w http.ResponseWriter) {
	writeProblem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
}

// writeInvalid answers 400 as X does for a request it cannot validate.
func writeInvalid(w http.ResponseWriter, param, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"errors": []map[string]any{{"parameters": map[string][]string{param: {}}, "message": msg}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   "https://api.twitter.com/2/problems/invalid-request",
	})
}

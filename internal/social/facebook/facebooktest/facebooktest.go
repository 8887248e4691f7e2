// Package facebooktest is a fake Graph API for a Facebook Page, for the
// tests of the Facebook client and of what uses it: it checks the pinned
// version, the Page token and the appsecret_proof, the feed's parameters,
// and answers with Graph's JSON, successes and errors.
package facebooktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/internal/graph"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Fault is a failure the server answers with; see Server.Fail.
type Fault = graphtest.Fault

// The faults.
const (
	RateLimit    = graphtest.RateLimit
	Unauthorized = graphtest.Unauthorized
	ServerError  = graphtest.ServerError
	Hang         = graphtest.Hang
	Malformed    = graphtest.Malformed
	RedirectLoop = graphtest.RedirectLoop
)

// Post is a post the page received.
type Post struct {
	ID      string
	Message string
	Link    string
}

// Server is the fake Graph API.
type Server struct {
	URL string
	// Version is the API version the server answers to.
	Version string
	// PageID, PageName and PageToken are the page and the token it
	// accepts; UserToken is its admin's user token, refused for posting
	// as Graph refuses it.
	PageID, PageName, PageToken, UserToken string
	// AppSecret, when set, makes appsecret_proof required (« Require App
	// Secret »).
	AppSecret string

	faults graphtest.Faults
	mu     sync.Mutex
	posts  []Post
	seq    int
	calls  int
}

// NewServer starts a fake Graph API, closed at the end of the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	//nolint:gosec // G101: the fake's own test token, secret to nothing.
	s := &Server{Version: graph.Version, PageID: "104293488123456", PageName: "Le Veilleur",
		PageToken: "EAAPageTokenLeVeilleur", UserToken: "EAAUserTokenClaire", AppSecret: "a1b2c3d4e5f6app"}
	s.faults.RateLimitCode = 32
	s.faults.RegainMinutes = 7
	hs := httptest.NewServer(s.faults.Wrap(http.HandlerFunc(s.serve)))
	tb.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// Credentials returns what an account needs to post to the page.
func (s *Server) Credentials() syndication.Credentials {
	return syndication.Credentials{Config: map[string]string{"page_id": s.PageID},
		Secrets: map[string]string{"page_token": s.PageToken, "app_secret": s.AppSecret}}
}

// Fail makes the next n requests answer f.
func (s *Server) Fail(f Fault, n int) { s.faults.Add(f, n) }

// FailOn makes the next n requests with method to a path ending in
// suffix answer f.
func (s *Server) FailOn(method, suffix string, f Fault, n int) { s.faults.AddFor(method, suffix, f, n) }

// SetRateLimit sets the Graph code and the minutes to regain access of
// the RateLimit fault (32 and 7 by default).
func (s *Server) SetRateLimit(code, minutes int) {
	s.faults.RateLimitCode, s.faults.RegainMinutes = code, minutes
}

// Posts returns the posts on the page, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// Calls returns how many requests reached the API (faults apart).
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	rest, ok := graphtest.Versioned(w, r, s.Version)
	if !ok || !graphtest.CheckPost(w, r) {
		return
	}
	token := s.PageToken
	if err := r.ParseForm(); err == nil && graphtest.Token(r) == s.UserToken {
		token = s.UserToken
	}
	if !graphtest.CheckToken(w, r, token) || !s.checkProof(w, r) {
		return
	}
	parts := strings.Split(rest, "/")
	switch {
	case r.Method == http.MethodPost && len(parts) == 2 && parts[1] == "feed":
		if token == s.UserToken {
			graphtest.WriteError(w, http.StatusForbidden, graph.APIError{Code: 200,
				Message: "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission"})
			return
		}
		s.feed(w, r, parts[0])
	case r.Method == http.MethodGet && len(parts) == 1:
		s.page(w, r, parts[0])
	case r.Method == http.MethodDelete && len(parts) == 1:
		s.delete(w, parts[0])
	default:
		graphtest.NoNode(w, r.Method, rest)
	}
}

// checkProof answers Graph's error when appsecret_proof is required and
// missing or wrong.
func (s *Server) checkProof(w http.ResponseWriter, r *http.Request) bool {
	if s.AppSecret == "" {
		return true
	}
	proof := r.Form.Get("appsecret_proof")
	if proof == "" {
		graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Type: "GraphMethodException", Code: 100,
			Message: "API calls from the server require an appsecret_proof argument"})
		return false
	}
	// Recomputed here, apart from the client's code: key = app secret,
	// message = the token, hex.
	m := hmac.New(sha256.New, []byte(s.AppSecret))
	m.Write([]byte(graphtest.Token(r)))
	want := hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(proof), []byte(want)) {
		graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Type: "GraphMethodException", Code: 100,
			Message: "Invalid appsecret_proof provided in the API argument"})
		return false
	}
	return true
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, page string) {
	if page != s.PageID {
		graphtest.NoNode(w, r.Method, page)
		return
	}
	msg, link := r.PostForm.Get("message"), r.PostForm.Get("link")
	if msg == "" && link == "" {
		graphtest.InvalidParam(w, "The parameter message or link is required")
		return
	}
	if utf8.RuneCountInString(msg) > syndication.Facebook.Limit().Max {
		graphtest.InvalidParam(w, "Param message must be at most 63206 characters long")
		return
	}
	if link != "" {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			graphtest.InvalidParam(w, "link URL is not properly formatted")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.posts); n > 0 && s.posts[n-1].Message == msg && s.posts[n-1].Link == link {
		graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Code: 506, Message: "(#506) Duplicate status message",
			ErrorUserTitle: "Duplicate Post", ErrorUserMsg: "This status update is identical to the last one you posted."})
		return
	}
	s.seq++
	p := Post{ID: fmt.Sprintf("%s_%d", s.PageID, 8800000000000+s.seq), Message: msg, Link: link}
	s.posts = append(s.posts, p)
	graphtest.WriteJSON(w, http.StatusOK, map[string]string{"id": p.ID})
}

func (s *Server) page(w http.ResponseWriter, r *http.Request, id string) {
	if id != s.PageID {
		graphtest.NoNode(w, r.Method, id)
		return
	}
	out := map[string]string{"id": s.PageID}
	for f := range strings.SplitSeq(r.Form.Get("fields"), ",") {
		switch f {
		case "name":
			out["name"] = s.PageName
		case "link":
			out["link"] = "https://www.facebook.com/leveilleur.example"
		case "", "id":
		default:
			graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Code: 100,
				Message: fmt.Sprintf("(#100) Tried accessing nonexisting field (%s) on node type (Page)", f)})
			return
		}
	}
	graphtest.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) delete(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.posts {
		if p.ID == id {
			s.posts = append(s.posts[:i], s.posts[i+1:]...)
			graphtest.WriteJSON(w, http.StatusOK, map[string]bool{"success": true})
			return
		}
	}
	graphtest.NoNode(w, http.MethodDelete, id)
}

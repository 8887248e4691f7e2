package graphtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/syndication"
)

// Server is what the fakes of the container APIs (Instagram, Threads)
// share: the version, form and token checks, the faults, the container
// lifecycle, and the account's credentials. A network's fake embeds it
// and answers its own routes (the profile, a deletion) with Other.
type Server struct {
	URL     string
	Version string
	// UserID and Token are the account and the token it accepts;
	// IDField is the setting that holds UserID in Credentials (user_id,
	// account_id).
	UserID, Token, IDField string
	// Containers is the container lifecycle: set FinishAfter, Quota;
	// Expire, FailNext, UseQuota; read Created, PublishCalls.
	*Containers
	// Faults set RateLimitCode, RegainMinutes and BUCType of the
	// RateLimit fault.
	Faults Faults
	// Other answers what the containers do not: rest is the path after
	// the version, parts rest split at its slashes.
	Other func(w http.ResponseWriter, r *http.Request, rest string, parts []string)
}

// Start serves s on a new test server, closed at the end of the test,
// sets s.URL, and gives the containers the account's UserID.
func (s *Server) Start(tb testing.TB) {
	tb.Helper()
	s.Containers.UserID = s.UserID
	hs := httptest.NewServer(s.Faults.Wrap(http.HandlerFunc(s.serve)))
	tb.Cleanup(hs.Close)
	s.URL = hs.URL
}

// Credentials returns what an account needs to post.
func (s *Server) Credentials() syndication.Credentials {
	return syndication.Credentials{Config: map[string]string{s.IDField: s.UserID},
		Secrets: map[string]string{"access_token": s.Token}}
}

// Fail makes the next n requests answer f.
func (s *Server) Fail(f Fault, n int) { s.Faults.Add(f, n) }

// FailOn makes the next n requests with method to a path ending in
// suffix answer f: FailOn("POST", "/threads_publish", Hang, 1) loses the
// answer to a publication.
func (s *Server) FailOn(method, suffix string, f Fault, n int) { s.Faults.AddFor(method, suffix, f, n) }

// Posts returns the published posts, oldest first.
func (s *Server) Posts() []Media { return s.Media() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := Versioned(w, r, s.Version)
	if !ok || !CheckPost(w, r) || !CheckToken(w, r, s.Token) {
		return
	}
	parts := strings.Split(rest, "/")
	if s.Serve(w, r, parts) {
		return
	}
	s.Other(w, r, rest, parts)
}

// Package pinteresttest is a fake Pinterest API v5 for the tests of the
// Pinterest client and of what uses it: it checks the Bearer token, a
// pin's JSON (board, image source, limits of title, description, alt text
// and link), and answers with Pinterest's JSON, successes and errors.
package pinteresttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
	"github.com/kiosque/kiosque/internal/social/pinterest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Fault is a failure the server answers with; see Server.Fail.
type Fault int

// The faults.
const (
	// RateLimit answers 429 with Retry-After.
	RateLimit Fault = iota + 1
	// Unauthorized answers 401, a revoked token.
	Unauthorized
	// ServerError answers 500.
	ServerError
	// Hang does what was asked, then does not answer until the client
	// gives up.
	Hang
	// Malformed does what was asked, then answers with broken JSON.
	Malformed
	// RedirectLoop redirects to the same address, for ever.
	RedirectLoop
)

// Pin is a pin the board received.
type Pin struct {
	ID          string
	BoardID     string
	SourceType  string
	ImageURL    string
	Link        string
	Title       string
	Description string
	AltText     string
}

// Server is the fake Pinterest API.
type Server struct {
	URL string
	// Token is the access token it accepts; Username the user it opens;
	// BoardID and BoardName the user's board.
	Token, Username, BoardID, BoardName string
	// RetryAfter is the Retry-After of RateLimit, in seconds.
	RetryAfter int

	faults fake.Queue[Fault]

	mu   sync.Mutex
	pins []Pin
	seq  int
}

// NewServer starts a fake Pinterest API, closed at the end of the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	//nolint:gosec // G101: the fake's own test token, secret to nothing.
	s := &Server{Token: "pina_AMAleveilleurtoken", Username: "leveilleur", BoardID: "549755885175", BoardName: "Archéologie",
		RetryAfter: 42}
	hs := httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

// Credentials returns what an account needs to pin to the board.
func (s *Server) Credentials() syndication.Credentials {
	return syndication.Credentials{Config: map[string]string{"board_id": s.BoardID},
		Secrets: map[string]string{"access_token": s.Token}}
}

// Fail makes the next n requests answer f.
func (s *Server) Fail(f Fault, n int) { s.faults.Add(f, n) }

// Pins returns the board's pins, oldest first.
func (s *Server) Pins() []Pin {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Pin(nil), s.pins...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fake.WriteJSON(w, status, "application/json", v)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, pinterest.APIError{Code: code, Message: msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch s.faults.Next(r) {
	case RateLimit:
		w.Header().Set("Retry-After", fmt.Sprint(s.RetryAfter))
		writeError(w, http.StatusTooManyRequests, 8, "You have exceeded your rate limit. Try again later.")
	case Unauthorized:
		writeError(w, http.StatusUnauthorized, 2, "Authentication failed.")
	case ServerError:
		writeError(w, http.StatusInternalServerError, 1, "Something went wrong on our end. Sorry about that.")
	case Hang:
		fake.Lose(http.HandlerFunc(s.route), r, 10*time.Second, nil)
	case Malformed:
		s.route(httptest.NewRecorder(), r)
		fake.WriteRaw(w, http.StatusCreated, "application/json", `{"id": "8139`)
	case RedirectLoop:
		//nolint:gosec // G710: a test server redirecting to its own path, on purpose.
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	default:
		s.route(w, r)
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(w, http.StatusUnauthorized, 2, "Authentication failed.")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v5/pins":
		s.create(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v5/user_account":
		writeJSON(w, http.StatusOK, map[string]any{"account_type": "BUSINESS", "id": "1125899907063014",
			"profile_image": "https://i.pinimg.com/600x600_R/leveilleur.jpg", "website_url": "https://le-veilleur.example",
			"username": s.Username, "business_name": "Le Veilleur", "board_count": 3, "pin_count": 128,
			"follower_count": 2048, "following_count": 12, "monthly_views": 40960})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v5/boards/"):
		if strings.TrimPrefix(r.URL.Path, "/v5/boards/") != s.BoardID {
			writeError(w, http.StatusNotFound, 3, "Board not found.")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": s.BoardID, "name": s.BoardName, "description": "",
			"owner": map[string]string{"username": s.Username}, "privacy": "PUBLIC", "pin_count": 12,
			"created_at": "2024-03-01T09:00:00", "board_pins_modified_at": "2026-11-27T18:00:00"})
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v5/pins/"):
		s.delete(w, strings.TrimPrefix(r.URL.Path, "/v5/pins/"))
	default:
		writeError(w, http.StatusNotFound, 404, "Not found.")
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusBadRequest, 1, "Invalid request: Content-Type must be application/json")
		return
	}
	var in struct {
		BoardID     *string `json:"board_id"`
		MediaSource *struct {
			SourceType string `json:"source_type"`
			URL        string `json:"url"`
		} `json:"media_source"`
		Link        string `json:"link"`
		Title       string `json:"title"`
		Description string `json:"description"`
		AltText     string `json:"alt_text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, 1, "Invalid request: "+err.Error())
		return
	}
	var problem string
	switch {
	case in.BoardID == nil:
		problem = "board_id is a required property"
	case in.MediaSource == nil:
		problem = "media_source is a required property"
	case in.MediaSource.SourceType != "image_url":
		problem = "media_source.source_type must be one of image_base64, image_url, video_id, multiple_image_urls…; the fake takes image_url"
	case !isURL(in.MediaSource.URL):
		problem = "media_source.url is not a valid URL"
	case utf8.RuneCountInString(in.Title) > pinterest.MaxTitle:
		problem = fmt.Sprintf("title is longer than %d characters", pinterest.MaxTitle)
	case utf8.RuneCountInString(in.Description) > pinterest.MaxDescription:
		problem = fmt.Sprintf("description is longer than %d characters", pinterest.MaxDescription)
	case utf8.RuneCountInString(in.AltText) > pinterest.MaxAltText:
		problem = fmt.Sprintf("alt_text is longer than %d characters", pinterest.MaxAltText)
	case len(in.Link) > pinterest.MaxLink || (in.Link != "" && !isURL(in.Link)):
		problem = "link is not a valid URL of at most 2048 characters"
	}
	if problem != "" {
		writeError(w, http.StatusBadRequest, 1, "Invalid request: "+problem)
		return
	}
	if *in.BoardID != s.BoardID {
		writeError(w, http.StatusNotFound, 3, "Board not found.")
		return
	}
	s.mu.Lock()
	s.seq++
	p := Pin{ID: fmt.Sprintf("81396781%010d", s.seq), BoardID: s.BoardID, SourceType: in.MediaSource.SourceType,
		ImageURL: in.MediaSource.URL, Link: in.Link, Title: in.Title, Description: in.Description, AltText: in.AltText}
	s.pins = append(s.pins, p)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"id": p.ID, "created_at": time.Now().UTC().Format("2006-01-02T15:04:05"),
		"link": p.Link, "title": p.Title, "description": p.Description, "dominant_color": "#6E7874", "alt_text": p.AltText,
		"creative_type": "REGULAR", "board_id": p.BoardID, "board_section_id": nil,
		"board_owner": map[string]string{"username": s.Username}, "is_owner": true, "is_standard": true,
		"has_been_promoted": false, "note": "", "pin_metrics": nil, "parent_pin_id": nil,
		"media": map[string]any{"media_type": "image", "images": map[string]any{
			"600x": map[string]any{"width": 600, "height": 400, "url": "https://i.pinimg.com/600x/" + p.ID + ".jpg"}}}})
}

func (s *Server) delete(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.pins {
		if p.ID == id {
			s.pins = append(s.pins[:i], s.pins[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusNotFound, 3, "Pin not found.")
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Package linkedintest is a fake of LinkedIn's versioned API for tests:
// it refuses requests without a LinkedIn-Version it serves or without
// X-Restli-Protocol-Version 2.0.0, reads commentary in the little format
// as LinkedIn shows it (cutting it at a bare reserved character, as
// LinkedIn does), checks an article post's fields and its thumbnail's
// upload, refuses duplicates with the earlier post's URN, and answers
// with LinkedIn's JSON shapes. Fail makes its next requests fail.
package linkedintest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
)

// Failure is a way for the fake's next requests to fail.
type Failure int

// The failures Fail can inject.
const (
	// RateLimited answers 429 TOO_MANY_REQUESTS.
	RateLimited Failure = iota + 1
	// Unauthorized answers 401 INVALID_ACCESS_TOKEN, as for an expired
	// token.
	Unauthorized
	// ServerError answers 500.
	ServerError
	// Hang handles the request, then sends nothing until the client gives
	// up (or HangFor passes): a post made whose answer is lost.
	Hang
	// Malformed answers 201 to a POST (200 otherwise) with a cut JSON
	// body and no x-restli-id, without acting.
	Malformed
	// RedirectLoop answers 307 to the same address.
	RedirectLoop
)

// Post is a post the fake holds.
type Post struct {
	URN    string
	Author string
	// Commentary is as sent, in the little format.
	Commentary string
	// Text is the commentary as readers see it; Cut is set when LinkedIn
	// would have cut it at a bare reserved character.
	Text     string
	Cut      bool
	Hashtags []string
	// Article is the link card, nil for a text post.
	Article *Article
	// Body is the request body as received.
	Body []byte
}

// Article is an article post's card.
type Article struct {
	Source, Title, Description, Thumbnail string
}

// Server is a running fake. Its exported fields are the token it accepts
// and the member and page it knows; change them before use only.
type Server struct {
	URL   string
	Token string
	// PersonID is the member's id (the userinfo sub); the token may post
	// as urn:li:person:{PersonID}.
	PersonID, PersonName string
	// OrgID is a page the member administers when Admin is set.
	OrgID, OrgName, OrgVanity string
	Admin                     bool
	// MinVersion is the oldest LinkedIn-Version served (YYYYMM); older
	// ones answer 426 NONEXISTENT_VERSION.
	MinVersion string
	// HangFor bounds a Hang (default 3 s).
	HangFor time.Duration

	srv *httptest.Server

	mu      sync.Mutex
	posts   []Post
	images  map[string]*image // by URN
	uploads map[string]string // upload key → image URN
	nextID  int64

	failures fake.Queue[Failure]
	requests fake.Log[string]
}

// image is an image being uploaded or uploaded.
type image struct {
	owner     string
	data      []byte
	mediaType string
}

// NewServer starts a fake, closed at the end of tb.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		Token:      "AQV" + rand.Text(),
		PersonID:   "yrZCpj2Z12",
		PersonName: "Camille Martin",
		OrgID:      "2414183",
		OrgName:    "Le Journal",
		OrgVanity:  "le-journal",
		Admin:      true,
		MinVersion: "202512",
		HangFor:    3 * time.Second,
		images:     map[string]*image{},
		uploads:    map[string]string{},
		nextID:     7141138937766391000,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /rest/posts", s.rest(s.createPost))
	mux.HandleFunc("DELETE /rest/posts/{urn}", s.rest(s.deletePost))
	mux.HandleFunc("POST /rest/images", s.rest(s.initializeUpload))
	mux.HandleFunc("GET /rest/organizations/{id}", s.rest(s.organization))
	mux.HandleFunc("PUT /dms-uploads/{key}", s.authed(s.upload))
	mux.HandleFunc("GET /v2/userinfo", s.authed(s.userinfo))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "RESOURCE_NOT_FOUND", "No virtual resource found")
	})
	s.srv = httptest.NewServer(s.inject(mux))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Fail makes the next n requests fail with f.
func (s *Server) Fail(f Failure, n int) { s.failures.Add(f, n) }

// Posts returns the posts the fake holds (not deleted), oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// Image returns the bytes and media type uploaded for an image URN.
func (s *Server) Image(urn string) (data []byte, mediaType string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[urn]
	if !ok {
		return nil, "", false
	}
	return img.data, img.mediaType, true
}

// Requests returns "METHOD /path" of every request received.
func (s *Server) Requests() []string { return s.requests.All() }

// inject records each request and applies the next failure, if any.
func (s *Server) inject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(r.Method + " " + r.URL.Path)
		switch s.failures.Next(r) {
		case RateLimited:
			w.Header().Set("Retry-After", "120")
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
				"message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."})
		case Unauthorized:
			writeJSON(w, http.StatusUnauthorized, map[string]any{"status": 401, "serviceErrorCode": 65601, "code": "REVOKED_ACCESS_TOKEN",
				"message": "The token used in the request has been revoked by the user"})
		case ServerError:
			writeJSON(w, http.StatusInternalServerError, map[string]any{"status": 500, "message": "Internal Server Error"})
		case Hang:
			fake.Lose(next, r, s.HangFor, nil)
		case Malformed:
			fake.WriteRaw(w, fake.Created(r), "application/json", `{"value": {"uploadUrl": "ht`)
		case RedirectLoop:
			fake.Redirect(w, http.StatusTemporaryRedirect, r.URL.Path)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// authed lets through requests with the fake's Bearer token.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"status": 401, "serviceErrorCode": 65600,
				"code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"})
			return
		}
		h(w, r)
	}
}

var versionPattern = regexp.MustCompile(`^20[0-9]{2}(0[1-9]|1[0-2])$`)

// rest checks what every versioned (/rest) call needs: the token, a
// LinkedIn-Version served and Rest.li protocol 2.0.0.
func (s *Server) rest(h http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		v := r.Header.Get("LinkedIn-Version")
		switch {
		case v == "":
			writeError(w, http.StatusBadRequest, "VERSION_MISSING",
				"A version must be present. Please specify a version by adding the LinkedIn-Version header.")
			return
		case !versionPattern.MatchString(v):
			writeError(w, http.StatusBadRequest, "INVALID_VERSION", "Invalid version "+strconv.Quote(v))
			return
		case v < s.MinVersion:
			writeError(w, http.StatusUpgradeRequired, "NONEXISTENT_VERSION", "Requested version "+v+" is not active")
			return
		}
		if p := r.Header.Get("X-Restli-Protocol-Version"); p != "2.0.0" {
			writeError(w, http.StatusBadRequest, "INVALID_PROTOCOL_VERSION",
				fmt.Sprintf("Rest.li protocol version %q is not supported by this resource: send X-Restli-Protocol-Version: 2.0.0", p))
			return
		}
		h(w, r)
	})
}

// mayAct reports whether the member may post as author.
func (s *Server) mayAct(author string) bool {
	return author == "urn:li:person:"+s.PersonID || s.Admin && author == "urn:li:organization:"+s.OrgID
}

// createBody is the body POST /rest/posts accepts (fields LinkedIn
// documents; others are refused).
type createBody struct {
	Author       *string `json:"author"`
	Commentary   *string `json:"commentary"`
	Visibility   *string `json:"visibility"`
	Distribution *struct {
		FeedDistribution               string    `json:"feedDistribution"`
		TargetEntities                 *[]any    `json:"targetEntities"`
		ThirdPartyDistributionChannels *[]string `json:"thirdPartyDistributionChannels"`
	} `json:"distribution"`
	Content *struct {
		Article *struct {
			Source           string `json:"source"`
			Title            string `json:"title"`
			Description      string `json:"description"`
			Thumbnail        string `json:"thumbnail"`
			ThumbnailAltText string `json:"thumbnailAltText"`
		} `json:"article"`
	} `json:"content"`
	LifecycleState            *string `json:"lifecycleState"`
	IsReshareDisabledByAuthor *bool   `json:"isReshareDisabledByAuthor"`
	ContainerEntity           string  `json:"container"`
	ReshareContext            any     `json:"reshareContext"`
}

// createPost is POST /rest/posts.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json")
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
		return
	}
	var b createBody
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		writeInputError(w, "", "Unrecognized or invalid field: "+err.Error(), "INVALID_VALUE")
		return
	}
	switch {
	case b.Author == nil:
		writeInputError(w, "/author", "Field Value validation failed in REQUEST_BODY: Data Processing Exception while processing fields [/author]", "MISSING_FIELD")
		return
	case b.Commentary == nil:
		writeInputError(w, "/commentary", "Field /commentary is required", "MISSING_FIELD")
		return
	case b.Visibility == nil || !oneOf(*b.Visibility, "PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"):
		writeInputError(w, "/visibility", "visibility must be PUBLIC, CONNECTIONS, LOGGED_IN or CONTAINER", "INVALID_VALUE")
		return
	case b.Distribution == nil || !oneOf(b.Distribution.FeedDistribution, "MAIN_FEED", "NONE"):
		writeInputError(w, "/distribution/feedDistribution", "feedDistribution must be MAIN_FEED or NONE", "INVALID_VALUE")
		return
	case b.Distribution.TargetEntities == nil || b.Distribution.ThirdPartyDistributionChannels == nil:
		writeInputError(w, "/distribution", "targetEntities and thirdPartyDistributionChannels are required arrays", "MISSING_FIELD")
		return
	case b.LifecycleState == nil || *b.LifecycleState != "PUBLISHED":
		writeInputError(w, "/lifecycleState", "lifecycleState must be PUBLISHED", "INVALID_VALUE")
		return
	case b.IsReshareDisabledByAuthor == nil:
		writeInputError(w, "/isReshareDisabledByAuthor", "Field /isReshareDisabledByAuthor is required", "MISSING_FIELD")
		return
	}
	if !s.mayAct(*b.Author) {
		writeError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260901")
		return
	}
	p := Post{Author: *b.Author, Commentary: *b.Commentary, Body: raw}
	rd := render(p.Commentary)
	p.Text, p.Cut, p.Hashtags = rd.Text, rd.Cut, rd.Hashtags
	if n := utf8.RuneCountInString(p.Text); n > 3000 {
		writeInputError(w, "/commentary", fmt.Sprintf("commentary is %d characters long, over 3000", n), "INVALID_VALUE")
		return
	}
	if b.Content != nil {
		a := b.Content.Article
		if a == nil {
			writeInputError(w, "/content", "content has no article", "MISSING_FIELD")
			return
		}
		if u, err := url.Parse(a.Source); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			writeInputError(w, "/content/article/source", "source must be an absolute http(s) URL", "INVALID_VALUE")
			return
		}
		if strings.TrimSpace(a.Title) == "" {
			writeInputError(w, "/content/article/title", "An article requires a title", "MISSING_FIELD")
			return
		}
		if a.Thumbnail != "" {
			s.mu.Lock()
			img, ok := s.images[a.Thumbnail]
			s.mu.Unlock()
			if !ok || img.data == nil || img.owner != p.Author {
				writeInputError(w, "/content/article/thumbnail", "thumbnail "+a.Thumbnail+" is not an uploaded image of the author", "INVALID_VALUE")
				return
			}
		}
		p.Article = &Article{Source: a.Source, Title: a.Title, Description: a.Description, Thumbnail: a.Thumbnail}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, old := range s.posts {
		if old.Author == p.Author && old.Commentary == p.Commentary {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
				"errorDetailType": "com.linkedin.common.error.BadRequest",
				"message":         "com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of " + old.URN,
				"errorDetails": map[string]any{"inputErrors": []map[string]any{{
					"description": "Duplicate post is detected", "input": map[string]any{}, "code": "DUPLICATE_POST"}}},
				"status": 422,
			})
			return
		}
	}
	s.nextID++
	p.URN = "urn:li:share:" + strconv.FormatInt(s.nextID, 10)
	s.posts = append(s.posts, p)
	w.Header().Set("x-restli-id", p.URN)
	w.WriteHeader(http.StatusCreated)
}

// deletePost is DELETE /rest/posts/{urn}, the URN URL-encoded.
func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) {
	urn := r.PathValue("urn")
	if strings.Contains(r.URL.EscapedPath(), "urn:li:") {
		writeError(w, http.StatusBadRequest, "INVALID_URN", "The post URN in the path must be URL-encoded")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.posts {
		if p.URN == urn {
			if !s.mayAct(p.Author) {
				writeError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.DELETE.20260901")
				return
			}
			s.posts = append(s.posts[:i], s.posts[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusNotFound, "NOT_FOUND", "Post "+urn+" not found")
}

// initializeUpload is POST /rest/images?action=initializeUpload.
func (s *Server) initializeUpload(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("action") != "initializeUpload" {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "Unknown action "+strconv.Quote(r.URL.Query().Get("action")))
		return
	}
	var b struct {
		InitializeUploadRequest *struct {
			Owner string `json:"owner"`
		} `json:"initializeUploadRequest"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || b.InitializeUploadRequest == nil || b.InitializeUploadRequest.Owner == "" {
		writeInputError(w, "/initializeUploadRequest/owner", "initializeUploadRequest.owner is required", "MISSING_FIELD")
		return
	}
	owner := b.InitializeUploadRequest.Owner
	if !s.mayAct(owner) {
		writeError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: images.ACTION-initializeUpload.20260901")
		return
	}
	s.mu.Lock()
	s.nextID++
	urn := fmt.Sprintf("urn:li:image:C4D10AQ%d", s.nextID)
	key := rand.Text()
	s.images[urn] = &image{owner: owner}
	s.uploads[key] = urn
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"value": map[string]any{
		"uploadUrlExpiresAt": time.Now().Add(24 * time.Hour).UnixMilli(),
		"uploadUrl":          s.URL + "/dms-uploads/" + key + "?ca=vector_feedshare&cn=uploads&m=AQ&app=1&sync=0&v=beta&ut=2",
		"image":              urn,
	}})
}

// upload is PUT to an upload address.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 36<<20))
	if err != nil || len(data) == 0 {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "empty upload")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	urn, ok := s.uploads[r.PathValue("key")]
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "unknown upload")
		return
	}
	s.images[urn].data = data
	s.images[urn].mediaType = r.Header.Get("Content-Type")
	w.WriteHeader(http.StatusCreated)
}

// organization is GET /rest/organizations/{id}, for its administrators.
func (s *Server) organization(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != s.OrgID {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Organization "+r.PathValue("id")+" not found")
		return
	}
	if !s.Admin {
		writeError(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: organizations.GET.20260901")
		return
	}
	id, _ := strconv.ParseInt(s.OrgID, 10, 64)
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "localizedName": s.OrgName, "vanityName": s.OrgVanity,
		"name":                    map[string]any{"localized": map[string]string{"fr_FR": s.OrgName}, "preferredLocale": map[string]string{"country": "FR", "language": "fr"}},
		"primaryOrganizationType": "NONE",
	})
}

// userinfo is GET /v2/userinfo (OpenID Connect).
func (s *Server) userinfo(w http.ResponseWriter, _ *http.Request) {
	given, family, _ := strings.Cut(s.PersonName, " ")
	writeJSON(w, http.StatusOK, map[string]any{
		"sub": s.PersonID, "email_verified": true, "name": s.PersonName,
		"locale": map[string]string{"country": "FR", "language": "fr"}, "given_name": given, "family_name": family,
		"picture": "https://media.licdn.com/dms/image/v2/profile-displayphoto-shrink_100_100/0/1",
	})
}

func oneOf(v string, set ...string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fake.WriteJSON(w, status, "application/json", v)
}

// writeError answers with LinkedIn's error JSON.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"status": status, "code": code, "message": msg})
}

// writeInputError answers 422 as LinkedIn does for a body it cannot take.
func writeInputError(w http.ResponseWriter, field, desc, code string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"errorDetailType": "com.linkedin.common.error.BadRequest",
		"message":         "Field Value validation failed in REQUEST_BODY",
		"errorDetails": map[string]any{"inputErrors": []map[string]any{{
			"description": desc, "input": map[string]any{"inputPath": map[string]string{"fieldPath": field}}, "code": code}}},
		"status": 422,
	})
}

// Package tumblrtest is a fake of Tumblr's API v2 for tests: it checks
// posts in the Neue Post Format as npf-spec.md defines them (block types
// and required fields, text blocks of 4,096 code points at most, inline
// ranges in code points, tags as a comma-separated string), accepts OAuth
// 2.0 bearer tokens of 42 minutes renewed with single-use refresh
// tokens, and answers with Tumblr's meta/response/errors envelope. Fail
// makes its next requests fail.
package tumblrtest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	// RateLimited answers 429 Limit Exceeded with the hourly window's
	// X-Ratelimit headers spent.
	RateLimited Failure = iota + 1
	// DailyPostLimit answers 403 with subcode 8023.
	DailyPostLimit
	// Unauthorized answers 401, as for a revoked token.
	Unauthorized
	// ServerError answers 500.
	ServerError
	// Hang handles the request, then sends nothing until the client gives
	// up (or HangFor passes): a post made whose answer is lost.
	Hang
	// Malformed answers 201 to a POST (200 otherwise) with a cut JSON
	// body, without acting.
	Malformed
	// RedirectLoop answers 307 to the same address.
	RedirectLoop
)

// Blog is one of the user's blogs.
type Blog struct {
	Name, Title, UUID string
	// Host is a custom domain, "" for name.tumblr.com.
	Host string
}

func (b Blog) url() string {
	if b.Host != "" {
		return "https://" + b.Host + "/"
	}
	return "https://" + b.Name + ".tumblr.com/"
}

// Post is a post the fake holds.
type Post struct {
	ID, Blog  string
	State     string
	Tags      []string
	SourceURL string
	// Text is the post's text blocks, one per line.
	Text string
	// Links are the link blocks.
	Links []LinkBlock
	// Body is the request body as received.
	Body []byte
}

// LinkBlock is a link content block.
type LinkBlock struct {
	URL, Title, Description string
	Poster                  []string
}

// Server is a running fake. Its exported fields are what it accepts;
// change them before use only.
type Server struct {
	URL string
	// ClientID and ClientSecret are the app's OAuth consumer key and
	// secret, which the token endpoint requires.
	ClientID, ClientSecret string
	UserName               string
	Blogs                  []Blog
	// HangFor bounds a Hang (default 3 s).
	HangFor time.Duration

	srv *httptest.Server

	// tokens are the OAuth 2.0 token and its refresh token.
	tokens *fake.Tokens

	mu     sync.Mutex
	posts  []Post
	nextID int64

	failures fake.Queue[Failure]
	requests fake.Log[string]
}

// NewServer starts a fake, closed at the end of tb, whose user has the
// blogs "lejournal" (primary) and "lejournal-culture" (on a custom
// domain).
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		ClientID:     "ck" + rand.Text(),
		ClientSecret: "cs" + rand.Text(),
		UserName:     "camille",
		Blogs: []Blog{
			{Name: "lejournal", Title: "Le Journal", UUID: "t:0aY0xL2Fi1OFJg4YxpmegQ"},
			{Name: "lejournal-culture", Title: "Le Journal, culture", UUID: "t:WX5xItRbCiJH_GJDsIdhAQ", Host: "culture.journal.example"},
		},
		HangFor: 3 * time.Second,
		tokens:  fake.NewTokens("at", "rt"),
		nextID:  765432109876543210,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/blog/{blog}/posts", s.authed(s.createPost))
	mux.HandleFunc("POST /v2/blog/{blog}/post/delete", s.authed(s.deletePost))
	mux.HandleFunc("GET /v2/user/info", s.authed(s.userInfo))
	mux.HandleFunc("POST /v2/oauth2/token", s.tokenGrant)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeEnvelope(w, http.StatusNotFound, []any{}, errorItem{Title: "Not Found", Detail: "Not Found"})
	})
	s.srv = httptest.NewServer(s.inject(mux))
	s.URL = s.srv.URL
	tb.Cleanup(s.srv.Close)
	return s
}

// Token returns the access token the fake accepts now.
func (s *Server) Token() string { return s.tokens.Access() }

// RefreshToken returns the refresh token the fake accepts now.
func (s *Server) RefreshToken() string { return s.tokens.Refresh() }

// ExpireToken makes the current access token stop working, as 42
// minutes after it was issued.
func (s *Server) ExpireToken() { s.tokens.Expire() }

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

// errorItem is an entry of an answer's errors.
type errorItem struct {
	Title  string `json:"title"`
	Code   int    `json:"code,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// inject records each request and applies the next failure, if any.
func (s *Server) inject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(r.Method + " " + r.URL.Path)
		switch s.failures.Next(r) {
		case RateLimited:
			w.Header().Set("X-Ratelimit-Perhour-Limit", "1000")
			w.Header().Set("X-Ratelimit-Perhour-Remaining", "0")
			w.Header().Set("X-Ratelimit-Perhour-Reset", "1200")
			w.Header().Set("X-Ratelimit-Perday-Remaining", "4000")
			w.Header().Set("X-Ratelimit-Perday-Reset", "50000")
			writeEnvelope(w, http.StatusTooManyRequests, []any{}, errorItem{Title: "Limit Exceeded", Detail: "You have exceeded the hourly API call limit."})
		case DailyPostLimit:
			writeEnvelope(w, http.StatusForbidden, []any{}, errorItem{Title: "Forbidden", Code: 8023, Detail: "You've reached your daily post limit."})
		case Unauthorized:
			writeUnauthorized(w)
		case ServerError:
			writeEnvelope(w, http.StatusInternalServerError, []any{}, errorItem{Title: "Internal Server Error"})
		case Hang:
			fake.Lose(next, r, s.HangFor, nil)
		case Malformed:
			fake.WriteRaw(w, fake.Created(r), "application/json", `{"meta": {"status": 20`)
		case RedirectLoop:
			fake.Redirect(w, http.StatusTemporaryRedirect, r.URL.Path)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// authed lets through requests with the current access token.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+s.tokens.Access() {
			writeUnauthorized(w)
			return
		}
		h(w, r)
	}
}

// blog returns the user's blog an identifier names (a name, host name
// or uuid).
func (s *Server) blog(id string) (Blog, bool) {
	id = strings.ToLower(id)
	for _, b := range s.Blogs {
		if id == b.Name || id == b.Name+".tumblr.com" || id == strings.ToLower(b.UUID) || b.Host != "" && id == b.Host {
			return b, true
		}
	}
	return Blog{}, false
}

// createFields are the body fields of POST /posts for an original post.
var createFields = map[string]bool{
	"content": true, "layout": true, "state": true, "publish_on": true, "date": true, "tags": true,
	"source_url": true, "send_to_twitter": true, "is_private": true, "slug": true, "interactability_reblog": true,
}

// createPost is POST /v2/blog/{blog}/posts in the Neue Post Format.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request) {
	b, ok := s.blog(r.PathValue("blog"))
	if !ok {
		writeEnvelope(w, http.StatusNotFound, []any{}, errorItem{Title: "Not Found", Detail: "Blog not found"})
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		bad(w, "This fake takes NPF posts as application/json")
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		bad(w, err.Error())
		return
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		bad(w, "Invalid JSON body")
		return
	}
	for k := range body {
		if !createFields[k] {
			bad(w, fmt.Sprintf("'%s' is not a valid parameter", k))
			return
		}
	}
	var content []map[string]json.RawMessage
	if err := json.Unmarshal(body["content"], &content); err != nil || len(content) == 0 {
		bad(w, "'content' must be an array'")
		return
	}
	p := Post{Blog: b.Name, State: "published", Body: raw}
	if v, ok := body["state"]; ok {
		if json.Unmarshal(v, &p.State) != nil || !oneOf(p.State, "published", "queue", "draft", "private") {
			bad(w, "'state' must be one of published, queue, draft, private")
			return
		}
	}
	if v, ok := body["tags"]; ok {
		var tags string
		if json.Unmarshal(v, &tags) != nil {
			bad(w, "'tags' must be a comma-separated string")
			return
		}
		for _, t := range strings.Split(tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				p.Tags = append(p.Tags, t)
			}
		}
	}
	if v, ok := body["source_url"]; ok {
		if json.Unmarshal(v, &p.SourceURL) != nil || !absoluteURL(p.SourceURL) {
			bad(w, "'source_url' must be a URL")
			return
		}
	}
	var lines []string
	links := 0
	for i, blk := range content {
		var typ string
		if json.Unmarshal(blk["type"], &typ) != nil {
			bad(w, fmt.Sprintf("content block %d has no type", i))
			return
		}
		switch typ {
		case "text":
			text, msg := checkText(blk)
			if msg != "" {
				bad(w, fmt.Sprintf("content block %d: %s", i, msg))
				return
			}
			lines = append(lines, text)
		case "link":
			lb, msg := checkLink(blk)
			if msg != "" {
				bad(w, fmt.Sprintf("content block %d: %s", i, msg))
				return
			}
			if links++; links > 10 {
				bad(w, "A post has 10 link blocks at most")
				return
			}
			p.Links = append(p.Links, lb)
		default:
			bad(w, fmt.Sprintf("content block %d: type %q is not handled by this fake", i, typ))
			return
		}
	}
	p.Text = strings.Join(lines, "\n")
	s.mu.Lock()
	s.nextID++
	p.ID = strconv.FormatInt(s.nextID, 10)
	s.posts = append(s.posts, p)
	s.mu.Unlock()
	writeEnvelope(w, http.StatusCreated, map[string]string{"id": p.ID})
}

// checkText checks a text block and returns its text, or what is wrong.
func checkText(blk map[string]json.RawMessage) (string, string) {
	for k := range blk {
		if !oneOf(k, "type", "text", "subtype", "indent_level", "formatting") {
			return "", fmt.Sprintf("unknown text block field %q", k)
		}
	}
	var text string
	if json.Unmarshal(blk["text"], &text) != nil {
		return "", "a text block needs a 'text' string"
	}
	n := utf8.RuneCountInString(text)
	if n > 4096 {
		return "", fmt.Sprintf("a text block is %d characters long, over 4096", n)
	}
	if raw, ok := blk["formatting"]; ok {
		var fs []struct {
			Start, End *int
			Type       string
			URL        string
		}
		if json.Unmarshal(raw, &fs) != nil {
			return "", "'formatting' must be an array of ranges"
		}
		for _, f := range fs {
			switch {
			case f.Start == nil || f.End == nil || *f.Start < 0 || *f.End <= *f.Start || *f.End > n:
				return "", fmt.Sprintf("formatting range outside the text's %d code points", n)
			case !oneOf(f.Type, "bold", "italic", "strikethrough", "small", "link", "mention", "color"):
				return "", fmt.Sprintf("unknown formatting type %q", f.Type)
			case f.Type == "link" && !absoluteURL(f.URL):
				return "", "a link range needs a 'url'"
			case f.Type == "link" && string([]rune(text)[*f.Start:*f.End]) != f.URL:
				// Not a rule of Tumblr's, but of kiosque's: a link range
				// covers the address it points to.
				return "", fmt.Sprintf("link range %q does not cover its url %q", string([]rune(text)[*f.Start:*f.End]), f.URL)
			}
		}
	}
	return text, ""
}

// checkLink checks a link block.
func checkLink(blk map[string]json.RawMessage) (LinkBlock, string) {
	var lb LinkBlock
	for k := range blk {
		if !oneOf(k, "type", "url", "title", "description", "author", "site_name", "display_url", "poster") {
			return lb, fmt.Sprintf("unknown link block field %q", k)
		}
	}
	if json.Unmarshal(blk["url"], &lb.URL) != nil || !absoluteURL(lb.URL) {
		return lb, "a link block needs a 'url'"
	}
	for field, dst := range map[string]*string{"title": &lb.Title, "description": &lb.Description} {
		if raw, ok := blk[field]; ok && json.Unmarshal(raw, dst) != nil {
			return lb, fmt.Sprintf("'%s' must be a string", field)
		}
	}
	if raw, ok := blk["poster"]; ok {
		var poster []struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(raw, &poster) != nil || len(poster) == 0 {
			return lb, "'poster' must be an array of media objects"
		}
		for _, m := range poster {
			if !absoluteURL(m.URL) {
				return lb, "a poster media object needs a 'url'"
			}
			lb.Poster = append(lb.Poster, m.URL)
		}
	}
	return lb, ""
}

// deletePost is POST /v2/blog/{blog}/post/delete with the post's id.
func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) {
	b, ok := s.blog(r.PathValue("blog"))
	if !ok {
		writeEnvelope(w, http.StatusNotFound, []any{}, errorItem{Title: "Not Found", Detail: "Blog not found"})
		return
	}
	id := r.FormValue("id")
	if id == "" {
		bad(w, "Missing 'id'")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.posts {
		if p.ID == id && p.Blog == b.Name {
			s.posts = append(s.posts[:i], s.posts[i+1:]...)
			writeEnvelope(w, http.StatusOK, map[string]string{"id": id})
			return
		}
	}
	writeEnvelope(w, http.StatusNotFound, []any{}, errorItem{Title: "Not Found", Detail: "Post not found"})
}

// userInfo is GET /v2/user/info.
func (s *Server) userInfo(w http.ResponseWriter, _ *http.Request) {
	var blogs []map[string]any
	for i, b := range s.Blogs {
		blogs = append(blogs, map[string]any{"name": b.Name, "title": b.Title, "url": b.url(), "uuid": b.UUID,
			"primary": i == 0, "followers": 1200, "tweet": "N", "type": "public"})
	}
	writeEnvelope(w, http.StatusOK, map[string]any{"user": map[string]any{
		"following": 12, "default_post_format": "html", "name": s.UserName, "likes": 3, "blogs": blogs}})
}

// tokenGrant is POST /v2/oauth2/token with grant_type=refresh_token; the
// refresh token is spent and a new pair issued.
func (s *Server) tokenGrant(w http.ResponseWriter, r *http.Request) {
	params := url.Values{}
	switch ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct {
	case "application/json":
		var m map[string]string
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&m); err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid JSON body")
			return
		}
		for k, v := range m {
			params.Set(k, v)
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 16); err != nil && err != http.ErrNotMultipart {
			oauthError(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		params = r.PostForm
	default:
		oauthError(w, http.StatusBadRequest, "invalid_request", "Unsupported Content-Type")
		return
	}
	if params.Get("grant_type") != "refresh_token" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "This fake only grants refresh_token")
		return
	}
	if params.Get("client_id") != s.ClientID || s.ClientSecret != "" && params.Get("client_secret") != s.ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	access, refresh, ok := s.tokens.Renew(params.Get("refresh_token"))
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_grant", "The refresh token is invalid or has expired")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "expires_in": 2520, "id_token": false,
		"refresh_token": refresh, "scope": "write offline_access", "token_type": "bearer"})
}

func oneOf(v string, set ...string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fake.WriteJSON(w, status, "application/json; charset=utf-8", v)
}

// writeEnvelope answers with Tumblr's meta/response/errors envelope.
func writeEnvelope(w http.ResponseWriter, status int, response any, errs ...errorItem) {
	v := map[string]any{"meta": map[string]any{"status": status, "msg": http.StatusText(status)}, "response": response}
	if status == http.StatusTooManyRequests {
		v["meta"] = map[string]any{"status": status, "msg": "Limit Exceeded"}
	}
	if len(errs) > 0 {
		v["errors"] = errs
	}
	writeJSON(w, status, v)
}

func writeUnauthorized(w http.ResponseWriter) {
	writeEnvelope(w, http.StatusUnauthorized, []any{}, errorItem{Title: "Unauthorized", Code: 1016, Detail: "Unable to authorize"})
}

// bad answers 400.8001, an NPF parameter Tumblr cannot take.
func bad(w http.ResponseWriter, title string) {
	writeEnvelope(w, http.StatusBadRequest, []any{}, errorItem{Title: title, Code: 8001})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

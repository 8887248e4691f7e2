// Package graphtest holds what the fake Graph servers of the Facebook,
// Instagram and Threads tests share: Meta's error answers, the access
// token and version checks, and the faults a test can ask for.
package graphtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
	"github.com/kiosque/kiosque/internal/social/internal/graph"
)

// Fault is a failure a fake server answers with instead of its usual
// answer.
type Fault int

// The faults.
const (
	// None answers as usual.
	None Fault = iota
	// RateLimit answers Meta's throttling error with its usage headers.
	RateLimit
	// Unauthorized answers error 190, an expired token.
	Unauthorized
	// ServerError answers HTTP 500 with Graph's transient error code 1.
	ServerError
	// Hang does what was asked, then does not answer until the client
	// gives up: the answer is lost after the post landed.
	Hang
	// Malformed does what was asked, then answers 200 with broken JSON.
	Malformed
	// RedirectLoop redirects to the same address, for ever.
	RedirectLoop
)

// Faults is a queue of faults for the next requests.
type Faults struct {
	queue fake.Queue[Fault]
	// RateLimitCode is the Graph code of RateLimit (4, the app's limit,
	// by default; 32 for a page, 80001 for a page's business use case).
	RateLimitCode int
	// RegainMinutes is estimated_time_to_regain_access in the usage
	// headers of RateLimit.
	RegainMinutes int
	// BUCType is the "type" of the X-Business-Use-Case-Usage entry.
	BUCType string
}

// Add makes the next n requests answer f.
func (f *Faults) Add(kind Fault, n int) { f.queue.Add(kind, n) }

// AddFor makes the next n requests with method (any when "") to a path
// ending in suffix answer f.
func (f *Faults) AddFor(method, suffix string, kind Fault, n int) {
	f.queue.AddFor(func(r *http.Request) bool {
		return (method == "" || method == r.Method) && strings.HasSuffix(r.URL.Path, suffix)
	}, kind, n)
}

// Wrap returns h behind the queue of faults.
func (f *Faults) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch f.queue.Next(r) {
		case RateLimit:
			code, minutes, typ := f.RateLimitCode, f.RegainMinutes, f.BUCType
			if code == 0 {
				code = 4
			}
			if typ == "" {
				typ = "pages"
			}
			w.Header().Set("X-App-Usage", `{"call_count":100,"total_cputime":12,"total_time":17}`)
			w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(
				`{"1234567890":[{"type":%q,"call_count":100,"total_cputime":9,"total_time":11,"estimated_time_to_regain_access":%d}]}`, typ, minutes))
			WriteError(w, http.StatusBadRequest, graph.APIError{Message: "(#4) Application request limit reached",
				Type: "OAuthException", Code: code, IsTransient: true})
		case Unauthorized:
			WriteError(w, http.StatusBadRequest, graph.APIError{
				Message: "Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.",
				Type:    "OAuthException", Code: 190, ErrorSubcode: 463})
		case ServerError:
			WriteError(w, http.StatusInternalServerError, graph.APIError{Message: "An unknown error has occurred.",
				Type: "OAuthException", Code: 1, IsTransient: true})
		case Hang:
			fake.Lose(h, r, 10*time.Second, nil)
		case Malformed:
			h.ServeHTTP(httptest.NewRecorder(), r)
			fake.WriteRaw(w, http.StatusOK, jsonType, `{"id": "1234`)
		case RedirectLoop:
			//nolint:gosec // G710: a test server redirecting to its own path, on purpose.
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// jsonType is the Content-Type of Graph's JSON answers.
const jsonType = "application/json; charset=UTF-8"

// WriteJSON answers v as JSON with status, as Graph does.
func WriteJSON(w http.ResponseWriter, status int, v any) { fake.WriteJSON(w, status, jsonType, v) }

// WriteError answers Graph's error object with status.
func WriteError(w http.ResponseWriter, status int, e graph.APIError) {
	if e.FBTraceID == "" {
		e.FBTraceID = "AHm3xQ1Tz9kLbW2"
	}
	if e.Type == "" {
		e.Type = "OAuthException"
	}
	WriteJSON(w, status, graph.ErrorBody{Error: &e})
}

// InvalidParam answers error 100, an invalid parameter.
func InvalidParam(w http.ResponseWriter, msg string) {
	WriteError(w, http.StatusBadRequest, graph.APIError{Message: "(#100) " + msg, Code: 100})
}

// Token returns the request's access token: the access_token parameter
// (query or form body) or an Authorization: Bearer header.
func Token(r *http.Request) string {
	if t := r.Form.Get("access_token"); t != "" {
		return t
	}
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return t
	}
	return ""
}

// CheckToken answers Graph's error and returns false unless the request
// carries want. It parses the form first.
func CheckToken(w http.ResponseWriter, r *http.Request, want string) bool {
	if err := r.ParseForm(); err != nil {
		InvalidParam(w, "malformed parameters")
		return false
	}
	switch got := Token(r); {
	case got == "":
		WriteError(w, http.StatusBadRequest, graph.APIError{Message: "An access token is required to request this resource.", Code: 104})
		return false
	case got != want:
		WriteError(w, http.StatusBadRequest, graph.APIError{Message: "Invalid OAuth access token - Cannot parse access token", Code: 190})
		return false
	}
	return true
}

// CheckPost answers an error and returns false when a POST's parameters
// are not a form.
func CheckPost(w http.ResponseWriter, r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if r.ContentLength > 0 && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") &&
		!strings.HasPrefix(ct, "application/json") {
		InvalidParam(w, "unsupported content type "+ct)
		return false
	}
	return true
}

// Versioned returns the path after /{version}/, or answers Graph's
// unknown path error and returns false when the version differs.
func Versioned(w http.ResponseWriter, r *http.Request, version string) (string, bool) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+version+"/")
	if !ok {
		WriteError(w, http.StatusBadRequest, graph.APIError{
			Message: "Unknown path components: " + r.URL.Path, Code: 2500})
		return "", false
	}
	return rest, true
}

// NoNode answers Graph's error for an id that does not exist.
func NoNode(w http.ResponseWriter, method, id string) {
	WriteError(w, http.StatusBadRequest, graph.APIError{
		Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
			strings.ToLower(method), id),
		Type: "GraphMethodException", Code: 100, ErrorSubcode: 33})
}

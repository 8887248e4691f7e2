// Package threadstest is a fake Threads API for the tests of the Threads
// client and of what uses it: it checks the version, the access token and
// a TEXT container's parameters and limits (500 characters as Threads
// counts them, 5 links), runs the container lifecycle (IN_PROGRESS, then
// FINISHED; EXPIRED; ERROR; published once), counts the 250 posts a day,
// and answers with the Threads API's JSON.
package threadstest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/social/internal/graph"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
	"github.com/kiosque/kiosque/internal/social/threads"
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

// Post is a published Threads post.
type Post = graphtest.Media

// Server is the fake Threads API.
type Server struct {
	// Server holds the profile (UserID, Token), the faults and the
	// container lifecycle.
	*graphtest.Server
	// Username is the profile's.
	Username string
}

// NewServer starts a fake Threads API, closed at the end of the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{Username: "leveilleur"}
	//nolint:gosec // G101: the fake's own test token, secret to nothing.
	s.Server = &graphtest.Server{Version: threads.Version, UserID: "17841400000000042", Token: "THAAtokenLeVeilleur",
		IDField: "user_id", Other: s.serve,
		Containers: &graphtest.Containers{
			Names: graphtest.Names{CreateEdge: "threads", PublishEdge: "threads_publish", LimitEdge: "threads_publishing_limit",
				ListEdge: "threads", StatusField: "status", MessageField: "error_message", TextField: "text"},
			FinishAfter: 1, Quota: 250, Validate: validate,
			Permalink: func(n int) string {
				return "https://www.threads.com/@" + s.Username + "/post/DA" + strings.ToUpper(strconv.FormatInt(int64(n)*7919, 36))
			},
		},
		Faults: graphtest.Faults{RateLimitCode: 4, RegainMinutes: 5, BUCType: "threads"}}
	s.Start(tb)
	return s
}

// serve answers the profile and the deletion of a post.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rest string, parts []string) {
	switch {
	case r.Method == http.MethodGet && rest == "me":
		out := map[string]string{"id": s.UserID}
		for f := range strings.SplitSeq(r.Form.Get("fields"), ",") {
			switch f {
			case "username":
				out[f] = s.Username
			case "threads_profile_picture_url":
				out[f] = "https://scontent.cdninstagram.com/v/t51.2885-19/leveilleur.jpg"
			}
		}
		graphtest.WriteJSON(w, http.StatusOK, out)
	case r.Method == http.MethodDelete && len(parts) == 1:
		if !s.DeleteMedia(parts[0]) {
			graphtest.NoNode(w, r.Method, parts[0])
			return
		}
		graphtest.WriteJSON(w, http.StatusOK, map[string]any{"success": true, "deleted_id": parts[0]})
	default:
		graphtest.NoNode(w, r.Method, rest)
	}
}

// validate checks a container's parameters as the Threads API does.
func validate(w http.ResponseWriter, form url.Values) (string, bool) {
	text, link := form.Get("text"), form.Get("link_attachment")
	switch mt := form.Get("media_type"); {
	case mt == "":
		graphtest.InvalidParam(w, "The parameter media_type is required")
		return "", false
	case mt != "TEXT" && mt != "IMAGE" && mt != "VIDEO" && mt != "CAROUSEL":
		graphtest.InvalidParam(w, "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}")
		return "", false
	case mt == "TEXT" && text == "":
		graphtest.InvalidParam(w, "The parameter text is required for media_type=TEXT")
		return "", false
	case mt != "TEXT" && link != "":
		graphtest.InvalidParam(w, "Param link_attachment is only supported for media_type=TEXT")
		return "", false
	case threads.Count(text) > threads.MaxChars:
		graphtest.InvalidParam(w, fmt.Sprintf("Param text must be at most %d characters long", threads.MaxChars))
		return "", false
	case len(threads.Links(text, link)) > threads.MaxLinks:
		// The code of this error is not in our notes; its name is.
		graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Code: 100, Message: "THREADS_API__LINK_LIMIT_EXCEEDED",
			ErrorUserMsg: "Posts can include at most 5 links."})
		return "", false
	}
	if link != "" {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			graphtest.InvalidParam(w, "Param link_attachment must be a valid URL")
			return "", false
		}
	}
	return text, true
}

// Package instagramtest is a fake Instagram Graph API (Instagram with
// Facebook Login) for the tests of the Instagram client and of what uses
// it: it checks the version, the access token and an image container's
// parameters and limits (an image, a caption of 2,200 characters and 30
// hashtags at most), runs the container lifecycle (IN_PROGRESS, then
// FINISHED; EXPIRED; ERROR; published once), counts the posts a day, and
// answers with the Graph API's JSON.
package instagramtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/social/instagram"
	"github.com/kiosque/kiosque/internal/social/internal/graph"
	"github.com/kiosque/kiosque/internal/social/internal/graph/graphtest"
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

// Post is a published Instagram post.
type Post = graphtest.Media

// Server is the fake Instagram Graph API.
type Server struct {
	// Server holds the account (UserID, Token), the faults and the
	// container lifecycle.
	*graphtest.Server
	// Username and Name are the account's.
	Username, Name string
}

// NewServer starts a fake Instagram Graph API, closed at the end of the
// test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{Username: "leveilleur.journal", Name: "Le Veilleur"}
	//nolint:gosec // G101: the fake's own test token, secret to nothing.
	s.Server = &graphtest.Server{Version: graph.Version, UserID: "17841405822304914", Token: "EAAInstagramTokenLeVeilleur",
		IDField: "account_id", Other: s.serve,
		Containers: &graphtest.Containers{
			Names: graphtest.Names{CreateEdge: "media", PublishEdge: "media_publish", LimitEdge: "content_publishing_limit",
				ListEdge: "media", StatusField: "status_code", MessageField: "status", TextField: "caption"},
			FinishAfter: 1, Quota: 50, Validate: validate,
			Permalink: func(n int) string {
				return "https://www.instagram.com/p/C" + strings.ToUpper(strconv.FormatInt(int64(n)*104729, 36)) + "/"
			},
		},
		Faults: graphtest.Faults{RateLimitCode: 80002, RegainMinutes: 6, BUCType: "instagram"}}
	s.Start(tb)
	return s
}

// serve answers the account's profile.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rest string, _ []string) {
	if r.Method != http.MethodGet || rest != s.UserID {
		// Deleting included: the API has no deletion of feed posts.
		graphtest.NoNode(w, r.Method, rest)
		return
	}
	out := map[string]string{"id": s.UserID}
	for f := range strings.SplitSeq(r.Form.Get("fields"), ",") {
		switch f {
		case "username":
			out[f] = s.Username
		case "name":
			out[f] = s.Name
		}
	}
	graphtest.WriteJSON(w, http.StatusOK, out)
}

// validate checks an image container's parameters.
func validate(w http.ResponseWriter, form url.Values) (string, bool) {
	caption := form.Get("caption")
	if mt := form.Get("media_type"); mt != "" && mt != "IMAGE" {
		graphtest.InvalidParam(w, "The fake serves image posts only, not media_type="+mt)
		return "", false
	}
	u, err := url.Parse(form.Get("image_url"))
	switch {
	case form.Get("image_url") == "":
		graphtest.InvalidParam(w, "The parameter image_url is required.")
		return "", false
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		graphtest.WriteError(w, http.StatusBadRequest, graph.APIError{Code: 9004, ErrorSubcode: 2207052,
			Message: "Only photo or video can be accepted as media type.", ErrorUserTitle: "Media download has failed.",
			ErrorUserMsg: "The media could not be fetched from this uri: " + form.Get("image_url")})
		return "", false
	case utf8.RuneCountInString(caption) > instagram.MaxCaption:
		graphtest.InvalidParam(w, fmt.Sprintf("The caption is longer than %d characters", instagram.MaxCaption))
		return "", false
	case instagram.Hashtags(caption) > instagram.MaxHashtags:
		graphtest.InvalidParam(w, fmt.Sprintf("The caption has more than %d hashtags", instagram.MaxHashtags))
		return "", false
	}
	return caption, true
}

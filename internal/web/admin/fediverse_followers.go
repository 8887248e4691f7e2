package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/federation"
)

// fediverseFollowersPageSize is the length of a page of the followers.
const fediverseFollowersPageSize = 50

// fediverseFollowersPage lists the followers, with search, a state
// filter and pages.
type fediverseFollowersPage struct {
	basePage
	Query  string
	State  federation.FollowState
	States []federation.FollowState
	Rows   []*federation.Follower
	Total  int
	// Back is this page's address, where the shortcuts' blocks return.
	Back       string
	Pagination pagination
}

// listFediverseFollowers shows one line per follower: handle, name
// linked to the profile, instance, date, and the actions.
func (h *Handler) listFediverseFollowers(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	f := federation.FollowerQuery{Search: strings.TrimSpace(q.Get("q"))}
	if st := federation.FollowState(q.Get("state")); st == federation.FollowPending || st == federation.FollowAccepted {
		f.State = st
	}
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	f.Limit, f.Offset = fediverseFollowersPageSize, (n-1)*fediverseFollowersPageSize
	list, total, err := h.Federation.ListFollowers(r.Context(), s.actor, f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page := &fediverseFollowersPage{basePage: h.fediverseBase(r, s, h.printer().T("admin.fediverse.followers.title")),
		Query: f.Search, State: f.State, States: []federation.FollowState{federation.FollowPending, federation.FollowAccepted},
		Rows: list, Total: total, Back: r.URL.RequestURI(),
		Pagination: pageLinks(r, n, (total+fediverseFollowersPageSize-1)/fediverseFollowersPageSize)}
	h.render(w, r, http.StatusOK, "fediverse_followers", page)
}

// followersBack is where an action on a follower returns: the list as it
// was filtered, posted by the form.
func followersBack(r *http.Request) string {
	back := safeNext(r.PostFormValue("back"))
	if !strings.HasPrefix(back, "/admin/fediverse/followers") {
		return "/admin/fediverse/followers"
	}
	return back
}

// approveFediverseFollower accepts a follow request held for approval.
func (h *Handler) approveFediverseFollower(w http.ResponseWriter, r *http.Request, s *session) {
	h.actOnFollower(w, r, s, h.Federation.ApproveFollower, "approved")
}

// rejectFediverseFollower refuses a follow request held for approval.
func (h *Handler) rejectFediverseFollower(w http.ResponseWriter, r *http.Request, s *session) {
	h.actOnFollower(w, r, s, h.Federation.RejectFollower, "rejected")
}

// removeFediverseFollower stops sending the articles to a follower.
func (h *Handler) removeFediverseFollower(w http.ResponseWriter, r *http.Request, s *session) {
	h.actOnFollower(w, r, s, h.Federation.RemoveFollower, "removed")
}

// actOnFollower reads the posted form, makes the one service call and
// goes back to the list with its confirmation.
func (h *Handler) actOnFollower(w http.ResponseWriter, r *http.Request, s *session,
	act func(ctx context.Context, actor access.Actor, id int64) error, done string) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	if err := act(r.Context(), s.actor, pathID(r)); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, followersBack(r), done)
}

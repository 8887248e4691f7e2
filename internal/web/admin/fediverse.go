package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
)

// fediversePermission guards the fediverse's pages: the publication's
// handle, who follows it and whom it blocks are the site settings'
// business.
const fediversePermission = access.ManageSettings

// registerFediverse adds the fediverse's pages: the identity with its
// settings and the articles' likes and boosts, the followers, the blocks.
func (h *Handler) registerFediverse(mux router) {
	fedi := func(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
		return h.allowed(fediversePermission, h.withFediverse(next))
	}
	mux.HandleFunc("GET /admin/fediverse/{$}", fedi(h.showFediverse))
	mux.HandleFunc("POST /admin/fediverse/{$}", fedi(h.saveFediverseSettings))
	mux.HandleFunc("GET /admin/fediverse/followers", fedi(h.listFediverseFollowers))
	mux.HandleFunc("POST /admin/fediverse/followers/{id}/approve", fedi(h.approveFediverseFollower))
	mux.HandleFunc("POST /admin/fediverse/followers/{id}/reject", fedi(h.rejectFediverseFollower))
	mux.HandleFunc("POST /admin/fediverse/followers/{id}/remove", fedi(h.removeFediverseFollower))
	mux.HandleFunc("GET /admin/fediverse/blocks", fedi(h.listFediverseBlocks))
	mux.HandleFunc("POST /admin/fediverse/blocks", fedi(h.addFediverseBlock))
	mux.HandleFunc("POST /admin/fediverse/blocks/delete", fedi(h.deleteFediverseBlock))
}

// withFediverse answers 404 on a site built without the federation.
func (h *Handler) withFediverse(next func(http.ResponseWriter, *http.Request, *session)) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if h.Federation == nil {
			h.fail(w, r, s, errNotFound())
			return
		}
		next(w, r, s)
	}
}

// canFediverse reports whether the actor sees the fediverse's pages.
func (h *Handler) canFediverse(a access.Actor) bool {
	return h.Federation != nil && a.Can(fediversePermission)
}

// fediverseFlashes are the confirmations the fediverse's pages show after
// a redirect with ?done=…, beside the back office's own.
var fediverseFlashes = map[string]string{
	"approved":  "admin.fediverse.flash.approved",
	"rejected":  "admin.fediverse.flash.rejected",
	"removed":   "admin.fediverse.flash.removed",
	"blocked":   "admin.fediverse.flash.blocked",
	"unblocked": "admin.fediverse.flash.unblocked",
}

// fediverseBase is h.base for a fediverse page, with its confirmations.
func (h *Handler) fediverseBase(r *http.Request, s *session, title string) basePage {
	p := h.base(r, s, title, "fediverse")
	if key, ok := fediverseFlashes[r.URL.Query().Get("done")]; ok {
		p.Flash = &flash{Kind: "ok", Text: h.printer().T(key)}
	}
	return p
}

// fediverseReactionsShown is how many of the latest articles the page
// shows with their likes and boosts.
const fediverseReactionsShown = 20

// fediversePage is the fediverse's main page: the publication's address,
// its settings, its followers' count, and the latest articles' likes and
// boosts.
type fediversePage struct {
	basePage
	// Handle is "@username@host", ActorURL the actor's id: what readers
	// type in their server's search to find the publication.
	Handle, ActorURL string
	// Host is the domain part of the handles.
	Host     string
	Enabled  bool
	Form     fediverseForm
	Errors   formErrors
	Types    []fediverseType
	Accepted int
	Pending  int
	Articles []fediverseArticle
}

// fediverseType is an object type of the form, with what it looks like
// on Mastodon.
type fediverseType struct {
	Value string
	Label string
	Help  string
}

// fediverseArticle is a published article with its likes and boosts.
type fediverseArticle struct {
	*content.Article
	federation.Reactions
}

// showFediverse shows the main page.
func (h *Handler) showFediverse(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderFediverse(w, r, s, http.StatusOK, fediverseFormOf(h.Settings.Get().Fediverse), nil)
}

// renderFediverse renders the main page around the form f and its errors.
func (h *Handler) renderFediverse(w http.ResponseWriter, r *http.Request, s *session, status int, f fediverseForm, errs formErrors) {
	ctx := r.Context()
	p := h.printer()
	fed := h.Federation
	page := &fediversePage{basePage: h.fediverseBase(r, s, p.T("admin.nav.fediverse")), Handle: fed.Handle(),
		ActorURL: fed.ActorID(""), Host: fed.Host(), Enabled: fed.Enabled(), Form: f, Errors: errs}
	for _, t := range []string{"article", "note"} {
		page.Types = append(page.Types, fediverseType{Value: t, Label: p.T("admin.fediverse.type." + t),
			Help: p.T("admin.fediverse.type." + t + ".help")})
	}
	var err error
	if _, page.Accepted, err = fed.ListFollowers(ctx, s.actor, federation.FollowerQuery{State: federation.FollowAccepted}); err != nil {
		h.fail(w, r, s, err)
		return
	}
	if _, page.Pending, err = fed.ListFollowers(ctx, s.actor, federation.FollowerQuery{State: federation.FollowPending}); err != nil {
		h.fail(w, r, s, err)
		return
	}
	latest, err := h.Content.PublicList(ctx, content.ArticleFilter{Kind: content.KindPost}, 1, fediverseReactionsShown)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	ids := make([]int64, len(latest.Articles))
	for i, a := range latest.Articles {
		ids[i] = a.ID
	}
	counts, err := fed.Reactions(ctx, s.actor, ids)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	for _, a := range latest.Articles {
		page.Articles = append(page.Articles, fediverseArticle{Article: a, Reactions: counts[a.ID]})
	}
	h.render(w, r, status, "fediverse", page)
}

package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/access"
)

// router is where routes are registered: an *http.ServeMux, or the
// recorder behind Routes.
type router interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// routeList records patterns instead of serving them.
type routeList []string

func (l *routeList) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*l = append(*l, pattern)
}

// Routes lists the pattern of every back office route, in the order they
// are registered, so tests can check each one against each role.
func (h *Handler) Routes() []string {
	var l routeList
	h.register(&l)
	return l
}

// register adds every back office route to mux: the whole route table.
func (h *Handler) register(mux router) {
	mux.HandleFunc("GET /admin/login", h.showLogin)
	mux.HandleFunc("POST /admin/login", h.login)
	mux.HandleFunc("GET /admin/login/code", h.showTOTP)
	mux.HandleFunc("POST /admin/login/code", h.verifyTOTP)
	mux.HandleFunc("POST /admin/logout", h.logout)
	mux.HandleFunc("GET /admin/forgot", h.showForgot)
	mux.HandleFunc("POST /admin/forgot", h.forgot)
	mux.HandleFunc("GET /admin/reset", h.showReset)
	mux.HandleFunc("POST /admin/reset", h.reset)

	mux.HandleFunc("GET /admin/{$}", h.authed(h.showDashboard))

	mux.HandleFunc("GET /admin/articles", h.authed(h.listArticles(false)))
	mux.HandleFunc("POST /admin/articles/bulk", h.authed(h.bulkArticles))
	mux.HandleFunc("GET /admin/articles/new", h.authed(h.showNewArticle(false)))
	mux.HandleFunc("POST /admin/articles/new", h.authed(h.saveArticle))
	mux.HandleFunc("GET /admin/articles/{id}", h.authed(h.showArticle))
	mux.HandleFunc("POST /admin/articles/{id}", h.authed(h.saveArticle))
	mux.HandleFunc("POST /admin/articles/{id}/trash", h.authed(h.trashArticle))
	mux.HandleFunc("POST /admin/articles/{id}/restore", h.authed(h.restoreArticle))
	mux.HandleFunc("POST /admin/articles/{id}/autosave", h.authed(h.autosave))
	mux.HandleFunc("GET /admin/articles/{id}/revisions", h.authed(h.listRevisions))
	mux.HandleFunc("GET /admin/revisions/{id}", h.authed(h.showRevision))
	mux.HandleFunc("POST /admin/revisions/{id}/restore", h.authed(h.revertRevision))
	mux.HandleFunc("POST /admin/preview", h.authed(h.preview))
	mux.HandleFunc("GET /admin/pages", h.allowed(access.ManagePages, h.listArticles(true)))
	mux.HandleFunc("GET /admin/pages/new", h.allowed(access.ManagePages, h.showNewArticle(true)))

	h.registerComments(mux)
	h.registerMedia(mux)
	h.registerTaxonomies(mux)
	h.registerAccount(mux)
	h.registerUsers(mux)
	h.registerSettings(mux)
	h.registerAudit(mux)
	h.registerDonations(mux)
	h.registerDonors(mux)
	h.registerShop(mux)
	h.registerSocial(mux)
	h.registerFediverse(mux)
	h.registerRedirects(mux)

	mux.HandleFunc("/admin/", h.authed(h.notFound))
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, s *session) {
	h.fail(w, r, s, errNotFound())
}

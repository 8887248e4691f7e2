package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/syndication"
)

// socialPermission guards the social accounts: their tokens speak for the
// newsroom, so they are the site settings' business.
const socialPermission = access.ManageSettings

// registerSocial adds the social accounts' pages: the accounts, their
// form and its preview, the delivery log, and the editor's panel.
func (h *Handler) registerSocial(mux router) {
	social := func(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
		return h.allowed(socialPermission, h.withSocial(next))
	}
	mux.HandleFunc("GET /admin/social/{$}", social(h.listSocialAccounts))
	mux.HandleFunc("GET /admin/social/new", social(h.showNewSocialAccount))
	mux.HandleFunc("POST /admin/social/new", social(h.saveSocialAccount))
	mux.HandleFunc("POST /admin/social/preview", social(h.previewSocialMessage))
	mux.HandleFunc("GET /admin/social/deliveries", social(h.listSocialDeliveries))
	mux.HandleFunc("POST /admin/social/deliveries/{id}/retry", social(h.retrySocialDelivery))
	mux.HandleFunc("GET /admin/social/{id}", social(h.showSocialAccount))
	mux.HandleFunc("POST /admin/social/{id}", social(h.saveSocialAccount))
	mux.HandleFunc("POST /admin/social/{id}/verify", social(h.verifySocialAccount))
	mux.HandleFunc("POST /admin/social/{id}/test", social(h.testSocialAccount))
	mux.HandleFunc("GET /admin/social/{id}/delete", social(h.confirmSocialAccountDelete))
	mux.HandleFunc("POST /admin/social/{id}/delete", social(h.deleteSocialAccount))
	mux.HandleFunc("POST /admin/articles/{id}/social", social(h.saveArticleSocial))
}

// withSocial answers 404 on a site built without the social service.
func (h *Handler) withSocial(next func(http.ResponseWriter, *http.Request, *session)) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if h.Syndication == nil {
			h.fail(w, r, s, errNotFound())
			return
		}
		next(w, r, s)
	}
}

// canSocial reports whether the actor sees the social accounts.
func (h *Handler) canSocial(a access.Actor) bool {
	return h.Syndication != nil && a.Can(socialPermission)
}

// socialFlashes are the confirmations the social pages show after a
// redirect with ?done=…, beside the back office's own.
var socialFlashes = map[string]string{
	"requeued": "admin.social.flash.requeued",
}

// socialBase is h.base for a social page, with its confirmations.
func (h *Handler) socialBase(r *http.Request, s *session, title string) basePage {
	p := h.base(r, s, title, "social")
	if key, ok := socialFlashes[r.URL.Query().Get("done")]; ok {
		p.Flash = &flash{Kind: "ok", Text: h.printer().T(key)}
	}
	return p
}

// networkName is a network as the newsroom names it.
func networkName(p *locale.Printer, n syndication.Network) string {
	return p.T("admin.social.network." + string(n))
}

// errorText is the message a person sees for err: the catalogue's, in
// the site's language.
func (h *Handler) errorText(err error) string {
	key, args := apperr.Message(err)
	return h.printer().T(key, args...)
}

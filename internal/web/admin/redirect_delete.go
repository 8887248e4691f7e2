package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/redirects"
)

// redirectDeletePage asks before a redirect is deleted.
type redirectDeletePage struct {
	basePage
	Redirect *redirects.Redirect
}

// confirmRedirectDelete asks whether to delete a redirect.
func (h *Handler) confirmRedirectDelete(w http.ResponseWriter, r *http.Request, s *session) {
	x, err := h.Redirects.Redirect(r.Context(), s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, http.StatusOK, "redirect_delete", &redirectDeletePage{
		basePage: h.base(r, s, h.printer().T("admin.redirects.delete.title", x.From), "redirects"), Redirect: x})
}

// deleteRedirect deletes a redirect: its old address answers 404 again.
func (h *Handler) deleteRedirect(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.Redirects.Delete(r.Context(), s.actor, pathID(r)); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/redirects/", "deleted")
}

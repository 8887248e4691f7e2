package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/syndication"
)

// socialDeletePage asks before an account is deleted.
type socialDeletePage struct {
	basePage
	Account *syndication.Account
}

// confirmSocialAccountDelete asks whether to delete an account.
func (h *Handler) confirmSocialAccountDelete(w http.ResponseWriter, r *http.Request, s *session) {
	a, _, err := h.Syndication.Account(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, http.StatusOK, "social_delete", &socialDeletePage{
		basePage: h.socialBase(r, s, h.printer().T("admin.social.delete.title", a.Name)), Account: a})
}

// deleteSocialAccount deletes an account and its delivery log; its posts
// stay on the network.
func (h *Handler) deleteSocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.Syndication.DeleteAccount(r.Context(), s.actor, pathID(r)); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/social/", "deleted")
}

package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/apperr"
)

// verifySocialAccount checks an account's credentials with its network
// again, and shows the list with what the network said.
func (h *Handler) verifySocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	id := pathID(r)
	prof, err := h.Syndication.VerifyAccount(r.Context(), id)
	if err != nil {
		h.socialRefused(w, r, s, id, err)
		return
	}
	name := prof.Name
	if name == "" {
		name = prof.URL
	}
	h.renderSocialAccounts(w, r, s, http.StatusOK, &socialResult{AccountID: id, OK: true,
		Text: h.printer().T("admin.social.verified", name), URL: prof.URL})
}

// testSocialAccount sends a test message to an account, and shows the
// list with the post's address or the network's refusal.
func (h *Handler) testSocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	id := pathID(r)
	remote, err := h.Syndication.TestPost(r.Context(), id)
	if err != nil {
		h.socialRefused(w, r, s, id, err)
		return
	}
	h.renderSocialAccounts(w, r, s, http.StatusOK, &socialResult{AccountID: id, OK: true,
		Text: h.printer().T("admin.social.tested"), URL: remote.URL})
}

// socialRefused shows the list with a network's refusal by its account;
// a failure that is not the network's answer is an error page.
func (h *Handler) socialRefused(w http.ResponseWriter, r *http.Request, s *session, id int64, err error) {
	if !apperr.Is(err, apperr.Invalid) {
		h.fail(w, r, s, err)
		return
	}
	h.renderSocialAccounts(w, r, s, http.StatusUnprocessableEntity, &socialResult{AccountID: id, Text: h.errorText(err)})
}

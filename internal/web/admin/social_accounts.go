package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/syndication"
)

// socialAccountsPage lists the accounts, with the networks one may add.
type socialAccountsPage struct {
	basePage
	Accounts []*syndication.Account
	Networks []networkChoice
	// Result is what a check or a test post of one account gave.
	Result *socialResult
}

// networkChoice is a network of the « add an account » select.
type networkChoice struct {
	Value syndication.Network
	Label string
}

// socialResult is the outcome of a check or a test post, shown by its
// account: the network's words, and the post's address.
type socialResult struct {
	AccountID int64
	OK        bool
	Text      string
	URL       string
}

// listSocialAccounts shows the accounts with their health and actions.
func (h *Handler) listSocialAccounts(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderSocialAccounts(w, r, s, http.StatusOK, nil)
}

// renderSocialAccounts renders the list, with res by its account.
func (h *Handler) renderSocialAccounts(w http.ResponseWriter, r *http.Request, s *session, status int, res *socialResult) {
	p := h.printer()
	accounts, err := h.Syndication.Accounts(r.Context())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page := &socialAccountsPage{basePage: h.socialBase(r, s, p.T("admin.nav.social")), Accounts: accounts, Result: res}
	for _, n := range syndication.Networks() {
		if h.offersNetwork(n) {
			page.Networks = append(page.Networks, networkChoice{Value: n, Label: networkName(p, n)})
		}
	}
	h.render(w, r, status, "social_accounts", page)
}

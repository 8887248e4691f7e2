package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/syndication"
)

// socialAccountPage is the form of an account, new or stored.
type socialAccountPage struct {
	basePage
	// Account is the stored account, nil for a new one.
	Account *syndication.Account
	Form    socialAccountForm
	Errors  formErrors
	// Fields are the network's settings, in its order.
	Fields       []socialField
	Placeholders []placeholderHelp
	Categories   []content.Category
	// Articles are the newest published articles the preview may render.
	Articles []articleChoice
	Preview  *socialPreview
}

// socialField is one setting of the form. Value is empty for a secret:
// Saved says one is stored.
type socialField struct {
	Name, Label, Help string
	Secret, Required  bool
	Value             string
	Saved             bool
}

// placeholderHelp is a placeholder of the template and what it stands for.
type placeholderHelp struct{ Name, Help string }

// articleChoice is an article of the preview's select.
type articleChoice struct {
	ID    int64
	Title string
}

// previewArticles is how many of the newest articles the preview offers.
const previewArticles = 20

// showNewSocialAccount shows the form of a new account on ?network=.
func (h *Handler) showNewSocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	n := syndication.Network(r.URL.Query().Get("network"))
	if !h.offersNetwork(n) {
		h.fail(w, r, s, errNotFound())
		return
	}
	h.renderSocialAccount(w, r, s, http.StatusOK, nil, nil, newSocialAccountForm(n), nil)
}

// showSocialAccount shows a stored account's form.
func (h *Handler) showSocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	a, set, err := h.Syndication.Account(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.renderSocialAccount(w, r, s, http.StatusOK, a, set, socialAccountFormOf(a), nil)
}

// saveSocialAccount creates or changes an account, or only shows the
// form again with its preview when that is what was asked. Credentials
// the network refuses come back with its message, and nothing is saved.
func (h *Handler) saveSocialAccount(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	var (
		id  int64
		a   *syndication.Account
		set map[string]bool
		n   = syndication.Network(r.URL.Query().Get("network"))
	)
	if r.PathValue("id") != "" {
		if id = pathID(r); id == 0 {
			h.fail(w, r, s, errNotFound())
			return
		}
		var err error
		if a, set, err = h.Syndication.Account(ctx, id); err != nil {
			h.fail(w, r, s, err)
			return
		}
		n = a.Network
	}
	if !h.offersNetwork(n) {
		h.fail(w, r, s, apperr.New(apperr.Invalid, "error.syndication.unknown_network"))
		return
	}
	f, err := parseSocialAccountForm(w, r, n)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if f.Intent == "preview" {
		h.renderSocialAccount(w, r, s, http.StatusOK, a, set, f, nil)
		return
	}
	in, typed := f.input()
	if len(typed) > 0 {
		h.renderSocialAccount(w, r, s, http.StatusUnprocessableEntity, a, set, f, h.translate(typed))
		return
	}
	if _, err := h.Syndication.SaveAccount(ctx, s.actor, id, in); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderSocialAccount(w, r, s, formStatus(err), a, set, f, errs)
		return
	}
	redirect(w, r, "/admin/social/", "saved")
}

// offersNetwork reports whether accounts on n can be added: a network
// kiosque knows and has a client for.
func (h *Handler) offersNetwork(n syndication.Network) bool {
	_, ok := h.Syndication.Publishers[n]
	return ok && n.Valid()
}

// renderSocialAccount renders the account form with the preview of its
// template; a is the stored account (nil for a new one), set which of its
// secrets are stored.
func (h *Handler) renderSocialAccount(w http.ResponseWriter, r *http.Request, s *session, status int, a *syndication.Account,
	set map[string]bool, f socialAccountForm, errs formErrors) {
	ctx := r.Context()
	p := h.printer()
	title := p.T("admin.social.new", networkName(p, f.Network))
	if a != nil {
		title = a.Name
	}
	page := &socialAccountPage{basePage: h.socialBase(r, s, title), Account: a, Form: f, Errors: errs}
	for _, fd := range f.Network.Fields() {
		sf := socialField{Name: fd.Name, Label: p.T("admin.social.field." + fd.Name), Secret: fd.Secret, Required: fd.Required,
			Saved: fd.Secret && set[fd.Name]}
		if key := "admin.social.help." + string(f.Network) + "." + fd.Name; p.Has(key) {
			sf.Help = p.T(key)
		}
		if !fd.Secret {
			sf.Value = f.Config[fd.Name]
		}
		page.Fields = append(page.Fields, sf)
	}
	for _, ph := range syndication.Placeholders() {
		page.Placeholders = append(page.Placeholders, placeholderHelp{Name: ph, Help: p.T("admin.social.placeholder." + strings.ToLower(ph[1:len(ph)-1]))})
	}
	var err error
	if page.Categories, err = h.Content.Categories(ctx); err != nil {
		h.fail(w, r, s, err)
		return
	}
	if page.Articles, err = h.previewChoices(ctx); err != nil {
		h.fail(w, r, s, err)
		return
	}
	id := f.PreviewArticle
	if !slices.ContainsFunc(page.Articles, func(c articleChoice) bool { return c.ID == id }) && len(page.Articles) > 0 {
		id = page.Articles[0].ID
	}
	page.Form.PreviewArticle = id
	if page.Preview, err = h.socialPreview(ctx, f.Network, f.Config["max_chars"], f.Template, id); err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, status, "social_account", page)
}

// previewChoices returns the newest published articles, for the
// preview's select.
func (h *Handler) previewChoices(ctx context.Context) ([]articleChoice, error) {
	list, err := h.Content.PublicList(ctx, content.ArticleFilter{}, 1, previewArticles)
	if err != nil {
		return nil, err
	}
	out := make([]articleChoice, 0, len(list.Articles))
	for _, a := range list.Articles {
		out = append(out, articleChoice{ID: a.ID, Title: a.Title})
	}
	return out, nil
}

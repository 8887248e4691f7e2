package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/syndication"
)

// articleSocialPanel is the editor's « Réseaux sociaux » section: the
// enabled accounts with this article's choices, and its deliveries.
type articleSocialPanel struct {
	Accounts   []articleSocialAccount
	Deliveries []deliveryRow
}

// articleSocialAccount is one account's choice for the article, with the
// preview of what it would post and the message of a refused choice.
type articleSocialAccount struct {
	Account *syndication.Account
	Skip    bool
	Message string
	Preview *socialPreview
	Error   string
}

// articleSocialDeliveries is how many of an article's deliveries the
// panel lists.
const articleSocialDeliveries = 50

// articleSocialPanel builds the panel of article id, for those who may
// manage the social accounts (see canSocial). typed holds the choices as
// posted (nil: as stored), errs their refusals by account.
func (h *Handler) articleSocialPanel(ctx context.Context, id int64, typed map[int64]syndication.Override,
	errs map[int64]string) (*articleSocialPanel, error) {
	accounts, err := h.enabledSocialAccounts(ctx)
	if err != nil {
		return nil, err
	}
	panel := &articleSocialPanel{}
	art, found, err := h.previewArticle(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		o, ok := typed[a.ID]
		if !ok {
			if o, err = h.Syndication.Store.Override(ctx, id, a.ID); err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
		}
		tmpl := a.Template
		if strings.TrimSpace(o.Message) != "" {
			tmpl = o.Message
		}
		pv := &socialPreview{Error: h.printer().T("admin.social.preview.no_article")}
		if found {
			if pv, err = h.previewOf(a.Network, a.Config["max_chars"], tmpl, art); err != nil {
				return nil, err
			}
		}
		panel.Accounts = append(panel.Accounts, articleSocialAccount{Account: a, Skip: o.Skip, Message: o.Message, Preview: pv,
			Error: errs[a.ID]})
	}
	rows, _, err := h.Syndication.Deliveries(ctx, syndication.DeliveryQuery{ArticleID: id, Limit: articleSocialDeliveries})
	if err != nil {
		return nil, err
	}
	panel.Deliveries = h.deliveryRows(rows)
	return panel, nil
}

// enabledSocialAccounts returns the accounts that receive new articles.
func (h *Handler) enabledSocialAccounts(ctx context.Context) ([]*syndication.Account, error) {
	all, err := h.Syndication.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []*syndication.Account
	for _, a := range all {
		if a.Enabled {
			out = append(out, a)
		}
	}
	return out, nil
}

// saveArticleSocial records the editor's choice for each enabled account:
// not to post the article there, or a message of its own. « Prévisualiser »
// shows the editor again with the messages as typed, saving nothing.
func (h *Handler) saveArticleSocial(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	art, err := h.Content.EditableArticle(ctx, s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	accounts, err := h.enabledSocialAccounts(ctx)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	typed := map[int64]syndication.Override{}
	for _, a := range accounts {
		key := strconv.FormatInt(a.ID, 10)
		typed[a.ID] = syndication.Override{Skip: r.PostFormValue("skip."+key) != "",
			Message: strings.ReplaceAll(r.PostFormValue("message."+key), "\r\n", "\n")}
	}
	if r.PostFormValue("intent") == "preview" {
		h.renderArticleSocial(w, r, s, http.StatusOK, art, typed, nil)
		return
	}
	errs := map[int64]string{}
	for _, a := range accounts {
		if err := h.Syndication.SetOverride(ctx, art.ID, a.ID, typed[a.ID]); err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				h.fail(w, r, s, err)
				return
			}
			errs[a.ID] = h.errorText(err)
		}
	}
	if len(errs) > 0 {
		h.renderArticleSocial(w, r, s, http.StatusUnprocessableEntity, art, typed, errs)
		return
	}
	redirect(w, r, "/admin/articles/"+strconv.FormatInt(art.ID, 10)+"#social", "saved")
}

// renderArticleSocial shows the editor on art with its social panel as
// posted.
func (h *Handler) renderArticleSocial(w http.ResponseWriter, r *http.Request, s *session, status int, art *content.Article,
	typed map[int64]syndication.Override, errs map[int64]string) {
	page, err := h.editor(r, s, art, h.formOf(art))
	if err == nil {
		page.Social, err = h.articleSocialPanel(r.Context(), art.ID, typed, errs)
	}
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, status, "editor", page)
}

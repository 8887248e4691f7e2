package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/syndication"
)

// socialPreview is a message as a network would receive it, with what
// the page says about it. The JSON form is what the form's script reads.
type socialPreview struct {
	// ArticleID and ArticleTitle name the article rendered.
	ArticleID    int64  `json:"article_id,omitempty"`
	ArticleTitle string `json:"article_title,omitempty"`
	Text         string `json:"text"`
	Count        int    `json:"count"`
	Max          int    `json:"max"`
	Remaining    int    `json:"remaining"`
	Shortened    bool   `json:"shortened"`
	// Skip is why nothing would be sent, in the outbox's words.
	Skip string `json:"skip,omitempty"`
	// Label is the count against the limit, written out (« 412 sur 500 ·
	// reste 88 »), Note what was done to the text or why nothing would go.
	Label string `json:"label,omitempty"`
	Note  string `json:"note,omitempty"`
	// Error is why the template cannot be rendered (an unknown
	// placeholder), translated.
	Error string `json:"error,omitempty"`
}

// socialPreview renders tmpl for article id (0: the newest published) as
// network n would receive it; maxChars is a Mastodon instance's own limit.
// A template the outbox would refuse gives a preview with its Error.
func (h *Handler) socialPreview(ctx context.Context, n syndication.Network, maxChars, tmpl string, id int64) (*socialPreview, error) {
	art, ok, err := h.previewArticle(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &socialPreview{Error: h.printer().T("admin.social.preview.no_article")}, nil
	}
	return h.previewOf(n, maxChars, tmpl, art)
}

// previewArticle returns article id (0: the newest published) as the
// outbox sees it; ok is false when there is none to preview with.
func (h *Handler) previewArticle(ctx context.Context, id int64) (art *syndication.Article, ok bool, err error) {
	if id == 0 {
		choices, err := h.previewChoices(ctx)
		if err != nil || len(choices) == 0 {
			return nil, false, err
		}
		id = choices[0].ID
	}
	art, err = h.Syndication.Articles.Article(ctx, id)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return art, true, nil
}

// previewOf renders tmpl for art as network n would receive it.
func (h *Handler) previewOf(n syndication.Network, maxChars, tmpl string, art *syndication.Article) (*socialPreview, error) {
	p := h.printer()
	out := &socialPreview{ArticleID: art.ID, ArticleTitle: art.Vars.Title}
	pv, err := h.Syndication.Preview(n, maxChars, tmpl, art)
	if err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			return nil, err
		}
		out.Error = h.errorText(err)
		return out, nil
	}
	out.Text, out.Count, out.Max, out.Remaining, out.Shortened, out.Skip = pv.Text, pv.Count, pv.Max, pv.Remaining(), pv.Shortened, pv.Skip
	left := p.T("admin.social.preview.remaining", p.Number(int64(pv.Remaining())))
	if pv.Remaining() < 0 {
		left = p.T("admin.social.preview.over", p.Number(int64(-pv.Remaining())))
	}
	out.Label = p.T("admin.social.preview.count", p.Number(int64(pv.Count)), p.Number(int64(pv.Max)), left)
	switch {
	case pv.Skip != "":
		out.Note = p.T("admin.social.preview.skip", p.T(pv.Skip))
	case pv.Shortened:
		out.Note = p.T("admin.social.preview.shortened")
	}
	return out, nil
}

// previewSocialMessage answers the form's script with the preview of the
// template being typed, as JSON: the same as the « Prévisualiser »
// button shows.
func (h *Handler) previewSocialMessage(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	v := r.PostFormValue
	n := syndication.Network(v("network"))
	if !n.Valid() {
		previewRefused(w, h.errorText(apperr.New(apperr.Invalid, "error.syndication.unknown_network")))
		return
	}
	id, _ := strconv.ParseInt(v("article"), 10, 64)
	pv, err := h.socialPreview(r.Context(), n, v("max_chars"), strings.ReplaceAll(v("template"), "\r\n", "\n"), id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(pv)
}

// previewRefused answers the script that its request cannot be previewed.
func previewRefused(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnprocessableEntity)
	_ = json.NewEncoder(w).Encode(socialPreview{Error: msg})
}

package site

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// showYearOrPage answers a one-segment address: four digits are a year of
// the archives, anything else the slug of a static page.
func (h *Handler) showYearOrPage(r *http.Request, c *reqCtx) (*page, error) {
	if content.IsYearSlug(r.PathValue("slug")) {
		return h.showYear(r, c)
	}
	return h.showPage(r, c)
}

// showPage renders a static page (About, Legal notice, Contact): the
// article layout without date, byline or related articles.
func (h *Handler) showPage(r *http.Request, c *reqCtx) (*page, error) {
	a, err := h.Content.PublicPage(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	path := web.PagePath(a.Slug)
	view := h.viewOf(a, c)
	title := a.Title
	if a.SEOTitle != "" {
		title = a.SEOTitle
	}
	v := h.newPage(r, c, title, a.Description(), path)
	v.OGTitle = view.Title
	v.Article = view
	v.Section = a.Slug
	if a.ImageURL != "" {
		v.Image, v.ImageAlt = h.absolute(a.ImageURL), a.ImageAlt
	}
	return h.htmlPage(c, "page", v, a.UpdatedAt, appealTags(pagecache.ArticleTag(a.ID))...)
}

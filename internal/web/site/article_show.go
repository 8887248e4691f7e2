package site

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// showArticle renders an article page. The date in the path only has to
// lead to the article: an old or mistyped date redirects to the canonical
// path, so links survive a change of publication date.
func (h *Handler) showArticle(r *http.Request, c *reqCtx) (*page, error) {
	a, err := h.Content.PublicArticle(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	path := web.ArticlePath(a, c.loc)
	if path != r.URL.Path {
		return nil, &redirect{to: path, code: http.StatusMovedPermanently}
	}
	return h.articlePage(r, c, a, nil)
}

// articlePage renders an article with its discussion. form is nil for a
// fresh page, or the comment form as posted when it was refused; then the
// page is not cached.
func (h *Handler) articlePage(r *http.Request, c *reqCtx, a *content.Article, form *commentForm) (*page, error) {
	path := web.ArticlePath(a, c.loc)
	d, form, err := h.discussion(r.Context(), r, a, form)
	if err != nil {
		return nil, err
	}
	related := make([]*content.Article, len(a.Related))
	for i, st := range a.Related {
		related[i] = &content.Article{ID: st.ID, Slug: st.Slug, Title: st.Title, Status: content.StatusPublished,
			PublishedAt: st.PublishedAt, UpdatedAt: st.UpdatedAt}
	}
	view := h.viewOf(a, c)
	title := a.Title
	if a.SEOTitle != "" {
		title = a.SEOTitle
	}
	v := h.newPage(r, c, title, a.Description(), path)
	v.OGTitle = view.Title
	v.OGType = "article"
	v.Article = view
	if a.ImageURL != "" {
		v.Image, v.ImageAlt = h.absolute(a.ImageURL), a.ImageAlt
	}
	if len(a.Categories) > 0 {
		v.Section = a.Categories[0].Slug
	}
	if appealOff(v.Nav, a.Categories) {
		v.AppealHTML = ""
	}
	var withBooks bool
	v.BookshopHTML, withBooks = h.bookshopBlock(r.Context(), c, a, v.BookshopHTML)
	v.Related = h.viewsOf(related, c)
	v.Feeds = append(v.Feeds, h.articleCommentsFeed(c, a))
	if d != nil {
		v.HasComments = true
		v.writeComments = func(w *htmlWriter) { h.writeDiscussion(w, c, a.ID, path, d, form) }
		view.CommentCount = d.Count
	}
	v.JSONLD = jsonLD(h.newsArticleLD(c, view))
	tags := make([]string, 0, 3+len(related))
	tags = append(tags, pagecache.ArticleTag(a.ID))
	if withBooks {
		tags = append(tags, pagecache.TagShop) // its books' prices and stock
	}
	for _, rel := range related {
		tags = append(tags, pagecache.ArticleTag(rel.ID))
	}
	p, err := h.htmlPage(c, "article", v, a.UpdatedAt, appealTags(tags...)...)
	if err != nil || d == nil {
		return p, err
	}
	switch {
	case d.Own || len(form.Errors) > 0 || form.Message != "":
		// The reader's own comments, or what they typed: for them alone.
		p.Tags, p.CacheControl = nil, web.CacheNoStore
	case d.Open:
		p.MaxAge = formMaxAge
	}
	return p, nil
}

package api

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

type termsBody struct {
	Data []Term `json:"data"`
	Meta struct {
		Total int `json:"total"`
	} `json:"meta"`
}

func termsResult(terms []Term) *result {
	b := termsBody{Data: terms}
	b.Meta.Total = len(terms)
	return &result{value: b, tags: []string{pagecache.TagLists}}
}

func countOf(n int) *int { return &n }

// listCategories serves GET /api/v1/categories.
func (h *Handler) listCategories(r *http.Request, _ *settings.Site) (*result, error) {
	cats, err := h.Content.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]Term, 0, len(cats))
	for _, c := range cats {
		out = append(out, Term{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description,
			URL: h.BaseURL + web.CategoryPath(c.Slug), Count: countOf(c.Count)})
	}
	return termsResult(out), nil
}

// listTags serves GET /api/v1/tags.
func (h *Handler) listTags(r *http.Request, _ *settings.Site) (*result, error) {
	tags, err := h.Content.Tags(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]Term, 0, len(tags))
	for _, t := range tags {
		out = append(out, Term{ID: t.ID, Slug: t.Slug, Name: t.Name, URL: h.BaseURL + web.TagPath(t.Slug), Count: countOf(t.Count)})
	}
	return termsResult(out), nil
}

// listAuthors serves GET /api/v1/authors.
func (h *Handler) listAuthors(r *http.Request, _ *settings.Site) (*result, error) {
	authors, err := h.Content.Authors(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]Term, 0, len(authors))
	for _, a := range authors {
		out = append(out, Term{ID: a.ID, Slug: a.Slug, Name: a.Name, Description: a.Bio,
			URL: h.BaseURL + web.AuthorPath(a.Slug), Count: countOf(a.Count)})
	}
	return termsResult(out), nil
}

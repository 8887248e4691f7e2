package api

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Article is an article as the API shows it. Field names are stable.
type Article struct {
	ID             int64     `json:"id"`
	Slug           string    `json:"slug"`
	URL            string    `json:"url"`
	Title          string    `json:"title"`
	Excerpt        string    `json:"excerpt"`
	BodyHTML       *string   `json:"body_html,omitempty"`
	PublishedAt    time.Time `json:"published_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	ReadingMinutes int       `json:"reading_minutes"`
	Featured       bool      `json:"featured"`
	Image          *Image    `json:"image"`
	Authors        []Term    `json:"authors"`
	Categories     []Term    `json:"categories"`
	Tags           []Term    `json:"tags"`
}

// Image is a featured image.
type Image struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

// Term is an author, category or tag.
type Term struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
	Count       *int   `json:"count,omitempty"`
}

// Meta is the pagination metadata of a list.
type Meta struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"`
	Pages int `json:"pages"`
}

// Links are the URLs of neighbouring pages.
type Links struct {
	Self string `json:"self"`
	Prev string `json:"prev,omitempty"`
	Next string `json:"next,omitempty"`
}

type listBody struct {
	Data  []Article `json:"data"`
	Meta  Meta      `json:"meta"`
	Links Links     `json:"links"`
}

type itemBody struct {
	Data Article `json:"data"`
}

func (h *Handler) articleOf(a *content.Article, st *settings.Site, withBody bool) Article {
	loc := st.Location()
	out := Article{
		ID: a.ID, Slug: a.Slug, URL: h.BaseURL + web.ArticlePath(a, loc), Title: a.Title, Excerpt: a.Excerpt,
		PublishedAt: a.PublishedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ReadingMinutes: a.ReadingMinutes,
		Featured: a.Featured, Authors: []Term{}, Categories: []Term{}, Tags: []Term{},
	}
	if withBody {
		body := a.BodyHTML
		out.BodyHTML = &body
	}
	if a.ImageURL != "" {
		out.Image = &Image{URL: a.ImageURL, Alt: a.ImageAlt}
	}
	for _, au := range a.Authors {
		out.Authors = append(out.Authors, Term{ID: au.ID, Slug: au.Slug, Name: au.Name, URL: h.BaseURL + web.AuthorPath(au.Slug)})
	}
	for _, c := range a.Categories {
		out.Categories = append(out.Categories, Term{ID: c.ID, Slug: c.Slug, Name: c.Name, URL: h.BaseURL + web.CategoryPath(c.Slug)})
	}
	for _, t := range a.Tags {
		out.Tags = append(out.Tags, Term{ID: t.ID, Slug: t.Slug, Name: t.Name, URL: h.BaseURL + web.TagPath(t.Slug)})
	}
	return out
}

// listArticles serves GET /api/v1/articles?page=&limit=&category=&tag=.
func (h *Handler) listArticles(r *http.Request, st *settings.Site) (*result, error) {
	if err := checkQuery(r); err != nil {
		return nil, err
	}
	page, err := intParam(r, "page", 1, 1<<20)
	if err != nil {
		return nil, err
	}
	limit, err := intParam(r, "limit", DefaultLimit, MaxLimit)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := content.ArticleFilter{CategorySlug: q.Get("category"), TagSlug: q.Get("tag"), AuthorSlug: q.Get("author")}
	// An unknown category or tag is a 404, not an empty list: the caller
	// most likely mistyped it.
	if f.CategorySlug != "" {
		if _, err := h.Content.CategoryBySlug(r.Context(), f.CategorySlug); err != nil {
			return nil, err
		}
	}
	if f.TagSlug != "" {
		if _, err := h.Content.TagBySlug(r.Context(), f.TagSlug); err != nil {
			return nil, err
		}
	}
	if f.AuthorSlug != "" {
		if _, err := h.Content.AuthorBySlug(r.Context(), f.AuthorSlug); err != nil {
			return nil, err
		}
	}
	p, err := h.Content.PublicList(r.Context(), f, page, limit)
	if apperr.Is(err, apperr.NotFound) {
		// Past the last page: an empty page with correct metadata.
		p, err = h.Content.PublicList(r.Context(), f, 1, limit)
		if err == nil {
			p = content.Page{Total: p.Total, Number: page, Size: limit}
		}
	}
	if err != nil {
		return nil, err
	}
	body := listBody{Data: make([]Article, 0, len(p.Articles)), Meta: Meta{Page: page, Limit: limit, Total: p.Total, Pages: p.Pages()}}
	for _, a := range p.Articles {
		body.Data = append(body.Data, h.articleOf(a, st, false))
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", fmt.Sprint(n))
		v.Set("limit", fmt.Sprint(limit))
		return h.BaseURL + "/api/v1/articles?" + v.Encode()
	}
	body.Links.Self = link(page)
	if page > 1 && page <= p.Pages()+1 {
		body.Links.Prev = link(page - 1)
	}
	if page < p.Pages() {
		body.Links.Next = link(page + 1)
	}
	var modified time.Time
	for _, a := range p.Articles {
		if a.UpdatedAt.After(modified) {
			modified = a.UpdatedAt
		}
	}
	return &result{value: body, tags: []string{pagecache.TagLists}, modified: modified}, nil
}

// showArticle serves GET /api/v1/articles/{slug}.
func (h *Handler) showArticle(r *http.Request, st *settings.Site) (*result, error) {
	a, err := h.Content.PublicArticle(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return &result{value: itemBody{Data: h.articleOf(a, st, true)}, tags: []string{pagecache.ArticleTag(a.ID)}, modified: a.UpdatedAt}, nil
}

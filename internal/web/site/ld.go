package site

import (
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/web"
)

// schema.org structured data, as search engines document it for news
// (https://developers.google.com/search/docs/appearance/structured-data/article).

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	Logo *ldImg `json:"logo,omitempty"`
}

type ldImg struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

type ldNewsArticle struct {
	Context          string    `json:"@context"`
	Type             string    `json:"@type"`
	Headline         string    `json:"headline"`
	Description      string    `json:"description,omitempty"`
	URL              string    `json:"url"`
	MainEntity       string    `json:"mainEntityOfPage"`
	DatePublished    string    `json:"datePublished"`
	DateModified     string    `json:"dateModified"`
	InLanguage       string    `json:"inLanguage"`
	Image            []string  `json:"image,omitempty"`
	Author           []ldThing `json:"author,omitempty"`
	Publisher        ldThing   `json:"publisher"`
	ArticleSection   []string  `json:"articleSection,omitempty"`
	Keywords         string    `json:"keywords,omitempty"`
	WordCount        int       `json:"wordCount,omitempty"`
	CommentCount     int       `json:"commentCount,omitempty"`
	IsAccessibleFree bool      `json:"isAccessibleForFree"`
}

func (h *Handler) publisherLD(c *reqCtx) ldThing {
	name := c.site.Publisher
	if name == "" {
		name = c.site.Title
	}
	p := ldThing{Type: "NewsMediaOrganization", Name: name, URL: h.BaseURL + "/"}
	if c.site.LogoURL != "" {
		p.Logo = &ldImg{Type: "ImageObject", URL: h.absolute(c.site.LogoURL)}
	}
	return p
}

func (h *Handler) newsArticleLD(c *reqCtx, a *articleView) ldNewsArticle {
	u := h.BaseURL + a.URL
	ld := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         a.src.Title,
		Description:      a.src.Description(),
		URL:              u,
		MainEntity:       u,
		DatePublished:    a.PublishedAt.In(c.loc).Format(time.RFC3339),
		DateModified:     a.UpdatedAt.In(c.loc).Format(time.RFC3339),
		InLanguage:       c.l.Lang.Tag(),
		Publisher:        h.publisherLD(c),
		IsAccessibleFree: true,
		WordCount:        a.ReadingMinutes * 230,
		CommentCount:     a.CommentCount,
	}
	if a.ImageURL != "" {
		ld.Image = []string{h.absolute(a.ImageURL)}
	}
	for _, au := range a.Authors {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: au.Name, URL: h.BaseURL + web.AuthorPath(au.Slug)})
	}
	for _, cat := range a.Categories {
		ld.ArticleSection = append(ld.ArticleSection, cat.Name)
	}
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	ld.Keywords = strings.Join(names, ", ")
	return ld
}

type ldWebSite struct {
	Context   string   `json:"@context"`
	Type      string   `json:"@type"`
	Name      string   `json:"name"`
	URL       string   `json:"url"`
	Publisher ldThing  `json:"publisher"`
	Search    ldSearch `json:"potentialAction"`
}

type ldSearch struct {
	Type   string `json:"@type"`
	Target string `json:"target"`
	Query  string `json:"query-input"`
}

func (h *Handler) websiteLD(c *reqCtx) ldWebSite {
	return ldWebSite{
		Context: "https://schema.org", Type: "WebSite", Name: c.site.Title, URL: h.BaseURL + "/",
		Publisher: h.publisherLD(c),
		Search:    ldSearch{Type: "SearchAction", Target: h.BaseURL + "/search?q={search_term_string}", Query: "required name=search_term_string"},
	}
}

package site

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
)

// layout is what the shared layout template reads on every page.
type layout struct {
	Site    *settings.Site
	Lang    locale.Lang
	BaseURL string
	// Title is the document title; OGTitle the title shown in previews.
	Title       string
	OGTitle     string
	Description string
	Canonical   string
	OGType      string
	Image       string
	ImageAlt    string
	Feeds       []feedLink
	PrevURL     string
	NextURL     string
	JSONLD      template.JS
	NoIndex     bool
	Nav         []content.Category
	// Section is the slug of the current menu entry ("home", a category…).
	Section string
	// Article is set on article pages, for article:* meta tags.
	Article *articleView
	// Query is the search box's value.
	Query string
}

type feedLink struct{ Title, URL, Type string }

// articleView is an article with what templates need beyond the stored
// record: its URL and its times in the site's time zone.
type articleView struct {
	*content.Article
	URL          string
	Local        time.Time
	LocalUpdated time.Time
	// Updated tells whether the article changed noticeably after publication.
	Updated bool
}

func (h *Handler) viewOf(a *content.Article, c *reqCtx) *articleView {
	v := &articleView{Article: a, URL: web.ArticlePath(a, c.loc), Local: a.PublishedAt.In(c.loc), LocalUpdated: a.UpdatedAt.In(c.loc)}
	// A correction the same hour is not worth a mention.
	v.Updated = a.UpdatedAt.Sub(a.PublishedAt) > time.Hour
	return v
}

func (h *Handler) viewsOf(arts []*content.Article, c *reqCtx) []*articleView {
	out := make([]*articleView, len(arts))
	for i, a := range arts {
		out[i] = h.viewOf(a, c)
	}
	return out
}

// pagination is what the pagination partial reads.
type pagination struct {
	Number, Pages    int
	PrevURL, NextURL string
}

func paginate(p content.Page, urlOf func(n int) string) pagination {
	pg := pagination{Number: p.Number, Pages: p.Pages()}
	if p.HasPrev() {
		pg.PrevURL = urlOf(p.Number - 1)
	}
	if p.HasNext() {
		pg.NextURL = urlOf(p.Number + 1)
	}
	return pg
}

// pagedPath returns base for page 1 and base + "page/N/" after.
func pagedPath(base string) func(int) string {
	return func(n int) string {
		if n <= 1 {
			return base
		}
		return base + "page/" + strconv.Itoa(n) + "/"
	}
}

type homeView struct {
	layout
	Featured   []*articleView
	Articles   []*articleView
	Pagination pagination
}

type articlePageView struct {
	layout
	Related []*articleView
}

type listView struct {
	layout
	Heading    string
	Intro      string
	Articles   []*articleView
	Total      int
	Pagination pagination
	FeedURL    string
	IsSearch   bool
	// SearchTooLong is set when the query was refused for its length.
	SearchTooLong bool
}

type yearArchive struct {
	Year   int
	Months []content.MonthCount
}

type archivesView struct {
	layout
	Years      []yearArchive
	Categories []content.Category
	Tags       []content.Tag
	Authors    []content.Author
}

type errorView struct {
	layout
	Heading string
	Message string
}

// layout builds the common part of a page.
func (h *Handler) layout(r *http.Request, c *reqCtx, title, description, canonicalPath string) layout {
	l := layout{
		Site:        c.site,
		Lang:        c.l.Lang,
		BaseURL:     h.BaseURL,
		Title:       title,
		OGTitle:     title,
		Description: description,
		OGType:      "website",
		Image:       h.absolute(c.site.LogoURL),
		Nav:         h.nav.get(r.Context(), h),
		Feeds: []feedLink{
			{Title: c.p.T("feed.title", c.site.Title), URL: h.BaseURL + "/feed/", Type: "application/rss+xml"},
			{Title: c.p.T("feed.title", c.site.Title) + " (Atom)", URL: h.BaseURL + "/feed/atom/", Type: "application/atom+xml"},
		},
	}
	if title != c.site.Title {
		l.Title = title + " – " + c.site.Title
	}
	if canonicalPath != "" {
		l.Canonical = h.BaseURL + canonicalPath
	}
	return l
}

// absolute makes a site-relative URL absolute.
func (h *Handler) absolute(u string) string {
	if u == "" || strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	return h.BaseURL + u
}

// jsonLD encodes structured data for a <script type="application/ld+json">
// block. encoding/json escapes <, > and &, so the data cannot close the
// script element.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b) //nolint:gosec // HTML-escaped JSON, see above
}

// navCache keeps the category menu, shown on every page, until content changes.
type navCache struct {
	mu   sync.RWMutex
	cats []content.Category
	ok   bool
}

func (n *navCache) get(ctx context.Context, h *Handler) []content.Category {
	n.mu.RLock()
	cats, ok := n.cats, n.ok
	n.mu.RUnlock()
	if ok {
		return cats
	}
	cats, err := h.Content.Categories(ctx)
	if err != nil {
		h.Log.Warn("load menu categories", "error", err)
		return nil
	}
	n.mu.Lock()
	n.cats, n.ok = cats, true
	n.mu.Unlock()
	return cats
}

// Invalidate drops the cached menu; call it when categories change.
func (h *Handler) Invalidate() {
	h.nav.mu.Lock()
	h.nav.ok = false
	h.nav.mu.Unlock()
}

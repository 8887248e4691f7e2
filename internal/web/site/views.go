package site

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web"
)

// pageView is what every page template reads. It is one flat struct on
// purpose: text/template finds top-level fields quickly but searches
// embedded structs by reflection at every access, which cost a third of
// the rendering time. Texts are typographied and dates formatted here, in
// Go, rather than by template function calls.
type pageView struct {
	// Layout.
	Lang            locale.Lang
	BaseURL         string
	SiteTitle       string
	Tagline         string
	SiteDescription string
	Copyright       string
	TwitterSite     string
	// Fediverse is the publication's handle ("@redaction@exemple.fr") and
	// FediverseActor its actor, when the site is on the fediverse.
	Fediverse, FediverseActor string
	AppealHTML                template.HTML
	BookshopHTML              template.HTML
	// FooterHTML is the newsroom's footer text and SocialHTML the list of
	// its profiles (see footer.go).
	FooterHTML template.HTML
	SocialHTML template.HTML
	// Pages are the static pages linked from the footer.
	Pages     []pageLink
	CSS, Icon string
	Nav       []content.Category
	// Section is the slug of the current menu entry ("home", a category…).
	Section string
	// Head and Menu are written in Go when the page is complete (see head.go).
	Head template.HTML
	Menu template.HTML
	// Query is the search box's value.
	Query string

	// Head.
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
	// Refresh, in seconds, reloads the page (an order awaiting its
	// payment's confirmation).
	Refresh int

	// Article page.
	Article *articleView
	Related []*articleView
	// Fragments written in Go (see fragments.go).
	Byline       template.HTML
	TagLinks     template.HTML
	RelatedLinks template.HTML
	// HasComments places the discussion, which writeComments writes
	// into the rendered page (see spliceComments).
	HasComments   bool
	writeComments func(w *htmlWriter)
	FeaturedHTML  template.HTML
	CardsHTML     template.HTML

	// Lists.
	Featured      []*articleView
	Articles      []*articleView
	Pagination    pagination
	Heading       string
	Intro         string
	Total         int
	FeedURL       string
	IsSearch      bool
	SearchTooLong bool

	// Archives.
	Years      []yearArchive
	Categories []content.Category
	Tags       []content.Tag
	Authors    []content.Author

	// Donation page.
	Donate *donateView
	// Bookshop pages.
	Shop *shopView

	// Error and notice pages; Action is a notice's button.
	Message string
	Action  *noticeAction
}

type feedLink struct{ Title, URL, Type string }

// noticeAction is the one button of a notice page: a POST to URL.
type noticeAction struct{ URL, Label string }

// articleView is an article as templates show it: typographied, dated in
// the site's time zone and language, with its URL.
type articleView struct {
	ID             int64
	Slug           string
	URL            string
	Title          string
	Excerpt        string
	Description    string
	BodyHTML       template.HTML
	Featured       bool
	ReadingMinutes int
	ImageURL       string
	ImageAlt       string
	PublishedAt    time.Time
	UpdatedAt      time.Time
	ISO            string
	ISOUpdated     string
	DateFull       string
	DateLong       string
	// Updated is set when the article changed noticeably after publication.
	Updated     bool
	UpdatedLong string
	// CommentCount is the number of approved comments (article page only).
	CommentCount int
	Authors      []content.Author
	Categories   []content.Category
	Tags         []content.Tag
	// Kicker is the first category, shown above the title.
	Kicker *content.Category
	src    *content.Article
}

func (h *Handler) viewOf(a *content.Article, c *reqCtx) *articleView {
	pub, upd := a.PublishedAt.In(c.loc), a.UpdatedAt.In(c.loc)
	v := &articleView{
		ID: a.ID, Slug: a.Slug, URL: web.ArticlePath(a, c.loc),
		Title: c.typo(a.Title), Excerpt: c.typo(a.Excerpt), Description: c.typo(a.Description()),
		BodyHTML: template.HTML(a.BodyHTML), //nolint:gosec // sanitized when saved
		Featured: a.Featured, ReadingMinutes: a.ReadingMinutes, ImageURL: a.ImageURL, ImageAlt: a.ImageAlt,
		PublishedAt: a.PublishedAt, UpdatedAt: a.UpdatedAt,
		ISO: a.PublishedAt.UTC().Format(time.RFC3339), ISOUpdated: a.UpdatedAt.UTC().Format(time.RFC3339),
		DateFull: c.p.Date(pub, locale.DateFull), DateLong: c.p.Date(pub, locale.DateLong),
		Authors: a.Authors, Categories: a.Categories, Tags: a.Tags, src: a,
	}
	// A correction the same hour is not worth a mention.
	if a.UpdatedAt.Sub(a.PublishedAt) > time.Hour {
		v.Updated = true
		v.UpdatedLong = c.p.Date(upd, locale.DateLong)
	}
	if len(a.Categories) > 0 {
		v.Kicker = &a.Categories[0]
	}
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
	// Label is "Page 2 sur 4".
	Label string
}

func paginate(c *reqCtx, p content.Page, urlOf func(n int) string) pagination {
	pg := pagination{Number: p.Number, Pages: p.Pages()}
	if pg.Pages > 1 {
		pg.Label = c.p.T("pagination.page_of", pg.Number, pg.Pages)
	}
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

type yearArchive struct {
	Year   int
	Months []monthLink
}

type monthLink struct {
	URL, Name, Count string
}

// newPage builds the common part of a page.
func (h *Handler) newPage(r *http.Request, c *reqCtx, title, description, canonicalPath string) *pageView {
	st := c.site
	v := &pageView{
		Lang:            c.l.Lang,
		BaseURL:         h.BaseURL,
		SiteTitle:       c.typo(st.Title),
		Tagline:         c.typo(st.Tagline),
		SiteDescription: c.typo(st.Description),
		Copyright:       c.typo(st.Copyright),
		TwitterSite:     st.TwitterSite,
		AppealHTML:      h.appealHTML(r.Context(), c),
		BookshopHTML:    template.HTML(st.BookshopPromoHTML), //nolint:gosec // rendered and sanitized when saved
		FooterHTML:      template.HTML(st.FooterHTML),        //nolint:gosec // rendered and sanitized when saved
		SocialHTML:      socialHTML(st.SocialLinks, c.p.T("footer.social")),
		CSS:             h.css,
		Icon:            h.icon,
		Title:           c.typo(title),
		OGTitle:         c.typo(title),
		Description:     c.typo(description),
		OGType:          "website",
		Image:           h.absolute(st.LogoURL),
		Feeds:           h.siteFeeds(c),
	}
	if fv := st.Fediverse; fv.Enabled && fv.Username != "" {
		if u, err := url.Parse(h.BaseURL); err == nil {
			v.Fediverse, v.FediverseActor = "@"+fv.Username+"@"+u.Host, h.BaseURL+"/ap/actor"
		}
	}
	v.Nav, v.Pages = h.nav.get(r.Context(), h)
	if title != st.Title {
		v.Title = v.Title + " – " + v.SiteTitle
	}
	if canonicalPath != "" {
		v.Canonical = h.BaseURL + canonicalPath
	}
	return v
}

func (h *Handler) siteFeeds(c *reqCtx) []feedLink {
	title := c.p.T("feed.title", c.site.Title)
	return []feedLink{
		{Title: title, URL: h.BaseURL + "/feed/", Type: "application/rss+xml"},
		{Title: title + " (Atom)", URL: h.BaseURL + "/feed/atom/", Type: "application/atom+xml"},
		{Title: c.p.T("feed.comments_title", c.site.Title), URL: h.BaseURL + "/feed/comments/", Type: "application/rss+xml"},
	}
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

// navCache keeps the category menu and the static pages linked from the
// footer, shown on every page, until content changes.
type navCache struct {
	mu    sync.RWMutex
	cats  []content.Category
	pages []pageLink
	ok    bool
}

// pageLink is a static page in the footer.
type pageLink struct{ Title, URL string }

func (n *navCache) get(ctx context.Context, h *Handler) ([]content.Category, []pageLink) {
	n.mu.RLock()
	cats, pages, ok := n.cats, n.pages, n.ok
	n.mu.RUnlock()
	if ok {
		return cats, pages
	}
	cats, err := h.Content.Categories(ctx)
	if err != nil {
		h.Log.Warn("load menu categories", "error", err)
		return nil, nil
	}
	arts, err := h.Content.PublicPages(ctx)
	if err != nil {
		h.Log.Warn("load footer pages", "error", err)
		return cats, nil
	}
	pages = make([]pageLink, len(arts))
	for i, a := range arts {
		pages[i] = pageLink{Title: a.Title, URL: web.PagePath(a.Slug)}
	}
	n.mu.Lock()
	n.cats, n.pages, n.ok = cats, pages, true
	n.mu.Unlock()
	return cats, pages
}

// Invalidate drops the cached menu; call it when categories or pages change.
func (h *Handler) Invalidate() {
	h.nav.mu.Lock()
	h.nav.ok = false
	h.nav.mu.Unlock()
}

// Package site serves the newsroom's public pages: home, articles,
// categories, tags, authors, archives, search, feeds and sitemaps. Every
// page is rendered from the database into a buffer, then kept in the page
// cache with its compressed forms until a change purges it.
package site

import (
	"log/slog"
	"net/http"
	"sync"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Deps are what the public pages need.
type Deps struct {
	Content  *content.Service
	Settings *settings.Service
	Views    *web.Views
	Catalog  *locale.Catalog
	// Cache is nil when the page cache is off.
	Cache   *pagecache.Cache
	BaseURL string
	Log     *slog.Logger
}

// Handler serves the public site.
type Handler struct {
	Deps
	analyzers sync.Map // locale.Lang → *search.Analyzer
	nav       navCache
	css, icon string
}

// New returns the public site handler.
func New(d Deps) *Handler {
	return &Handler{Deps: d, css: d.Views.AssetURL("site.css"), icon: d.Views.AssetURL("favicon.svg")}
}

// Register adds the public routes to mux. The whole route table of the
// public site is here.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.page(h.showHome))
	mux.HandleFunc("GET /page/{n}/{$}", h.page(h.showHome))
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}/{$}", h.page(h.showArticle))
	mux.HandleFunc("GET /category/{slug}/{$}", h.page(h.showCategory))
	mux.HandleFunc("GET /category/{slug}/page/{n}/{$}", h.page(h.showCategory))
	mux.HandleFunc("GET /tag/{slug}/{$}", h.page(h.showTag))
	mux.HandleFunc("GET /tag/{slug}/page/{n}/{$}", h.page(h.showTag))
	mux.HandleFunc("GET /author/{slug}/{$}", h.page(h.showAuthor))
	mux.HandleFunc("GET /author/{slug}/page/{n}/{$}", h.page(h.showAuthor))
	// One segment: a year of the archives ("/2016/"), or a static page
	// ("/a-propos/", "/mentions-legales/").
	mux.HandleFunc("GET /{slug}/{$}", h.page(h.showYearOrPage))
	mux.HandleFunc("GET /{year}/{month}/{$}", h.page(h.showMonth))
	mux.HandleFunc("GET /{year}/{month}/page/{n}/{$}", h.page(h.showMonth))
	mux.HandleFunc("GET /archives/{$}", h.page(h.showArchives))
	mux.HandleFunc("GET /search", h.page(h.showSearch))

	mux.HandleFunc("GET /feed/{$}", h.page(h.showFeed(feedRSS, scopeSite)))
	mux.HandleFunc("GET /feed/atom/{$}", h.page(h.showFeed(feedAtom, scopeSite)))
	mux.HandleFunc("GET /category/{slug}/feed/{$}", h.page(h.showFeed(feedRSS, scopeCategory)))
	mux.HandleFunc("GET /category/{slug}/feed/atom/{$}", h.page(h.showFeed(feedAtom, scopeCategory)))
	mux.HandleFunc("GET /tag/{slug}/feed/{$}", h.page(h.showFeed(feedRSS, scopeTag)))
	mux.HandleFunc("GET /tag/{slug}/feed/atom/{$}", h.page(h.showFeed(feedAtom, scopeTag)))

	mux.HandleFunc("GET /sitemap.xml", h.page(h.showSitemapIndex))
	mux.HandleFunc("GET /sitemaps/{file}", h.page(h.showSitemap))
	mux.HandleFunc("GET /robots.txt", h.page(h.showRobots))

	// Everything else: a 404 page, or a redirect to the same path with
	// its trailing slash when that exists.
	mux.HandleFunc("/", h.notFound(mux))
}

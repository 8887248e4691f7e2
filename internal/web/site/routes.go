// Package site serves the newsroom's public pages: home, articles,
// categories, tags, authors, archives, search, feeds and sitemaps. Every
// page is rendered from the database into a buffer, then kept in the page
// cache with its compressed forms until a change purges it.
package site

import (
	"log/slog"
	"net/http"
	"sync"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Deps are what the public pages need.
type Deps struct {
	Content  *content.Service
	Comments *comments.Service
	// Donations shows the campaign under the appeal and takes gifts.
	Donations *donations.Service
	// Shop is the bookshop; nil leaves its pages answering 404.
	Shop     *shop.Service
	Settings *settings.Service
	Views    *web.Views
	Catalog  *locale.Catalog
	// Redirects answers old addresses before a 404; nil sends none.
	Redirects *redirects.Service
	// Cache is nil when the page cache is off.
	Cache *pagecache.Cache
	// Proxies may say who the client is (X-Forwarded-For); Secure marks
	// cookies for https only.
	Proxies web.Proxies
	Secure  bool
	BaseURL string
	Log     *slog.Logger
}

// Handler serves the public site.
type Handler struct {
	Deps
	analyzers  sync.Map // locale.Lang → *search.Analyzer
	nav        navCache
	progress   progressCache
	css, icon  string
	commentsJS string
}

// New returns the public site handler.
func New(d Deps) *Handler {
	return &Handler{Deps: d, css: d.Views.AssetURL("site.css"), icon: d.Views.AssetURL("favicon.svg"),
		commentsJS: d.Views.AssetURL("comments.js")}
}

// sameOrigin refuses forms posted from another site (a spam relay, a
// forged page) with the site's own error page.
func (h *Handler) sameOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := h.reqCtx()
		h.writeErrorPage(w, r, c, http.StatusForbidden, c.p.T("error.forbidden.title"), c.p.T("error.comment.cross_origin"))
	}))
	return p.Handler(next)
}

// Register adds the public routes to mux. The whole route table of the
// public site is here.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.page(h.showHome))
	mux.HandleFunc("GET /page/{n}/{$}", h.page(h.showHome))
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}/{$}", h.page(h.showArticle))
	mux.Handle("POST /{year}/{month}/{day}/{slug}/{$}", h.sameOrigin(http.HandlerFunc(h.postComment)))
	mux.HandleFunc("GET /avatars/{file}", h.showAvatar)
	for _, base := range []string{"/soutenir/", "/support/"} {
		mux.HandleFunc("GET "+base+"{$}", h.page(h.showDonate))
		mux.Handle("POST "+base+"{$}", h.sameOrigin(http.HandlerFunc(h.postDonate)))
	}
	mux.HandleFunc("GET /soutenir/arreter/{$}", h.showStopMonthly)
	mux.Handle("POST /soutenir/arreter/{$}", h.sameOrigin(http.HandlerFunc(h.stopMonthly)))
	mux.HandleFunc("GET /soutenir/merci/{$}", h.showDonateThanks)
	mux.HandleFunc("GET /support/thanks/{$}", h.showDonateThanks)
	mux.HandleFunc("GET /soutenir/recu/{$}", h.showReceipt)
	mux.HandleFunc("GET /support/receipt/{$}", h.showReceipt)
	// The bookshop, in French and in English: one handler per page for
	// both languages, which the path chooses.
	mux.HandleFunc("GET /librairie/{$}", h.page(h.showShop))
	mux.HandleFunc("GET /bookshop/{$}", h.page(h.showShop))
	mux.HandleFunc("GET /librairie/recherche", h.page(h.showShopSearch))
	mux.HandleFunc("GET /bookshop/search", h.page(h.showShopSearch))
	mux.HandleFunc("GET /librairie/livre/{slug}/{$}", h.page(h.showShopBook))
	mux.HandleFunc("GET /bookshop/book/{slug}/{$}", h.page(h.showShopBook))
	mux.HandleFunc("GET /librairie/auteur/{name}/{$}", h.page(h.showShopAuthor))
	mux.HandleFunc("GET /bookshop/author/{name}/{$}", h.page(h.showShopAuthor))
	mux.HandleFunc("GET /librairie/editeur/{name}/{$}", h.page(h.showShopPublisher))
	mux.HandleFunc("GET /bookshop/publisher/{name}/{$}", h.page(h.showShopPublisher))
	mux.HandleFunc("GET /librairie/sujet/{name}/{$}", h.page(h.showShopSubject))
	mux.HandleFunc("GET /bookshop/subject/{name}/{$}", h.page(h.showShopSubject))
	for _, base := range []string{"/librairie/panier/", "/bookshop/cart/"} {
		mux.HandleFunc("GET "+base+"{$}", h.showCart)
		mux.Handle("POST "+base+"{$}", h.sameOrigin(http.HandlerFunc(h.postCart)))
	}
	mux.Handle("POST /librairie/panier/ajouter", h.sameOrigin(http.HandlerFunc(h.addToCart)))
	mux.Handle("POST /bookshop/cart/add", h.sameOrigin(http.HandlerFunc(h.addToCart)))
	for _, base := range []string{"/librairie/commande/", "/bookshop/checkout/"} {
		mux.HandleFunc("GET "+base+"{$}", h.showCheckout)
		mux.Handle("POST "+base+"{$}", h.sameOrigin(http.HandlerFunc(h.postCheckout)))
	}
	mux.HandleFunc("GET /librairie/commande/suivi/{$}", h.showOrder)
	mux.HandleFunc("GET /bookshop/order/{$}", h.showOrder)
	mux.HandleFunc("GET /librairie/commande/facture/{$}", h.showInvoice)
	mux.HandleFunc("GET /bookshop/order/invoice/{$}", h.showInvoice)
	mux.HandleFunc("GET /comments/stamp", h.showStamp)
	mux.HandleFunc("GET /comments/unsubscribe", h.showUnsubscribe)
	mux.HandleFunc("POST /comments/unsubscribe", h.unsubscribe)
	mux.HandleFunc("GET /comments/{id}/report", h.showCommentReport)
	mux.Handle("POST /comments/{id}/report", h.sameOrigin(http.HandlerFunc(h.postCommentReport)))
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
	mux.HandleFunc("GET /feed/comments/{$}", h.page(h.showCommentsFeed))
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}/feed/{$}", h.page(h.showArticleCommentsFeed))

	mux.HandleFunc("GET /sitemap.xml", h.page(h.showSitemapIndex))
	mux.HandleFunc("GET /sitemaps/{file}", h.page(h.showSitemap))
	mux.HandleFunc("GET /robots.txt", h.page(h.showRobots))

	// WordPress's front controller ("/index.php?p=12"): only its
	// redirects answer; without this route the mux would add a slash.
	mux.HandleFunc("GET /index.php", h.NotFound)

	// Everything else: a 404 page, or a redirect to the same path with
	// its trailing slash when that exists.
	mux.HandleFunc("/", h.notFound(mux))
}

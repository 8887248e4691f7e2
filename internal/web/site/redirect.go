package site

import (
	"net/http"
	"net/url"

	"github.com/kiosque/kiosque/internal/redirects"
)

// Redirects answer only what would otherwise be a 404 (a real page wins
// over a redirect with its address), and WordPress's query addresses on
// the home page ("/?p=12", which would otherwise show the home page).
// Neither is ever cached (404s are never kept, and page skips the cache
// for the home page with a WordPress parameter), so adding a redirect
// needs no purge of the page cache.

// cacheRedirect is how long browsers and CDNs may keep a permanent
// redirect: an hour, so that a corrected one takes effect soon.
const cacheRedirect = "public, max-age=3600"

// serveRedirect answers r with its redirect, if the table has one for
// its address, and reports whether it did. The table is in memory: a
// miss costs no query.
func (h *Handler) serveRedirect(w http.ResponseWriter, r *http.Request) bool {
	if h.Redirects == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	rd, ok, err := h.Redirects.Lookup(r.Context(), r.URL.Path, r.URL.Query())
	if err != nil {
		h.Log.Error("look up redirect", "path", r.URL.Path, "error", err)
		return false
	}
	if !ok {
		return false
	}
	if rd.Code == redirects.Permanent {
		w.Header().Set("Cache-Control", cacheRedirect)
	} else {
		w.Header().Set("Cache-Control", "no-store")
	}
	// To is a path of this site or an http(s) URL the back office chose.
	http.Redirect(w, r, rd.To, rd.Code) //nolint:gosec // see above
	return true
}

// wordPressQuery reports whether r asks the home page for a WordPress
// query address: such a request is answered by its redirect, or else by
// the home page, which is then not cached (a redirect may come later).
func wordPressQuery(r *http.Request) bool {
	if r.URL.Path != "/" || r.URL.RawQuery == "" {
		return false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return true
	}
	for _, k := range redirects.QueryKeys {
		if q.Has(k) {
			return true
		}
	}
	return false
}

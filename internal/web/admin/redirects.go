package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/redirects"
)

// redirectsPermission guards the redirects: which address leads where is
// the site settings' business.
const redirectsPermission = access.ManageSettings

// registerRedirects adds the redirects' pages: the list and its export,
// the form, the deletion.
func (h *Handler) registerRedirects(mux router) {
	rd := func(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
		return h.allowed(redirectsPermission, h.withRedirects(next))
	}
	mux.HandleFunc("GET /admin/redirects/{$}", rd(h.listRedirects))
	mux.HandleFunc("GET /admin/redirects.csv", rd(h.exportRedirectsCSV))
	mux.HandleFunc("GET /admin/redirects/new", rd(h.showNewRedirect))
	mux.HandleFunc("POST /admin/redirects/new", rd(h.saveRedirect))
	mux.HandleFunc("GET /admin/redirects/{id}", rd(h.showRedirect))
	mux.HandleFunc("POST /admin/redirects/{id}", rd(h.saveRedirect))
	mux.HandleFunc("GET /admin/redirects/{id}/delete", rd(h.confirmRedirectDelete))
	mux.HandleFunc("POST /admin/redirects/{id}/delete", rd(h.deleteRedirect))
}

// withRedirects answers 404 on a site built without the redirects.
func (h *Handler) withRedirects(next func(http.ResponseWriter, *http.Request, *session)) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if h.Redirects == nil {
			h.fail(w, r, s, errNotFound())
			return
		}
		next(w, r, s)
	}
}

// redirectsPageSize is the length of a page of the list.
const redirectsPageSize = 50

// redirectsPage lists the redirects, with search and pages.
type redirectsPage struct {
	basePage
	Query      string
	Source     redirects.Source
	Sources    []redirects.Source
	Rows       []redirectRow
	Total      int
	Pagination pagination
	// CSVURL is the export of the list as filtered.
	CSVURL string
}

// redirectRow is a redirect as the list shows it, its last use in the
// site's time zone.
type redirectRow struct {
	*redirects.Redirect
	LastHit time.Time
}

// redirectFilterOf reads the list's search and source from the query.
func redirectFilterOf(q url.Values) redirects.Filter {
	f := redirects.Filter{Search: strings.TrimSpace(q.Get("q"))}
	if src := redirects.Source(q.Get("source")); src == redirects.SourceWordPress || src == redirects.SourceManual {
		f.Source = src
	}
	return f
}

// listRedirects shows one line per redirect: from, to, code, source,
// uses and the last one.
func (h *Handler) listRedirects(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	f := redirectFilterOf(q)
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	f.Limit, f.Offset = redirectsPageSize, (n-1)*redirectsPageSize
	list, total, err := h.Redirects.List(r.Context(), s.actor, f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	loc := h.Settings.Get().Location()
	page := &redirectsPage{basePage: h.base(r, s, h.printer().T("admin.redirects.title"), "redirects"), Query: f.Search,
		Source: f.Source, Sources: []redirects.Source{redirects.SourceWordPress, redirects.SourceManual}, Total: total,
		Pagination: pageLinks(r, n, (total+redirectsPageSize-1)/redirectsPageSize)}
	csvQuery := url.Values{}
	if f.Search != "" {
		csvQuery.Set("q", f.Search)
	}
	if f.Source != "" {
		csvQuery.Set("source", string(f.Source))
	}
	page.CSVURL = "/admin/redirects.csv"
	if len(csvQuery) > 0 {
		page.CSVURL += "?" + csvQuery.Encode()
	}
	for _, x := range list {
		row := redirectRow{Redirect: x}
		if !x.LastHitAt.IsZero() {
			row.LastHit = x.LastHitAt.In(loc)
		}
		page.Rows = append(page.Rows, row)
	}
	h.render(w, r, http.StatusOK, "redirects", page)
}

// exportRedirectsCSV sends the redirects the list's search selects, all
// pages, as a spreadsheet file.
func (h *Handler) exportRedirectsCSV(w http.ResponseWriter, r *http.Request, s *session) {
	f := redirectFilterOf(r.URL.Query())
	all, err := h.Redirects.All(r.Context(), s.actor)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	st := h.Settings.Get()
	loc := st.Location()
	p := h.printer()
	sheet := newSheet(st.Lang())
	sheet.row([]string{"id", p.T("admin.redirects.from"), p.T("admin.redirects.to"), p.T("admin.redirects.code"),
		p.T("admin.redirects.source"), p.T("admin.redirects.hits"), p.T("admin.redirects.last_hit"), p.T("admin.redirects.created")})
	search := strings.ToLower(f.Search)
	for _, x := range all {
		if f.Source != "" && x.Source != f.Source {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(x.From+" "+x.To), search) {
			continue
		}
		last := ""
		if !x.LastHitAt.IsZero() {
			last = x.LastHitAt.In(loc).Format(time.DateTime)
		}
		sheet.row([]string{strconv.FormatInt(x.ID, 10), x.From, x.To, strconv.Itoa(x.Code), string(x.Source),
			strconv.FormatInt(x.Hits, 10), last, x.CreatedAt.In(loc).Format(time.DateTime)})
	}
	sheet.send(w, "redirections-"+h.Clock.Now().In(loc).Format(time.DateOnly)+".csv")
}

package site

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// pageFunc renders one public response. Tags on the returned page make it
// cacheable; a page without tags (search results) is never cached.
type pageFunc func(r *http.Request, c *reqCtx) (*page, error)

// page is a rendered response, with the recycled buffer holding its body
// when there is one.
type page struct {
	pagecache.Page
	buf *bytes.Buffer
}

// reqCtx is what every page needs about the site at the time of the request.
type reqCtx struct {
	site *settings.Site
	loc  *time.Location
	p    *locale.Printer
	l    pageLocale
}

// pageLocale is the language and typography of a page.
type pageLocale struct {
	Lang  locale.Lang
	Style textproc.Style
}

// typo applies the site's typography to a plain text.
func (c *reqCtx) typo(s string) string { return textproc.Typography(s, c.l.Style) }

// redirect is returned by a pageFunc to send the reader elsewhere.
type redirect struct {
	to   string
	code int
}

func (r *redirect) Error() string { return "redirect to " + r.to }

// buffers recycles render buffers. A channel rather than a sync.Pool: the
// pool is emptied at every garbage collection, which under load runs many
// times a second, and each new buffer would grow again through the page.
var buffers = make(chan *bytes.Buffer, 64)

func getBuffer() *bytes.Buffer {
	select {
	case b := <-buffers:
		b.Reset()
		return b
	default:
		return bytes.NewBuffer(make([]byte, 0, 64<<10))
	}
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // a freak page: let it go
	}
	select {
	case buffers <- b:
	default:
	}
}

// page adapts a pageFunc into a handler: it takes the cache token before
// any read, renders, stores the page if it may, and serves it with
// validators and precomputed compression.
func (h *Handler) page(fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var token uint64
		if h.Cache != nil {
			token = h.Cache.Begin()
		}
		wpQuery := wordPressQuery(r)
		if wpQuery && h.serveRedirect(w, r) {
			return
		}
		c := h.reqCtx()
		p, err := fn(r, c)
		if err != nil {
			var rd *redirect
			if errors.As(err, &rd) {
				http.Redirect(w, r, rd.to, rd.code)
				return
			}
			if web.StatusOf(err) == http.StatusNotFound && h.serveRedirect(w, r) {
				return
			}
			h.serveError(w, r, c, err)
			return
		}
		cache := h.Cache != nil && len(p.Tags) > 0 && p.Status == http.StatusOK && !wpQuery
		if cache {
			// The entry outlives the request: it gets its own copy.
			p.Body = bytes.Clone(p.Body)
		}
		e := pagecache.Build(p.Page)
		if cache {
			e.Compress()
			h.Cache.Put(web.CacheKey(r), token, e)
		}
		web.ServeEntry(w, r, e)
		if p.buf != nil {
			putBuffer(p.buf)
		}
	}
}

func (h *Handler) reqCtx() *reqCtx {
	st := h.Settings.Get()
	l := st.Lang()
	return &reqCtx{site: st, loc: st.Location(), p: h.Catalog.Printer(l), l: pageLocale{Lang: l, Style: st.Style()}}
}

// render completes the page's head and menu, then executes its template
// into a recycled buffer, which the caller returns with putBuffer once the
// bytes are sent or copied.
func (h *Handler) render(c *reqCtx, name string, data *pageView) (*bytes.Buffer, error) {
	data.Head = data.headHTML()
	data.Menu = navHTML(data.Nav, data.Section, c.p.T("nav.home"), c.p.T("nav.archives"))
	if data.Article != nil {
		data.articleFragments(c.p)
	}
	data.FeaturedHTML = cardsHTML(data.Featured, c.p)
	data.CardsHTML = cardsHTML(data.Articles, c.p)
	buf := getBuffer()
	if err := h.Views.Render(buf, c.l.Lang, name, data); err != nil {
		putBuffer(buf)
		return nil, err
	}
	if data.writeComments != nil {
		spliceComments(buf, data.writeComments)
	}
	return buf, nil
}

// commentsMark is where the article template leaves the discussion.
const commentsMark = "<kq-comments></kq-comments>"

// spliceComments writes the discussion in place of its mark, straight
// into the page's recycled buffer: a long discussion (500 comments make
// 600 kB) printed by the template would be built apart, then copied four
// times over by fmt and the buffer's growth.
func spliceComments(buf *bytes.Buffer, write func(w *htmlWriter)) {
	page := buf.Bytes()
	i := bytes.LastIndex(page, []byte(commentsMark))
	if i < 0 {
		return
	}
	tail := bytes.Clone(page[i+len(commentsMark):])
	buf.Truncate(i)
	write(&htmlWriter{out: buf})
	buf.Write(tail)
}

// htmlPage renders an HTML page ready to cache.
func (h *Handler) htmlPage(c *reqCtx, name string, data *pageView, modified time.Time, tags ...string) (*page, error) {
	buf, err := h.render(c, name, data)
	if err != nil {
		return nil, err
	}
	return &page{Page: pagecache.Page{Status: http.StatusOK, ContentType: "text/html; charset=utf-8",
		CacheControl: web.CachePage, LastModified: modified, Body: buf.Bytes(), Tags: tags}, buf: buf}, nil
}

// analyzer returns the search analyzer of the site's language.
func (h *Handler) analyzer(l locale.Lang) *search.Analyzer {
	if a, ok := h.analyzers.Load(l); ok {
		return a.(*search.Analyzer)
	}
	a, _ := h.analyzers.LoadOrStore(l, search.New(string(l)))
	return a.(*search.Analyzer)
}

// serveError shows the error page matching err's kind; internal details
// go to the log only.
func (h *Handler) serveError(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	status := web.StatusOf(err)
	titleKey := "error.internal.title"
	switch status {
	case http.StatusNotFound:
		titleKey = "error.not_found.title"
	case http.StatusBadRequest, http.StatusConflict:
		titleKey = "error.bad_request.title"
	case http.StatusForbidden, http.StatusUnauthorized:
		titleKey = "error.forbidden.title"
	case http.StatusInternalServerError:
		h.Log.Error("page failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	key, args := apperr.Message(err)
	h.writeErrorPage(w, r, c, status, c.p.T(titleKey), c.p.T(key, args...))
}

func (h *Handler) writeErrorPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, heading, message string) {
	data := h.newPage(r, c, heading, "", "")
	data.Heading, data.Message, data.NoIndex = heading, message, true
	buf, err := h.render(c, "error", data)
	if err != nil {
		// The error page itself failed: say it plainly.
		h.Log.Error("render error page", "error", err)
		http.Error(w, heading, status)
		return
	}
	writePersonal(w, r, status, buf)
}

// serveRefused sends p, a form shown again with what to fix, with status:
// never cached, with its validators.
func serveRefused(w http.ResponseWriter, r *http.Request, p *page, status int) {
	p.Status = status
	web.ServeEntry(w, r, pagecache.Build(p.Page))
	if p.buf != nil {
		putBuffer(p.buf)
	}
}

// writePersonal sends a rendered page meant for one reader (an error, a
// notice), which no cache may keep, and recycles its buffer.
func writePersonal(w http.ResponseWriter, r *http.Request, status int, buf *bytes.Buffer) {
	defer putBuffer(buf)
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", web.CacheNoStore)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) //nolint:gosec // an html/template rendering
	}
}

// InternalError writes the generic error page; it is what the panic
// handler shows.
func (h *Handler) InternalError(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	h.writeErrorPage(w, r, c, http.StatusInternalServerError, c.p.T("error.internal.title"), c.p.T("error.internal.text"))
}

// NotFound writes the 404 page.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	if h.serveRedirect(w, r) {
		return
	}
	c := h.reqCtx()
	h.writeErrorPage(w, r, c, http.StatusNotFound, c.p.T("error.not_found.title"), c.p.T("error.not_found.text"))
}

// notFound answers paths no route matched: when the same path with a
// trailing slash is a page, redirect there (as WordPress does); otherwise
// show the 404 page.
func (h *Handler) notFound(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := h.reqCtx()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			h.writeErrorPage(w, r, c, http.StatusMethodNotAllowed, c.p.T("error.bad_request.title"), c.p.T("error.method_not_allowed"))
			return
		}
		if h.serveRedirect(w, r) {
			return
		}
		// Only a path of this site: "//host" would be read by browsers as
		// another site, and redirecting there would be an open redirect.
		if p := r.URL.Path; !strings.HasSuffix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, "\\") &&
			!strings.Contains(p[strings.LastIndexByte(p, '/')+1:], ".") {
			probe := r.Clone(r.Context())
			probe.URL.Path = p + "/"
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				to := p + "/"
				if r.URL.RawQuery != "" {
					to += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, to, http.StatusMovedPermanently) //nolint:gosec // a path of this site, see above
				return
			}
		}
		h.writeErrorPage(w, r, c, http.StatusNotFound, c.p.T("error.not_found.title"), c.p.T("error.not_found.text"))
	}
}

// newestOf returns the latest publication or update time of arts.
func newestOf(arts []*content.Article) time.Time {
	var t time.Time
	for _, a := range arts {
		if a.UpdatedAt.After(t) {
			t = a.UpdatedAt
		}
		if a.PublishedAt.After(t) {
			t = a.PublishedAt
		}
	}
	return t
}

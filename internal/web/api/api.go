// Package api serves the read-only JSON content API (/api/v1/): articles
// and their comments, categories, tags and authors, with stable field
// names, pagination metadata, and errors as {"error": {"code", "message"}}.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Limits of the ?limit= parameter.
const (
	DefaultLimit = 10
	MaxLimit     = content.MaxPageSize
)

// Deps are what the API needs.
type Deps struct {
	Content  *content.Service
	Comments *comments.Service
	Settings *settings.Service
	Catalog  *locale.Catalog
	Cache    *pagecache.Cache
	BaseURL  string
	Log      *slog.Logger
}

// Handler serves the content API.
type Handler struct{ Deps }

// New returns the API handler.
func New(d Deps) *Handler { return &Handler{Deps: d} }

// Register adds the API routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/articles", h.json(h.listArticles))
	mux.HandleFunc("GET /api/v1/articles/{slug}", h.json(h.showArticle))
	mux.HandleFunc("GET /api/v1/articles/{slug}/comments", h.json(h.listComments))
	mux.HandleFunc("GET /api/v1/categories", h.json(h.listCategories))
	mux.HandleFunc("GET /api/v1/tags", h.json(h.listTags))
	mux.HandleFunc("GET /api/v1/authors", h.json(h.listAuthors))
	mux.HandleFunc("/api/", h.json(h.notFound))
}

// result is what an API action returns: a value to encode, and the cache
// tags that make it cacheable.
type result struct {
	value    any
	tags     []string
	modified time.Time
	// maxAge bounds the time in the cache of a value that changes with
	// time alone; 0 keeps it until purged.
	maxAge time.Duration
}

type actionFunc func(r *http.Request, st *settings.Site) (*result, error)

// errorBody is the shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (h *Handler) json(fn actionFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var token uint64
		if h.Cache != nil {
			token = h.Cache.Begin()
		}
		st := h.Settings.Get()
		res, err := fn(r, st)
		if err != nil {
			h.writeError(w, r, st, err)
			return
		}
		body, err := encode(res.value)
		if err != nil {
			h.writeError(w, r, st, err)
			return
		}
		e := pagecache.Build(pagecache.Page{Status: http.StatusOK, ContentType: "application/json; charset=utf-8",
			CacheControl: web.CachePage, LastModified: res.modified, Body: body, Tags: res.tags, MaxAge: res.maxAge})
		if h.Cache != nil && len(res.tags) > 0 {
			e.Compress()
			h.Cache.Put(web.CacheKey(r), token, e)
		}
		// The content is public: any site may read it.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		web.ServeEntry(w, r, e)
	}
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, st *settings.Site, err error) {
	status, kind := web.StatusOf(err), apperr.KindOf(err)
	if status == http.StatusInternalServerError {
		h.Log.Error("api request failed", "path", r.URL.Path, "error", err)
	}
	key, args := apperr.Message(err)
	detail := errorDetail{Code: kind.String(), Message: h.Catalog.Printer(st.Lang()).T(key, args...)}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		detail.Field = ae.Field
	}
	body, _ := encode(errorBody{Error: detail})
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", web.CacheNoStore)
	hd.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func (h *Handler) notFound(r *http.Request, _ *settings.Site) (*result, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return nil, apperr.New(apperr.Invalid, "error.method_not_allowed")
	}
	return nil, apperr.New(apperr.NotFound, "error.not_found.text")
}

// intParam reads a positive integer query parameter: def when absent, 400
// when malformed or below 1, clamped to max above it.
func intParam(r *http.Request, name string, def, max int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, apperr.New(apperr.Invalid, "error.invalid_param", name).InField(name)
	}
	return min(n, max), nil
}

// checkQuery rejects query strings that are not valid UTF-8.
func checkQuery(r *http.Request) error {
	for k, vs := range r.URL.Query() {
		if !utf8.ValidString(k) {
			return apperr.New(apperr.Invalid, "error.invalid_encoding")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return apperr.New(apperr.Invalid, "error.invalid_param", k).InField(k)
			}
		}
	}
	return nil
}

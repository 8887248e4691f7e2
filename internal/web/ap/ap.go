// Package ap serves the publication's ActivityPub and WebFinger addresses:
// the actor and its collections, the inboxes, and the ActivityPub
// answer of article addresses asked for JSON. Its handlers are thin: they
// read the request, check its signature (package httpsig) and call
// package federation.
package ap

import (
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// Deps are what the handlers work with.
type Deps struct {
	Federation *federation.Service
	Content    *content.Service
	Clock      clock.Clock
	Log        *slog.Logger
	// ArticleSlug returns the slug of the article a path names.
	ArticleSlug func(path string) (string, bool)
	// PerInstance bounds the activities one instance may post per second
	// (default 50), with a burst of four times as many.
	PerInstance float64
}

// Handler serves the ActivityPub addresses.
type Handler struct {
	d     Deps
	limit *limiter
}

// New returns a Handler.
func New(d Deps) *Handler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.PerInstance <= 0 {
		d.PerInstance = 50
	}
	return &Handler{d: d, limit: newLimiter(d.PerInstance, 4*d.PerInstance, d.Clock)}
}

// Register adds the handlers to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/webfinger", h.webfinger)
	mux.HandleFunc("GET /.well-known/nodeinfo", h.nodeinfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.1", h.nodeinfo)
	mux.HandleFunc("POST /ap/inbox", h.inbox)
	for _, base := range []string{"/ap/actor", "/ap/authors/{slug}"} {
		mux.HandleFunc("GET "+base, h.actor)
		mux.HandleFunc("POST "+base+"/inbox", h.inbox)
		mux.HandleFunc("GET "+base+"/outbox", h.outbox)
		mux.HandleFunc("GET "+base+"/followers", h.followers)
		mux.HandleFunc("GET "+base+"/following", h.following)
		mux.HandleFunc("GET "+base+"/featured", h.featured)
	}
	mux.HandleFunc("GET /ap/replies/{id}", h.replies)
}

// local returns the local actor a request names: "" for /ap/actor, the
// author's slug under /ap/authors/.
func local(r *http.Request) string { return r.PathValue("slug") }

func (h *Handler) webfinger(w http.ResponseWriter, r *http.Request) {
	jrd, err := h.d.Federation.WebFinger(r.Context(), r.URL.Query().Get("resource"))
	h.write(w, r, vocab.JRDMediaType, jrd, err)
}

func (h *Handler) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.NodeInfoLinks()
	h.write(w, r, "application/json", doc, err)
}

func (h *Handler) nodeinfo(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.NodeInfo(r.Context())
	h.write(w, r, `application/json; profile="`+vocab.NodeInfoProfile+`#"`, doc, err)
}

func (h *Handler) actor(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.Actor(r.Context(), local(r))
	h.write(w, r, vocab.MediaType, doc, err)
}

func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	page := 0
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			h.write(w, r, "", nil, apperr.New(apperr.Invalid, "error.bad_request.text"))
			return
		}
		page = n
	}
	doc, err := h.d.Federation.Outbox(r.Context(), local(r), page)
	h.write(w, r, vocab.MediaType, doc, err)
}

func (h *Handler) followers(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.Followers(r.Context(), local(r))
	h.write(w, r, vocab.MediaType, doc, err)
}

func (h *Handler) following(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.Following(r.Context(), local(r))
	h.write(w, r, vocab.MediaType, doc, err)
}

func (h *Handler) featured(w http.ResponseWriter, r *http.Request) {
	doc, err := h.d.Federation.Featured(r.Context(), local(r))
	h.write(w, r, vocab.MediaType, doc, err)
}

func (h *Handler) replies(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.write(w, r, "", nil, apperr.New(apperr.NotFound, "error.not_found.text"))
		return
	}
	doc, err := h.d.Federation.Replies(r.Context(), id)
	h.write(w, r, vocab.MediaType, doc, err)
}

// write answers doc as JSON of type ctype, or err's status with a short
// JSON error (never a stack trace, never an HTML page to a server).
func (h *Handler) write(w http.ResponseWriter, r *http.Request, ctype string, doc any, err error) {
	if err != nil {
		status := http.StatusInternalServerError
		switch {
		case apperr.Is(err, apperr.NotFound):
			status = http.StatusNotFound
		case apperr.Is(err, apperr.Invalid):
			status = http.StatusBadRequest
		case apperr.Is(err, apperr.Unavailable):
			status = http.StatusServiceUnavailable
		default:
			h.d.Log.Error("activitypub", "path", r.URL.Path, "err", err)
		}
		writeError(w, status)
		return
	}
	body, err := vocab.Marshal(doc)
	if err != nil {
		h.d.Log.Error("activitypub: encode", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(body) //nolint:gosec // G705: JSON served as application/activity+json, not HTML
}

// writeError answers a status with a one-line JSON body.
func writeError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":"` + strings.ToLower(http.StatusText(status)) + `"}`))
}

// WantsActivityPub reports whether a request asks for ActivityPub JSON
// (Accept: application/activity+json, or application/ld+json with the
// ActivityStreams profile) rather than a page.
func WantsActivityPub(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/activity+json":
			return true
		case "application/ld+json":
			if strings.Contains(params["profile"], "https://www.w3.org/ns/activitystreams") {
				return true
			}
		}
	}
	return false
}

// Negotiate answers the requests for ActivityPub JSON of the site's own
// pages: an article's address gives its object (or its tombstone, 410,
// once unpublished), the home page the publication's actor. Every other
// request goes to next, and the pages that could answer JSON say that
// they vary on Accept. It sits in front of the page cache, which holds
// pages only.
func (h *Handler) Negotiate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		slug, isArticle := h.d.ArticleSlug(r.URL.Path)
		home := r.URL.Path == "/"
		if !isArticle && !home {
			next.ServeHTTP(w, r)
			return
		}
		if !WantsActivityPub(r) || !h.d.Federation.Enabled() {
			next.ServeHTTP(&varyAccept{ResponseWriter: w}, r)
			return
		}
		if home {
			h.actor(w, r)
			return
		}
		h.article(w, r, slug)
	})
}

// article answers an article's ActivityPub object.
func (h *Handler) article(w http.ResponseWriter, r *http.Request, slug string) {
	ctx := r.Context()
	a, err := h.d.Content.ArticleBySlug(ctx, slug)
	if err != nil {
		h.write(w, r, "", nil, err)
		return
	}
	obj, err := h.d.Federation.Object(ctx, a)
	if apperr.Is(err, apperr.NotFound) {
		if h.tombstone(ctx, w, a) {
			return
		}
	}
	h.write(w, r, vocab.MediaType, obj, err)
}

// tombstone answers 410 with the tombstone of an unpublished article the
// fediverse was told of.
func (h *Handler) tombstone(ctx context.Context, w http.ResponseWriter, a *content.Article) bool {
	t, err := h.d.Federation.Tombstone(ctx, a)
	if err != nil {
		return false
	}
	body, err := vocab.Marshal(t)
	if err != nil {
		return false
	}
	w.Header().Set("Content-Type", vocab.MediaType)
	w.Header().Set("Vary", "Accept")
	w.WriteHeader(http.StatusGone)
	_, _ = w.Write(body)
	return true
}

// errorStatus is the inbox's answer to a refusal.
func errorStatus(err error) int {
	switch {
	case apperr.Is(err, apperr.NotFound):
		return http.StatusNotFound
	case apperr.Is(err, apperr.Invalid):
		return http.StatusBadRequest
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// varyAccept adds Accept to the Vary header of the page it writes, which
// the layers below set for their own reasons (Accept-Encoding): the same
// address answers JSON to a fediverse server.
type varyAccept struct {
	http.ResponseWriter
	done bool
}

func (v *varyAccept) WriteHeader(status int) {
	if !v.done {
		v.done = true
		v.Header().Add("Vary", "Accept")
	}
	v.ResponseWriter.WriteHeader(status)
}

func (v *varyAccept) Write(b []byte) (int, error) {
	if !v.done {
		v.WriteHeader(http.StatusOK)
	}
	return v.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (v *varyAccept) Unwrap() http.ResponseWriter { return v.ResponseWriter }

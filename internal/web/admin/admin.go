// Package admin serves the back office at /admin/: login, the dashboard,
// writing and scheduling, media, taxonomies, settings, accounts and the
// audit log. Pages are rendered on the server and work without
// JavaScript; a small script adds autosave, live preview and drag-and-drop
// uploads. Every rule (who may do what) is the services'; handlers only
// parse forms, call one service method and render or redirect.
package admin

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
)

// Deps are what the back office needs.
type Deps struct {
	Content  *content.Service
	Users    *users.Service
	Settings *settings.Service
	Media    *media.Library
	Comments *comments.Service
	// Donations is the readers' support: gifts, donors, campaigns and
	// tax receipts.
	Donations *donations.Service
	Audit     audit.Store
	Views     *web.Views
	Catalog   *locale.Catalog
	Clock     clock.Clock
	Proxies   web.Proxies

	// Shop is the bookshop: orders, catalogue, sales; nil when the site
	// has none, and its pages answer 404.
	Shop *shop.Service
	// PackingSlip draws an order's packing slip as the app draws its
	// invoices; nil draws it here from the settings.
	PackingSlip func(*shop.Order) ([]byte, error)

	// Syndication posts articles to the newsroom's social accounts; nil
	// leaves its pages out (404).
	Syndication *syndication.Service

	// Redirects is the table of old addresses; nil leaves its pages out
	// (404).
	Redirects *redirects.Service

	// Federation is the publication on the fediverse: its followers and
	// blocks; nil leaves its pages out (404).
	Federation *federation.Service

	// Secure marks cookies Secure (the site is served over HTTPS).
	Secure  bool
	BaseURL string
	Log     *slog.Logger
}

// Handler serves /admin/.
type Handler struct {
	Deps
}

// New returns the back office handler.
func New(d Deps) *Handler { return &Handler{Deps: d} }

// sessionCookie holds the session token; its path keeps it off public
// pages, whose cache must not vary by visitor.
const sessionCookie = "kiosque_session"

// Handler returns the back office with its protections: requests from
// other origins are refused before any handler runs (Go's
// CrossOriginProtection, with SameSite cookies as a second line), and no
// response is stored by caches.
func (h *Handler) Handler() http.Handler {
	mux := http.NewServeMux()
	h.register(mux)
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	return csrf.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		mux.ServeHTTP(w, r)
	}))
}

// actorKey carries the logged-in actor in a request's context.
type actorKey struct{}

type session struct {
	user  *users.User
	token string
	actor access.Actor
}

// authed wraps a handler that needs a logged-in person: others go to the
// login page (GET) or get 401.
func (h *Handler) authed(next func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var u *users.User
		if err == nil {
			u, _, err = h.Users.Authenticate(r.Context(), c.Value)
		}
		if err != nil {
			if !apperr.Is(err, apperr.Unauthorized) && !errors.Is(err, http.ErrNoCookie) {
				h.fail(w, r, nil, err)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther) //nolint:gosec // G710: safeNext keeps only paths under /admin/
				return
			}
			h.fail(w, r, nil, apperr.New(apperr.Unauthorized, "error.unauthorized"))
			return
		}
		s := &session{user: u, token: c.Value,
			actor: access.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, IP: h.Proxies.ClientIP(r)}}
		next(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, s)), s)
	}
}

// allowed wraps authed with a permission check.
func (h *Handler) allowed(p access.Permission, next func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
	return h.authed(func(w http.ResponseWriter, r *http.Request, s *session) {
		if !s.actor.Can(p) {
			h.fail(w, r, s, apperr.New(apperr.Forbidden, "error.forbidden.text"))
			return
		}
		next(w, r, s)
	})
}

// safeNext keeps a post-login redirect inside the back office.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/admin/"
	}
	return next
}

func (h *Handler) printer() *locale.Printer {
	return h.Catalog.Printer(h.Settings.Get().Lang())
}

// render writes an admin page, rendered into a buffer first.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.Views.Render(&buf, h.Settings.Get().Lang(), "admin/"+name, data); err != nil {
		h.Log.Error("render admin page", "page", name, "error", err)
		http.Error(w, h.printer().T("error.internal.title"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page for err (its message, never its detail).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	status := web.StatusOf(err)
	if apperr.KindOf(err) == apperr.Throttled {
		status = http.StatusTooManyRequests
	}
	if status == http.StatusInternalServerError {
		h.Log.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	p := h.printer()
	key, args := apperr.Message(err)
	if wantsJSON(r) {
		web.WriteJSONError(w, status, apperr.KindOf(err).String(), p.T(key, args...))
		return
	}
	page := h.base(r, s, p.T("error.title"), "")
	h.render(w, r, status, "error", &messagePage{basePage: page, Message: p.T(key, args...)})
}

func (h *Handler) crossOrigin(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, nil, apperr.New(apperr.Forbidden, "error.cross_origin"))
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

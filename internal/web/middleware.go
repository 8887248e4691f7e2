package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// SecurityHeaders are sent with every response. The Content-Security-Policy
// allows no inline script and no third-party script or style: the public
// site needs none but the comment form's own file (the JSON-LD block is
// data, which CSP does not apply to).
// Forms may lead to Stripe's checkout page only: the donation form (and the
// bookshop's) redirects there, and browsers hold redirects after a form to
// form-action.
// Every directive left out falls back to default-src 'self'; the policy is
// kept short, and legacy headers that it supersedes (X-Frame-Options) are
// not sent, because every header costs on every response.
type SecurityHeaders struct {
	// HSTS is sent when the site is served over HTTPS.
	HSTS bool
}

var (
	hdrCSP      = []string{"default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'self'"}
	hdrReferrer = []string{"strict-origin-when-cross-origin"}
	hdrHSTS     = []string{"max-age=63072000; includeSubDomains"}
)

// Wrap returns next with the security headers set on every response.
func (s SecurityHeaders) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hdrCSP
		h["X-Content-Type-Options"] = hdrNoSniff
		h["Referrer-Policy"] = hdrReferrer
		if s.HSTS {
			h["Strict-Transport-Security"] = hdrHSTS
		}
		next.ServeHTTP(w, r)
	})
}

// Recover turns a panic in next into a logged error and a plain 500 page,
// so a reader never sees a stack trace and the server keeps running.
func Recover(log *slog.Logger, errorPage func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
					errorPage(w, r)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// statusWriter records the status of a response for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// AccessLog logs one line per request.
func AccessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000, "remote", r.RemoteAddr)
		})
	}
}

// CacheFront answers GET and HEAD requests from the page cache when it
// holds the page, before any routing; on a miss it passes the request on,
// and the page handler fills the cache. Hits are counted by m (which may be
// nil) on counters resolved in advance: this is the hottest path of all.
func CacheFront(cache *pagecache.Cache, m *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if e, ok := cache.Get(CacheKey(r)); ok {
				var start time.Time
				if m != nil {
					start = time.Now()
				}
				status := ServeEntry(w, r, e)
				if m != nil {
					m.hit(status, start)
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// trackingParams are dropped from cache keys, so links shared with
// campaign parameters are served from the same cached page.
var trackingParams = map[string]bool{"fbclid": true, "gclid": true, "mc_cid": true, "mc_eid": true, "ref": true}

// CacheKey returns the page cache key of r: its path and its query without
// tracking parameters, sorted.
func CacheKey(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return r.URL.Path + "?" + r.URL.RawQuery
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		if trackingParams[k] || strings.HasPrefix(k, "utm_") {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return r.URL.Path
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(r.URL.Path)
	for i, k := range keys {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		for j, v := range q[k] {
			if j > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// Mount sends requests whose path starts with prefix to h and the others
// to rest. Surfaces get their own ServeMux this way, so a catch-all such
// as "/api/" never competes with the public site's wildcard patterns.
func Mount(prefix string, h, rest http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			h.ServeHTTP(w, r)
			return
		}
		rest.ServeHTTP(w, r)
	})
}

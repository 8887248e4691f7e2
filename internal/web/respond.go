package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Header values shared by every cached response, allocated once.
var (
	hdrVary    = []string{"Accept-Encoding"}
	hdrGzip    = []string{"gzip"}
	hdrBrotli  = []string{"br"}
	hdrNoSniff = []string{"nosniff"}
)

// ServeEntry writes a rendered page: the brotli or gzip form when the
// client accepts it, 304 Not Modified when the client's copy is current,
// nothing but headers for HEAD. A cached entry is never compressed here:
// its forms were made when it was stored. It returns the status sent.
func ServeEntry(w http.ResponseWriter, r *http.Request, e *pagecache.Entry) int {
	h := w.Header()
	if e.HTML {
		// HTML pages carry their referrer policy in a <meta> element.
		// Past eight headers, Go's per-response header map grows, which
		// costs more than all the others together on the hottest path.
		delete(h, "Referrer-Policy")
	}
	body, etag, length := e.Body, e.HeaderETag, e.HeaderLength
	compressed := false
	if e.Brotli == nil && len(e.Body) >= pagecache.MinCompressSize {
		// Not cached, so not precompressed: compress now, quickly.
		h["Vary"] = hdrVary
		if ae := r.Header["Accept-Encoding"]; len(ae) > 0 && accepts(ae, "gzip") {
			return serveGzip(w, r, e)
		}
	}
	if e.Brotli != nil {
		h["Vary"] = hdrVary
		switch ae := r.Header["Accept-Encoding"]; {
		case len(ae) == 0:
		case accepts(ae, "br"):
			body, etag, length = e.Brotli, e.HeaderETagBrotli, e.HeaderLengthBrotli
			h["Content-Encoding"] = hdrBrotli
			compressed = true
		case accepts(ae, "gzip"):
			body, etag, length = e.Gzip, e.HeaderETagGzip, e.HeaderLengthGzip
			h["Content-Encoding"] = hdrGzip
			compressed = true
		}
	}
	h["Content-Type"] = e.HeaderType
	if e.CacheControl != "" {
		h["Cache-Control"] = e.HeaderCache
	}
	h["Etag"] = etag
	// Compressed forms go without Last-Modified: their strong ETag is the
	// validator clients that decompress use (and If-Modified-Since is
	// still honoured), and a ninth header line would make Go grow its
	// header map on every response (see above).
	if e.LastModifiedHTTP != "" && !compressed {
		h["Last-Modified"] = e.HeaderLastModified
	}
	if e.Status == http.StatusOK && notModified(r, e) {
		delete(h, "Content-Type")
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h["Content-Length"] = length
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return e.Status
}

var fastGzip = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// serveGzip compresses a page that was not precompressed, at the fastest
// level: a page served once is not worth more CPU.
func serveGzip(w http.ResponseWriter, r *http.Request, e *pagecache.Entry) int {
	h := w.Header()
	h["Content-Type"] = e.HeaderType
	if e.CacheControl != "" {
		h["Cache-Control"] = e.HeaderCache
	}
	h["Etag"] = e.HeaderETagGzip
	if e.Status == http.StatusOK && notModified(r, e) {
		delete(h, "Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	h["Content-Encoding"] = hdrGzip
	w.WriteHeader(e.Status)
	if r.Method == http.MethodHead {
		return e.Status
	}
	gz := fastGzip.Get().(*gzip.Writer)
	gz.Reset(w)
	_, _ = gz.Write(e.Body)
	_ = gz.Close()
	fastGzip.Put(gz)
	return e.Status
}

// notModified applies RFC 9110 §13.2.2: If-None-Match wins over
// If-Modified-Since. ETags are compared weakly, so a client holding the
// gzip form still gets 304 for the brotli one.
func notModified(r *http.Request, e *pagecache.Entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == "*" {
			return true
		}
		base := strings.TrimSuffix(e.ETag, `"`)
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if strings.HasPrefix(tag, base) {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !e.LastModified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !e.LastModified.After(t)
	}
	return false
}

// accepts reports whether an Accept-Encoding header accepts coding, taking
// "q=0" (refusal) into account. It does not allocate.
func accepts(values []string, coding string) bool {
	for _, v := range values {
		for len(v) > 0 {
			var part string
			if i := strings.IndexByte(v, ','); i >= 0 {
				part, v = v[:i], v[i+1:]
			} else {
				part, v = v, ""
			}
			part = strings.TrimSpace(part)
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if !strings.EqualFold(name, coding) && name != "*" {
				continue
			}
			params = strings.ReplaceAll(params, " ", "")
			if q, ok := strings.CutPrefix(params, "q="); ok && strings.Trim(q, "0.") == "" {
				if name != "*" {
					return false
				}
				continue
			}
			return true
		}
	}
	return false
}

// CacheControl values for public responses. Pages are purged from the
// in-memory cache at once on change; a CDN or browser may keep them a
// minute and serve them stale while it checks.
const (
	CachePage    = "public, max-age=60, stale-while-revalidate=300"
	CacheFeed    = "public, max-age=300, stale-while-revalidate=600"
	CacheNoStore = "no-store"
)

// HTTPTime formats t for Last-Modified.
func HTTPTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// WriteJSONError writes {"error": {"code", "message"}} with status.
func WriteJSONError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":` + strconvQuote(code) + `,"message":` + strconvQuote(message) + "}}\n"))
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

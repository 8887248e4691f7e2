package site

import (
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/identicon"
)

// showAvatar serves /avatars/{key}.svg, the identicon of a commenter. The
// key is an HMAC of their email (comments.Service.AvatarKey): the picture
// is drawn from it alone, so serving it reads nothing and reveals nothing,
// and it never changes: browsers keep it for a year.
func (h *Handler) showAvatar(w http.ResponseWriter, r *http.Request) {
	key, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok || len(key) == 0 || len(key) > 64 || strings.Trim(key, "0123456789abcdef") != "" {
		h.NotFound(w, r)
		return
	}
	etag := identicon.ETag([]byte(key))
	hd := w.Header()
	hd.Set("Content-Type", "image/svg+xml")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("Etag", etag)
	// An SVG opened on its own must not run anything, whatever it holds.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(identicon.SVG([]byte(key), avatarSize)) //nolint:gosec // an SVG drawn from hex digits, no markup of anyone's
}

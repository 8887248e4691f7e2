package web

import (
	"errors"
	"io/fs"
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/media/blob"
)

// MediaFiles serves the media library's files under /media/. Their names
// start with a hash of the upload, so a name always means the same bytes:
// browsers and CDNs may keep them for a year. Unknown names, and names
// that try to leave the directory, get notFound.
func MediaFiles(dir *blob.Dir, notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, media.URLPrefix)
		if !ok || name == "" {
			notFound.ServeHTTP(w, r)
			return
		}
		f, err := dir.Open(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
				notFound.ServeHTTP(w, r)
				return
			}
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		defer func() { _ = f.Close() }()
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			notFound.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", media.ContentType(name))
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Content-Security-Policy", "default-src 'none'")
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

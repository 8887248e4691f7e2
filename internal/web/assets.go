package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// Assets serves the embedded static files under URLs that carry a checksum
// of their content ("/static/site.3fa2b1c4.css"), so browsers and CDNs may
// keep them forever and a new release is never hidden by an old copy.
type Assets struct {
	byName map[string]*asset // "site.css" → asset
	byPath map[string]*asset // "site.3fa2b1c4.css" → asset
	// NotFound answers unknown files; nil means a plain 404.
	NotFound http.Handler
}

type asset struct {
	name, url, contentType string
	body                   []byte
}

// NewAssets reads and fingerprints every embedded static file.
func NewAssets() (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byPath: map[string]*asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		as := &asset{name: name, url: "/static/" + hashed, contentType: ct, body: body}
		a.byName[name] = as
		a.byPath[hashed] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

// URL returns the fingerprinted URL of the static file name; it panics on
// an unknown name, which the boot-time template check turns into a failure.
func (a *Assets) URL(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("unknown static asset %q", name))
	}
	return as.url
}

// ServeHTTP serves /static/{file}: fingerprinted names are immutable;
// plain names redirect to the current fingerprint.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	as, ok := a.byPath[file]
	if !ok {
		if cur, ok := a.byName[file]; ok {
			w.Header().Set("Cache-Control", "no-cache")
			http.Redirect(w, r, cur.url, http.StatusFound)
			return
		}
		if a.NotFound != nil {
			a.NotFound.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(as.body)
	}
}

// Body returns the content of the static file name (for tests and for the
// page cache to preload).
func (a *Assets) Body(name string) ([]byte, bool) {
	as, ok := a.byName[name]
	if !ok {
		return nil, false
	}
	return as.body, true
}

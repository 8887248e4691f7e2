package site

import (
	"net/http"
	"strconv"
)

// showStamp answers /comments/stamp?article=ID with a fresh stamp for
// that article's comment form: comments.js asks for one when the reader
// starts writing, since the page itself may come from the cache. It is
// never cached.
func (h *Handler) showStamp(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.URL.Query().Get("article"), 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, "article?", http.StatusBadRequest)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(h.Comments.Stamp(id)))
}

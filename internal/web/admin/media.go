package admin

import "net/http"

// registerMedia adds the media pages to mux.
func (h *Handler) registerMedia(mux *http.ServeMux) {}

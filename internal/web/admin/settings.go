package admin

import "net/http"

// registerSettings adds the settings pages to mux.
func (h *Handler) registerSettings(mux *http.ServeMux) {}

package admin

import "net/http"

// registerUsers adds the users pages to mux.
func (h *Handler) registerUsers(mux *http.ServeMux) {}

package admin

import "net/http"

// registerAccount adds the account pages to mux.
func (h *Handler) registerAccount(mux *http.ServeMux) {}

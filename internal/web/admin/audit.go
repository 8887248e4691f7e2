package admin

import "net/http"

// registerAudit adds the audit pages to mux.
func (h *Handler) registerAudit(mux *http.ServeMux) {}

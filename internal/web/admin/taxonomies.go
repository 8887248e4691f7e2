package admin

import "net/http"

// registerTaxonomies adds the taxonomies pages to mux.
func (h *Handler) registerTaxonomies(mux *http.ServeMux) {}

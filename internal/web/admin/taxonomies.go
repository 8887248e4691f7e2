package admin

import (
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/access"
)

// registerTaxonomies adds the taxonomies pages to mux: categories and tags,
// for editors and administrators.
func (h *Handler) registerTaxonomies(mux router) {
	manage := func(next func(w http.ResponseWriter, r *http.Request, s *session)) http.HandlerFunc {
		return h.allowed(access.ManageTaxonomies, next)
	}
	mux.HandleFunc("GET /admin/categories", manage(h.listCategories))
	mux.HandleFunc("POST /admin/categories", manage(h.createCategory))
	mux.HandleFunc("GET /admin/categories/{id}", manage(h.showCategory))
	mux.HandleFunc("POST /admin/categories/{id}", manage(h.saveCategory))
	mux.HandleFunc("POST /admin/categories/{id}/delete", manage(h.deleteCategory))

	mux.HandleFunc("GET /admin/tags", manage(h.listTags))
	mux.HandleFunc("GET /admin/tags/{id}", manage(h.showTag))
	mux.HandleFunc("POST /admin/tags/{id}", manage(h.renameTag))
	mux.HandleFunc("POST /admin/tags/{id}/merge", manage(h.mergeTag))
	mux.HandleFunc("POST /admin/tags/{id}/delete", manage(h.deleteTag))
}

// maxTaxonomyForm bounds what a taxonomy form may post.
const maxTaxonomyForm = 64 << 10

// parseTaxonomyForm reads a small form post.
func parseTaxonomyForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxTaxonomyForm)
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	return nil
}

// taxonomyID reads the {id} of the path; a malformed one is a page not found.
func (h *Handler) taxonomyID(w http.ResponseWriter, r *http.Request, s *session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, s, errNotFound())
		return 0, false
	}
	return id, true
}

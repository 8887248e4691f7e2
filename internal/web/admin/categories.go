package admin

import (
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
)

// categoryForm is what the category forms post.
type categoryForm struct {
	Name        string
	Slug        string
	Description string
	ParentID    int64
	NoAppeal    bool
	// Into is the category that receives the articles of a deleted one.
	Into int64
}

func readCategoryForm(r *http.Request) *categoryForm {
	f := &categoryForm{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Description: r.PostFormValue("description")}
	f.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	f.NoAppeal = r.PostFormValue("no_appeal") == "1"
	f.Into, _ = strconv.ParseInt(r.PostFormValue("into"), 10, 64)
	return f
}

// categoryListPage is the tree of categories with the form adding one.
type categoryListPage struct {
	basePage
	Tree []content.CategoryNode
	// Parents are the categories a new one may be placed under: all.
	Parents []content.CategoryNode
	Form    *categoryForm
	Errors  formErrors
}

// categoryPage edits one category and offers to delete it.
type categoryPage struct {
	basePage
	Category *content.Category
	Form     *categoryForm
	// Into is the category chosen to receive its articles.
	Into   int64
	Errors formErrors
	// Parents are the categories it may be placed under: not itself, nor
	// one of its subcategories.
	Parents []content.CategoryNode
	// Targets are the categories that may receive its articles.
	Targets   []content.CategoryNode
	PublicURL string
}

// listCategories shows the tree of categories and the form to add one.
func (h *Handler) listCategories(w http.ResponseWriter, r *http.Request, s *session) {
	h.showCategoryList(w, r, s, &categoryForm{}, nil)
}

func (h *Handler) showCategoryList(w http.ResponseWriter, r *http.Request, s *session, f *categoryForm, errs formErrors) {
	cats, err := h.Content.AllCategories(r.Context())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	tree := content.CategoryTree(cats)
	page := &categoryListPage{basePage: h.base(r, s, h.printer().T("article.categories"), "taxonomies"),
		Tree: tree, Parents: tree, Form: f, Errors: errs}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "categories", page)
}

// createCategory adds a category from the list page's form.
func (h *Handler) createCategory(w http.ResponseWriter, r *http.Request, s *session) {
	if err := parseTaxonomyForm(w, r); err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := readCategoryForm(r)
	c := &content.Category{Name: f.Name, Slug: f.Slug, Description: f.Description, ParentID: f.ParentID, NoAppeal: f.NoAppeal}
	if err := h.Content.SaveCategory(r.Context(), s.actor, c); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.showCategoryList(w, r, s, f, errs)
		return
	}
	redirect(w, r, "/admin/categories", "created")
}

// showCategory opens the edit form of a category.
func (h *Handler) showCategory(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.taxonomyID(w, r, s)
	if !ok {
		return
	}
	h.showCategoryForm(w, r, s, id, nil, 0, nil)
}

// showCategoryForm renders the edit page of category id, with f as typed
// (nil: the stored values), into chosen in the delete form, and errs next
// to their fields.
func (h *Handler) showCategoryForm(w http.ResponseWriter, r *http.Request, s *session, id int64, f *categoryForm, into int64, errs formErrors) {
	cats, err := h.Content.AllCategories(r.Context())
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	tree := content.CategoryTree(cats)
	var c *content.Category
	for i := range tree {
		if tree[i].ID == id {
			c = &tree[i].Category
		}
	}
	if c == nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	if f == nil {
		f = &categoryForm{Name: c.Name, Slug: c.Slug, Description: c.Description, ParentID: c.ParentID, NoAppeal: c.NoAppeal}
	}
	page := &categoryPage{basePage: h.base(r, s, c.Name, "taxonomies"), Category: c, Form: f, Into: into, Errors: errs,
		Parents: withoutSubtree(tree, id), PublicURL: web.CategoryPath(c.Slug)}
	for _, n := range tree {
		if n.ID != id {
			page.Targets = append(page.Targets, n)
		}
	}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "category", page)
}

// withoutSubtree returns tree without category id and its subcategories,
// which follow it in the tree with a greater depth.
func withoutSubtree(tree []content.CategoryNode, id int64) []content.CategoryNode {
	out := make([]content.CategoryNode, 0, len(tree))
	skip := -1 // depth of id while in its subtree
	for _, n := range tree {
		if skip >= 0 && n.Depth > skip {
			continue
		}
		skip = -1
		if n.ID == id {
			skip = n.Depth
			continue
		}
		out = append(out, n)
	}
	return out
}

// saveCategory changes a category's name, address, description and parent;
// its place in menus stays.
func (h *Handler) saveCategory(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.taxonomyID(w, r, s)
	if !ok {
		return
	}
	if err := parseTaxonomyForm(w, r); err != nil {
		h.fail(w, r, s, err)
		return
	}
	c, err := h.Content.CategoryByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := readCategoryForm(r)
	c.Name, c.Slug, c.Description, c.ParentID, c.NoAppeal = f.Name, f.Slug, f.Description, f.ParentID, f.NoAppeal
	if err := h.Content.SaveCategory(r.Context(), s.actor, c); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.showCategoryForm(w, r, s, id, f, 0, errs)
		return
	}
	redirect(w, r, "/admin/categories/"+strconv.FormatInt(id, 10), "saved")
}

// deleteCategory deletes a category after moving its articles to the one
// chosen; a missing choice shows the page again with the message next to it.
func (h *Handler) deleteCategory(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.taxonomyID(w, r, s)
	if !ok {
		return
	}
	if err := parseTaxonomyForm(w, r); err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := readCategoryForm(r)
	if err := h.Content.DeleteCategory(r.Context(), s.actor, id, f.Into); err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			h.fail(w, r, s, err)
			return
		}
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		// The edit form shows the stored values; the choice made is kept.
		h.showCategoryForm(w, r, s, id, nil, f.Into, errs)
		return
	}
	redirect(w, r, "/admin/categories", "deleted")
}

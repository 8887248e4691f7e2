package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
)

// tagListSize is the number of tags a page of the list shows.
const tagListSize = 50

// maxMergeSuggestions bounds the tag names offered to merge into: the most
// used ones; any other can be typed.
const maxMergeSuggestions = 100

// tagListPage is one page of the tags, searched and sorted.
type tagListPage struct {
	basePage
	Tags       []content.Tag
	Total      int
	Query      string
	Sort       string
	Pagination pagination
}

// tagPage renames, merges or deletes one tag.
type tagPage struct {
	basePage
	Tag *content.Tag
	// Name is the name in the rename form, Into the one in the merge form.
	Name, Into  string
	Errors      formErrors
	Suggestions []content.Tag
	PublicURL   string
}

// listTags shows the tags with their number of articles, searched by name,
// sorted by name or by count, a page at a time: the database does the work,
// whatever the number of tags.
func (h *Handler) listTags(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	page := &tagListPage{basePage: h.base(r, s, h.printer().T("article.tags"), "taxonomies"),
		Query: strings.TrimSpace(q.Get("q")), Sort: "name"}
	f := content.TagFilter{Search: page.Query}
	if q.Get("sort") == "count" {
		page.Sort, f.ByCount = "count", true
	}
	n, _ := strconv.Atoi(q.Get("page"))
	list, err := h.Content.AdminTags(r.Context(), f, max(n, 1), tagListSize)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page.Tags, page.Total = list.Tags, list.Total
	page.Pagination = pagination{Number: list.Number, Pages: list.Pages()}
	link := func(n int) string {
		v := url.Values{}
		if page.Query != "" {
			v.Set("q", page.Query)
		}
		if f.ByCount {
			v.Set("sort", "count")
		}
		v.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + v.Encode()
	}
	if list.HasPrev() {
		page.Pagination.PrevURL = link(list.Number - 1)
	}
	if list.HasNext() {
		page.Pagination.NextURL = link(list.Number + 1)
	}
	h.render(w, r, http.StatusOK, "tags", page)
}

// showTag opens the page of one tag.
func (h *Handler) showTag(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.taxonomyID(w, r, s)
	if !ok {
		return
	}
	t, err := h.Content.TagByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.showTagForm(w, r, s, t, t.Name, "", nil)
}

// showTagForm renders the page of tag t with the names typed in its forms
// and errs next to their fields.
func (h *Handler) showTagForm(w http.ResponseWriter, r *http.Request, s *session, t *content.Tag, name, into string, errs formErrors) {
	page := &tagPage{basePage: h.base(r, s, h.printer().T("list.tag_title", t.Name), "taxonomies"),
		Tag: t, Name: name, Into: into, Errors: errs, PublicURL: web.TagPath(t.Slug)}
	most, err := h.Content.AdminTags(r.Context(), content.TagFilter{ByCount: true}, 1, maxMergeSuggestions)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	for _, o := range most.Tags {
		if o.ID != t.ID {
			page.Suggestions = append(page.Suggestions, o)
		}
	}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "tag", page)
}

// tagOf loads the tag of the path and reads the posted form.
func (h *Handler) tagOf(w http.ResponseWriter, r *http.Request, s *session) (*content.Tag, bool) {
	id, ok := h.taxonomyID(w, r, s)
	if !ok {
		return nil, false
	}
	if err := parseTaxonomyForm(w, r); err != nil {
		h.fail(w, r, s, err)
		return nil, false
	}
	t, err := h.Content.TagByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, s, err)
		return nil, false
	}
	return t, true
}

// renameTag changes a tag's name (and address). A name another tag has is
// refused next to the field, and put in the merge form, which is what the
// newsroom most likely wants then.
func (h *Handler) renameTag(w http.ResponseWriter, r *http.Request, s *session) {
	t, ok := h.tagOf(w, r, s)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	if err := h.Content.RenameTag(r.Context(), s.actor, t.ID, name); err != nil {
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		into := ""
		if apperr.Is(err, apperr.Conflict) {
			into = strings.TrimSpace(name)
		}
		h.showTagForm(w, r, s, t, name, into, errs)
		return
	}
	redirect(w, r, "/admin/tags/"+strconv.FormatInt(t.ID, 10), "saved")
}

// mergeTag gives the articles of a tag the tag named in the form, then
// deletes it; the page of the remaining tag opens.
func (h *Handler) mergeTag(w http.ResponseWriter, r *http.Request, s *session) {
	t, ok := h.tagOf(w, r, s)
	if !ok {
		return
	}
	into := r.PostFormValue("into")
	target, err := h.Content.TagNamed(r.Context(), into)
	if err == nil {
		err = h.Content.MergeTags(r.Context(), s.actor, t.ID, target.ID)
	}
	if err != nil {
		var errs formErrors
		if apperr.Is(err, apperr.NotFound) && target == nil {
			key, args := apperr.Message(err)
			errs = formErrors{"into": h.printer().T(key, args...)}
		} else if errs, err = h.errorsOf(err); err != nil {
			h.fail(w, r, s, err)
			return
		}
		h.showTagForm(w, r, s, t, t.Name, into, errs)
		return
	}
	redirect(w, r, "/admin/tags/"+strconv.FormatInt(target.ID, 10), "merged")
}

// deleteTag deletes a tag; its articles only lose it.
func (h *Handler) deleteTag(w http.ResponseWriter, r *http.Request, s *session) {
	t, ok := h.tagOf(w, r, s)
	if !ok {
		return
	}
	if err := h.Content.DeleteTag(r.Context(), s.actor, t.ID); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/tags", "deleted")
}

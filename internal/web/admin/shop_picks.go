package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/shop"
)

// pickResults is how many books a search for picks shows.
const pickResults = 20

type articleBooksPage struct {
	basePage
	Article *content.Article
	// Picked are the books picked, in order; Found those the search found
	// that are not picked.
	Picked, Found []bookRow
	Query         string
	Max           int
	ISBN          string
	Errors        formErrors
}

// showArticleBooks shows the books picked for an article, and a search to
// pick others, by words or ISBN.
func (h *Handler) showArticleBooks(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderArticleBooks(w, r, s, http.StatusOK, "", nil)
}

func (h *Handler) renderArticleBooks(w http.ResponseWriter, r *http.Request, s *session, status int, typed string, errs formErrors) {
	ctx := r.Context()
	a, err := h.Content.EditableArticle(ctx, s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	picked, err := h.Shop.ArticleBooks(ctx, a.ID)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &articleBooksPage{basePage: h.shopBase(r, s, p.T("admin.shop.picks.title", a.Title)), Article: a,
		Query: strings.TrimSpace(r.URL.Query().Get("q")), Max: shop.PromoBooks, ISBN: typed, Errors: errs}
	page.Section = "articles"
	ids := map[int64]bool{}
	for _, b := range picked {
		page.Picked = append(page.Picked, h.bookRow(b))
		ids[b.ID] = true
	}
	if page.Query != "" {
		res, err := h.Shop.Search(ctx, shop.SearchParams{Query: page.Query, PerPage: pickResults})
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		for _, b := range res.Books {
			if !ids[b.ID] {
				page.Found = append(page.Found, h.bookRow(b))
			}
		}
	}
	h.render(w, r, status, "shop_picks", page)
}

// saveArticleBooks saves the books ticked, in order, and the book of the
// ISBN typed.
func (h *Handler) saveArticleBooks(w http.ResponseWriter, r *http.Request, s *session) {
	a, err := h.Content.EditableArticle(r.Context(), s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	typed := r.PostFormValue("isbn")
	if err := h.Shop.PickBooks(r.Context(), a.ID, parseIDs(r.PostForm["book"]), typed); err != nil {
		errs, ierr := h.shopFieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderArticleBooks(w, r, s, formStatus(err), typed, errs)
		return
	}
	redirect(w, r, "/admin/articles/"+strconv.FormatInt(a.ID, 10)+"/livres/", "picked")
}

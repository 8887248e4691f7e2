package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/users"
)

type articleListPage struct {
	basePage
	Pages      bool
	Articles   []*content.Article
	Total      int
	Pagination pagination
	Status     string
	AuthorID   int64
	CategoryID int64
	Query      string
	Statuses   []string
	Authors    []*users.User
	Categories []content.Category
}

type pagination struct {
	Number, Pages    int
	PrevURL, NextURL string
}

const listSize = 30

// listArticles shows the article (or page) list with its filters.
func (h *Handler) listArticles(pages bool) func(w http.ResponseWriter, r *http.Request, s *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		ctx := r.Context()
		q := r.URL.Query()
		p := h.printer()
		title, section, kind := p.T("admin.nav.articles"), "articles", content.KindPost
		if pages {
			title, section, kind = p.T("admin.nav.pages"), "pages", content.KindPage
		}
		page := &articleListPage{basePage: h.base(r, s, title, section), Pages: pages,
			Status: q.Get("status"), Query: strings.TrimSpace(q.Get("q")),
			Statuses: []string{"draft", "pending", "scheduled", "published", "trash"}}
		page.AuthorID, _ = strconv.ParseInt(q.Get("author"), 10, 64)
		page.CategoryID, _ = strconv.ParseInt(q.Get("category"), 10, 64)
		n, _ := strconv.Atoi(q.Get("page"))
		f := content.ArticleFilter{Kind: kind, AuthorID: page.AuthorID, CategoryID: page.CategoryID}
		if st := content.Status(page.Status); st.Valid() {
			f.Status = st
		} else {
			page.Status = ""
		}
		if page.Query != "" {
			f.Search = search.New(string(h.Settings.Get().Lang())).Query(page.Query)
		}
		list, err := h.Content.AdminList(ctx, f, max(n, 1), listSize)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		page.Articles, page.Total = list.Articles, list.Total
		page.Pagination = pageLinks(r, list.Number, list.Pages())
		if page.Authors, err = h.Users.List(ctx); err != nil {
			h.fail(w, r, s, err)
			return
		}
		if page.Categories, err = h.Content.Categories(ctx); err != nil {
			h.fail(w, r, s, err)
			return
		}
		h.render(w, r, http.StatusOK, "articles", page)
	}
}

// bulkArticles applies one action to the checked articles; each goes
// through the service, so the rules hold for every one of them.
func (h *Handler) bulkArticles(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	action := r.PostFormValue("action")
	back := safeNext(r.PostFormValue("back"))
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		switch action {
		case "trash":
			err = h.Content.Trash(r.Context(), s.actor, id)
		case "restore":
			err = h.Content.Restore(r.Context(), s.actor, id)
		default:
			h.fail(w, r, s, errBadForm(nil))
			return
		}
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
	}
	done := "trashed"
	if action == "restore" {
		done = "restored"
	}
	redirect(w, r, back, done)
}

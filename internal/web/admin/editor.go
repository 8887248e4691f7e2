package admin

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
)

// articleForm is what the editor posts.
type articleForm struct {
	Kind           content.Kind
	Title          string
	Slug           string
	Excerpt        string
	Body           string
	PublishedAt    string // datetime-local, in the site's time zone
	Featured       bool
	CommentsOpen   bool
	SEOTitle       string
	SEODescription string
	ImageURL       string
	ImageAlt       string
	AuthorIDs      []int64
	CategoryIDs    []int64
	Tags           string // comma-separated
	Version        int
	Intent         content.Intent
}

const datetimeLocal = "2006-01-02T15:04"

func errBadForm(err error) error {
	if err == nil {
		return apperr.New(apperr.Invalid, "error.bad_request.title")
	}
	return apperr.Wrap(err, apperr.Invalid, "error.bad_request.title")
}

func parseIDs(vs []string) []int64 {
	var out []int64
	for _, v := range vs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// parseArticleForm reads the editor's form; a body over the limit is cut
// by MaxBytesReader and reported, not silently truncated.
func (h *Handler) parseArticleForm(w http.ResponseWriter, r *http.Request) (*articleForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, content.MaxBodyBytes+256<<10)
	if err := r.ParseForm(); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "error.article.body_too_long").InField("body")
	}
	f := &articleForm{
		Kind: content.Kind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), Slug: r.PostFormValue("slug"),
		Excerpt: r.PostFormValue("excerpt"), Body: strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"),
		PublishedAt: r.PostFormValue("published_at"), Featured: r.PostFormValue("featured") == "on",
		CommentsOpen: r.PostFormValue("comments_open") == "on", SEOTitle: r.PostFormValue("seo_title"),
		SEODescription: r.PostFormValue("seo_description"), ImageURL: r.PostFormValue("image_url"),
		ImageAlt: r.PostFormValue("image_alt"), AuthorIDs: parseIDs(r.PostForm["author"]),
		CategoryIDs: parseIDs(r.PostForm["category"]), Tags: r.PostFormValue("tags"),
		Intent: content.Intent(r.PostFormValue("intent")),
	}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	return f, nil
}

// input turns the form into the service's input, reading the date in the
// site's time zone.
func (h *Handler) input(f *articleForm) (content.ArticleInput, error) {
	in := content.ArticleInput{Kind: f.Kind, Title: f.Title, Slug: f.Slug, Excerpt: f.Excerpt, Body: f.Body,
		Featured: f.Featured, CommentsOpen: f.CommentsOpen, SEOTitle: f.SEOTitle, SEODescription: f.SEODescription,
		ImageURL: f.ImageURL, ImageAlt: f.ImageAlt, AuthorIDs: f.AuthorIDs, CategoryIDs: f.CategoryIDs, Version: f.Version}
	for t := range strings.SplitSeq(f.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	if f.PublishedAt != "" {
		t, err := time.ParseInLocation(datetimeLocal, f.PublishedAt, h.Settings.Get().Location())
		if err != nil {
			return in, apperr.New(apperr.Invalid, "error.article.bad_date").InField("published_at")
		}
		in.PublishedAt = t
	}
	return in, nil
}

// formOf fills the form from a stored article.
func (h *Handler) formOf(a *content.Article) *articleForm {
	f := &articleForm{Kind: a.Kind, Title: a.Title, Slug: a.Slug, Excerpt: a.Excerpt, Body: a.Body, Featured: a.Featured,
		CommentsOpen: a.CommentsOpen, SEOTitle: a.SEOTitle, SEODescription: a.SEODescription, ImageURL: a.ImageURL,
		ImageAlt: a.ImageAlt, AuthorIDs: a.AuthorIDs(), Version: a.Version}
	if !a.PublishedAt.IsZero() {
		f.PublishedAt = a.PublishedAt.In(h.Settings.Get().Location()).Format(datetimeLocal)
	}
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	f.Tags = strings.Join(names, ", ")
	for _, c := range a.Categories {
		f.CategoryIDs = append(f.CategoryIDs, c.ID)
	}
	return f
}

type editorPage struct {
	basePage
	Article    *content.Article // nil for a new article
	Form       *articleForm
	Errors     formErrors
	Authors    []*users.User
	Categories []content.Category
	// Preview is the rendered body, when the form asked for it.
	Preview template.HTML
	// Conflict is the version saved by someone else meanwhile.
	Conflict *content.Article
	// Autosave is a newer unsaved text of this writer, to offer back.
	Autosave *content.Revision
	// What the writer may do, to show only the buttons that work.
	CanPublish, CanEditOthers, CanTrash bool
	PublicURL                           string
	Now                                 string
	// Social is the article's social accounts panel, for a saved article
	// and those who manage the accounts.
	Social *articleSocialPanel
}

func (h *Handler) editor(r *http.Request, s *session, a *content.Article, f *articleForm) (*editorPage, error) {
	ctx := r.Context()
	p := h.printer()
	title := p.T("admin.editor.new")
	section := "articles"
	if f.Kind == content.KindPage {
		section = "pages"
	}
	if a != nil {
		title = a.Title
	}
	page := &editorPage{basePage: h.base(r, s, title, section), Article: a, Form: f,
		CanEditOthers: s.actor.Can(access.EditOthers),
		Now:           h.Clock.Now().In(h.Settings.Get().Location()).Format(datetimeLocal)}
	st := access.ArticleState{AuthorIDs: f.AuthorIDs}
	if len(st.AuthorIDs) == 0 {
		st.AuthorIDs = []int64{s.actor.UserID}
	}
	if a != nil {
		st.Published = a.Status.Live()
		page.CanTrash = s.actor.CanTrash(st)
		if a.Status == content.StatusPublished {
			page.PublicURL = web.ArticlePath(a, h.Settings.Get().Location())
			if a.Kind == content.KindPage {
				page.PublicURL = web.PagePath(a.Slug)
			}
		}
	}
	page.CanPublish = s.actor.CanPublish(st)
	if f.Kind == content.KindPage {
		page.CanPublish = s.actor.Can(access.ManagePages)
	}
	var err error
	if page.Authors, err = h.Users.List(ctx); err != nil {
		return nil, err
	}
	if page.Categories, err = h.Content.Categories(ctx); err != nil {
		return nil, err
	}
	if a != nil && h.canSocial(s.actor) {
		if page.Social, err = h.articleSocialPanel(ctx, a.ID, nil, nil); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// showNewArticle opens an empty editor.
func (h *Handler) showNewArticle(pages bool) func(w http.ResponseWriter, r *http.Request, s *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		f := &articleForm{Kind: content.KindPost, CommentsOpen: true, AuthorIDs: []int64{s.actor.UserID}}
		if pages {
			f.Kind, f.CommentsOpen = content.KindPage, false
		}
		page, err := h.editor(r, s, nil, f)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		h.render(w, r, http.StatusOK, "editor", page)
	}
}

// showArticle opens the editor on a stored article, offering back the
// writer's autosave when it is newer than the last save.
func (h *Handler) showArticle(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	a, err := h.Content.EditableArticle(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page, err := h.editor(r, s, a, h.formOf(a))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if revs, err := h.Content.Revisions(r.Context(), s.actor, id); err == nil {
		for _, rev := range revs {
			if rev.Autosave && rev.UserID == s.actor.UserID && rev.CreatedAt.After(a.UpdatedAt) {
				full, _, err := h.Content.Revision(r.Context(), s.actor, rev.ID)
				if err == nil && (full.Body != a.Body || full.Title != a.Title || full.Excerpt != a.Excerpt) {
					page.Autosave = full
				}
				break
			}
		}
	}
	if page.Autosave != nil && r.URL.Query().Get("use_autosave") == "1" {
		// The writer takes their autosave back: it fills the form, and
		// becomes the article on their next save.
		page.Form.Title, page.Form.Excerpt, page.Form.Body = page.Autosave.Title, page.Autosave.Excerpt, page.Autosave.Body
		page.Autosave = nil
	}
	h.render(w, r, http.StatusOK, "editor", page)
}

// saveArticle handles every button of the editor. A refused save shows
// the editor again with what was typed and the message next to its field;
// a save that lost a race keeps the writer's text (as their autosave) and
// shows the other version beside it.
func (h *Handler) saveArticle(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	var id int64
	if v := r.PathValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil {
			h.fail(w, r, s, errNotFound())
			return
		}
	}
	f, err := h.parseArticleForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	var current *content.Article
	if id != 0 {
		if current, err = h.Content.EditableArticle(ctx, s.actor, id); err != nil {
			h.fail(w, r, s, err)
			return
		}
		f.Kind = current.Kind
	}
	if f.Kind != content.KindPage {
		f.Kind = content.KindPost
	}
	if f.Intent == "preview" {
		h.showForm(w, r, s, current, f, nil, true)
		return
	}
	in, err := h.input(f)
	var saved *content.Article
	if err == nil {
		saved, err = h.Content.Save(ctx, s.actor, id, in, f.Intent)
	}
	if err != nil {
		if apperr.Is(err, apperr.Conflict) && id != 0 && current != nil && current.Version != f.Version {
			// Keep the refused text: it is this writer's autosave now.
			_ = h.Content.Autosave(ctx, s.actor, id, f.Title, f.Excerpt, f.Body)
		}
		errs, ierr := h.errorsOf(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		if wantsJSON(r) {
			web.WriteJSONError(w, jsonStatus(err), apperr.KindOf(err).String(), firstError(errs))
			return
		}
		h.showForm(w, r, s, current, f, errs, false)
		return
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": saved.ID, "version": saved.Version, "status": saved.Status,
			"url": "/admin/articles/" + strconv.FormatInt(saved.ID, 10)})
		return
	}
	done := map[content.Intent]string{content.IntentSubmit: "submitted", content.IntentPublish: "published",
		content.IntentSchedule: "scheduled", content.IntentUnpublish: "unpublished"}[f.Intent]
	if done == "" {
		done = "saved"
	}
	redirect(w, r, "/admin/articles/"+strconv.FormatInt(saved.ID, 10), done)
}

func firstError(errs formErrors) string {
	for _, m := range errs {
		return m
	}
	return ""
}

func (h *Handler) showForm(w http.ResponseWriter, r *http.Request, s *session, current *content.Article, f *articleForm, errs formErrors, preview bool) {
	page, err := h.editor(r, s, current, f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	page.Errors = errs
	if current != nil && current.Version != f.Version {
		page.Conflict = current
	}
	if preview {
		html, err := h.Content.Preview(r.Context(), f.Body)
		if err == nil {
			page.Preview = template.HTML(html) //nolint:gosec // sanitized by the renderer
		}
	}
	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
		if page.Conflict != nil {
			status = http.StatusConflict
		}
	}
	h.render(w, r, status, "editor", page)
}

func (h *Handler) articleID(w http.ResponseWriter, r *http.Request, s *session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return 0, false
	}
	return id, true
}

func (h *Handler) trashArticle(w http.ResponseWriter, r *http.Request, s *session) {
	if id, ok := h.articleID(w, r, s); ok {
		if err := h.Content.Trash(r.Context(), s.actor, id); err != nil {
			h.fail(w, r, s, err)
			return
		}
		redirect(w, r, "/admin/articles?status=trash", "trashed")
	}
}

func (h *Handler) restoreArticle(w http.ResponseWriter, r *http.Request, s *session) {
	if id, ok := h.articleID(w, r, s); ok {
		if err := h.Content.Restore(r.Context(), s.actor, id); err != nil {
			h.fail(w, r, s, err)
			return
		}
		redirect(w, r, "/admin/articles/"+strconv.FormatInt(id, 10), "restored")
	}
}

// autosave keeps the text being typed (called by the editor's script).
func (h *Handler) autosave(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.articleID(w, r, s)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, content.MaxBodyBytes+64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, apperr.Wrap(err, apperr.Invalid, "error.article.body_too_long"))
		return
	}
	body := strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n")
	if err := h.Content.Autosave(r.Context(), s.actor, id, r.PostFormValue("title"), r.PostFormValue("excerpt"), body); err != nil {
		h.fail(w, r, s, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// preview renders Markdown as the site would (called by the editor's script).
func (h *Handler) preview(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, content.MaxBodyBytes+64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, apperr.Wrap(err, apperr.Invalid, "error.article.body_too_long"))
		return
	}
	html, err := h.Content.Preview(r.Context(), strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(html)) //nolint:gosec // G705: sanitized by the renderer, as the site shows it
}

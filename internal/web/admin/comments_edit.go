package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
)

// commentForm is what the comment edit form posts.
type commentForm struct {
	Name, Email, URL, Text string
	Status                 comments.Status
	// Seen is the comment's UpdatedAt when the form was shown, as
	// RFC 3339 with nanoseconds.
	Seen string
	// Back is the queue's address the moderator came from.
	Back string
}

func commentFormOf(c *comments.Comment, back string) *commentForm {
	return &commentForm{Name: c.AuthorName, Email: c.AuthorEmail, URL: c.AuthorURL, Text: c.Body, Status: c.Status,
		Seen: c.UpdatedAt.UTC().Format(time.RFC3339Nano), Back: back}
}

// edit returns what the form asks the service to change.
func (f *commentForm) edit() (comments.CommentEdit, error) {
	seen, err := time.Parse(time.RFC3339Nano, f.Seen)
	if err != nil {
		return comments.CommentEdit{}, errBadForm(err)
	}
	e := comments.CommentEdit{Name: f.Name, Email: f.Email, URL: f.URL, Text: f.Text, Seen: seen}
	if f.Status != "" {
		e.Status = &f.Status
	}
	return e, nil
}

// commentEditPage is the form editing one comment.
type commentEditPage struct {
	basePage
	Comment  *comments.Comment
	Form     *commentForm
	Statuses []comments.Status
	Errors   formErrors
}

// commentID reads the {id} of the path; a malformed one is a page not
// found.
func (h *Handler) commentID(w http.ResponseWriter, r *http.Request, s *session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, s, errNotFound())
		return 0, false
	}
	return id, true
}

// showCommentEdit opens the edit form of a comment, filled with what is
// stored.
func (h *Handler) showCommentEdit(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.commentID(w, r, s)
	if !ok {
		return
	}
	c, err := h.Comments.Comment(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.renderCommentEdit(w, r, s, http.StatusOK, c, commentFormOf(c, queueBack(r.URL.Query().Get("back"))), nil)
}

// saveComment saves the edit form and goes back to the queue; a refused
// one is shown again as typed, with a message next to each field at fault.
func (h *Handler) saveComment(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.commentID(w, r, s)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	f := &commentForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), URL: r.PostFormValue("url"),
		Text: r.PostFormValue("text"), Status: comments.Status(r.PostFormValue("status")), Seen: r.PostFormValue("seen"),
		Back: queueBack(r.PostFormValue("back"))}
	e, err := f.edit()
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if _, err = h.Comments.Edit(r.Context(), s.actor, id, e); err == nil {
		redirect(w, r, f.Back, "saved")
		return
	}
	errs, ierr := h.fieldErrors(err)
	if ierr != nil {
		h.fail(w, r, s, ierr)
		return
	}
	code := http.StatusUnprocessableEntity
	if apperr.Is(err, apperr.Conflict) {
		code = http.StatusConflict
	}
	c, err := h.Comments.Comment(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.renderCommentEdit(w, r, s, code, c, f, errs)
}

func (h *Handler) renderCommentEdit(w http.ResponseWriter, r *http.Request, s *session, code int, c *comments.Comment, f *commentForm, errs formErrors) {
	page := &commentEditPage{basePage: h.base(r, s, h.printer().T("admin.comments.edit_title"), "comments"),
		Comment: c, Form: f, Statuses: comments.Statuses(), Errors: errs}
	h.render(w, r, code, "comment", page)
}

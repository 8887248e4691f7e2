package admin

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/apperr"
)

// replyComment publishes the newsroom's reply to a comment from the
// queue's reply form, and goes back to the queue; a refused reply is shown
// again in the queue, as typed, under its comment.
func (h *Handler) replyComment(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.commentID(w, r, s)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	text, back := r.PostFormValue("text"), queueBack(r.PostFormValue("back"))
	_, err := h.Comments.Reply(r.Context(), s.actor, id, text)
	if err == nil {
		redirect(w, r, back, "replied")
		return
	}
	if !apperr.Is(err, apperr.Invalid) {
		h.fail(w, r, s, err)
		return
	}
	errs, ierr := h.fieldErrors(err)
	if ierr != nil {
		h.fail(w, r, s, ierr)
		return
	}
	// The form has only the text: a fault of the account's name or email
	// (an account without them) is shown in its place.
	msg := errs["text"]
	for _, field := range []string{"", "name", "email"} {
		if msg == "" {
			msg = errs[field]
		}
	}
	h.showQueue(w, r, s, back, &refusedReply{ID: id, Text: text, Error: msg})
}

package site

import (
	"net/http"
	"strconv"
)

// Reply notifications end in one click: the email's link (signed by the
// comments service) opens a page with a button, so that a mail scanner
// following links does not unsubscribe anyone, and mail clients that
// support RFC 8058 POST to the same address directly.

// showUnsubscribe asks to confirm the end of reply notifications.
func (h *Handler) showUnsubscribe(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	data := h.newPage(r, c, c.p.T("comments.unsubscribe.title"), "", "")
	data.Heading, data.NoIndex = c.p.T("comments.unsubscribe.title"), true
	data.Message = c.p.T("comments.unsubscribe.confirm")
	data.Action = &noticeAction{URL: r.URL.RequestURI(), Label: c.p.T("comments.unsubscribe.button")}
	h.writeNotice(w, r, c, http.StatusOK, data)
}

// unsubscribe ends reply notifications for the author of the comment the
// link names.
func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	q := r.URL.Query()
	id, err := strconv.ParseInt(q.Get("c"), 10, 64)
	if err != nil {
		id = 0
	}
	if _, err := h.Comments.StopReplies(r.Context(), id, q.Get("t")); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	data := h.newPage(r, c, c.p.T("comments.unsubscribe.title"), "", "")
	data.Heading, data.NoIndex = c.p.T("comments.unsubscribe.done_title"), true
	data.Message = c.p.T("comments.unsubscribe.done")
	h.writeNotice(w, r, c, http.StatusOK, data)
}

// writeNotice renders a page that is never cached (it answers one person).
func (h *Handler) writeNotice(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, data *pageView) {
	buf, err := h.render(c, "notice", data)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	writePersonal(w, r, status, buf)
}

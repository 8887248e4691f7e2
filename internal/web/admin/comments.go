package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
)

// registerComments adds the moderation queue to mux.
func (h *Handler) registerComments(mux router) {
	mux.HandleFunc("GET /admin/comments", h.allowed(access.ModerateComments, h.showComments))
	mux.HandleFunc("POST /admin/comments/moderate", h.allowed(access.ModerateComments, h.moderateComments))
}

// queueSize is the length of a page of the moderation queue.
const queueSize = 50

type commentTab struct {
	Status comments.Status
	Count  int
	URL    string
}

// commentRow is one comment of the queue, with its text ready to show.
type commentRow struct {
	*comments.Comment
	// Text is the rendered comment, sanitized when it was posted.
	Text template.HTML
	ISO  string
}

type commentsPage struct {
	basePage
	Status     comments.Status
	Query      string
	Tabs       []commentTab
	Comments   []commentRow
	Total      int
	Back       string
	Pagination pagination
}

// showComments shows one tab of the moderation queue, pending first.
func (h *Handler) showComments(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	status := comments.Status(q.Get("status"))
	if !status.Valid() {
		status = comments.StatusPending
	}
	text := strings.TrimSpace(q.Get("q"))
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	queue, err := h.Comments.Queue(r.Context(), s.actor, comments.Query{Status: status, Text: text, Limit: queueSize, Offset: (n - 1) * queueSize})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &commentsPage{basePage: h.base(r, s, p.T("admin.nav.comments"), "comments"), Status: status, Query: text,
		Total: queue.Total, Back: r.URL.RequestURI()}
	for _, c := range queue.Comments {
		page.Comments = append(page.Comments, commentRow{Comment: c, ISO: c.CreatedAt.UTC().Format(time.RFC3339),
			Text: template.HTML(c.BodyHTML)}) //nolint:gosec // sanitized by textproc.RenderComment when posted
	}
	for _, st := range comments.Statuses() {
		v := url.Values{"status": {string(st)}}
		if text != "" {
			v.Set("q", text)
		}
		page.Tabs = append(page.Tabs, commentTab{Status: st, Count: queue.Counts[st], URL: "/admin/comments?" + v.Encode()})
	}
	page.Pagination = pageLinks(r, n, (queue.Total+queueSize-1)/queueSize)
	h.render(w, r, http.StatusOK, "comments", page)
}

// moderateActions maps the buttons to the status they move comments to.
var moderateActions = map[string]comments.Status{
	"approve": comments.StatusApproved, "hold": comments.StatusPending,
	"spam": comments.StatusSpam, "trash": comments.StatusTrash,
}

// moderateComments applies one action to the checked comments, or to the
// one whose row button was pressed (its id in the button's address).
func (h *Handler) moderateComments(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	status, ok := moderateActions[r.FormValue("action")]
	if !ok {
		h.fail(w, r, s, errBadForm(nil))
		return
	}
	values := r.URL.Query()["id"]
	if len(values) == 0 {
		values = r.PostForm["id"]
	}
	ids := make([]int64, 0, len(values))
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.fail(w, r, s, errBadForm(err))
			return
		}
		ids = append(ids, id)
	}
	if err := h.Comments.Moderate(r.Context(), s.actor, ids, status); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			err = errNotFound()
		}
		h.fail(w, r, s, err)
		return
	}
	back := r.FormValue("back")
	if !strings.HasPrefix(back, "/admin/comments") {
		back = "/admin/comments"
	}
	redirect(w, r, safeNext(back), "moderated")
}

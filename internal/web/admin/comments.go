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
	// A commenter's personal data (GDPR): see comments_privacy.go.
	mux.HandleFunc("GET /admin/comments/privacy", h.allowed(comments.PersonalData, h.showCommenterData))
	mux.HandleFunc("POST /admin/comments/privacy/export", h.allowed(comments.PersonalData, h.exportCommenterData))
	mux.HandleFunc("POST /admin/comments/privacy/erase", h.allowed(comments.PersonalData, h.confirmCommenterErasure))
	mux.HandleFunc("POST /admin/comments/privacy/erase/confirm", h.allowed(comments.PersonalData, h.eraseCommenterData))
	mux.HandleFunc("GET /admin/comments/{id}/edit", h.allowed(access.ModerateComments, h.showCommentEdit))
	mux.HandleFunc("POST /admin/comments/{id}/edit", h.allowed(access.ModerateComments, h.saveComment))
	mux.HandleFunc("POST /admin/comments/{id}/reply", h.allowed(access.ModerateComments, h.replyComment))
	// Readers' notices (DSA): see comments_reports.go.
	mux.HandleFunc("GET /admin/comments/reports", h.allowed(access.ModerateComments, h.showReports))
	mux.HandleFunc("POST /admin/comments/reports/{id}/decide", h.allowed(access.ModerateComments, h.decideReport))
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
	// Reply is the text of a refused reply to this comment, shown again
	// with ReplyError.
	Reply, ReplyError string
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
	// Error is a refused reply's message when its comment is not on
	// this page.
	Error string
	// OpenReports is the number of readers' reports waiting for a
	// decision.
	OpenReports int
}

// refusedReply is a reply the service refused, shown again in the queue.
type refusedReply struct {
	ID          int64
	Text, Error string
}

// showComments shows one tab of the moderation queue, pending first.
func (h *Handler) showComments(w http.ResponseWriter, r *http.Request, s *session) {
	h.showQueue(w, r, s, r.URL.RequestURI(), nil)
}

// showQueue shows the tab of the queue that back, its address, selects;
// with a refused reply next to its comment, if any.
func (h *Handler) showQueue(w http.ResponseWriter, r *http.Request, s *session, back string, refused *refusedReply) {
	at, err := url.Parse(back)
	if err != nil {
		at = &url.URL{Path: "/admin/comments"}
	}
	q := at.Query()
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
		Total: queue.Total, Back: back}
	if page.OpenReports, err = h.Comments.OpenReports(r.Context()); err != nil {
		h.fail(w, r, s, err)
		return
	}
	code := http.StatusOK
	if refused != nil {
		code, page.Error = http.StatusUnprocessableEntity, refused.Error
	}
	for _, c := range queue.Comments {
		row := commentRow{Comment: c, ISO: c.CreatedAt.UTC().Format(time.RFC3339),
			Text: template.HTML(c.BodyHTML)} //nolint:gosec // sanitized by textproc.RenderComment when posted
		if refused != nil && refused.ID == c.ID {
			row.Reply, row.ReplyError, page.Error = refused.Text, refused.Error, ""
		}
		page.Comments = append(page.Comments, row)
	}
	for _, st := range comments.Statuses() {
		v := url.Values{"status": {string(st)}}
		if text != "" {
			v.Set("q", text)
		}
		page.Tabs = append(page.Tabs, commentTab{Status: st, Count: queue.Counts[st], URL: "/admin/comments?" + v.Encode()})
	}
	page.Pagination = pageLinks(&http.Request{URL: at}, n, (queue.Total+queueSize-1)/queueSize)
	h.render(w, r, code, "comments", page)
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
	redirect(w, r, queueBack(r.FormValue("back")), "moderated")
}

// queueBack returns back when it is an address of the moderation queue,
// the queue's first tab otherwise.
func queueBack(back string) string {
	if back != "/admin/comments" && !strings.HasPrefix(back, "/admin/comments?") {
		return "/admin/comments"
	}
	return safeNext(back)
}

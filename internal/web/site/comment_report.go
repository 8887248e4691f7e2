package site

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web"
)

// The "report this comment" form (DSA art. 16): linked from every
// published comment, it works without JavaScript. Its pages answer one
// person and are never cached.

// maxReportPost bounds the body of a report: the longest explanation with
// every field, form-encoded, fits many times over.
const maxReportPost = 128 << 10

// reportForm is the report form as a notifier filled it: the comment's
// address on a fresh page, what they typed and what to fix after a
// refused post.
type reportForm struct {
	Reason      string
	Explanation string
	URL         string
	Name        string
	Email       string
	GoodFaith   bool
	// Errors are the messages per field, and Message one about the whole
	// post (too many reports).
	Errors  map[string]string
	Message string
}

// reasonChoice is one radio button of the categories.
type reasonChoice struct {
	Value, Label, Help string
	Checked            bool
}

// reportView is what the comment_report template reads: the common page,
// the comment reported and the form.
type reportView struct {
	*pageView
	// Action is the form's address.
	Action string
	// CommentHTML is the comment's text, sanitized when it was posted;
	// Byline names its author and date; CommentURL is its address.
	CommentHTML  template.HTML
	Byline       string
	CommentURL   string
	ArticleTitle string
	Reasons      []reasonChoice
	Form         *reportForm
	MinLen       int
	MaxLen       int
}

// reportPath is the address of the report form of comment id.
func reportPath(id int64) string {
	return "/comments/" + strconv.FormatInt(id, 10) + "/report"
}

// commentIDParam reads the comment id of the path; anything but a
// positive number is an unknown comment.
func commentIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.report.no_comment")
	}
	return id, nil
}

// showCommentReport shows the report form of a published comment, or the
// confirmation once a report was sent (?sent=1, where the post redirects).
func (h *Handler) showCommentReport(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	id, err := commentIDParam(r)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if r.URL.Query().Get("sent") != "" {
		data := h.newPage(r, c, c.p.T("comments.report.sent_title"), "", "")
		data.Heading, data.NoIndex = c.p.T("comments.report.sent_title"), true
		data.Message = c.p.T("comments.report.sent")
		h.writeNotice(w, r, c, http.StatusOK, data)
		return
	}
	cm, t, err := h.Comments.Reportable(r.Context(), id)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	h.writeReportPage(w, r, c, http.StatusOK, cm, t, &reportForm{URL: comments.ReportURL(t, id)})
}

// postCommentReport receives the report form. A report stored redirects
// to the confirmation (303, so reloading does not send it again); a
// refused one shows the form again as typed with what to fix: 422 for
// fields, 429 after too many reports, 404 for a comment readers cannot
// see.
func (h *Handler) postCommentReport(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	ctx := r.Context()
	id, err := commentIDParam(r)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if !h.parseForm(w, r, c, maxReportPost, "error.report.too_big", "error.report.bad_request") {
		return
	}
	form := &reportForm{Reason: r.PostFormValue("reason"), Explanation: r.PostFormValue("explanation"),
		URL: r.PostFormValue("url"), Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		GoodFaith: r.PostFormValue("good_faith") != ""}
	ip, port := h.clientAddr(r)
	_, err = h.Comments.Report(ctx, comments.NewReport{CommentID: id, Reason: comments.ReportReason(form.Reason),
		Explanation: form.Explanation, URL: form.URL, Name: form.Name, Email: form.Email, GoodFaith: form.GoodFaith,
		IP: ip, Port: port})
	if err == nil {
		http.Redirect(w, r, reportPath(id)+"?sent=1", http.StatusSeeOther) //nolint:gosec // G710: a path of this site built from a number
		return
	}
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.Invalid:
		form.Errors = fieldMessages(c, err)
		if msg, ok := form.Errors[""]; ok {
			form.Message = msg
			delete(form.Errors, "")
		}
	case apperr.Throttled:
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", "3600")
		form.Message = message(c, err)
	default:
		h.serveError(w, r, c, err)
		return
	}
	cm, t, err := h.Comments.Reportable(ctx, id)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	h.writeReportPage(w, r, c, status, cm, t, form)
}

// writeReportPage renders the form about cm, under t, never cached.
func (h *Handler) writeReportPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, cm *comments.Comment, t *comments.Target, form *reportForm) {
	title := c.p.T("comments.report.title")
	v := &reportView{pageView: h.newPage(r, c, title, "", ""), Action: reportPath(cm.ID),
		CommentHTML: template.HTML(cm.BodyHTML), //nolint:gosec // sanitized by textproc.RenderComment when posted
		CommentURL:  comments.ReportURL(t, cm.ID), ArticleTitle: c.typo(t.Title), Form: form,
		MinLen: comments.MinExplanationLen, MaxLen: comments.MaxExplanationLen}
	v.NoIndex = true
	at := cm.CreatedAt.In(c.loc)
	v.Byline = c.p.T("comments.report.comment_by", cm.AuthorName, c.p.T("comments.date_at", c.p.Date(at, locale.DateLong), c.p.Time(at)))
	for _, reason := range comments.ReportReasons() {
		v.Reasons = append(v.Reasons, reasonChoice{Value: string(reason), Label: c.p.T("comments.report.reason." + string(reason)),
			Help: c.p.T("comments.report.reason_help." + string(reason)), Checked: form.Reason == string(reason)})
	}
	// As render does for a *pageView; the template reads the embedded
	// page's fields through reportView.
	v.Head = v.headHTML()
	v.Menu = navHTML(v.Nav, v.Section, c.p.T("nav.home"), c.p.T("nav.archives"))
	buf := getBuffer()
	defer putBuffer(buf)
	if err := h.Views.Render(buf, c.l.Lang, "comment_report", v); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", web.CacheNoStore)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) //nolint:gosec // an html/template rendering
	}
}

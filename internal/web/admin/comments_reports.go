package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
)

// The readers' reports (DSA notice and action): open ones first, each
// with the comment, the category, the notifier's explanation, and the two
// decisions. Moderators only (access.ModerateComments); the service checks
// again.

// reportsSize is the length of a page of reports.
const reportsSize = 50

// reportsPath is the address of the reports page.
const reportsPath = "/admin/comments/reports"

type reportTab struct {
	// Status is empty for the tab listing every report.
	Status comments.ReportStatus
	Count  int
	URL    string
}

// reportRow is one report, ready to show.
type reportRow struct {
	*comments.Report
	// Text is the comment's text, sanitized when it was posted; empty
	// once the comment is erased.
	Text template.HTML
	ISO  string
	// Typed and Error are a refused decision's note, shown again with
	// its message.
	Typed, Error string
}

type reportsPage struct {
	basePage
	Status     comments.ReportStatus
	Tabs       []reportTab
	Reports    []reportRow
	Total      int
	Back       string
	Pagination pagination
	// Error is a refused decision's message when its report is not on
	// this page.
	Error string
}

// refusedDecision is a decision the service refused, shown again.
type refusedDecision struct {
	ID          int64
	Note, Error string
}

// showReports shows the reports, open ones first.
func (h *Handler) showReports(w http.ResponseWriter, r *http.Request, s *session) {
	h.showReportList(w, r, s, r.URL.RequestURI(), nil)
}

// showReportList shows the page of reports that back, its address,
// selects; with a refused decision next to its report, if any.
func (h *Handler) showReportList(w http.ResponseWriter, r *http.Request, s *session, back string, refused *refusedDecision) {
	at, err := url.Parse(back)
	if err != nil {
		at = &url.URL{Path: reportsPath}
	}
	q := at.Query()
	status := comments.ReportStatus(q.Get("status"))
	if !status.Valid() {
		status = ""
	}
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	list, err := h.Comments.Reports(r.Context(), s.actor, comments.ReportQuery{Status: status, Limit: reportsSize, Offset: (n - 1) * reportsSize})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	page := &reportsPage{basePage: h.base(r, s, p.T("admin.reports.title"), "comments"), Status: status, Total: list.Total, Back: back}
	code := http.StatusOK
	if refused != nil {
		code, page.Error = http.StatusUnprocessableEntity, refused.Error
	}
	for _, rep := range list.Reports {
		row := reportRow{Report: rep, ISO: rep.CreatedAt.UTC().Format(time.RFC3339)}
		if rep.Comment != nil {
			row.Text = template.HTML(rep.Comment.BodyHTML) //nolint:gosec // sanitized by textproc.RenderComment when posted
		}
		if refused != nil && refused.ID == rep.ID {
			row.Typed, row.Error, page.Error = refused.Note, refused.Error, ""
		}
		page.Reports = append(page.Reports, row)
	}
	all := 0
	for _, st := range comments.ReportStatuses() {
		all += list.Counts[st]
	}
	page.Tabs = append(page.Tabs, reportTab{Count: all, URL: reportsPath})
	for _, st := range comments.ReportStatuses() {
		page.Tabs = append(page.Tabs, reportTab{Status: st, Count: list.Counts[st], URL: reportsPath + "?status=" + string(st)})
	}
	page.Pagination = pageLinks(&http.Request{URL: at}, n, (list.Total+reportsSize-1)/reportsSize)
	h.render(w, r, code, "comments_reports", page)
}

// decideReport removes or keeps the comment of a report, as the button
// pressed says, with the moderator's note, and goes back to the list; a
// refused note is shown again under its report.
func (h *Handler) decideReport(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, s, errNotFound())
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	var remove bool
	switch r.PostFormValue("action") {
	case "remove":
		remove = true
	case "keep":
	default:
		h.fail(w, r, s, apperr.New(apperr.Invalid, "error.report.bad_decision"))
		return
	}
	note, back := r.PostFormValue("note"), reportsBack(r.PostFormValue("back"))
	_, err = h.Comments.Decide(r.Context(), s.actor, id, remove, note)
	if err == nil {
		redirect(w, r, back, "moderated")
		return
	}
	if !apperr.Is(err, apperr.Invalid) {
		h.fail(w, r, s, err)
		return
	}
	key, args := apperr.Message(err)
	h.showReportList(w, r, s, back, &refusedDecision{ID: id, Note: note, Error: h.printer().T(key, args...)})
}

// reportsBack returns back when it is an address of the reports page, the
// page itself otherwise.
func reportsBack(back string) string {
	if back != reportsPath && !strings.HasPrefix(back, reportsPath+"?") {
		return reportsPath
	}
	return safeNext(back)
}

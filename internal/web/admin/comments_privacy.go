package admin

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
)

// The commenters' personal data page answers a reader's GDPR request by
// the email they commented with: export everything as a JSON file, or
// erase it after a confirmation step. Administrators only
// (comments.PersonalData); the service checks again.

// commenterDataPage is the page in its three states: the form, the
// confirmation of an erasure (Confirm), and its report (Report).
type commenterDataPage struct {
	basePage
	Email   string
	Errors  formErrors
	Confirm *erasurePreview
	Report  *erasureView
}

// erasurePreview is what the confirmation step says will go.
type erasurePreview struct {
	Comments int
	// Titles are those of the articles the comments are under.
	Titles []string
}

// erasureView is an erasure's report, its date in the site's time zone.
type erasureView struct {
	comments.ErasureReport
	Until time.Time
}

func (h *Handler) renderCommenterData(w http.ResponseWriter, r *http.Request, s *session, status int, page *commenterDataPage) {
	page.basePage = h.base(r, s, h.printer().T("admin.commenters.title"), "comments")
	h.render(w, r, status, "comments_privacy", page)
}

// showCommenterData shows the form asking for the commenter's email.
func (h *Handler) showCommenterData(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderCommenterData(w, r, s, http.StatusOK, &commenterDataPage{})
}

// commenterRefused shows the form again with the reason next to the email
// (an address that is not one, or one nothing is stored for), or the
// error page for anything else.
func (h *Handler) commenterRefused(w http.ResponseWriter, r *http.Request, s *session, email string, err error) {
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.Invalid:
	case apperr.NotFound:
		status = http.StatusNotFound
	default:
		h.fail(w, r, s, err)
		return
	}
	key, args := apperr.Message(err)
	h.renderCommenterData(w, r, s, status, &commenterDataPage{Email: email, Errors: formErrors{"email": h.printer().T(key, args...)}})
}

// exportCommenterData downloads everything stored about a commenter as
// a JSON file (commenterExport).
func (h *Handler) exportCommenterData(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := r.PostFormValue("email")
	x, err := h.Comments.ExportPersonFile(r.Context(), s.actor, email)
	if err != nil {
		h.commenterRefused(w, r, s, email, err)
		return
	}
	body, err := json.MarshalIndent(exportFileOf(x), "", "  ")
	if err != nil {
		h.fail(w, r, s, fmt.Errorf("encode a commenter's export: %w", err))
		return
	}
	name := "commentaires-" + x.At.In(h.Settings.Get().Location()).Format(time.DateOnly) + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = w.Write(append(body, '\n'))
}

// confirmCommenterErasure shows what erasing a commenter's data will
// delete, with the button that does it. Nothing changes yet.
func (h *Handler) confirmCommenterErasure(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := r.PostFormValue("email")
	x, err := h.Comments.ExportPerson(r.Context(), s.actor, email)
	if err != nil {
		h.commenterRefused(w, r, s, email, err)
		return
	}
	preview := &erasurePreview{Comments: len(x.Comments)}
	seen := map[int64]bool{}
	for _, c := range x.Comments {
		if !seen[c.ArticleID] {
			seen[c.ArticleID] = true
			preview.Titles = append(preview.Titles, c.ArticleTitle)
		}
	}
	h.renderCommenterData(w, r, s, http.StatusOK, &commenterDataPage{Email: x.Person.Email, Confirm: preview})
}

// eraseCommenterData erases a commenter's data and reports what went and
// what the legal log keeps. The report is the answer to the POST: a
// reload asks again and is told nothing is left.
func (h *Handler) eraseCommenterData(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := r.PostFormValue("email")
	rep, err := h.Comments.ErasePerson(r.Context(), s.actor, email)
	if err != nil {
		h.commenterRefused(w, r, s, email, err)
		return
	}
	view := &erasureView{ErasureReport: rep}
	if until := rep.LogUntil(); !until.IsZero() {
		view.Until = until.In(h.Settings.Get().Location())
	}
	h.renderCommenterData(w, r, s, http.StatusOK, &commenterDataPage{Report: view})
}

// exportFormat names the layout of commenterExport and its version; a
// change that would break a program reading it bumps the version.
const exportFormat = "kiosque-commenter-export/1"

// commenterExport is the file a commenter's export downloads. Times are
// RFC 3339 in UTC; every list is present, empty when there is nothing.
type commenterExport struct {
	// Format is exportFormat.
	Format string `json:"format"`
	// ExportedAt is when the file was made.
	ExportedAt time.Time `json:"exported_at"`
	// Person is the commenter's record: one per email.
	Person exportedPerson `json:"person"`
	// Comments are all the person's comments whatever their status,
	// oldest first.
	Comments []exportedComment `json:"comments"`
	// ConnectionLog is the legal log of the person's operations: the
	// address and port each comment was posted from, kept one year
	// (décret 2021-1362), oldest first.
	ConnectionLog []exportedLogEntry `json:"connection_log"`
}

type exportedPerson struct {
	// ID is the record's number, which the legal log names.
	ID    int64  `json:"id"`
	Email string `json:"email"`
	// Name and URL are those of the latest comment.
	Name string `json:"name"`
	URL  string `json:"url"`
	// CreatedAt is the first comment's time, UpdatedAt the latest's.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type exportedComment struct {
	ID           int64  `json:"id"`
	ArticleID    int64  `json:"article_id"`
	ArticleTitle string `json:"article_title"`
	// InReplyTo is the id of the comment answered, null for a new thread.
	InReplyTo *int64    `json:"in_reply_to"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Name, Email and URL are as given with this comment.
	Name  string `json:"name"`
	Email string `json:"email"`
	URL   string `json:"url"`
	// Text is the comment as written.
	Text string `json:"text"`
	// Status is "pending", "approved", "spam" or "trash".
	Status string `json:"status"`
	// NotifyReplies tells whether the person asked for an email when
	// someone answers.
	NotifyReplies bool `json:"notify_replies"`
	// SpamScore is the spam filter's estimate (0 to 1) and SpamReasons
	// the codes of the rules that fired.
	SpamScore   float64  `json:"spam_score"`
	SpamReasons []string `json:"spam_reasons"`
	// IP is the address the comment was posted from, empty once the
	// legal log has let it go.
	IP string `json:"ip"`
}

type exportedLogEntry struct {
	CommentID int64 `json:"comment_id"`
	// Operation is "create", "modify" or "delete".
	Operation string    `json:"operation"`
	At        time.Time `json:"at"`
	IP        string    `json:"ip"`
	Port      int       `json:"port"`
}

// exportFileOf converts an export to its file.
func exportFileOf(x *comments.Export) commenterExport {
	p := x.Person
	out := commenterExport{Format: exportFormat, ExportedAt: x.At.UTC(),
		Person:   exportedPerson{ID: p.ID, Email: p.Email, Name: p.Name, URL: p.URL, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()},
		Comments: make([]exportedComment, 0, len(x.Comments)), ConnectionLog: make([]exportedLogEntry, 0, len(x.Log))}
	for _, c := range x.Comments {
		e := exportedComment{ID: c.ID, ArticleID: c.ArticleID, ArticleTitle: c.ArticleTitle, CreatedAt: c.CreatedAt.UTC(),
			UpdatedAt: c.UpdatedAt.UTC(), Name: c.AuthorName, Email: c.AuthorEmail, URL: c.AuthorURL, Text: c.Body,
			Status: string(c.Status), NotifyReplies: c.NotifyReplies, SpamScore: c.Score, SpamReasons: append([]string{}, c.Reasons...), IP: c.IP}
		if c.ParentID != 0 {
			parent := c.ParentID
			e.InReplyTo = &parent
		}
		out.Comments = append(out.Comments, e)
	}
	for _, l := range x.Log {
		out.ConnectionLog = append(out.ConnectionLog, exportedLogEntry{CommentID: l.CommentID, Operation: string(l.Operation),
			At: l.At.UTC(), IP: l.IP, Port: l.Port})
	}
	return out
}

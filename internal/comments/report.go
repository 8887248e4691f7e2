package comments

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/job"
)

// Notice and action (DSA art. 16 and 17). Comments make the newsroom a
// host: anyone may tell it that a comment is illegal, through a form that
// asks what the regulation lists (the substantiated reasons, the exact
// address, the notifier's name and email except for child sexual abuse,
// a statement of good faith). The notifier is sent an acknowledgement,
// the moderators a notice; a moderator then removes the comment or keeps
// it, and the notifier hears the decision. When the comment is removed,
// its author is sent a statement of reasons (art. 17) if their address is
// known. Every email is a job inserted in the transaction that stores the
// report or the decision.

// ReportReason is the category of illegality a notifier picks.
type ReportReason string

// The categories offered, as the French regulator's and the platforms'
// notice forms group offences.
const (
	// ReasonHate is illegal hate speech or incitement to violence or
	// discrimination.
	ReasonHate ReportReason = "hate"
	// ReasonDefamation is defamation or insult.
	ReasonDefamation ReportReason = "defamation"
	// ReasonHarassment is harassment or threats.
	ReasonHarassment ReportReason = "harassment"
	// ReasonChildAbuse is child sexual abuse material: the only category
	// whose notices may be anonymous (art. 16(2)(c)).
	ReasonChildAbuse ReportReason = "child_abuse"
	// ReasonTerrorism is terrorist content or its glorification.
	ReasonTerrorism ReportReason = "terrorism"
	// ReasonPrivacy is an invasion of privacy or a disclosure of personal
	// data.
	ReasonPrivacy ReportReason = "privacy"
	// ReasonIntellectualProperty is an infringement of copyright or of
	// another intellectual property right.
	ReasonIntellectualProperty ReportReason = "intellectual_property"
	// ReasonSpam is spam, a scam or fraud.
	ReasonSpam ReportReason = "spam"
	// ReasonOther is any other illegal content, which the explanation
	// names.
	ReasonOther ReportReason = "other"
)

// ReportReasons lists the categories in the order the form offers them.
func ReportReasons() []ReportReason {
	return []ReportReason{ReasonHate, ReasonDefamation, ReasonHarassment, ReasonChildAbuse, ReasonTerrorism,
		ReasonPrivacy, ReasonIntellectualProperty, ReasonSpam, ReasonOther}
}

// Valid reports whether r is a known category.
func (r ReportReason) Valid() bool {
	for _, x := range ReportReasons() {
		if r == x {
			return true
		}
	}
	return false
}

// Anonymous reports whether a notice of this category may leave out the
// notifier's name and email: DSA art. 16(2)(c) exempts the offences of
// Directive 2011/93/EU, child sexual abuse.
func (r ReportReason) Anonymous() bool { return r == ReasonChildAbuse }

// ReportStatus is where a report stands.
type ReportStatus string

// The statuses of a report.
const (
	// ReportOpen waits for a moderator's decision.
	ReportOpen ReportStatus = "open"
	// ReportRemoved: the comment was removed on this notice.
	ReportRemoved ReportStatus = "removed"
	// ReportKept: the comment was found lawful and stays.
	ReportKept ReportStatus = "kept"
)

// ReportStatuses lists the statuses, open first.
func ReportStatuses() []ReportStatus { return []ReportStatus{ReportOpen, ReportRemoved, ReportKept} }

// Valid reports whether s is a known status.
func (s ReportStatus) Valid() bool {
	return s == ReportOpen || s == ReportRemoved || s == ReportKept
}

// Report is a notice about one comment and, once taken, the decision on it.
type Report struct {
	ID int64
	// CommentID is the comment reported. It stays when the comment is
	// erased: the report is the record of a notice received and acted on.
	CommentID int64
	Reason    ReportReason
	// Explanation is the notifier's substantiated reasons.
	Explanation string
	// URL is the exact address of the comment, as the notifier gave it.
	URL string
	// Name and Email identify the notifier; both may be empty for an
	// anonymous notice (ReportReason.Anonymous).
	Name, Email string
	// GoodFaith is the notifier's statement that the notice is accurate
	// and complete.
	GoodFaith bool
	Status    ReportStatus
	// Note is the moderator's grounds for the decision, sent to the
	// notifier and, for a removal, to the comment's author.
	Note string
	// DecidedBy is the staff account that decided (0 while open, or once
	// the account is deleted), DecidedByName its name when listed.
	DecidedBy     int64
	DecidedByName string
	DecidedAt     time.Time
	CreatedAt     time.Time
	// IP and Port are where the notice came from, and Address and
	// Network their rate-limit keys (spam.RateKeys).
	IP               string
	Port             int
	Address, Network string

	// Comment is the comment reported, filled when reports are listed,
	// with ArticleTitle; nil once the comment is erased.
	Comment *Comment
}

// Limits of a report, in characters, and of the reports one client may
// send in spam.RateWindow.
const (
	MinExplanationLen = 20
	MaxExplanationLen = 5000
	MaxNoteLen        = 2000
	ReportsPerAddress = 10
	ReportsPerNetwork = 30
)

// NewReport is what a notifier sent through the form, with what the
// server knows of the request.
type NewReport struct {
	CommentID   int64
	Reason      ReportReason
	Explanation string
	URL         string
	Name, Email string
	GoodFaith   bool
	IP          string
	Port        int
}

// ReportQuery selects reports for the back office; an empty Status lists
// all, open ones first.
type ReportQuery struct {
	Status        ReportStatus
	Limit, Offset int
}

// ReportDecision is a moderator's decision on the open reports of a
// comment.
type ReportDecision struct {
	// Status is ReportRemoved or ReportKept.
	Status ReportStatus
	Note   string
	UserID int64
	At     time.Time
}

// ReportThen returns the jobs a new report calls for (emails), for the
// store to insert in the report's transaction.
type ReportThen func(r *Report) []job.Job

// DecisionThen returns the jobs a decision calls for, for the store to
// insert in the decision's transaction: decided are the reports just
// decided, c their comment as it was before (nil when it was erased).
type DecisionThen func(decided []*Report, c *Comment) []job.Job

// ReportMails writes the emails of notices and decisions, in the site's
// language; package app implements it with the message catalogue. Each
// returns a complete job.Email.
type ReportMails interface {
	// ReportReceived acknowledges r to its notifier (r.Email).
	ReportReceived(r *Report, c *Comment, t *Target) job.Email
	// ReportHeld tells the moderators that r waits for a decision.
	ReportHeld(to []string, r *Report, c *Comment, t *Target) job.Email
	// ReportDecided tells r's notifier the decision taken on it.
	ReportDecided(r *Report) job.Email
	// Statement is the statement of reasons (DSA art. 17) sent to the
	// author of c, removed on notice r: what was removed, the facts and
	// grounds, the category, and how to contest the decision.
	Statement(r *Report, c *Comment, t *Target) job.Email
}

// ReportQueue is a page of the reports, for moderators.
type ReportQueue struct {
	Reports []*Report
	Total   int
	// Counts is the number of reports in each status.
	Counts map[ReportStatus]int
}

// Reportable returns a comment readers may report and its article: an
// approved comment under a visible article. Anything else is NotFound,
// as for a comment that never existed.
func (s *Service) Reportable(ctx context.Context, id int64) (*Comment, *Target, error) {
	c, err := s.Store.Comment(ctx, id)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, nil, fmt.Errorf("reportable comment %d: %w", id, err)
	}
	if err != nil || c.Status != StatusApproved {
		return nil, nil, apperr.Wrap(err, apperr.NotFound, "error.report.no_comment")
	}
	t, err := s.Articles.CommentTarget(ctx, c.ArticleID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, nil, fmt.Errorf("reportable comment %d: %w", id, err)
	}
	if err != nil || !t.Visible {
		return nil, nil, apperr.Wrap(err, apperr.NotFound, "error.report.no_comment")
	}
	return c, t, nil
}

// ReportURL is the exact address of comment id under t, to prefill the
// form with.
func ReportURL(t *Target, id int64) string {
	return t.URL + "#comment-" + strconv.FormatInt(id, 10)
}

// Report stores a reader's notice about a comment, with the
// acknowledgement to the notifier (when they gave an email) and the
// notice to the moderators, in one transaction. What the notifier must
// fix comes back as apperr.Invalid errors naming the field; a comment
// readers cannot see is NotFound; too many reports from one address or
// network in spam.RateWindow are Throttled. Nothing is stored then.
func (s *Service) Report(ctx context.Context, in NewReport) (*Report, error) {
	now := s.Clock.Now()
	in.Name, in.Email, in.URL = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.URL)
	in.Explanation = strings.TrimSpace(strings.ReplaceAll(in.Explanation, "\r\n", "\n"))
	if err := validateReport(in); err != nil {
		return nil, err
	}
	c, t, err := s.Reportable(ctx, in.CommentID)
	if err != nil {
		return nil, err
	}
	address, network, err := spam.RateKeys(in.IP)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "error.report.bad_request")
	}
	fromAddress, fromNetwork, err := s.Store.RecentReports(ctx, address, network, now.Add(-spam.RateWindow))
	if err != nil {
		return nil, fmt.Errorf("report comment %d: %w", in.CommentID, err)
	}
	if fromAddress >= ReportsPerAddress || fromNetwork >= ReportsPerNetwork {
		return nil, apperr.New(apperr.Throttled, "error.report.too_many")
	}
	to, err := s.moderators(ctx)
	if err != nil {
		return nil, fmt.Errorf("report comment %d: %w", in.CommentID, err)
	}
	r := &Report{CommentID: in.CommentID, Reason: in.Reason, Explanation: in.Explanation, URL: in.URL, Name: in.Name,
		Email: in.Email, GoodFaith: in.GoodFaith, Status: ReportOpen, CreatedAt: now, IP: in.IP, Port: in.Port,
		Address: address, Network: network}
	if err := s.Store.CreateReport(ctx, r, s.onReport(c, t, to)); err != nil {
		return nil, fmt.Errorf("report comment %d: %w", in.CommentID, err)
	}
	return r, nil
}

// onReport is the Then of a new report: the acknowledgement, and the
// moderators' notice.
func (s *Service) onReport(c *Comment, t *Target, moderators []string) ReportThen {
	return func(r *Report) []job.Job {
		if s.ReportMails == nil {
			return nil
		}
		id := strconv.FormatInt(r.ID, 10)
		var jobs []job.Job
		if r.Email != "" {
			m := s.ReportMails.ReportReceived(r, c, t)
			m.MessageID = "comment-report-" + id + "-received"
			jobs = append(jobs, job.Job{Args: m, Unique: true})
		}
		if len(moderators) > 0 {
			m := s.ReportMails.ReportHeld(moderators, r, c, t)
			m.MessageID = "comment-report-" + id + "-held"
			jobs = append(jobs, job.Job{Args: m, Unique: true})
		}
		return jobs
	}
}

// validateReport checks the fields a notifier fills, and reports every
// one at fault.
func validateReport(in NewReport) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	if !in.Reason.Valid() {
		bad("reason", "error.report.reason_required")
	}
	switch n := utf8.RuneCountInString(in.Explanation); {
	case !utf8.ValidString(in.Explanation):
		bad("explanation", "error.report.bad_text")
	case n == 0:
		bad("explanation", "error.report.explanation_required")
	case n < MinExplanationLen:
		bad("explanation", "error.report.explanation_short", MinExplanationLen)
	case n > MaxExplanationLen:
		bad("explanation", "error.report.explanation_long", MaxExplanationLen)
	}
	switch {
	case in.URL == "":
		bad("url", "error.report.url_required")
	case !validSite(in.URL):
		bad("url", "error.report.bad_url")
	}
	anonymous := in.Reason.Anonymous()
	switch {
	case in.Name == "" && !anonymous:
		bad("name", "error.report.name_required")
	case utf8.RuneCountInString(in.Name) > MaxNameLen || !utf8.ValidString(in.Name):
		bad("name", "error.comment.name_too_long", MaxNameLen)
	}
	if in.Email != "" || !anonymous {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > MaxEmailLen {
			bad("email", "error.report.bad_email")
		}
	}
	if !in.GoodFaith {
		bad("good_faith", "error.report.good_faith_required")
	}
	return errors.Join(errs...)
}

// Reports returns the reports q selects, open ones first, for a moderator.
func (s *Service) Reports(ctx context.Context, actor access.Actor, q ReportQuery) (*ReportQueue, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	if q.Status != "" && !q.Status.Valid() {
		q.Status = ""
	}
	list, total, err := s.Store.ListReports(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	counts, err := s.Store.ReportCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return &ReportQueue{Reports: list, Total: total, Counts: counts}, nil
}

// OpenReports returns how many reports wait for a decision.
func (s *Service) OpenReports(ctx context.Context) (int, error) {
	counts, err := s.Store.ReportCounts(ctx)
	if err != nil {
		return 0, fmt.Errorf("count open reports: %w", err)
	}
	return counts[ReportOpen], nil
}

// Decide takes a moderator's decision on report id and on every other
// open report of the same comment: remove the comment (it goes to the
// trash as Moderate puts it there, logged as a deletion) or keep it. In
// the same transaction each notifier who gave an email is sent the
// decision, and for a removal the comment's author, when their address
// is known and they are not the newsroom, the statement of reasons. note
// is the moderator's grounds, at most MaxNoteLen characters (Invalid, in
// the field "note"). An unknown report is NotFound; one already decided
// is a Conflict, and nothing changes.
func (s *Service) Decide(ctx context.Context, actor access.Actor, id int64, remove bool, note string) ([]*Report, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	if utf8.RuneCountInString(note) > MaxNoteLen || !utf8.ValidString(note) {
		return nil, apperr.New(apperr.Invalid, "error.report.note_too_long", MaxNoteLen).InField("note")
	}
	r, err := s.Store.Report(ctx, id)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Wrap(err, apperr.NotFound, "error.report.unknown")
		}
		return nil, fmt.Errorf("decide report %d: %w", id, err)
	}
	if r.Status != ReportOpen {
		return nil, apperr.New(apperr.Conflict, "error.report.decided")
	}
	// The article, for the statement of reasons; read now, as the store
	// calls the Then inside its transaction. A comment erased since has
	// none, and no author to write to.
	var t *Target
	if c, err := s.Store.Comment(ctx, r.CommentID); err == nil {
		if t, err = s.Articles.CommentTarget(ctx, c.ArticleID); err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, fmt.Errorf("decide report %d: %w", id, err)
		}
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, fmt.Errorf("decide report %d: %w", id, err)
	}
	now := s.Clock.Now()
	d := ReportDecision{Status: ReportKept, Note: note, UserID: actor.UserID, At: now}
	if remove {
		d.Status = ReportRemoved
	}
	decided, err := s.Store.DecideReports(ctx, id, d,
		LogEntry{Operation: OpDelete, UserID: actor.UserID, IP: actor.IP, At: now}, s.onDecision(id, t))
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Wrap(err, apperr.NotFound, "error.report.unknown")
		}
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.report.decided")
		}
		return nil, fmt.Errorf("decide report %d: %w", id, err)
	}
	return decided, nil
}

// onDecision is the Then of a decision taken on report id: the decision
// to each notifier, and the statement of reasons to the author of a
// removed comment.
func (s *Service) onDecision(id int64, t *Target) DecisionThen {
	return func(decided []*Report, c *Comment) []job.Job {
		if s.ReportMails == nil {
			return nil
		}
		var jobs []job.Job
		var primary *Report
		for _, r := range decided {
			if r.ID == id {
				primary = r
			}
			if r.Email == "" {
				continue
			}
			m := s.ReportMails.ReportDecided(r)
			m.MessageID = "comment-report-" + strconv.FormatInt(r.ID, 10) + "-decided"
			jobs = append(jobs, job.Job{Args: m, Unique: true})
		}
		if primary == nil || primary.Status != ReportRemoved || c == nil || c.Staff() || c.AuthorEmail == "" {
			return jobs
		}
		under := t
		if under == nil {
			under = &Target{ID: c.ArticleID}
		}
		m := s.ReportMails.Statement(primary, c, under)
		m.MessageID = "comment-statement-" + strconv.FormatInt(c.ID, 10) + "-" + strconv.FormatInt(primary.ID, 10)
		return append(jobs, job.Job{Args: m, Unique: true})
	}
}

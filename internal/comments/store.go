package comments

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/job"
)

// Operation is what a legal log entry records being done to a comment.
type Operation string

// The operations the LCEN log keeps, as décret 2021-1362 lists them.
const (
	OpCreate Operation = "create"
	OpModify Operation = "modify"
	OpDelete Operation = "delete"
)

// LogEntry is one line of the legal log: who did what to which comment,
// from which address and port, and when. It is kept a year (LogRetention)
// even after the comment or its author is erased.
type LogEntry struct {
	CommentID int64
	Operation Operation
	// PersonID is the reader, UserID the staff member; one of them or
	// neither (a system job) is set.
	PersonID int64
	UserID   int64
	IP       string
	Port     int
	// Address and Network are the address's rate-limit keys
	// (spam.RateKeys), counted by RecentActivity.
	Address, Network string
	At               time.Time
}

// LogRetention is how long the legal log keeps an entry: one year from the
// operation (décret 2021-1362, art. 3 and 5).
const LogRetention = 365 * 24 * time.Hour

// Activity is what the store knows of recent comments that the spam
// scorer weighs.
type Activity struct {
	// SameText counts comments with the very same text since the time
	// asked, on any article.
	SameText int
	// FromAddress and FromNetwork count the comments posted from the same
	// address, and from its network block, since then.
	FromAddress, FromNetwork int
}

// Training is what a moderator's decision teaches the spam classifier
// about one comment: the counts to move, and the label and tokens to
// remember.
type Training struct {
	Label  spam.Label
	Tokens []string
	Change spam.Change
}

// Trainer tells what moving a comment teaches the classifier, false when
// nothing. The store calls it inside its transaction, with the comment as
// it stands there, so two moderators deciding at once cannot count twice.
type Trainer func(c *Comment) (Training, bool)

// Then returns the jobs a change to c calls for (notification emails),
// for the store to insert in the change's transaction.
type Then func(c *Comment) []job.Job

// Query selects comments for the moderation queue.
type Query struct {
	Status Status
	// Text matches the text, the author's name or email (in part,
	// ignoring case), or the exact address a comment came from.
	Text          string
	Limit, Offset int
}

// Store keeps comments. package storage implements it on SQLite and
// PostgreSQL; every write is one transaction with its legal log entry.
type Store interface {
	// CreateComment stores c, sets its ID, creates or updates the
	// commenter's person record (keyed by email) and records log, whose
	// CommentID it fills.
	// The jobs then returns for the stored comment (notifications) are
	// inserted in the same transaction.
	CreateComment(ctx context.Context, c *Comment, log LogEntry, then ...Then) error
	// Comment returns one comment, with its article's title and the
	// address it was posted from (while the log keeps it).
	Comment(ctx context.Context, id int64) (*Comment, error)
	// CommentByRemoteID returns the comment that came from the fediverse
	// with this ActivityPub id.
	CommentByRemoteID(ctx context.Context, remoteID string) (*Comment, error)
	// ArticleComments returns the approved comments of an article, and
	// those of also whatever their status (a reader's own comments awaiting
	// moderation), oldest first, with what a discussion shows: ids, author,
	// status, date and BodyHTML (not Body, scores nor training).
	ArticleComments(ctx context.Context, articleID int64, also []int64) ([]*Comment, error)
	// RecentComments returns the latest approved comments under articles
	// visible at now, newest first, at most limit: of the whole site when
	// articleID is 0, else of that article. ArticleTitle, ArticleSlug and
	// ArticlePublishedAt are filled.
	RecentComments(ctx context.Context, articleID int64, limit int, now time.Time) ([]*Comment, error)
	// ApprovedCount returns the number of approved comments of an article.
	ApprovedCount(ctx context.Context, articleID int64) (int, error)
	// KnownCommenter reports whether email already has an approved comment.
	KnownCommenter(ctx context.Context, email string) (bool, error)
	// RecentActivity counts the comments with this spam.Fingerprint since
	// sameSince, and those from these rate keys since since.
	RecentActivity(ctx context.Context, fingerprint string, sameSince time.Time, address, network string, since time.Time) (Activity, error)
	// SetStatus moves comments to status, with one log entry each (the
	// template log's CommentID is filled per comment), applies what train
	// (if not nil) says each comment, as read in the transaction, teaches
	// the classifier, and returns the comments as they were before.
	// The jobs then returns for each comment whose status changed (as it
	// was before) are inserted in the same transaction.
	SetStatus(ctx context.Context, ids []int64, status Status, log LogEntry, train Trainer, then ...Then) ([]*Comment, error)
	// StopReplies turns off reply notifications on every comment of email,
	// and returns how many comments asked for them.
	StopReplies(ctx context.Context, email string) (int, error)
	// Enqueue inserts jobs, in a transaction of their own.
	Enqueue(ctx context.Context, jobs []job.Job) error
	// UpdateComment changes comment id as upd says, with log (its
	// CommentID filled), in one transaction; when upd sets the status it
	// applies what train (if not nil) says the comment, as it stands after
	// the change, teaches the classifier. The comment's UpdatedAt becomes
	// log.At, and the comment as stored is returned. It returns an
	// apperr.NotFound error for an unknown id, and apperr.Conflict when the
	// comment's UpdatedAt is not upd.Seen (it changed meanwhile). When
	// the status changes, the jobs then returns for the comment as it was
	// before are inserted in the same transaction.
	UpdateComment(ctx context.Context, id int64, upd CommentUpdate, log LogEntry, train Trainer, then ...Then) (*Comment, error)
	// ListComments returns a page of the moderation queue, newest first,
	// and the number of comments q selects.
	ListComments(ctx context.Context, q Query) ([]*Comment, int, error)
	// StatusCounts returns the number of comments in each status.
	StatusCounts(ctx context.Context) (map[Status]int, error)
	// PurgeLog deletes the log entries made before before, and returns how
	// many went; it also forgets the addresses reports came from before
	// then.
	PurgeLog(ctx context.Context, before time.Time) (int64, error)
	// SpamCounts returns the classifier's totals and the counts of those
	// of tokens it has seen.
	SpamCounts(ctx context.Context, tokens []string) (spam.Totals, map[string]spam.Count, error)
	// Train applies a classifier change, in one transaction.
	Train(ctx context.Context, change spam.Change) error
	// PersonData returns everything stored about the person of email
	// (lower-cased), as PersonData describes it. It returns an
	// apperr.NotFound error when no person has that email.
	PersonData(ctx context.Context, email string) (*PersonData, error)
	// ErasePerson deletes every comment of the person of email
	// (lower-cased), whatever its status, and blanks the person's email,
	// name and URL, in one transaction: one log entry per comment (log is
	// the template, its CommentID filled), and the entry audit (if not nil)
	// makes of the report. The legal log's entries are kept, and replies
	// of others to the deleted comments become top-level. It returns an
	// apperr.NotFound error when no person has that email.
	ErasePerson(ctx context.Context, email string, log LogEntry, audit EraseAudit) (ErasureReport, error)

	// Notices and decisions (report.go).

	// CreateReport stores r and sets its ID. The jobs then returns for
	// the stored report are inserted in the same transaction.
	CreateReport(ctx context.Context, r *Report, then ...ReportThen) error
	// Report returns one report, without its Comment. It returns an
	// apperr.NotFound error for an unknown id.
	Report(ctx context.Context, id int64) (*Report, error)
	// ListReports returns a page of the reports q selects, open ones
	// first, then newest first, each with its Comment (ArticleTitle
	// filled) while the comment exists, and the number q selects.
	ListReports(ctx context.Context, q ReportQuery) ([]*Report, int, error)
	// ReportCounts returns the number of reports in each status.
	ReportCounts(ctx context.Context) (map[ReportStatus]int, error)
	// RecentReports counts the reports sent from these rate keys since
	// since.
	RecentReports(ctx context.Context, address, network string, since time.Time) (fromAddress, fromNetwork int, err error)
	// DecideReports records d on report id and on every other open
	// report of its comment, in one transaction, and returns the reports
	// decided. When d.Status is ReportRemoved the comment, if it still
	// exists, moves to the trash as SetStatus moves it, with log (its
	// CommentID filled). The jobs then returns for the decided reports
	// and the comment as it was before (nil once erased) are inserted in
	// the same transaction. It returns an apperr.NotFound error for an
	// unknown id, and apperr.Conflict when the report is no longer open.
	DecideReports(ctx context.Context, id int64, d ReportDecision, log LogEntry, then ...DecisionThen) ([]*Report, error)
}

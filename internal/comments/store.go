package comments

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/comments/spam"
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
	CreateComment(ctx context.Context, c *Comment, log LogEntry) error
	// Comment returns one comment.
	Comment(ctx context.Context, id int64) (*Comment, error)
	// ArticleComments returns the approved comments of an article, and
	// those of also whatever their status (a reader's own comments awaiting
	// moderation), oldest first.
	ArticleComments(ctx context.Context, articleID int64, also []int64) ([]*Comment, error)
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
	SetStatus(ctx context.Context, ids []int64, status Status, log LogEntry, train Trainer) ([]*Comment, error)
	// ListComments returns a page of the moderation queue, newest first,
	// and the number of comments q selects.
	ListComments(ctx context.Context, q Query) ([]*Comment, int, error)
	// StatusCounts returns the number of comments in each status.
	StatusCounts(ctx context.Context) (map[Status]int, error)
	// PurgeLog deletes the log entries made before before, and returns how
	// many went.
	PurgeLog(ctx context.Context, before time.Time) (int64, error)
	// SpamCounts returns the classifier's totals and the counts of those
	// of tokens it has seen.
	SpamCounts(ctx context.Context, tokens []string) (spam.Totals, map[string]spam.Count, error)
	// Train applies a classifier change, in one transaction.
	Train(ctx context.Context, change spam.Change) error
}

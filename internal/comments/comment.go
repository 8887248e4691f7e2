// Package comments is the readers' discussion under articles: comments and
// their threads, the moderation states a comment goes through, the policy
// that decides where a new comment lands, and the legal log of who posted
// what from where. It knows neither HTTP nor SQL: the web layer calls its
// Service, which stores through the Store interface declared here.
package comments

import (
	"time"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

// Status is where a comment stands in moderation.
type Status string

// The statuses, as WordPress and its importers name them.
const (
	// StatusPending waits in the moderation queue; only its author sees
	// it, marked as awaiting moderation.
	StatusPending Status = "pending"
	// StatusApproved shows under the article.
	StatusApproved Status = "approved"
	// StatusSpam is kept in the spam folder, out of sight, until a
	// moderator empties it: spam is never deleted silently.
	StatusSpam Status = "spam"
	// StatusTrash was removed by a moderator; it can be restored until the
	// trash is emptied.
	StatusTrash Status = "trash"
)

// Statuses lists every status, in the order of the moderation queue's tabs.
func Statuses() []Status {
	return []Status{StatusPending, StatusApproved, StatusSpam, StatusTrash}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusPending, StatusApproved, StatusSpam, StatusTrash:
		return true
	}
	return false
}

// Comment is one reader's (or the newsroom's) message under an article.
type Comment struct {
	ID        int64
	ArticleID int64
	// ParentID is the comment this one answers, 0 for a top-level one.
	ParentID int64
	// PersonID is the commenter's record among people (one per email),
	// 0 for a reply written by the newsroom from the back office.
	PersonID int64
	// UserID is the staff account that wrote a newsroom reply, else 0.
	UserID int64

	AuthorName string
	// AuthorEmail is never shown; it links the comment to its author for
	// notifications, the "first comment" rule and GDPR requests.
	AuthorEmail string
	// AuthorURL is the optional website the name links to.
	AuthorURL string
	// RemoteID is the ActivityPub id of a reply that came from the
	// fediverse, "" for the site's own.
	RemoteID string

	// Body is the text as written (Markdown subset); BodyHTML its safe
	// rendering, made when the comment is saved.
	Body     string
	BodyHTML string

	Status Status
	// Score is the spam scorer's estimate, 0 (clean) to 1 (sure spam),
	// and Reasons the codes of the rules that fired, kept for moderators.
	Score   float64
	Reasons []string
	// NotifyReplies asks for an email when someone answers.
	NotifyReplies bool

	CreatedAt time.Time
	UpdatedAt time.Time

	// Trained is what the spam classifier learnt from this comment, and
	// TrainedTokens from which tokens, so a reversed decision moves
	// exactly those counts.
	Trained       spam.Label
	TrainedTokens []string

	// Filled for the moderation queue: the article's title, and the
	// address the comment was posted from (from the legal log, while it
	// keeps it).
	ArticleTitle string
	IP           string
	// ArticleSlug and ArticlePublishedAt locate the article (feeds).
	ArticleSlug        string
	ArticlePublishedAt time.Time

	// Filled when a thread is read for display.

	// Number is the comment's rank among the approved comments of its
	// article, by date: #1 is the oldest. It never changes as replies
	// come, so readers can refer to "#3".
	Number int
	// Depth is 0 for a top-level comment, 1 for a reply, and so on.
	Depth int
	// Replies are the approved answers to this comment, oldest first.
	Replies []*Comment
}

// Staff reports whether the newsroom wrote the comment from the back office.
func (c *Comment) Staff() bool { return c.UserID != 0 }

// DefaultMaxDepth is how deep replies nest unless the policy says
// otherwise, as the issue asks (WordPress's default is 5).
const DefaultMaxDepth = 3

// Thread arranges the approved comments of one article for display: the
// top-level ones oldest first, each followed by its replies. Numbers go by
// date over the whole article. A reply deeper than maxDepth hangs at
// maxDepth, under the deepest ancestor allowed, as WordPress does when the
// depth setting is lowered; a reply whose parent is not shown (pending,
// removed, or newer than the reply) becomes top-level rather than
// disappear.
func Thread(approved []*Comment, maxDepth int) []*Comment {
	if maxDepth < 1 {
		maxDepth = 1
	}
	byID := make(map[int64]*Comment, len(approved))
	for _, c := range approved {
		c.Replies, c.Depth, c.Number = nil, 0, 0
		byID[c.ID] = c
	}
	ordered := sortedByDate(approved)
	placed := make(map[int64]bool, len(ordered))
	var top []*Comment
	for i, c := range ordered {
		c.Number = i + 1
		placed[c.ID] = true
		parent := byID[c.ParentID]
		// A parent not placed yet is newer than its reply (an import
		// gone wrong): the reply stands alone rather than loop.
		if c.ParentID == 0 || parent == nil || !placed[parent.ID] || parent == c {
			top = append(top, c)
			continue
		}
		// Parents are earlier, so their depth is already known; climb
		// while hanging here would pass the limit.
		for parent.Depth+1 >= maxDepth && byID[parent.ParentID] != nil && parent.Depth > 0 {
			parent = byID[parent.ParentID]
		}
		if parent.Depth+1 >= maxDepth { // a flat discussion
			top = append(top, c)
			continue
		}
		c.Depth = parent.Depth + 1
		parent.Replies = append(parent.Replies, c)
	}
	return top
}

// Walk calls fn for every comment of a thread in display order.
func Walk(thread []*Comment, fn func(*Comment)) {
	for _, c := range thread {
		fn(c)
		Walk(c.Replies, fn)
	}
}

// sortedByDate returns the comments oldest first, by id when two share a
// time, without changing the caller's slice.
func sortedByDate(list []*Comment) []*Comment {
	out := make([]*Comment, len(list))
	copy(out, list)
	// Insertion sort: comments come from the store already in order, so
	// this is one pass; it stays correct if they do not.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && before(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func before(a, b *Comment) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.Before(b.CreatedAt)
	}
	return a.ID < b.ID
}

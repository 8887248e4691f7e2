package comments

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/settings"
)

// Discussion is what readers see of an article's comments.
type Discussion struct {
	// Count is the number of approved comments: the "N commentaires".
	Count int
	// Thread is the approved comments, threaded and numbered, with the
	// reader's own comments awaiting moderation placed where they will
	// appear (unnumbered, Status not approved).
	Thread []*Comment
	// Open reports whether new comments are accepted.
	Open bool
	// MaxDepth is the policy's nesting depth: comments at a depth below
	// MaxDepth-1 get a "reply" link.
	MaxDepth int
	// Own reports whether Thread holds a comment only its author may see:
	// such a page is theirs alone and must never be cached.
	Own bool
}

// CanReply reports whether a reply to c nests under it.
func (d *Discussion) CanReply(c *Comment) bool {
	return d.Open && c.Status == StatusApproved && c.Depth < d.MaxDepth-1
}

// Discussion returns the comments readers see under t, and those of own
// (the ids a reader's signed cookie lists) that still wait for a
// moderator: the commenter sees their comment "awaiting moderation", as
// in WordPress. Ids of other articles, or of comments removed since, are
// ignored.
func (s *Service) Discussion(ctx context.Context, t Target, own []int64) (*Discussion, error) {
	st := s.Settings()
	list, err := s.Store.ArticleComments(ctx, t.ID, own)
	if err != nil {
		return nil, fmt.Errorf("discussion of article %d: %w", t.ID, err)
	}
	d := &Discussion{Open: !Closed(st.CommentPolicy, t.Open, t.PublishedAt, s.Clock.Now()), MaxDepth: maxDepth(st)}
	approved := list[:0:0]
	var waiting []*Comment
	for _, c := range list {
		switch c.Status {
		case StatusApproved:
			approved = append(approved, c)
		case StatusPending, StatusSpam:
			// A comment the filters sent to spam is shown to its author
			// as waiting too: a moderator may yet rescue it, and telling
			// a spammer nothing costs nothing.
			waiting = append(waiting, c)
		}
	}
	d.Count = len(approved)
	d.Thread = Thread(approved, d.MaxDepth)
	if len(waiting) > 0 {
		d.Own = true
		d.Thread = placeWaiting(d.Thread, waiting, d.MaxDepth)
	}
	return d, nil
}

// maxDepth is the policy's nesting depth, DefaultMaxDepth when unset.
func maxDepth(st *settings.Site) int {
	if d := st.CommentPolicy.MaxDepth; d > 0 {
		return d
	}
	return DefaultMaxDepth
}

// placeWaiting puts a reader's comments awaiting moderation where they
// would appear once approved: under their parent when it is shown and
// deep enough room is left, at the end of the thread otherwise.
func placeWaiting(thread, waiting []*Comment, maxDepth int) []*Comment {
	shown := make(map[int64]*Comment)
	Walk(thread, func(c *Comment) { shown[c.ID] = c })
	for _, c := range sortedByDate(waiting) {
		c.Number, c.Replies, c.Depth = 0, nil, 0
		if p := shown[c.ParentID]; c.ParentID != 0 && p != nil && p.Depth+1 < maxDepth {
			c.Depth = p.Depth + 1
			p.Replies = append(p.Replies, c)
			continue
		}
		thread = append(thread, c)
	}
	return thread
}

// Recent returns the latest approved comments, newest first: of the whole
// site when articleID is 0 (the comments feed), or of one article.
func (s *Service) Recent(ctx context.Context, articleID int64, limit int) ([]*Comment, error) {
	list, err := s.Store.RecentComments(ctx, articleID, limit, s.Clock.Now())
	if err != nil {
		return nil, fmt.Errorf("recent comments: %w", err)
	}
	return list, nil
}

// OwnLifetime is how long a reader's browser remembers the comments it
// posted, to show them while they wait for a moderator.
const OwnLifetime = 30 * 24 * time.Hour

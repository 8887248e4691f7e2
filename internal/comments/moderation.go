package comments

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Queue is a page of the moderation queue.
type Queue struct {
	Comments []*Comment
	Total    int
	// Counts is the number of comments in each status, for the tabs.
	Counts map[Status]int
}

// MaxModerated bounds the comments one bulk action moves.
const MaxModerated = 200

// Queue returns the comments q selects, for a moderator.
func (s *Service) Queue(ctx context.Context, actor access.Actor, q Query) (*Queue, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	list, total, err := s.Store.ListComments(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	counts, err := s.Store.StatusCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	return &Queue{Comments: list, Total: total, Counts: counts}, nil
}

// PendingCount returns how many comments wait for a moderator.
func (s *Service) PendingCount(ctx context.Context) (int, error) {
	counts, err := s.Store.StatusCounts(ctx)
	if err != nil {
		return 0, fmt.Errorf("count pending comments: %w", err)
	}
	return counts[StatusPending], nil
}

// labelFor is what moving a comment to status teaches the classifier: an
// approved comment is legitimate, a comment marked spam is spam; pending
// and trash teach nothing (a removed comment may be rude, not spam).
func labelFor(status Status) (spam.Label, bool) {
	switch status {
	case StatusApproved:
		return spam.LabelHam, true
	case StatusSpam:
		return spam.LabelSpam, true
	}
	return spam.LabelNone, false
}

// Moderate moves comments to status: approve, hold, mark as spam (which
// trains the classifier; approving trains it the other way, and a
// reversed decision moves the counts), or trash. Each move is logged with
// the moderator and address, in one transaction.
func (s *Service) Moderate(ctx context.Context, actor access.Actor, ids []int64, status Status) error {
	if !actor.Can(access.ModerateComments) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	if !status.Valid() || len(ids) == 0 || len(ids) > MaxModerated {
		return apperr.New(apperr.Invalid, "error.comment.bad_moderation")
	}
	_, err := s.Store.SetStatus(ctx, ids, status, LogEntry{Operation: opFor(status), UserID: actor.UserID, IP: actor.IP,
		At: s.Clock.Now()}, s.trainer(status), thenFor(status), s.akismetThen(status))
	if err != nil {
		return fmt.Errorf("moderate comments: %w", err)
	}
	return nil
}

// trainer is what moving a comment to status teaches the classifier, nil
// when nothing (see labelFor).
func (s *Service) trainer(status Status) Trainer {
	to, ok := labelFor(status)
	if !ok {
		return nil
	}
	style := s.Settings().Style()
	return func(c *Comment) (Training, bool) {
		if c.Trained == to {
			return Training{}, false
		}
		tokens := c.TrainedTokens
		if c.Trained == spam.LabelNone {
			tokens = spam.Tokens(c.Body, linksOf(c, style))
		}
		return Training{Label: to, Tokens: tokens, Change: spam.Retrain(tokens, c.Trained, to)}, true
	}
}

// thenFor is what a move to status notifies.
func thenFor(status Status) Then {
	switch status {
	case StatusApproved:
		return notifyOnApprove
	case StatusTrash:
		return notifyOnRemove
	}
	return nil
}

// opFor names a status change in the legal log: removing a comment from
// view is a deletion, anything else a modification.
func opFor(status Status) Operation {
	if status == StatusTrash || status == StatusSpam {
		return OpDelete
	}
	return OpModify
}

// linksOf returns the addresses a comment links to, as the renderer
// finds them when it is posted, and its author's site: the links the
// classifier saw when it scored the comment.
func linksOf(c *Comment, style textproc.Style) []string {
	var links []string
	if text, err := textproc.RenderComment(c.Body, style); err == nil {
		links = text.Links
	}
	if c.AuthorURL != "" {
		links = append(links, c.AuthorURL)
	}
	return links
}

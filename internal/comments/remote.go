package comments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/textproc"
)

// RemoteReply is a reply to an article that came from the fediverse: a
// Mastodon user answered the publication's post.
type RemoteReply struct {
	ArticleID int64
	// ParentID is the comment it answers, 0 for the article itself.
	ParentID int64
	// RemoteID is the reply's ActivityPub id: a second delivery of the
	// same reply is recognised by it.
	RemoteID string
	// AuthorName is shown as the commenter's name ("Alice
	// (@alice@mastodon.example)"), AuthorURL links to their profile.
	AuthorName, AuthorURL string
	// Text is the reply in the comments' Markdown subset.
	Text      string
	CreatedAt time.Time
}

// ReceiveRemote puts a reply from the fediverse in the moderation queue,
// whatever the site's moderation rule: its author never accepted the
// site's charter, and the site cannot write back to say it was refused. A
// reply received before (same RemoteID) is given back with created false.
// A closed discussion, an article the public cannot read or an empty text
// is refused with an apperr error.
func (s *Service) ReceiveRemote(ctx context.Context, r RemoteReply) (*Comment, bool, error) {
	if old, err := s.Store.CommentByRemoteID(ctx, r.RemoteID); err == nil {
		return old, false, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, false, fmt.Errorf("receive reply %s: %w", r.RemoteID, err)
	}
	now := s.Clock.Now()
	st := s.Settings()
	policy := st.CommentPolicy
	t, err := s.Articles.CommentTarget(ctx, r.ArticleID)
	if err != nil || !t.Visible {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return nil, false, apperr.New(apperr.NotFound, "error.comment.no_article")
		}
		return nil, false, fmt.Errorf("receive reply %s: %w", r.RemoteID, err)
	}
	if Closed(policy, t.Open, t.PublishedAt, now) {
		return nil, false, apperr.New(apperr.Forbidden, "error.comment.closed")
	}
	r.Text = strings.TrimSpace(r.Text)
	if err := spam.CheckLength(r.Text, Rules(policy)); errors.Is(err, spam.ErrEmpty) {
		return nil, false, apperr.New(apperr.Invalid, "error.comment.empty")
	} else if errors.Is(err, spam.ErrTooLong) {
		return nil, false, apperr.New(apperr.Invalid, "error.comment.too_long", policy.MaxLength)
	}
	text, err := textproc.RenderComment(r.Text, st.Style())
	if err != nil {
		return nil, false, apperr.Wrap(err, apperr.Invalid, "error.comment.empty")
	}
	name := strings.TrimSpace(r.AuthorName)
	if utf8.RuneCountInString(name) > MaxNameLen {
		name = string([]rune(name)[:MaxNameLen])
	}
	if r.ParentID != 0 {
		if p, err := s.Store.Comment(ctx, r.ParentID); err != nil || p.ArticleID != r.ArticleID {
			r.ParentID = 0
		}
	}
	created := r.CreatedAt
	if created.IsZero() || created.After(now) {
		created = now
	}
	c := &Comment{ArticleID: r.ArticleID, ParentID: r.ParentID, AuthorName: name, AuthorURL: r.AuthorURL,
		RemoteID: r.RemoteID, Body: r.Text, BodyHTML: text.HTML, Status: StatusPending, CreatedAt: created}
	err = s.Store.CreateComment(ctx, c, LogEntry{Operation: OpCreate, At: now}, s.notifyOnCreate(policy.Notify))
	if apperr.Is(err, apperr.Conflict) {
		// The same reply, delivered twice at once.
		if old, err := s.Store.CommentByRemoteID(ctx, r.RemoteID); err == nil {
			return old, false, nil
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("receive reply %s: %w", r.RemoteID, err)
	}
	return c, true, nil
}

// WithdrawRemote moves the reply with this ActivityPub id to the trash:
// its author deleted it on their server. It reports whether there was one.
func (s *Service) WithdrawRemote(ctx context.Context, remoteID string) (bool, error) {
	c, err := s.Store.CommentByRemoteID(ctx, remoteID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("withdraw reply %s: %w", remoteID, err)
	}
	if c.Status == StatusTrash {
		return true, nil
	}
	_, err = s.Store.SetStatus(ctx, []int64{c.ID}, StatusTrash, LogEntry{Operation: OpDelete, At: s.Clock.Now()}, nil)
	if err != nil {
		return false, fmt.Errorf("withdraw reply %s: %w", remoteID, err)
	}
	return true, nil
}

// RemoteComment returns the comment that came from the fediverse with
// this ActivityPub id.
func (s *Service) RemoteComment(ctx context.Context, remoteID string) (*Comment, error) {
	return s.Store.CommentByRemoteID(ctx, remoteID)
}

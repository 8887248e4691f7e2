package comments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/textproc"
)

// CommentUpdate lists what changes in a comment; nil fields stay as they
// are. Body and BodyHTML go together.
type CommentUpdate struct {
	AuthorName  *string
	AuthorEmail *string
	AuthorURL   *string
	Body        *string
	BodyHTML    *string
	Status      *Status
	// Seen is the comment's UpdatedAt when the moderator opened it: a
	// comment changed since is not overwritten.
	Seen time.Time
}

// CommentEdit is what a moderator changes in a comment from the back
// office: the author's name, email and website, the text, and the status
// when Status is set to another one (which then trains the classifier, as
// Moderate does).
type CommentEdit struct {
	Name, Email, URL, Text string
	Status                 *Status
	// Seen is the comment's UpdatedAt when the form was shown.
	Seen time.Time
}

// Comment returns one comment, for a moderator.
func (s *Service) Comment(ctx context.Context, actor access.Actor, id int64) (*Comment, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	c, err := s.Store.Comment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("comment %d: %w", id, err)
	}
	return c, nil
}

// Edit changes a comment as a moderator asks, checked as a reader's post
// is (without the consent box, which is the reader's to tick), its text
// rendered again. Its id, date, and so its number under the article, stay.
// The change is logged with the moderator and address; an edit made on a
// version older than the stored one is refused with apperr.Conflict.
func (s *Service) Edit(ctx context.Context, actor access.Actor, id int64, e CommentEdit) (*Comment, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	before, err := s.Store.Comment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("edit comment: %w", err)
	}
	st := s.Settings()
	in := NewComment{Name: strings.TrimSpace(e.Name), Email: strings.ToLower(strings.TrimSpace(e.Email)),
		URL: strings.TrimSpace(e.URL), Text: strings.TrimSpace(strings.ReplaceAll(e.Text, "\r\n", "\n")), Consent: true}
	err = validate(in, Rules(st.CommentPolicy))
	if e.Status != nil && !e.Status.Valid() {
		err = errors.Join(err, apperr.New(apperr.Invalid, "error.comment.bad_status").InField("status"))
	}
	if err != nil {
		return nil, err
	}
	text, err := textproc.RenderComment(in.Text, st.Style())
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return nil, ae.InField("text")
		}
		return nil, fmt.Errorf("edit comment: %w", err)
	}

	upd := CommentUpdate{AuthorName: &in.Name, AuthorEmail: &in.Email, AuthorURL: &in.URL, Body: &in.Text,
		BodyHTML: &text.HTML, Seen: e.Seen}
	op, train, then := OpModify, Trainer(nil), Then(nil)
	// Only a new status is a moderation decision: the form always sends
	// one, and keeping a comment where it is teaches the classifier
	// nothing. before is the version edited, or Seen refuses the edit.
	if e.Status != nil && *e.Status != before.Status {
		upd.Status = e.Status
		op, train, then = opFor(*e.Status), s.trainer(*e.Status), thenFor(*e.Status)
	}
	// The stored time is the version the next form checks against: it
	// must move even when the clock has not (a frozen test clock, two
	// edits in one microsecond, the precision both databases keep).
	at := s.Clock.Now().Truncate(time.Microsecond)
	if !at.After(e.Seen) {
		at = e.Seen.Truncate(time.Microsecond).Add(time.Microsecond)
	}
	c, err := s.Store.UpdateComment(ctx, id, upd, LogEntry{Operation: op, UserID: actor.UserID, IP: actor.IP, At: at}, train, then)
	if err != nil {
		return nil, fmt.Errorf("edit comment %d: %w", id, err)
	}
	return c, nil
}

// Reply publishes the newsroom's answer to a comment, written by actor
// from the back office: signed with the account's name, approved at once,
// under the same article. Answering a comment that waits for moderation
// approves it first, as WordPress's "Approve and Reply" does; answering
// one in the spam folder or the trash is refused.
func (s *Service) Reply(ctx context.Context, actor access.Actor, parentID int64, text string) (*Comment, error) {
	if !actor.Can(access.ModerateComments) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	parent, err := s.Store.Comment(ctx, parentID)
	if err != nil {
		return nil, fmt.Errorf("reply to comment %d: %w", parentID, err)
	}
	if parent.Status != StatusApproved && parent.Status != StatusPending {
		return nil, apperr.New(apperr.Invalid, "error.comment.reply_removed")
	}
	st := s.Settings()
	in := NewComment{Name: strings.TrimSpace(actor.Name), Email: strings.ToLower(strings.TrimSpace(actor.Email)),
		Text: strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")), Consent: true}
	if err := validate(in, Rules(st.CommentPolicy)); err != nil {
		return nil, err
	}
	rendered, err := textproc.RenderComment(in.Text, st.Style())
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return nil, ae.InField("text")
		}
		return nil, fmt.Errorf("reply to comment %d: %w", parentID, err)
	}
	if parent.Status == StatusPending {
		if err := s.Moderate(ctx, actor, []int64{parent.ID}, StatusApproved); err != nil {
			return nil, fmt.Errorf("reply to comment %d: %w", parentID, err)
		}
	}
	now := s.Clock.Now()
	c := &Comment{ArticleID: parent.ArticleID, ParentID: parent.ID, UserID: actor.UserID, AuthorName: in.Name,
		AuthorEmail: in.Email, Body: in.Text, BodyHTML: rendered.HTML, Status: StatusApproved, CreatedAt: now}
	// The log keeps the moderator's address, but not as rate-limit keys:
	// the newsroom's replies must neither be throttled nor count against
	// readers who share its network.
	if err := s.Store.CreateComment(ctx, c, LogEntry{Operation: OpCreate, UserID: actor.UserID, IP: actor.IP, At: now},
		s.notifyOnCreate(st.CommentPolicy.Notify)); err != nil {
		return nil, fmt.Errorf("reply to comment %d: %w", parentID, err)
	}
	return c, nil
}

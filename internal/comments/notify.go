package comments

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/settings"
)

// Notifications: moderators hear of comments waiting for them (at once,
// or in a daily digest, as the policy says), and a commenter who asked
// hears of replies to their comment. The decision to notify is a
// NotifyArgs job inserted in the transaction that stores or approves the
// comment; the job's worker (Notify) reads the comment as it is then and
// enqueues the emails, each its own retried job.

// The events a NotifyArgs job reports.
const (
	// EventHeld: a new comment waits for a moderator.
	EventHeld = "held"
	// EventPublished: a reply became visible to readers.
	EventPublished = "published"
	// EventRemoved: a moderator took down a published comment; its author
	// gets a statement of reasons (DSA art. 17).
	EventRemoved = "removed"
)

// NotifyArgs asks for the notifications of one event of one comment.
type NotifyArgs struct {
	CommentID int64  `json:"comment_id"`
	Event     string `json:"event"`
}

// Kind names the worker that runs Notify.
func (NotifyArgs) Kind() string { return "comments.notify" }

// DigestArgs asks for the moderators' daily digest.
type DigestArgs struct{}

// Kind names the worker that runs Digest.
func (DigestArgs) Kind() string { return "comments.digest" }

// Mails writes the notification emails, in the site's language; package
// app implements it with the message catalogue. Each returns a complete
// job.Email (recipients, subject, text, headers).
type Mails interface {
	// Held tells moderators that c waits under t.
	Held(to []string, c *Comment, t *Target) job.Email
	// Digest lists the comments that came to the queue in the last day;
	// pending is the length of the whole queue.
	Digest(to []string, held []*Comment, pending int) job.Email
	// Reply tells the author of parent that reply answers them; stop is
	// the path (with query) of the signed one-click unsubscribe link.
	Reply(reply, parent *Comment, t *Target, stop string) job.Email
	// Removed is the statement of reasons (DSA art. 17) to the author of
	// c, a published comment a moderator removed for breaking the
	// comment policy (removals on a notice use ReportMails.Statement).
	Removed(c *Comment, t *Target) job.Email
}

// DigestWindow is the period a daily digest covers.
const DigestWindow = 24 * time.Hour

// notifyOnCreate is the Then of a new reader's comment: held, it may
// tell the moderators at once; published as a reply, it tells the parent's
// author.
func (s *Service) notifyOnCreate(notify settings.ModeratorNotice) Then {
	return func(c *Comment) []job.Job {
		switch {
		case c.Status == StatusPending && notify == settings.NotifyEach:
			return notifyJob(c.ID, EventHeld)
		case c.Status == StatusApproved && c.ParentID != 0:
			return notifyJob(c.ID, EventPublished)
		}
		return nil
	}
}

// notifyOnRemove is the Then of a move to the trash: a reader's comment
// that was published tells its author why it went. Spam needs no
// statement (DSA art. 17(2): deceptive high-volume commercial content).
func notifyOnRemove(before *Comment) []job.Job {
	if before.Status == StatusApproved && before.UserID == 0 && before.AuthorEmail != "" {
		return notifyJob(before.ID, EventRemoved)
	}
	return nil
}

// notifyOnApprove is the Then of a moderator's approval: a reply that
// becomes visible tells the parent's author.
func notifyOnApprove(before *Comment) []job.Job {
	if before.Status != StatusApproved && before.ParentID != 0 {
		return notifyJob(before.ID, EventPublished)
	}
	return nil
}

func notifyJob(id int64, event string) []job.Job {
	// Unique: an approval undone and redone does not write twice.
	return []job.Job{{Args: NotifyArgs{CommentID: id, Event: event}, Unique: true}}
}

// Notify runs a NotifyArgs job: it reads the comment as it is now (a
// comment moderated or erased since needs no email) and enqueues the
// emails the event calls for.
func (s *Service) Notify(ctx context.Context, a NotifyArgs) error {
	if s.Mails == nil {
		return nil
	}
	c, err := s.Store.Comment(ctx, a.CommentID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify comment %d: %w", a.CommentID, err)
	}
	t, err := s.Articles.CommentTarget(ctx, c.ArticleID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify comment %d: %w", a.CommentID, err)
	}
	var mail job.Email
	switch a.Event {
	case EventHeld:
		if c.Status != StatusPending {
			return nil // a moderator was quicker
		}
		to, err := s.moderators(ctx)
		if err != nil || len(to) == 0 {
			return err
		}
		mail = s.Mails.Held(to, c, t)
		mail.MessageID = "comment-held-" + strconv.FormatInt(c.ID, 10)
	case EventPublished:
		if c.Status != StatusApproved || c.ParentID == 0 {
			return nil
		}
		p, err := s.Store.Comment(ctx, c.ParentID)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("notify comment %d: %w", a.CommentID, err)
		}
		// Only someone who asked, still visible, and not told of their
		// own answer.
		if !p.NotifyReplies || p.Status != StatusApproved || p.AuthorEmail == "" || p.AuthorEmail == c.AuthorEmail {
			return nil
		}
		mail = s.Mails.Reply(c, p, t, s.StopPath(p.ID))
		mail.MessageID = "comment-reply-" + strconv.FormatInt(c.ID, 10)
	case EventRemoved:
		if c.Status != StatusTrash {
			return nil // restored since
		}
		mail = s.Mails.Removed(c, t)
		mail.MessageID = "comment-removed-" + strconv.FormatInt(c.ID, 10)
	default:
		return fmt.Errorf("notify comment %d: unknown event %q", a.CommentID, a.Event)
	}
	if err := s.Store.Enqueue(ctx, []job.Job{{Args: mail, Unique: true}}); err != nil {
		return fmt.Errorf("notify comment %d: %w", a.CommentID, err)
	}
	return nil
}

// Digest runs the daily digest: when the policy asks for it and comments
// came to the queue in the last DigestWindow, the moderators get one
// email listing them.
func (s *Service) Digest(ctx context.Context) error {
	if s.Mails == nil || s.Settings().CommentPolicy.Notify != settings.NotifyDaily {
		return nil
	}
	list, total, err := s.Store.ListComments(ctx, Query{Status: StatusPending, Limit: 200})
	if err != nil {
		return fmt.Errorf("comment digest: %w", err)
	}
	since := s.Clock.Now().Add(-DigestWindow)
	var held []*Comment
	for _, c := range list {
		if c.CreatedAt.After(since) {
			held = append(held, c)
		}
	}
	if len(held) == 0 {
		return nil
	}
	to, err := s.moderators(ctx)
	if err != nil || len(to) == 0 {
		return err
	}
	mail := s.Mails.Digest(to, held, total)
	mail.MessageID = "comment-digest-" + s.Clock.Now().UTC().Format("2006-01-02")
	if err := s.Store.Enqueue(ctx, []job.Job{{Args: mail, Unique: true}}); err != nil {
		return fmt.Errorf("comment digest: %w", err)
	}
	return nil
}

func (s *Service) moderators(ctx context.Context) ([]string, error) {
	if s.Moderators == nil {
		return nil, nil
	}
	to, err := s.Moderators(ctx)
	if err != nil {
		return nil, fmt.Errorf("moderators: %w", err)
	}
	return to, nil
}

// StopPath is the signed one-click link that turns off reply
// notifications for the author of comment id (all their comments).
func (s *Service) StopPath(id int64) string {
	return "/comments/unsubscribe?c=" + strconv.FormatInt(id, 10) + "&t=" + s.stopToken(id)
}

func (s *Service) stopToken(id int64) string {
	return base64.RawURLEncoding.EncodeToString(s.mac("unsubscribe", strconv.FormatInt(id, 10))[:16])
}

// StopReplies turns off reply notifications for the author of comment id,
// when token is the one StopPath signed. It returns the address, for the
// confirmation page; a comment erased since leaves nothing to stop.
func (s *Service) StopReplies(ctx context.Context, id int64, token string) (string, error) {
	got, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !hmac.Equal(got, s.mac("unsubscribe", strconv.FormatInt(id, 10))[:16]) {
		return "", apperr.New(apperr.Invalid, "error.comment.bad_unsubscribe")
	}
	c, err := s.Store.Comment(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("stop reply notifications: %w", err)
	}
	if _, err := s.Store.StopReplies(ctx, c.AuthorEmail); err != nil {
		return "", fmt.Errorf("stop reply notifications: %w", err)
	}
	return c.AuthorEmail, nil
}

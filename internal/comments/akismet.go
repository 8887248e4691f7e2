package comments

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
)

// AkismetArgs asks to teach the Akismet-compatible service a moderator's
// decision on a comment, as a job: the service may be slow or down, and
// moderation must not wait for it.
type AkismetArgs struct {
	CommentID int64 `json:"comment_id"`
	Spam      bool  `json:"spam"`
}

// Kind names the worker that runs SubmitToAkismet.
func (AkismetArgs) Kind() string { return "comments.akismet_submit" }

// akismetThen is the Then of a move to status when a service is
// configured: marking a comment spam reports it (submit-spam), rescuing
// one from the spam folder reports a false positive (submit-ham), as
// WordPress's Akismet plugin does.
func (s *Service) akismetThen(status Status) Then {
	if s.Akismet == nil {
		return nil
	}
	return func(before *Comment) []job.Job {
		switch {
		case status == StatusSpam && before.Status != StatusSpam:
			return []job.Job{{Args: AkismetArgs{CommentID: before.ID, Spam: true}, Unique: true}}
		case status == StatusApproved && before.Status == StatusSpam:
			return []job.Job{{Args: AkismetArgs{CommentID: before.ID, Spam: false}, Unique: true}}
		}
		return nil
	}
}

// SubmitToAkismet runs an AkismetArgs job.
func (s *Service) SubmitToAkismet(ctx context.Context, a AkismetArgs) error {
	if s.Akismet == nil {
		return nil
	}
	c, err := s.Store.Comment(ctx, a.CommentID)
	if apperr.Is(err, apperr.NotFound) {
		return nil // erased since: nothing to teach
	}
	if err != nil {
		return fmt.Errorf("akismet submit %d: %w", a.CommentID, err)
	}
	t, err := s.Articles.CommentTarget(ctx, c.ArticleID)
	if err != nil {
		return fmt.Errorf("akismet submit %d: %w", a.CommentID, err)
	}
	if err := s.Akismet.Submit(ctx, c, t, a.Spam); err != nil {
		return fmt.Errorf("akismet submit %d: %w", a.CommentID, err)
	}
	return nil
}

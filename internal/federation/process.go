package federation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/wpcontent"
)

// Process acts on a received activity (the job Receive enqueued) and
// records the outcome. It is idempotent: each step looks at the state
// before it changes it. An error is returned only for what may work
// later (a database or a remote server down); the job is then retried.
func (s *Service) Process(ctx context.Context, inboxID int64) error {
	it, err := s.d.Store.InboxItem(ctx, inboxID)
	if apperr.Is(err, apperr.NotFound) {
		return nil // purged
	}
	if err != nil {
		return err
	}
	if it.Outcome != "" {
		return nil
	}
	outcome, err := s.process(ctx, it)
	if err != nil {
		var re *RemoteError
		if errors.As(err, &re) && re.Temporary || apperr.Is(err, apperr.Unavailable) || apperr.Is(err, apperr.Internal) {
			return fmt.Errorf("process %s: %w", inboxRef(it), err)
		}
		outcome = "refused: " + err.Error()
	}
	s.d.Log.Info("fediverse activity", "type", it.Type, "id", it.ActivityID, "actor", it.ActorID, "outcome", outcome)
	return s.d.Store.FinishInbox(ctx, it.ID, outcome, s.d.Clock.Now())
}

func (s *Service) process(ctx context.Context, it *InboxItem) (string, error) {
	act, err := vocab.ParseActivity(it.Body)
	if err != nil {
		return "", err
	}
	switch act.Type {
	case "Follow":
		return s.follow(ctx, act)
	case "Undo":
		return s.undo(ctx, act)
	case "Like", "Announce":
		return s.react(ctx, act)
	case "Create":
		return s.reply(ctx, act)
	case "Update":
		return s.update(ctx, act)
	case "Delete":
		return s.delete(ctx, act)
	}
	return "ignored", nil
}

// follow records a follower of one of the site's actors and answers with
// an Accept (or holds the request when the account is locked).
func (s *Service) follow(ctx context.Context, act *vocab.Activity) (string, error) {
	local, ok := s.localActorOf(act.Object.ID)
	if !ok {
		return NotForUs, nil
	}
	if _, err := s.localActor(ctx, local); apperr.Is(err, apperr.NotFound) {
		return NotForUs, nil
	} else if err != nil {
		return "", err
	}
	ra, err := s.remoteActor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	f := &Follower{LocalActor: local, ActorID: ra.ID, Handle: ra.Handle, Name: ra.Name, URL: ra.URL, Host: hostOf(ra.ID),
		Inbox: ra.Inbox, SharedInbox: ra.SharedInbox, FollowID: act.ID, FollowJSON: act.Raw, State: FollowAccepted,
		CreatedAt: s.d.Clock.Now()}
	if s.Config().Locked {
		f.State = FollowPending
		if err := s.d.Store.SaveFollower(ctx, f, nil); err != nil {
			return "", err
		}
		return "follow held for approval", nil
	}
	send, err := s.answerFollow(f, act, true)
	if err != nil {
		return "", err
	}
	if err := s.d.Store.SaveFollower(ctx, f, send); err != nil {
		return "", err
	}
	return "follower accepted", nil
}

// answerFollow builds the Accept (or Reject) of a Follow, delivered to the
// follower's own inbox.
func (s *Service) answerFollow(f *Follower, follow *vocab.Activity, accept bool) (*Send, error) {
	build := vocab.NewAccept
	if !accept {
		build = vocab.NewReject
	}
	a, err := build(s.ActorID(f.LocalActor), follow)
	if err != nil {
		return nil, err
	}
	body, err := vocab.Marshal(a)
	if err != nil {
		return nil, err
	}
	return &Send{
		Outgoing: &Outgoing{ActivityID: a.ID, Type: a.Type, LocalActor: f.LocalActor, Body: body, CreatedAt: s.d.Clock.Now()},
		Inboxes:  []Inbox{{URL: f.Inbox, Host: f.Host}},
		Jobs:     deliverJob,
	}, nil
}

// deliverJob is the job of a delivery, on the outbound queue.
func deliverJob(d *Delivery) job.Job {
	return job.Job{Args: DeliverJob{DeliveryID: d.ID}, Queue: job.QueueOutbound}
}

// undo takes back a Follow, a Like or a Boost.
func (s *Service) undo(ctx context.Context, act *vocab.Activity) (string, error) {
	inner, err := act.EmbeddedActivity()
	if err != nil {
		// Only the id of what is undone: a reaction, or a Follow.
		if done, err := s.d.Store.DeleteReaction(ctx, act.Object.ID, act.Actor); err != nil || done {
			return "reaction withdrawn", err
		}
		for _, local := range s.localActors() {
			if done, err := s.d.Store.RemoveFollower(ctx, local, act.Actor, act.Object.ID); err != nil || done {
				return "unfollowed", err
			}
		}
		return "nothing to undo", nil
	}
	if inner.Actor != act.Actor {
		return "", fmt.Errorf("%w: %s undoes %s's activity", ErrForged, act.Actor, inner.Actor)
	}
	switch inner.Type {
	case "Follow":
		local, ok := s.localActorOf(inner.Object.ID)
		if !ok {
			return NotForUs, nil
		}
		done, err := s.d.Store.RemoveFollower(ctx, local, act.Actor, "")
		if err != nil {
			return "", err
		}
		if !done {
			return "not a follower", nil
		}
		return "unfollowed", nil
	case "Like", "Announce":
		done, err := s.d.Store.DeleteReaction(ctx, inner.ID, act.Actor)
		if err != nil {
			return "", err
		}
		if !done {
			return "no such reaction", nil
		}
		return "reaction withdrawn", nil
	}
	return "ignored", nil
}

// localActors returns the actors whose followers hear of the
// publication's articles: the publication's (authors' followers hear of
// them through their boosts, see boostAsAuthors).
func (s *Service) localActors() []string {
	return []string{""}
}

// react counts a like or a boost of an article.
func (s *Service) react(ctx context.Context, act *vocab.Activity) (string, error) {
	a, ok, err := s.articleOf(ctx, act.Object.ID)
	if err != nil || !ok {
		return NotForUs, err
	}
	kind := ReactionLike
	if act.Type == "Announce" {
		kind = ReactionAnnounce
	}
	fresh, err := s.d.Store.SaveReaction(ctx, &Reaction{ActivityID: act.ID, Kind: kind, ActorID: act.Actor, ArticleID: a.ID,
		CreatedAt: s.d.Clock.Now()})
	if err != nil {
		return "", err
	}
	if !fresh {
		return Duplicate, nil
	}
	return string(kind) + " counted", nil
}

// reply turns a reply to an article (or to a comment under it) into a
// comment in the moderation queue.
func (s *Service) reply(ctx context.Context, act *vocab.Activity) (string, error) {
	if !act.Object.Embedded() {
		return "ignored: object not embedded", nil
	}
	obj, err := vocab.ParseObject(act.Object.Raw)
	if err != nil {
		return "", err
	}
	if obj.InReplyTo == "" {
		return NotForUs, nil
	}
	var articleID, parentID int64
	if a, ok, err := s.articleOf(ctx, obj.InReplyTo); err != nil {
		return "", err
	} else if ok {
		articleID = a.ID
	} else {
		// A reply to a reply that came from the fediverse.
		parent, err := s.d.Replies.RemoteComment(ctx, obj.InReplyTo)
		if apperr.Is(err, apperr.NotFound) {
			return NotForUs, nil
		}
		if err != nil {
			return "", err
		}
		articleID, parentID = parent.ArticleID, parent.ID
	}
	ra, err := s.remoteActor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	name := cmpOr(ra.Name, ra.Handle)
	if ra.Handle != "" && ra.Name != "" {
		name = ra.Name + " (" + ra.Handle + ")"
	}
	text := wpcontent.CommentText(stripMentions(obj.Content))
	_, created, err := s.d.Replies.ReceiveRemote(ctx, comments.RemoteReply{ArticleID: articleID, ParentID: parentID,
		RemoteID: obj.ID, AuthorName: name, AuthorURL: cmpOr(ra.URL, ra.ID), Text: text, CreatedAt: obj.Published})
	if err != nil {
		if apperr.Is(err, apperr.Internal) || apperr.Is(err, apperr.Unavailable) {
			return "", err
		}
		return "reply refused: " + err.Error(), nil
	}
	if !created {
		return Duplicate, nil
	}
	return "reply queued for moderation", nil
}

// stripMentions removes the mention of the publication that starts a
// Mastodon reply ("@redaction "), which would read oddly under the
// article.
func stripMentions(html string) string {
	for {
		trimmed := strings.TrimSpace(html)
		trimmed = strings.TrimPrefix(trimmed, "<p>")
		if !strings.HasPrefix(trimmed, `<span class="h-card"`) {
			return html
		}
		end := strings.Index(trimmed, "</span>")
		if end < 0 {
			return html
		}
		rest := trimmed[end+len("</span>"):]
		// Mastodon nests the mention's link in two spans.
		rest = strings.TrimPrefix(rest, "</a></span>")
		html = "<p>" + strings.TrimLeft(rest, " \u00a0")
	}
}

// update refreshes a cached actor, or the text of a reply.
func (s *Service) update(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.Object.ID == act.Actor && act.Object.Embedded() {
		a, err := s.cacheActor(ctx, act.Object.Raw)
		if err != nil {
			return "", err
		}
		if old, err := s.d.Store.RemoteActor(ctx, a.ID); err == nil && a.PublicKeyPEM == "" {
			a.KeyID, a.PublicKeyPEM = old.KeyID, old.PublicKeyPEM
		}
		if err := s.d.Store.SaveRemoteActor(ctx, a); err != nil {
			return "", err
		}
		return "actor refreshed", nil
	}
	return "ignored", nil
}

// delete takes a deleted account's follows and reactions out, or a
// deleted reply out of the site.
func (s *Service) delete(ctx context.Context, act *vocab.Activity) (string, error) {
	if act.Object.ID == act.Actor {
		if err := s.d.Store.RemoveActor(ctx, act.Actor); err != nil {
			return "", err
		}
		return "account deleted", nil
	}
	if hostOf(act.Object.ID) != hostOf(act.Actor) {
		return "", fmt.Errorf("%w: %s deletes %s", ErrForged, act.Actor, act.Object.ID)
	}
	done, err := s.d.Replies.WithdrawRemote(ctx, act.Object.ID)
	if err != nil {
		return "", err
	}
	if !done {
		return "nothing to delete", nil
	}
	return "reply withdrawn", nil
}

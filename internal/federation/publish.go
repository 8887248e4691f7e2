package federation

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// ArticleChanged tells the followers about an article that was written
// (the content.changed job): Create when it becomes public, Update when a
// public article changes, Delete when it stops being public. It reads the
// article's state and what the fediverse was last told of it, so running
// it twice for one version sends nothing the second time. The activity,
// its deliveries (one per instance's shared inbox) and their jobs are
// stored in one transaction.
func (s *Service) ArticleChanged(ctx context.Context, id int64) error {
	if !s.Enabled() {
		return nil
	}
	a, err := s.d.Articles.ArticleByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("federate article %d: %w", id, err)
	}
	if a.Kind != content.KindPost {
		return nil
	}
	last, err := s.d.Store.ArticleState(ctx, a.ID)
	known := err == nil
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return fmt.Errorf("federate article %d: %w", id, err)
	}
	now := s.d.Clock.Now()
	public := a.VisibleAt(now)
	var act *vocab.OutboxActivity
	typ := s.objectType()
	switch {
	case public && (!known || last.Deleted):
		obj, err := s.object(ctx, a, typ)
		if err != nil {
			return fmt.Errorf("federate article %d: %w", id, err)
		}
		act, err = vocab.NewCreate(obj)
		if err != nil {
			return fmt.Errorf("federate article %d: %w", id, err)
		}
	case public && last.Version < a.Version:
		typ = vocab.ObjectType(last.ObjectType)
		obj, err := s.object(ctx, a, typ)
		if err != nil {
			return fmt.Errorf("federate article %d: %w", id, err)
		}
		if obj.Updated == "" {
			// An edit that left the dates as they were (a scheduled
			// article published by the job) is not news: no Update.
			return s.d.Store.SaveSend(ctx, &Send{Article: &ArticleState{ArticleID: a.ID, Version: a.Version,
				ObjectType: string(typ), UpdatedAt: now}})
		}
		act, err = vocab.NewUpdate(obj)
		if err != nil {
			return fmt.Errorf("federate article %d: %w", id, err)
		}
	case !public && known && !last.Deleted:
		typ = vocab.ObjectType(last.ObjectType)
		act, err = vocab.NewDelete(vocab.DeleteInput{ObjectID: s.ArticleURL(a), FormerType: last.ObjectType,
			ActorID: s.ActorID(""), FollowersURL: s.followersOf(""), Deleted: now})
		if err != nil {
			return fmt.Errorf("federate article %d: %w", id, err)
		}
	default:
		return nil
	}
	body, err := vocab.Marshal(act)
	if err != nil {
		return fmt.Errorf("federate article %d: %w", id, err)
	}
	inboxes, err := s.d.Store.DeliveryInboxes(ctx, s.localActors())
	if err != nil {
		return fmt.Errorf("federate article %d: %w", id, err)
	}
	send := &Send{
		Outgoing: &Outgoing{ActivityID: act.ID, Type: act.Type, ArticleID: a.ID, Body: body, CreatedAt: now},
		Inboxes:  inboxes,
		Article:  &ArticleState{ArticleID: a.ID, Version: a.Version, Deleted: act.Type == "Delete", ObjectType: string(typ), UpdatedAt: now},
		Jobs:     deliverJob,
	}
	if err := s.d.Store.SaveSend(ctx, send); err != nil {
		if isConflict(err) {
			// The same activity (same version, same second) stored by a
			// run of this job on another instance.
			return nil
		}
		return fmt.Errorf("federate article %d: %w", id, err)
	}
	s.d.Log.Info("fediverse activity queued", "type", act.Type, "article", a.ID, "inboxes", len(inboxes))
	return s.boostAsAuthors(ctx, a, act.Type, now)
}

// isConflict reports an activity stored before (same id): a run of the
// same job on another instance.
func isConflict(err error) bool { return apperr.Is(err, apperr.Conflict) }

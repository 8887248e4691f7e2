package federation

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// boostAsAuthors tells the followers of an article's authors about it,
// when authors are actors: each author's actor boosts (Announce) the
// publication's article to its own followers when it goes out, and takes
// the boost back (Undo) when it is unpublished. Mastodon shows a post to
// the followers of the account that sent or boosted it, not to those of
// another account it names: the publication's Create alone would not
// reach them.
func (s *Service) boostAsAuthors(ctx context.Context, a *content.Article, verb string, now time.Time) error {
	if !s.Config().AuthorActors || verb != "Create" && verb != "Delete" {
		return nil
	}
	objectID := s.ArticleURL(a)
	for _, au := range a.Authors {
		if au.Slug == "" {
			continue
		}
		actor := s.ActorID(au.Slug)
		announce := &vocab.OutboxActivity{Context: vocab.ActivityStreamsContext,
			ID:   objectID + "#announce-" + au.Slug + "-" + strconv.FormatInt(a.PublishedAt.Unix(), 10),
			Type: "Announce", Actor: actor, Published: now.UTC().Format(time.RFC3339),
			To: []string{vocab.PublicAddress}, Cc: []string{s.followersOf(au.Slug), s.ActorID("")}, Object: objectID}
		act := announce
		if verb == "Delete" {
			inner := *announce
			inner.Context = nil
			act = &vocab.OutboxActivity{Context: vocab.ActivityStreamsContext, ID: announce.ID + "#undo-" + strconv.FormatInt(now.Unix(), 10),
				Type: "Undo", Actor: actor, Published: now.UTC().Format(time.RFC3339), To: announce.To, Cc: announce.Cc, Object: &inner}
		}
		body, err := vocab.Marshal(act)
		if err != nil {
			return err
		}
		inboxes, err := s.d.Store.DeliveryInboxes(ctx, []string{au.Slug})
		if err != nil {
			return err
		}
		if len(inboxes) == 0 {
			continue
		}
		err = s.d.Store.SaveSend(ctx, &Send{
			Outgoing: &Outgoing{ActivityID: act.ID, Type: act.Type, ArticleID: a.ID, LocalActor: au.Slug, Body: body, CreatedAt: now},
			Inboxes:  inboxes,
			Jobs:     deliverJob,
		})
		if err != nil && !isConflict(err) {
			return fmt.Errorf("boost article %d as %s: %w", a.ID, au.Slug, err)
		}
	}
	return nil
}

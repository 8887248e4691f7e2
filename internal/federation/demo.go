package federation

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// demoInstances are the fictitious servers the demo's followers are on.
var demoInstances = []struct{ host, user, name string }{
	{"piaille.example", "camille", "Camille"}, {"piaille.example", "yanis", "Yanis B."},
	{"mastodon.example", "lea", "Léa Martin"}, {"mastodon.example", "revue_de_presse", "Revue de presse"},
	{"social.example", "jo", "Jo"}, {"toot.example", "bibliothecaire", "La bibliothécaire"},
}

// SeedDemo gives the demo newsroom a fediverse audience: followers on a
// few fictitious instances, one request held for approval, a blocked
// spam instance, and likes and boosts of the articles ids (newest first).
// The instances do not exist: deliveries to them wait and are given up,
// as with any dead instance.
func (s *Service) SeedDemo(ctx context.Context, ids []int64, now time.Time) (followers, reactions int, err error) {
	for i, in := range demoInstances {
		id := "https://" + in.host + "/users/" + in.user
		f := &Follower{ActorID: id, Handle: "@" + in.user + "@" + in.host, Name: in.name, URL: "https://" + in.host + "/@" + in.user,
			Host: in.host, Inbox: id + "/inbox", SharedInbox: "https://" + in.host + "/inbox", FollowID: id + "#follows/" + strconv.Itoa(i),
			State: FollowAccepted, CreatedAt: now.Add(-time.Duration(30-i) * 24 * time.Hour)}
		if i == len(demoInstances)-1 {
			// Held for approval, as a locked account would hold it.
			f.State = FollowPending
			f.FollowJSON = fmt.Appendf(nil, `{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Follow","actor":%q,"object":%q}`,
				f.FollowID, id, s.ActorID(""))
		}
		if err := s.d.Store.SaveFollower(ctx, f, nil); err != nil {
			return 0, 0, fmt.Errorf("demo follower: %w", err)
		}
		followers++
	}
	if err := s.d.Store.SaveBlock(ctx, Block{Kind: BlockDomain, Value: "spam.example", CreatedAt: now}, nil); err != nil {
		return 0, 0, fmt.Errorf("demo block: %w", err)
	}
	s.forgetBlocks()
	for n, articleID := range ids {
		// The newest articles are liked by more people.
		for i, in := range demoInstances[:max(len(demoInstances)-1-n, 1)] {
			actor := "https://" + in.host + "/users/" + in.user
			for _, kind := range []ReactionKind{ReactionLike, ReactionAnnounce} {
				if kind == ReactionAnnounce && i%2 == 1 {
					continue
				}
				r := &Reaction{ActivityID: fmt.Sprintf("%s#%s-%d", actor, kind, articleID), Kind: kind, ActorID: actor,
					ArticleID: articleID, CreatedAt: now.Add(-time.Duration(n) * time.Hour)}
				if _, err := s.d.Store.SaveReaction(ctx, r); err != nil {
					return 0, 0, fmt.Errorf("demo reaction: %w", err)
				}
				reactions++
			}
		}
	}
	return followers, reactions, nil
}

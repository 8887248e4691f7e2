package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/federation/fedtest"
	"github.com/kiosque/kiosque/internal/httpsig"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
)

// TestFederation follows the publication from a fediverse server on
// loopback, which checks every signature the site sends as Mastodon does:
// the follow is accepted, a new article reaches the server's shared inbox
// as a Create, an edit as an Update, an unpublication as a Delete (its
// address then answering 410); a reply lands in the moderation queue, a
// like is counted and taken back, an unfollow removes the follower.
func TestFederation(t *testing.T) {
	ctx := context.Background()
	site := apptest.New(t, apptest.Options{Serve: true, NoDemo: true})
	a := site.App
	peer := fedtest.New(t, fedtest.Options{})
	alice := peer.ActorID("alice")
	actor := site.URL + "/ap/actor"
	host := strings.TrimPrefix(site.URL, "http://")
	store := storage.NewFederationStore(a.DB)
	author, err := a.Users.Create(ctx, users.NewUser{Email: "redac@exemple.fr", Name: "Rédaction", Role: users.RoleAuthor, Password: "un mot de passe très long"})
	if err != nil {
		t.Fatal(err)
	}

	// WebFinger gives the actor, which gives its key.
	res, body := site.Get(t, "/.well-known/webfinger?resource=acct:redaction@"+host)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"href":"`+actor+`"`) {
		t.Fatalf("webfinger: %d %s", res.StatusCode, body)
	}

	// Follow → Accept, delivered to alice's own inbox and signed.
	follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": peer.URL + "/follows/1",
		"type": "Follow", "actor": alice, "object": actor}
	if st := peer.Send(t, actor+"/inbox", "alice", follow); st != http.StatusAccepted {
		t.Fatalf("follow: %d", st)
	}
	accept := peer.Wait(t, "Accept", 20*time.Second, nil)
	if accept.Err != nil || accept.Inbox != "/users/alice/inbox" {
		t.Fatalf("accept: inbox %s, signature %v", accept.Inbox, accept.Err)
	}
	if obj := accept.Object(); obj == nil || obj["id"] != follow["id"] {
		t.Fatalf("accept carries %v, want the follow", accept.Activity["object"])
	}
	followers, n, err := store.Followers(ctx, federation.FollowerQuery{Limit: 10})
	if err != nil || n != 1 || followers[0].ActorID != alice || followers[0].SharedInbox != peer.URL+"/inbox" {
		t.Fatalf("followers = %+v (%d), %v", followers, n, err)
	}

	// A new article → Create at the shared inbox.
	art, err := a.Content.CreateArticle(ctx, content.ArticleInput{Title: "Grève à l’usine", Body: "Les salariés sont en grève depuis lundi.",
		Excerpt: "Depuis lundi.", Status: content.StatusPublished, CommentsOpen: true, AuthorIDs: []int64{author.ID}, Tags: []string{"Social"}})
	if err != nil {
		t.Fatal(err)
	}
	artURL := site.URL + web.ArticlePath(art, a.Settings.Get().Location())
	create := peer.Wait(t, "Create", 20*time.Second, nil)
	if create.Err != nil || create.Inbox != "/inbox" {
		t.Fatalf("create: inbox %s, signature %v", create.Inbox, create.Err)
	}
	if obj := create.Object(); obj["id"] != artURL || obj["type"] != "Article" || obj["name"] != art.Title {
		t.Fatalf("create object = %v", obj)
	}
	res, body = site.Get(t, web.ArticlePath(art, a.Settings.Get().Location()), "Accept", "application/activity+json")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"type":"Article"`) {
		t.Fatalf("article as JSON: %d %.200s", res.StatusCode, body)
	}

	// A reply → a comment waiting for moderation.
	note := map[string]any{"id": peer.URL + "/notes/1", "type": "Note", "attributedTo": alice, "inReplyTo": artURL,
		"content":   `<p><span class="h-card"><a href="` + actor + `" class="u-url mention">@<span>redaction</span></a></span> Merci, <em>enfin</em> des nouvelles.</p>`,
		"published": time.Now().UTC().Format(time.RFC3339), "to": []string{actor}}
	reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": peer.URL + "/notes/1/activity",
		"type": "Create", "actor": alice, "object": note}
	if st := peer.Send(t, site.URL+"/ap/inbox", "alice", reply); st != http.StatusAccepted {
		t.Fatalf("reply: %d", st)
	}
	var c *comments.Comment
	waitFor(t, 20*time.Second, "the reply as a comment", func() bool {
		c, err = a.Comments.RemoteComment(ctx, peer.URL+"/notes/1")
		return err == nil
	})
	if c.Status != comments.StatusPending || c.ArticleID != art.ID || !strings.HasPrefix(c.AuthorName, "Alice (@alice@") ||
		c.Body != "Merci, *enfin* des nouvelles." {
		t.Errorf("comment = %+v", c)
	}
	// The same reply again is the same comment.
	if st := peer.Send(t, site.URL+"/ap/inbox", "alice", reply); st != http.StatusAccepted {
		t.Fatalf("reply again: %d", st)
	}

	// A like, counted, then taken back.
	like := map[string]any{"id": peer.URL + "/likes/1", "type": "Like", "actor": alice, "object": artURL}
	peer.Send(t, site.URL+"/ap/inbox", "alice", like)
	waitFor(t, 20*time.Second, "the like", func() bool {
		counts, _ := store.ReactionCounts(ctx, []int64{art.ID})
		return counts[art.ID].Likes == 1
	})
	peer.Send(t, site.URL+"/ap/inbox", "alice", map[string]any{"id": peer.URL + "/likes/1/undo", "type": "Undo", "actor": alice, "object": like})
	waitFor(t, 20*time.Second, "the like taken back", func() bool {
		counts, _ := store.ReactionCounts(ctx, []int64{art.ID})
		return counts[art.ID].Likes == 0
	})

	// An edit → Update; unpublishing → Delete, and the address answers 410.
	in := content.ArticleInput{Title: art.Title, Body: art.Body + "\n\nMise à jour : la direction a répondu.", Excerpt: art.Excerpt,
		Status: content.StatusPublished, CommentsOpen: true, PublishedAt: art.PublishedAt, AuthorIDs: []int64{author.ID}, Tags: []string{"Social"}, Version: art.Version}
	if art, err = a.Content.UpdateArticle(ctx, art.ID, in); err != nil {
		t.Fatal(err)
	}
	update := peer.Wait(t, "Update", 20*time.Second, nil)
	if update.Err != nil || update.Object()["id"] != artURL {
		t.Fatalf("update: %v %v", update.Err, update.Object())
	}
	if err := a.Content.Trash(ctx, access.System, art.ID); err != nil {
		t.Fatal(err)
	}
	del := peer.Wait(t, "Delete", 20*time.Second, nil)
	if del.Err != nil || del.Object()["type"] != "Tombstone" {
		t.Fatalf("delete: %v %v", del.Err, del.Activity)
	}
	res, _ = site.Get(t, web.ArticlePath(art, a.Settings.Get().Location()), "Accept", "application/activity+json")
	if res.StatusCode != http.StatusGone {
		t.Errorf("unpublished article as JSON: %d, want 410", res.StatusCode)
	}

	// Unfollow.
	peer.Send(t, actor+"/inbox", "alice", map[string]any{"id": peer.URL + "/follows/1/undo", "type": "Undo", "actor": alice, "object": follow})
	waitFor(t, 20*time.Second, "the unfollow", func() bool {
		_, n, _ := store.Followers(ctx, federation.FollowerQuery{Limit: 10})
		return n == 0
	})
	for _, r := range peer.Received() {
		if r.Err != nil {
			t.Errorf("%s to %s: signature refused: %v", r.Type(), r.Inbox, r.Err)
		}
	}
}

// TestFederationInboxRefusals posts what the inbox must refuse, and
// checks that nothing of it is stored.
func TestFederationInboxRefusals(t *testing.T) {
	ctx := context.Background()
	site := apptest.New(t, apptest.Options{NoDemo: true})
	a := site.App
	peer := fedtest.New(t, fedtest.Options{Users: []string{"alice", "bob"}})
	other := fedtest.New(t, fedtest.Options{})
	store := storage.NewFederationStore(a.DB)
	inbox := site.URL + "/ap/inbox"
	actor := site.URL + "/ap/actor"
	follow := func(id, as string) []byte {
		b, _ := json.Marshal(map[string]any{"id": peer.URL + "/follows/" + id, "type": "Follow", "actor": peer.ActorID(as), "object": actor})
		return b
	}
	aliceKey := httpsig.Key{ID: peer.KeyID("alice"), Private: peer.Key}
	// Blocked at the store: the block is read with the first activity.
	// (Through the service it would be refused here, the peer sharing the
	// site's host name on loopback.)
	if err := store.SaveBlock(ctx, federation.Block{Kind: federation.BlockDomain, Value: peer.Host(), CreatedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)

	for _, tt := range []struct {
		name   string
		key    httpsig.Key
		body   []byte
		status int
	}{
		{"Unsigned", httpsig.Key{}, follow("1", "alice"), http.StatusUnauthorized},
		{"WrongKey", httpsig.Key{ID: peer.KeyID("alice"), Private: other.Key}, follow("2", "alice"), http.StatusUnauthorized},
		{"UnknownKey", httpsig.Key{ID: peer.URL + "/users/nobody#main-key", Private: peer.Key}, follow("3", "alice"), http.StatusUnauthorized},
		{"ForgedActor", aliceKey, follow("4", "bob"), http.StatusBadRequest},
		{"TooDeep", aliceKey, []byte(deep), http.StatusBadRequest},
		{"TooLarge", aliceKey, []byte(`{"id":"` + peer.URL + `/x","type":"Note","content":"` + strings.Repeat("x", 300<<10) + `"}`), http.StatusRequestEntityTooLarge},
		{"NotJSON", aliceKey, []byte("<html>"), http.StatusBadRequest},
		{"UnknownType", aliceKey, []byte(`{"id":"` + peer.URL + `/x/1","type":"Move","actor":"` + peer.ActorID("alice") + `","object":"` + actor + `"}`), http.StatusAccepted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if st := peer.SendRaw(t, inbox, tt.key, tt.body); st != tt.status {
				t.Errorf("status %d, want %d", st, tt.status)
			}
		})
	}
	// A blocked instance's follow is dropped (the block was made before
	// the first activity: the service reads the blocks once in a while).
	if st := peer.SendRaw(t, inbox, aliceKey, follow("5", "alice")); st != http.StatusAccepted {
		t.Errorf("blocked follow: %d", st)
	}
	// Nothing was stored: no follower, no activity waiting.
	if _, n, err := store.Followers(ctx, federation.FollowerQuery{Limit: 10}); err != nil || n != 0 {
		t.Errorf("%d followers, %v", n, err)
	}
	if n, err := a.DB.CountJobs(ctx, federation.ProcessJob{}.Kind()); err != nil || n != 0 {
		t.Errorf("%d activities queued, %v", n, err)
	}
	// A bad key is fetched again once, not at every request.
	before := peer.Fetches()
	for i := range 5 {
		peer.SendRaw(t, inbox, httpsig.Key{ID: peer.KeyID("alice"), Private: other.Key}, follow(fmt.Sprint(10+i), "alice"))
	}
	if got := peer.Fetches() - before; got > 1 {
		t.Errorf("%d fetches of the key for 5 bad signatures", got)
	}
}

// TestFederationDeadInstance follows the publication from three
// instances: one answers 503, one 410 (the account was deleted). The
// third gets the article at once; the dead one's delivery waits with its
// instance and is retried later; the gone one's follower is removed.
func TestFederationDeadInstance(t *testing.T) {
	ctx := context.Background()
	site := apptest.New(t, apptest.Options{Serve: true, NoDemo: true})
	a := site.App
	store := storage.NewFederationStore(a.DB)
	alive := fedtest.New(t, fedtest.Options{})
	dead := fedtest.New(t, fedtest.Options{Status: func(string, int) int { return http.StatusServiceUnavailable }})
	gone := fedtest.New(t, fedtest.Options{NoSharedInbox: true, Status: func(string, int) int { return http.StatusGone }})
	for _, p := range []*fedtest.Peer{alive, dead, gone} {
		f := &federation.Follower{ActorID: p.ActorID("alice"), Host: p.Host(), Inbox: p.ActorID("alice") + "/inbox",
			FollowID: p.URL + "/follows/1", State: federation.FollowAccepted, CreatedAt: time.Now()}
		if p != gone {
			f.SharedInbox = p.URL + "/inbox"
		}
		if err := store.SaveFollower(ctx, f, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Content.CreateArticle(ctx, content.ArticleInput{Title: "Dépêche", Body: "Texte.", Status: content.StatusPublished}); err != nil {
		t.Fatal(err)
	}
	alive.Wait(t, "Create", 20*time.Second, nil)
	waitFor(t, 20*time.Second, "the gone follower removed", func() bool {
		_, n, _ := store.Followers(ctx, federation.FollowerQuery{Limit: 10})
		return n == 2
	})
	waitFor(t, 20*time.Second, "the dead instance marked", func() bool {
		inst, err := store.Instance(ctx, dead.Host())
		return err == nil && inst.Failures == 1 && inst.RetryAt.After(time.Now())
	})
	if got := len(dead.Received()); got != 1 {
		t.Errorf("the dead instance was tried %d times at once, want 1", got)
	}
}

// TestFederationAuthorActors makes authors actors: a fediverse user
// follows one author, who boosts each of their articles to them.
func TestFederationAuthorActors(t *testing.T) {
	ctx := context.Background()
	site := apptest.New(t, apptest.Options{Serve: true, NoDemo: true})
	a := site.App
	st := *a.Settings.Get()
	st.Fediverse.AuthorActors = true
	if err := a.Settings.Update(ctx, st); err != nil {
		t.Fatal(err)
	}
	author, err := a.Users.Create(ctx, users.NewUser{Email: "claire@exemple.fr", Name: "Claire Dumas", Role: users.RoleAuthor, Password: "un mot de passe très long"})
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(site.URL, "http://")
	res, body := site.Get(t, "/.well-known/webfinger?resource=acct:"+author.Slug+"@"+host)
	authorActor := site.URL + "/ap/authors/" + author.Slug
	if res.StatusCode != http.StatusOK || !strings.Contains(body, authorActor) {
		t.Fatalf("webfinger of the author: %d %s", res.StatusCode, body)
	}
	peer := fedtest.New(t, fedtest.Options{})
	follow := map[string]any{"id": peer.URL + "/follows/9", "type": "Follow", "actor": peer.ActorID("alice"), "object": authorActor}
	if st := peer.Send(t, authorActor+"/inbox", "alice", follow); st != http.StatusAccepted {
		t.Fatalf("follow: %d", st)
	}
	if acc := peer.Wait(t, "Accept", 20*time.Second, nil); acc.Activity["actor"] != authorActor {
		t.Fatalf("accept from %v", acc.Activity["actor"])
	}
	art, err := a.Content.CreateArticle(ctx, content.ArticleInput{Title: "Le billet de Claire", Body: "Texte.", Status: content.StatusPublished,
		AuthorIDs: []int64{author.ID}})
	if err != nil {
		t.Fatal(err)
	}
	boost := peer.Wait(t, "Announce", 20*time.Second, nil)
	if boost.Err != nil || boost.Activity["actor"] != authorActor || boost.Activity["object"] != site.URL+web.ArticlePath(art, a.Settings.Get().Location()) {
		t.Fatalf("announce: %v %v", boost.Err, boost.Activity)
	}
	if len(peer.Received()) != 2 {
		t.Errorf("received %d activities, want the Accept and the Announce", len(peer.Received()))
	}
}

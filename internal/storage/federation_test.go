package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// fedDeliver and fedProcess stand for the federation's jobs: the queue
// is insert-only in these tests, so any kind will do.
type fedDeliver struct {
	DeliveryID int64 `json:"delivery_id"`
}

func (fedDeliver) Kind() string { return "test.federation.deliver" }

type fedProcess struct {
	ItemID int64 `json:"item_id"`
}

func (fedProcess) Kind() string { return "test.federation.process" }

// jobCount returns how many jobs of kind the queue holds.
func jobCount(t testing.TB, db *storage.DB, kind string) int64 {
	t.Helper()
	return rawInt(t, db, "SELECT COUNT(*) FROM river_job WHERE kind = $1", kind)
}

// deliverJobs builds a delivery's job and notes the deliveries it saw.
func deliverJobs(seen *[]*federation.Delivery) func(d *federation.Delivery) job.Job {
	return func(d *federation.Delivery) job.Job {
		*seen = append(*seen, d)
		return job.Job{Args: fedDeliver{DeliveryID: d.ID}, Queue: job.QueueOutbound}
	}
}

// follower returns an accepted follower of the publication on host.
func follower(name, host string, sharedInbox bool) *federation.Follower {
	actor := "https://" + host + "/users/" + name
	f := &federation.Follower{ActorID: actor, Handle: "@" + name + "@" + host, Name: name, URL: "https://" + host + "/@" + name,
		Host: host, Inbox: actor + "/inbox", FollowID: actor + "#follow-1",
		FollowJSON: []byte(`{"type":"Follow","actor":"` + actor + `"}`), State: federation.FollowAccepted, CreatedAt: epoch}
	if sharedInbox {
		f.SharedInbox = "https://" + host + "/inbox"
	}
	return f
}

func TestFederationFollowers(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		save := func(f *federation.Follower) {
			t.Helper()
			if err := st.SaveFollower(ctx, f, nil); err != nil {
				t.Fatalf("save follower %s: %v", f.ActorID, err)
			}
		}

		t.Run("OKUpsert", func(t *testing.T) {
			f := follower("alice", "mastodon.example", true)
			save(f)
			if f.ID == 0 {
				t.Fatal("SaveFollower set no ID")
			}
			again := follower("alice", "mastodon.example", true)
			again.Name, again.FollowID, again.CreatedAt = "Alice L.", again.ActorID+"#follow-2", epoch.Add(time.Hour)
			save(again)
			if again.ID != f.ID {
				t.Errorf("second Follow got ID %d, want the first's %d", again.ID, f.ID)
			}
			if !again.CreatedAt.Equal(epoch) {
				t.Errorf("CreatedAt = %v, want the first Follow's %v", again.CreatedAt, epoch)
			}
			got, err := st.Follower(ctx, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(again, got); diff != "" {
				t.Errorf("Follower (-want +got):\n%s", diff)
			}
			// The same account following an author is another follower.
			author := follower("alice", "mastodon.example", true)
			author.LocalActor = "claire-morel"
			save(author)
			if author.ID == f.ID {
				t.Error("following an author updated the follow of the publication")
			}
		})

		t.Run("OKRemove", func(t *testing.T) {
			f := follower("bob", "mastodon.example", true)
			save(f)
			for _, c := range []struct {
				name, followID string
				want           bool
			}{
				{"OtherFollow", f.ActorID + "#follow-9", false},
				{"SameFollow", f.FollowID, true},
				{"Gone", "", false},
			} {
				got, err := st.RemoveFollower(ctx, "", f.ActorID, c.followID)
				if err != nil || got != c.want {
					t.Errorf("%s: RemoveFollower = %v, %v; want %v", c.name, got, err, c.want)
				}
			}
			g := follower("bob", "mastodon.example", true)
			save(g)
			if got, err := st.RemoveFollower(ctx, "", g.ActorID, ""); err != nil || !got {
				t.Errorf("RemoveFollower without a Follow id = %v, %v; want true", got, err)
			}
			if _, err := st.Follower(ctx, g.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("Follower after removal: %v, want NotFound", err)
			}
		})

		t.Run("OKApproveWithAccept", func(t *testing.T) {
			f := follower("carol", "locked.example", false)
			f.State = federation.FollowPending
			save(f)
			var seen []*federation.Delivery
			accept := &federation.Send{
				Outgoing: &federation.Outgoing{ActivityID: "https://le-veilleur.example/ap/accept/1", Type: "Accept",
					Body: []byte(`{"type":"Accept"}`), CreatedAt: epoch},
				Inboxes: []federation.Inbox{{URL: f.Inbox, Host: f.Host}},
				Jobs:    deliverJobs(&seen),
			}
			before := jobCount(t, e.db, fedDeliver{}.Kind())
			entry := &audit.Entry{At: epoch, UserName: "Julien", Action: "federation.approve", TargetType: "follower", TargetID: f.ID}
			if err := st.SetFollowerState(ctx, f.ID, federation.FollowAccepted, accept, entry); err != nil {
				t.Fatal(err)
			}
			got, err := st.Follower(ctx, f.ID)
			if err != nil || got.State != federation.FollowAccepted {
				t.Fatalf("Follower = %+v, %v; want accepted", got, err)
			}
			if len(seen) != 1 || seen[0].ID == 0 || seen[0].Inbox != f.Inbox || seen[0].OutgoingID != accept.Outgoing.ID {
				t.Errorf("deliveries = %+v", seen)
			}
			if n := jobCount(t, e.db, fedDeliver{}.Kind()) - before; n != 1 {
				t.Errorf("%d jobs queued, want 1", n)
			}
			if n := rawInt(t, e.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'federation.approve'"); n != 1 {
				t.Errorf("%d audit entries, want 1", n)
			}
			d, o, err := st.Delivery(ctx, seen[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.State != federation.DeliveryPending || d.Host != "locked.example" || o.Type != "Accept" || o.ArticleID != 0 ||
				string(o.Body) != `{"type":"Accept"}` {
				t.Errorf("Delivery = %+v, %+v", d, o)
			}
		})

		t.Run("OKRefuse", func(t *testing.T) {
			f := follower("dan", "locked.example", false)
			f.State = federation.FollowPending
			save(f)
			if err := st.SetFollowerState(ctx, f.ID, "", nil, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Follower(ctx, f.ID); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("refused follower: %v, want NotFound", err)
			}
		})

		t.Run("ErrSetStateOfUnknown", func(t *testing.T) {
			if err := st.SetFollowerState(ctx, 999999, federation.FollowAccepted, nil, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("SetFollowerState of an unknown follower: %v, want NotFound", err)
			}
		})

		t.Run("OKList", func(t *testing.T) {
			all, total, err := st.Followers(ctx, federation.FollowerQuery{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			// alice and carol follow the publication.
			if total != 2 || len(all) != 2 {
				t.Fatalf("Followers = %d of %d, want 2", len(all), total)
			}
			for _, c := range []struct {
				name string
				q    federation.FollowerQuery
				want []string
			}{
				{"Search", federation.FollowerQuery{Search: "LOCKED", Limit: 10}, []string{"carol"}},
				{"State", federation.FollowerQuery{State: federation.FollowAccepted, Limit: 10}, []string{"carol", "Alice L."}},
				{"Author", federation.FollowerQuery{LocalActor: "claire-morel", Limit: 10}, []string{"alice"}},
				{"Page", federation.FollowerQuery{Limit: 1, Offset: 1}, []string{"Alice L."}},
			} {
				got, _, err := st.Followers(ctx, c.q)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				var names []string
				for _, f := range got {
					names = append(names, f.Name)
				}
				if diff := cmp.Diff(c.want, names); diff != "" {
					t.Errorf("%s (-want +got):\n%s", c.name, diff)
				}
			}
		})
	})
}

func TestFederationDeliveryInboxes(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		author := follower("erin", "mastodon.example", true)
		author.LocalActor = "claire-morel"
		pending := follower("frank", "solo.example", false)
		pending.State = federation.FollowPending
		for _, f := range []*federation.Follower{
			follower("alice", "mastodon.example", true), follower("bob", "mastodon.example", true), author,
			follower("gus", "solo.example", false), pending, follower("hal", "spam.example", true), follower("ivy", "other.example", false),
		} {
			if err := st.SaveFollower(ctx, f, nil); err != nil {
				t.Fatal(err)
			}
		}
		inboxes := func(actors ...string) []federation.Inbox {
			t.Helper()
			got, err := st.DeliveryInboxes(ctx, actors)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		want := []federation.Inbox{
			{URL: "https://mastodon.example/inbox", Host: "mastodon.example"},
			{URL: "https://other.example/users/ivy/inbox", Host: "other.example"},
			{URL: "https://solo.example/users/gus/inbox", Host: "solo.example"},
			{URL: "https://spam.example/inbox", Host: "spam.example"},
		}
		if diff := cmp.Diff(want, inboxes("", "claire-morel")); diff != "" {
			t.Errorf("DeliveryInboxes (-want +got):\n%s", diff)
		}
		if got := inboxes(); len(got) != 0 {
			t.Errorf("DeliveryInboxes of no actor = %v", got)
		}

		// Blocks, recorded without SaveBlock so that the followers stay:
		// the exclusion itself is under test.
		rawExec(t, e.db, "INSERT INTO ap_blocks (kind, value, created_at) VALUES ('domain', 'spam.example', $1)", dbTimeArg(e.db, epoch))
		rawExec(t, e.db, "INSERT INTO ap_blocks (kind, value, created_at) VALUES ('actor', 'https://other.example/users/ivy', $1)",
			dbTimeArg(e.db, epoch))
		if diff := cmp.Diff(want[:1], inboxes("claire-morel")); diff != "" {
			t.Errorf("DeliveryInboxes of an author (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]federation.Inbox{want[0], want[2]}, inboxes("", "claire-morel")); diff != "" {
			t.Errorf("DeliveryInboxes with blocks (-want +got):\n%s", diff)
		}
	})
}

// dbTimeArg is how a raw statement passes a time to either database.
func dbTimeArg(db *storage.DB, t time.Time) any {
	if db.Dialect() == storage.SQLite {
		return t.UTC().Format("2006-01-02 15:04:05.000000+00:00")
	}
	return t
}

func TestFederationBlocks(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		for _, f := range []*federation.Follower{follower("alice", "spam.example", true), follower("bob", "spam.example", true),
			follower("carol", "mastodon.example", true), follower("dan", "mastodon.example", true)} {
			if err := st.SaveFollower(ctx, f, nil); err != nil {
				t.Fatal(err)
			}
		}
		block := func(kind federation.BlockKind, value string, at time.Time) error {
			return st.SaveBlock(ctx, federation.Block{Kind: kind, Value: value, CreatedAt: at},
				&audit.Entry{At: at, UserName: "Julien", Action: "federation.block", TargetType: "fediverse", Summary: value})
		}
		if err := block(federation.BlockDomain, "spam.example", epoch); err != nil {
			t.Fatal(err)
		}
		if err := block(federation.BlockActor, "https://mastodon.example/users/carol", epoch.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, total, err := st.Followers(ctx, federation.FollowerQuery{})
		if err != nil || total != 1 {
			t.Errorf("followers left after the blocks: %d, %v; want dan alone", total, err)
		}
		if err := block(federation.BlockDomain, "spam.example", epoch); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second block of spam.example: %v, want Conflict", err)
		}
		if err := block("ip", "203.0.113.7", epoch); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("block of an unknown kind: %v, want Invalid", err)
		}
		got, err := st.Blocks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []federation.Block{{Kind: federation.BlockActor, Value: "https://mastodon.example/users/carol", CreatedAt: epoch.Add(time.Minute)},
			{Kind: federation.BlockDomain, Value: "spam.example", CreatedAt: epoch}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Blocks (-want +got):\n%s", diff)
		}
		lift := &audit.Entry{At: epoch, UserName: "Julien", Action: "federation.unblock", TargetType: "fediverse"}
		if err := st.DeleteBlock(ctx, federation.BlockDomain, "spam.example", lift); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteBlock(ctx, federation.BlockDomain, "spam.example", lift); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("second DeleteBlock: %v, want NotFound", err)
		}
		for action, want := range map[string]int64{"federation.block": 2, "federation.unblock": 1} {
			if n := rawInt(t, e.db, "SELECT COUNT(*) FROM audit_log WHERE action = $1", action); n != want {
				t.Errorf("%d audit entries %s, want %d", n, action, want)
			}
		}
	})
}

func TestFederationInbox(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		process := func(id int64) job.Job { return job.Job{Args: fedProcess{ItemID: id}} }
		receive := func(activityID string, at time.Time) (*federation.InboxItem, bool) {
			t.Helper()
			it := &federation.InboxItem{ActivityID: activityID, ActorID: "https://mastodon.example/users/alice", Type: "Like",
				Body: []byte(`{"type":"Like","id":"` + activityID + `"}`), ReceivedAt: at}
			ok, err := st.SaveInbox(ctx, it, process)
			if err != nil {
				t.Fatal(err)
			}
			return it, ok
		}
		it, ok := receive("https://mastodon.example/likes/1", epoch)
		if !ok || it.ID == 0 {
			t.Fatalf("first SaveInbox = %v, ID %d; want true and an ID", ok, it.ID)
		}
		if dup, ok := receive("https://mastodon.example/likes/1", epoch.Add(time.Second)); ok || dup.ID != 0 {
			t.Errorf("second SaveInbox = %v, ID %d; want false and nothing stored", ok, dup.ID)
		}
		if n := jobCount(t, e.db, fedProcess{}.Kind()); n != 1 {
			t.Errorf("%d processing jobs, want 1", n)
		}
		if err := st.FinishInbox(ctx, it.ID, "liked", epoch.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := st.InboxItem(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *it
		want.Outcome, want.ProcessedAt = "liked", epoch.Add(time.Minute)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("InboxItem (-want +got):\n%s", diff)
		}
		if err := st.FinishInbox(ctx, 999999, "x", epoch); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("FinishInbox of an unknown item: %v, want NotFound", err)
		}
		receive("https://mastodon.example/likes/2", epoch.Add(time.Hour))
		if n, err := st.PurgeInbox(ctx, epoch.Add(time.Minute)); err != nil || n != 1 {
			t.Errorf("PurgeInbox = %d, %v; want 1", n, err)
		}
		if _, err := st.InboxItem(ctx, it.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("purged item: %v, want NotFound", err)
		}
	})
}

func TestFederationSaveSend(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		const n = 1000
		inboxes := make([]federation.Inbox, 0, n+1)
		for i := range n {
			host := fmt.Sprintf("instance-%d.example", i)
			inboxes = append(inboxes, federation.Inbox{URL: "https://" + host + "/inbox", Host: host})
		}
		// An inbox listed twice gets one delivery.
		inboxes = append(inboxes, inboxes[7])
		var seen []*federation.Delivery
		send := &federation.Send{
			Outgoing: &federation.Outgoing{ActivityID: "https://le-veilleur.example/ap/create/42/1", Type: "Create", ArticleID: 42,
				Body: []byte(`{"type":"Create"}`), CreatedAt: epoch},
			Inboxes: inboxes,
			Article: &federation.ArticleState{ArticleID: 42, Version: 1, ObjectType: "Article", UpdatedAt: epoch},
			Jobs:    deliverJobs(&seen),
		}
		start := time.Now()
		if err := st.SaveSend(ctx, send); err != nil {
			t.Fatal(err)
		}
		t.Logf("SaveSend to %d inboxes: %v", n, time.Since(start))
		if send.Outgoing.ID == 0 {
			t.Error("SaveSend set no activity ID")
		}
		if len(seen) != n {
			t.Fatalf("%d deliveries handed to Jobs, want %d", len(seen), n)
		}
		ids := map[int64]bool{}
		var sum int64
		for _, d := range seen {
			if d.ID == 0 || ids[d.ID] || d.OutgoingID != send.Outgoing.ID || d.State != federation.DeliveryPending {
				t.Fatalf("delivery %+v: no ID, a repeated one, or the wrong activity or state", d)
			}
			ids[d.ID] = true
			sum += d.ID
		}
		if got := rawInt(t, e.db, "SELECT COUNT(*) FROM ap_deliveries WHERE outbox_id = $1 AND state = 'pending'", send.Outgoing.ID); got != n {
			t.Errorf("%d delivery rows, want %d", got, n)
		}
		if got := rawInt(t, e.db, "SELECT SUM(id) FROM ap_deliveries WHERE outbox_id = $1", send.Outgoing.ID); got != sum {
			t.Errorf("the rows' IDs add up to %d, the deliveries' to %d", got, sum)
		}
		if got := jobCount(t, e.db, fedDeliver{}.Kind()); got != n {
			t.Errorf("%d delivery jobs, want %d", got, n)
		}
		got, err := st.ArticleState(ctx, 42)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(send.Article, got); diff != "" {
			t.Errorf("ArticleState (-want +got):\n%s", diff)
		}
		if _, err := st.ArticleState(ctx, 43); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("ArticleState of an article never sent: %v, want NotFound", err)
		}

		t.Run("ErrDuplicateRollsBack", func(t *testing.T) {
			again := *send
			again.Outgoing = &federation.Outgoing{ActivityID: send.Outgoing.ActivityID, Type: "Create", ArticleID: 42, CreatedAt: epoch}
			again.Article = &federation.ArticleState{ArticleID: 42, Version: 2, ObjectType: "Article", UpdatedAt: epoch}
			if err := st.SaveSend(ctx, &again); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("SaveSend of a stored activity id: %v, want Conflict", err)
			}
			if got := jobCount(t, e.db, fedDeliver{}.Kind()); got != n {
				t.Errorf("%d delivery jobs after a failed send, want %d", got, n)
			}
			if a, err := st.ArticleState(ctx, 42); err != nil || a.Version != 1 {
				t.Errorf("ArticleState after a failed send = %+v, %v; want version 1", a, err)
			}
		})
	})
}

func BenchmarkFederationSaveSend(b *testing.B) {
	e := newEnv(b, storagetest.SQLiteDSN(b))
	ctx := context.Background()
	st := storage.NewFederationStore(e.db)
	inboxes := make([]federation.Inbox, 1000)
	for i := range inboxes {
		host := fmt.Sprintf("instance-%d.example", i)
		inboxes[i] = federation.Inbox{URL: "https://" + host + "/inbox", Host: host}
	}
	for i := 0; b.Loop(); i++ {
		err := st.SaveSend(ctx, &federation.Send{
			Outgoing: &federation.Outgoing{ActivityID: fmt.Sprintf("https://le-veilleur.example/ap/create/%d", i), Type: "Create",
				ArticleID: int64(i + 1), Body: []byte(`{}`), CreatedAt: epoch},
			Inboxes: inboxes,
			Article: &federation.ArticleState{ArticleID: int64(i + 1), Version: 1, ObjectType: "Article", UpdatedAt: epoch},
			Jobs:    func(d *federation.Delivery) job.Job { return job.Job{Args: fedDeliver{DeliveryID: d.ID}} },
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func TestFederationOutbox(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		send := func(typ string, article int64, actor string, at time.Time, deleted bool) {
			t.Helper()
			s := &federation.Send{Outgoing: &federation.Outgoing{ActivityID: fmt.Sprintf("https://le-veilleur.example/ap/%s/%d/%d", typ,
				article, at.Unix()), Type: typ, ArticleID: article, LocalActor: actor, Body: []byte(`{}`), CreatedAt: at}}
			if article != 0 {
				s.Article = &federation.ArticleState{ArticleID: article, Version: 1, Deleted: deleted, ObjectType: "Note", UpdatedAt: at}
			}
			if err := st.SaveSend(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		at := func(h int) time.Time { return epoch.Add(time.Duration(h) * time.Hour) }
		for i := int64(1); i <= 5; i++ {
			send("Create", i, "", at(int(i)), false)
		}
		send("Update", 2, "", at(6), false)
		send("Accept", 0, "", at(7), false)
		send("Create", 6, "claire-morel", at(8), false)
		// Article 3 deleted; article 4 deleted, then published again.
		send("Delete", 3, "", at(9), true)
		send("Delete", 4, "", at(10), true)
		send("Create", 4, "", at(11), false)

		ids := func(os []*federation.Outgoing) []int64 {
			var out []int64
			for _, o := range os {
				out = append(out, o.ArticleID)
			}
			return out
		}
		for _, c := range []struct {
			name          string
			actor         string
			limit, offset int
			want          []int64
		}{
			{"FirstPage", "", 2, 0, []int64{4, 5}},
			{"SecondPage", "", 2, 2, []int64{2, 1}},
			{"Beyond", "", 2, 4, nil},
			{"Author", "claire-morel", 10, 0, []int64{6}},
		} {
			got, total, err := st.Outbox(ctx, c.actor, c.limit, c.offset)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			wantTotal := 4
			if c.actor != "" {
				wantTotal = 1
			}
			if total != wantTotal {
				t.Errorf("%s: total %d, want %d", c.name, total, wantTotal)
			}
			if diff := cmp.Diff(c.want, ids(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.name, diff)
			}
		}
		got, _, err := st.Outbox(ctx, "", 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if o := got[0]; o.Type != "Create" || !o.CreatedAt.Equal(at(11)) || string(o.Body) != "{}" || o.ID == 0 {
			t.Errorf("newest Create = %+v", o)
		}
	})
}

func TestFederationDeliveryHealth(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		var seen []*federation.Delivery
		if err := st.SaveSend(ctx, &federation.Send{
			Outgoing: &federation.Outgoing{ActivityID: "https://le-veilleur.example/ap/create/1", Type: "Create", ArticleID: 1,
				Body: []byte(`{}`), CreatedAt: epoch},
			Inboxes: []federation.Inbox{{URL: "https://down.example/inbox", Host: "down.example"}},
			Jobs:    deliverJobs(&seen),
		}); err != nil {
			t.Fatal(err)
		}
		never, err := st.Instance(ctx, "down.example")
		if err != nil || *never != (federation.Instance{Host: "down.example"}) {
			t.Errorf("Instance never tried = %+v, %v; want a zero one", never, err)
		}
		d := seen[0]
		d.Attempts, d.LastError, d.UpdatedAt = 1, "503 Service Unavailable", epoch.Add(time.Minute)
		inst := &federation.Instance{Host: "down.example", Failures: 1, RetryAt: epoch.Add(10 * time.Minute), LastError: d.LastError}
		if err := st.FinishAttempt(ctx, d, inst); err != nil {
			t.Fatal(err)
		}
		d.State, d.Attempts, d.LastError, d.UpdatedAt = federation.DeliverySent, 2, "", epoch.Add(11*time.Minute)
		inst = &federation.Instance{Host: "down.example", LastOKAt: d.UpdatedAt}
		if err := st.FinishAttempt(ctx, d, inst); err != nil {
			t.Fatal(err)
		}
		gotD, _, err := st.Delivery(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, gotD); diff != "" {
			t.Errorf("Delivery (-want +got):\n%s", diff)
		}
		gotI, err := st.Instance(ctx, "down.example")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(inst, gotI); diff != "" {
			t.Errorf("Instance (-want +got):\n%s", diff)
		}
		if err := st.FinishAttempt(ctx, &federation.Delivery{ID: 999999, State: federation.DeliveryDropped}, nil); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("FinishAttempt of an unknown delivery: %v, want NotFound", err)
		}
		if _, _, err := st.Delivery(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Delivery 999999: %v, want NotFound", err)
		}
	})
}

func TestFederationReactions(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		a := e.article(t, content.ArticleInput{Title: "Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour)})
		b := e.article(t, content.ArticleInput{Title: "Alep", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour)})
		react := func(id string, kind federation.ReactionKind, actor string, article int64) bool {
			t.Helper()
			ok, err := st.SaveReaction(ctx, &federation.Reaction{ActivityID: id, Kind: kind, ActorID: actor, ArticleID: article, CreatedAt: epoch})
			if err != nil {
				t.Fatalf("SaveReaction %s: %v", id, err)
			}
			return ok
		}
		alice, bob := "https://mastodon.example/users/alice", "https://mastodon.example/users/bob"
		for _, r := range []struct {
			id    string
			kind  federation.ReactionKind
			actor string
			art   int64
		}{
			{"like/1", federation.ReactionLike, alice, a.ID},
			{"like/2", federation.ReactionLike, bob, a.ID},
			// Alice liked twice: she counts once.
			{"like/3", federation.ReactionLike, alice, a.ID},
			{"boost/1", federation.ReactionAnnounce, alice, a.ID},
			{"like/4", federation.ReactionLike, bob, b.ID},
		} {
			if !react(r.id, r.kind, r.actor, r.art) {
				t.Errorf("SaveReaction %s = false, want true", r.id)
			}
		}
		if react("like/1", federation.ReactionLike, alice, a.ID) {
			t.Error("second SaveReaction of like/1 = true, want false")
		}
		counts := func() map[int64]federation.Reactions {
			t.Helper()
			got, err := st.ReactionCounts(ctx, []int64{a.ID, b.ID, 999999})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		want := map[int64]federation.Reactions{a.ID: {Likes: 2, Boosts: 1}, b.ID: {Likes: 1}, 999999: {}}
		if diff := cmp.Diff(want, counts()); diff != "" {
			t.Errorf("ReactionCounts (-want +got):\n%s", diff)
		}
		for _, c := range []struct {
			name, id, actor string
			want            bool
		}{
			{"OtherActor", "like/2", alice, false},
			{"OK", "like/2", bob, true},
			{"Again", "like/2", bob, false},
		} {
			if got, err := st.DeleteReaction(ctx, c.id, c.actor); err != nil || got != c.want {
				t.Errorf("%s: DeleteReaction = %v, %v; want %v", c.name, got, err, c.want)
			}
		}
		want[a.ID] = federation.Reactions{Likes: 1, Boosts: 1}
		if diff := cmp.Diff(want, counts()); diff != "" {
			t.Errorf("ReactionCounts after an Undo (-want +got):\n%s", diff)
		}

		// A deleted account takes its reactions and follows with it.
		f := follower("alice", "mastodon.example", true)
		if err := st.SaveFollower(ctx, f, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveRemoteActor(ctx, &federation.RemoteActor{ID: alice, KeyID: alice + "#main-key", FetchedAt: epoch}); err != nil {
			t.Fatal(err)
		}
		if err := st.RemoveActor(ctx, alice); err != nil {
			t.Fatal(err)
		}
		want[a.ID] = federation.Reactions{}
		if diff := cmp.Diff(want, counts()); diff != "" {
			t.Errorf("ReactionCounts after RemoveActor (-want +got):\n%s", diff)
		}
		if _, err := st.Follower(ctx, f.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("follower of a removed actor: %v, want NotFound", err)
		}
		if got, err := st.RemoteActor(ctx, alice); err != nil || !got.Gone {
			t.Errorf("RemoteActor after RemoveActor = %+v, %v; want gone", got, err)
		}

		// Reactions go with their article.
		rawExec(t, e.db, "DELETE FROM articles WHERE id = $1", b.ID)
		if n := rawInt(t, e.db, "SELECT COUNT(*) FROM ap_reactions WHERE article_id = $1", b.ID); n != 0 {
			t.Errorf("%d reactions of a deleted article, want 0", n)
		}
	})
}

func TestFederationRemoteActors(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewFederationStore(e.db)
		a := &federation.RemoteActor{ID: "https://mastodon.example/users/alice", KeyID: "https://mastodon.example/users/alice#main-key",
			PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", Inbox: "https://mastodon.example/users/alice/inbox",
			SharedInbox: "https://mastodon.example/inbox", Handle: "@alice@mastodon.example", Name: "Alice",
			URL: "https://mastodon.example/@alice", IconURL: "https://mastodon.example/alice.png", FetchedAt: epoch}
		if err := st.SaveRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
		// A key rotation replaces the cached actor.
		rotated := *a
		rotated.KeyID, rotated.PublicKeyPEM, rotated.FetchedAt = a.ID+"#key-2", "-----BEGIN PUBLIC KEY-----\nMIIC\n-----END PUBLIC KEY-----\n", epoch.Add(time.Hour)
		if err := st.SaveRemoteActor(ctx, &rotated); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			get  func() (*federation.RemoteActor, error)
		}{
			{"ByID", func() (*federation.RemoteActor, error) { return st.RemoteActor(ctx, a.ID) }},
			{"ByKey", func() (*federation.RemoteActor, error) { return st.RemoteActorByKey(ctx, rotated.KeyID) }},
		} {
			got, err := c.get()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if diff := cmp.Diff(&rotated, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.name, diff)
			}
		}
		if _, err := st.RemoteActorByKey(ctx, a.KeyID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("RemoteActorByKey of the old key: %v, want NotFound", err)
		}
		if _, err := st.RemoteActor(ctx, "https://nowhere.example/users/x"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("RemoteActor of an unknown actor: %v, want NotFound", err)
		}
	})
}

func TestCommentRemoteID(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		art := e.article(t, content.ArticleInput{Title: "Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour)})
		create := func(remoteID, body string) (*comments.Comment, error) {
			c := &comments.Comment{ArticleID: art.ID, AuthorName: "Alice", AuthorURL: "https://mastodon.example/@alice", RemoteID: remoteID,
				Body: body, BodyHTML: "<p>" + body + "</p>", Status: comments.StatusApproved, CreatedAt: epoch}
			return c, st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, At: epoch})
		}
		remote := "https://mastodon.example/users/alice/statuses/1"
		reply, err := create(remote, "Merci pour cet article.")
		if err != nil {
			t.Fatal(err)
		}
		// The site's own comments have no remote id: many of them.
		for _, body := range []string{"Un lecteur.", "Une lectrice."} {
			if _, err := create("", body); err != nil {
				t.Fatalf("comment without a remote id: %v", err)
			}
		}
		got, err := st.CommentByRemoteID(ctx, remote)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != reply.ID || got.RemoteID != remote || got.ArticleTitle != "Palmyre" {
			t.Errorf("CommentByRemoteID = %+v", got)
		}
		if byID, err := st.Comment(ctx, reply.ID); err != nil {
			t.Error(err)
		} else if byID.RemoteID != remote {
			t.Errorf("Comment(%d).RemoteID = %q, want %q", reply.ID, byID.RemoteID, remote)
		}
		if _, err := create(remote, "Redelivered."); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second comment with one remote id: %v, want Conflict", err)
		}
		for _, id := range []string{"", "https://mastodon.example/users/alice/statuses/2"} {
			if _, err := st.CommentByRemoteID(ctx, id); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("CommentByRemoteID(%q): %v, want NotFound", id, err)
			}
		}
	})
}

package storage_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/secretbox"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// TestSocialRules checks what each account's rules make of an article's
// life: filters, a delay out of a quiet window, a repost later, a
// republication at a later date, and deleting the posts when the article
// is unpublished.
func TestSocialRules(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := storagetest.MustOpen(t, dsn, jobs.Migrate)
		q, err := jobs.New(db, jobs.Services{}, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.SetEnqueuer(q)
		box, _ := secretbox.New(bytes.Repeat([]byte{9}, secretbox.KeySize))
		// 22:30 in Paris: inside a 22:00–07:00 quiet window.
		paris, _ := time.LoadLocation("Europe/Paris")
		now := time.Date(2026, 11, 27, 22, 30, 0, 0, paris)
		clk := clock.NewFixed(now)
		net := &network{keys: map[string]syndication.Remote{}, idem: true}
		arts := articles{1: {ID: 1, Version: 1, Visible: true, Featured: true, PublishedAt: now, CategoryIDs: []int64{7, 8},
			Vars: syndication.Vars{Title: "Palmyre", Permalink: "https://le-veilleur.example/palmyre/", Tags: []string{"Syrie"}}},
			2: {ID: 2, Version: 1, Visible: true, Page: true, PublishedAt: now,
				Vars: syndication.Vars{Title: "Qui sommes-nous", Permalink: "https://le-veilleur.example/qui/"}}}
		store := storage.NewSocialStore(db)
		svc := syndication.NewService(syndication.Deps{Store: store, Sealer: box, Clock: clk, Articles: arts,
			Location:   func() *time.Location { return paris },
			Publishers: map[syndication.Network]syndication.Publisher{syndication.Mastodon: net}})
		account := func(name string, r syndication.Rules) *syndication.Account {
			t.Helper()
			a, err := svc.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: syndication.Mastodon, Name: name,
				Config: map[string]string{"instance": "https://mastodon.example"}, Secrets: map[string]string{"access_token": "t"},
				Template: "{POST_TITLE} {PERMALINK}", Rules: r, Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		base := syndication.DefaultRules()
		quiet := base
		quiet.Delay, quiet.QuietFrom, quiet.QuietUntil, quiet.RepostAfter = 10*time.Minute, 22*60, 7*60, 24*time.Hour
		quiet.DeleteOnUnpublish, quiet.Rescheduled = true, syndication.RescheduledRepost
		all := base
		all.Categories, all.Match = []int64{7, 9}, syndication.MatchAll
		anyOf := base
		anyOf.Categories, anyOf.Tags = []int64{9}, []string{"syrie"}
		pages := base
		pages.Pages = true
		featured := base
		featured.FeaturedOnly = true
		a := map[string]*syndication.Account{
			"quiet": account("quiet", quiet), "all": account("all", all), "any": account("any", anyOf),
			"pages": account("pages", pages), "featured": account("featured", featured),
		}
		for _, id := range []int64{1, 2} {
			if err := svc.ArticleChanged(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string][]*syndication.Delivery{}
		for _, id := range []int64{1, 2} {
			ds, _ := store.DeliveriesOf(ctx, id)
			for _, d := range ds {
				for name, acct := range a {
					if acct.ID == d.AccountID {
						got[name] = append(got[name], d)
					}
				}
			}
		}
		// An article published days before the accounts were connected is
		// old news for them, whatever brings it up (an edit, an import).
		arts[3] = &syndication.Article{ID: 3, Version: 5, Visible: true, PublishedAt: now.Add(-72 * time.Hour),
			Vars: syndication.Vars{Title: "Ancien", Permalink: "https://le-veilleur.example/ancien/"}}
		if err := svc.ArticleChanged(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if old, _ := store.DeliveriesOf(ctx, 3); len(old) != 0 {
			t.Errorf("an old article went out: %+v", old)
		}
		// "all" wants categories 7 and 9: the article has 7 and 8.
		if len(got["all"]) != 0 {
			t.Errorf("all-of filter let the article through: %+v", got["all"])
		}
		// "any" matches by tag, case aside.
		if len(got["any"]) != 1 {
			t.Errorf("any-of filter: %d deliveries", len(got["any"]))
		}
		// Pages only where asked.
		if len(got["pages"]) != 2 || len(got["featured"]) != 1 {
			t.Errorf("pages: %d deliveries, featured: %d", len(got["pages"]), len(got["featured"]))
		}
		// Quiet: 22:40 falls in the window, so 07:00 the next morning;
		// the repost a day after that.
		qs := got["quiet"]
		if len(qs) != 2 {
			t.Fatalf("quiet account: %d deliveries, want the post and its repost", len(qs))
		}
		morning := time.Date(2026, 11, 28, 7, 0, 0, 0, paris)
		if !qs[0].NextAttemptAt.Equal(morning) || qs[0].Kind != syndication.KindPost {
			t.Errorf("post at %v (%s), want %v", qs[0].NextAttemptAt.In(paris), qs[0].Kind, morning)
		}
		if !qs[1].NextAttemptAt.Equal(morning.Add(24*time.Hour)) || qs[1].Kind != syndication.KindRepost {
			t.Errorf("repost at %v (%s)", qs[1].NextAttemptAt.In(paris), qs[1].Kind)
		}
		if _, err := svc.Deliver(ctx, qs[0].ID); err != nil {
			t.Fatal(err)
		}

		// Republished at a later date: the quiet account posts again.
		arts[1].Version, arts[1].PublishedAt = 2, now.Add(48*time.Hour)
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		ds, _ := store.DeliveriesOf(ctx, 1)
		reposts := 0
		for _, d := range ds {
			if d.AccountID == a["quiet"].ID && d.Kind == syndication.KindRepost && d.Version == 2 {
				reposts++
			}
		}
		if reposts != 1 {
			t.Errorf("republication: %d reposts of version 2, want 1", reposts)
		}

		// Unpublished: the sent post is deleted, and only that one.
		arts[1].Visible, arts[1].Version = false, 3
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		ds, _ = store.DeliveriesOf(ctx, 1)
		var deletes []*syndication.Delivery
		for _, d := range ds {
			if d.Kind == syndication.KindDelete {
				deletes = append(deletes, d)
			}
		}
		if len(deletes) != 1 || deletes[0].Remote.ID != qs[0].Key || int64(deletes[0].Version) != qs[0].ID {
			t.Fatalf("deletes = %+v", deletes)
		}
		if _, err := svc.Deliver(ctx, deletes[0].ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Delivery(ctx, deletes[0].ID); d.State != syndication.StateDeleted {
			t.Errorf("delete delivery = %+v", d)
		}
	})
}

package storage_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/secretbox"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// network is a scripted social network: it posts once per key when it is
// idempotent, and fails as told.
type network struct {
	mu    sync.Mutex
	posts []syndication.Post
	keys  map[string]syndication.Remote
	fail  []error
	// crash, when set, posts and then fails as a cut connection would.
	crash bool
	idem  bool
}

func (n *network) Verify(context.Context, syndication.Credentials) (syndication.Profile, error) {
	return syndication.Profile{Name: "veilleur"}, nil
}

func (n *network) Publish(_ context.Context, _ syndication.Credentials, a syndication.Attempt) (syndication.Remote, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.fail) > 0 {
		err := n.fail[0]
		n.fail = n.fail[1:]
		return syndication.Remote{}, err
	}
	if r, ok := n.keys[a.Key]; ok && n.idem {
		return r, nil
	}
	n.posts = append(n.posts, a.Post)
	r := syndication.Remote{ID: a.Key, URL: "https://social.example/" + a.Key}
	n.keys[a.Key] = r
	if n.crash {
		n.crash = false
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous, Message: "connection reset after sending"}
	}
	return r, nil
}

func (n *network) Delete(context.Context, syndication.Credentials, syndication.Remote) error {
	return nil
}

func (n *network) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.posts)
}

// alertCounter counts the admins' alerts, and asks for one email each.
type alertCounter struct{ n int }

func (c *alertCounter) AccountFailing(context.Context, *syndication.Account, *syndication.Delivery) ([]job.Job, error) {
	c.n++
	return []job.Job{{Args: job.Email{To: []string{"admin@example.org"}, Subject: "failing"}}}, nil
}

// articles is a fixed set of articles.
type articles map[int64]*syndication.Article

func (a articles) Article(_ context.Context, id int64) (*syndication.Article, error) {
	if art, ok := a[id]; ok {
		return art, nil
	}
	return nil, apperr.New(apperr.NotFound, "error.not_found.text")
}

func TestSocialOutbox(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := storagetest.MustOpen(t, dsn, jobs.Migrate)
		q, err := jobs.New(db, jobs.Services{}, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.SetEnqueuer(q)
		box, _ := secretbox.New(bytes.Repeat([]byte{5}, secretbox.KeySize))
		clk := clock.NewFixed(epoch)
		masto, telegram, insta := &network{keys: map[string]syndication.Remote{}, idem: true},
			&network{keys: map[string]syndication.Remote{}}, &network{keys: map[string]syndication.Remote{}}
		arts := articles{1: {ID: 1, Version: 3, Visible: true, PublishedAt: epoch, CategoryIDs: []int64{7},
			Vars: syndication.Vars{Title: "Palmyre, la cité retrouvée", Permalink: "https://le-veilleur.example/palmyre/",
				Excerpt: "Dix ans après.", Tags: []string{"Syrie"}}}}
		store := storage.NewSocialStore(db)
		alerts := &alertCounter{}
		svc := syndication.NewService(syndication.Deps{Store: store, Sealer: box, Clock: clk, Articles: arts, Alerts: alerts,
			Publishers: map[syndication.Network]syndication.Publisher{syndication.Mastodon: masto, syndication.Telegram: telegram,
				syndication.Instagram: insta}})
		save := func(n syndication.Network, cfg, secrets map[string]string, rules syndication.Rules) *syndication.Account {
			t.Helper()
			a, err := svc.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: n, Name: string(n), Config: cfg, Secrets: secrets,
				Template: syndication.DefaultTemplate, Rules: rules, Enabled: true})
			if err != nil {
				t.Fatalf("save %s: %v", n, err)
			}
			return a
		}
		rules := syndication.DefaultRules()
		ma := save(syndication.Mastodon, map[string]string{"instance": "https://mastodon.example"}, map[string]string{"access_token": "t"}, rules)
		tg := save(syndication.Telegram, map[string]string{"channel": "@veilleur"}, map[string]string{"bot_token": "b"}, rules)
		save(syndication.Instagram, map[string]string{"account_id": "1"}, map[string]string{"access_token": "i"}, rules)
		filtered := rules
		filtered.Categories = []int64{8}
		save(syndication.Mastodon, map[string]string{"instance": "https://other.example"}, map[string]string{"access_token": "t"}, filtered)

		// Publication: one delivery per matching account, however often
		// the change is told.
		for range 3 {
			if err := svc.ArticleChanged(ctx, 1); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := store.DeliveriesOf(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		byAccount := map[int64]*syndication.Delivery{}
		for _, d := range ds {
			byAccount[d.AccountID] = d
		}
		if len(ds) != 3 {
			t.Fatalf("%d deliveries, want 3 (the filtered account gets none): %+v", len(ds), ds)
		}
		var skipped *syndication.Delivery
		for _, d := range ds {
			if d.State == syndication.StateSkipped {
				skipped = d
			}
		}
		if skipped == nil || skipped.Error == "" {
			t.Fatalf("Instagram without an image not skipped with a reason: %+v", ds)
		}

		// Mastodon: a network error, then a rate limit, then it goes out.
		masto.fail = []error{&syndication.Error{Class: syndication.Transient, Status: 502, Message: "Bad Gateway"},
			&syndication.Error{Class: syndication.RateLimited, Status: 429, RetryAfter: 90 * time.Second}}
		md := byAccount[ma.ID]
		if wait, err := svc.Deliver(ctx, md.ID); err != nil || wait < 20*time.Second || wait > time.Minute {
			t.Fatalf("after a 502: wait %v, err %v", wait, err)
		}
		if d, _ := store.Delivery(ctx, md.ID); d.State != syndication.StateRetrying || d.Error != "Bad Gateway" {
			t.Fatalf("after a 502: %+v", d)
		}
		if wait, err := svc.Deliver(ctx, md.ID); err != nil || wait != 90*time.Second {
			t.Fatalf("after a 429: wait %v, err %v", wait, err)
		}
		if wait, err := svc.Deliver(ctx, md.ID); err != nil || wait != 0 {
			t.Fatalf("third attempt: wait %v, err %v", wait, err)
		}
		d, _ := store.Delivery(ctx, md.ID)
		if d.State != syndication.StateSent || d.Remote.URL == "" || d.Attempts != 3 || masto.count() != 1 {
			t.Fatalf("sent delivery = %+v, %d posts", d, masto.count())
		}
		// A job run again posts nothing more.
		if _, err := svc.Deliver(ctx, md.ID); err != nil || masto.count() != 1 {
			t.Fatalf("second run: %v, %d posts", err, masto.count())
		}

		// Telegram has no idempotency: a post cut short waits for a
		// person rather than being sent twice.
		telegram.crash = true
		td := byAccount[tg.ID]
		if _, err := svc.Deliver(ctx, td.ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Delivery(ctx, td.ID); d.State != syndication.StateCheck {
			t.Fatalf("ambiguous failure: %+v", d)
		}
		if _, err := svc.Deliver(ctx, td.ID); err != nil || telegram.count() != 1 {
			t.Fatalf("a delivery waiting for a check was retried: %v, %d posts", err, telegram.count())
		}

		// A crash between « sending » and the outcome: on Mastodon the
		// retry is safe (same key), on Telegram it waits for a person.
		arts[1].Version = 4
		arts[1].Vars.Title = "Palmyre, la cité retrouvée (corrigé)"
		up := filtered
		up.Categories, up.OnUpdate = nil, true
		if _, err := svc.SaveAccount(ctx, admin, ma.ID, syndication.AccountInput{Network: syndication.Mastodon, Name: "mastodon",
			Config: map[string]string{"instance": "https://mastodon.example"}, Template: syndication.DefaultTemplate, Rules: up, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		ds, _ = store.DeliveriesOf(ctx, 1)
		var update *syndication.Delivery
		for _, d := range ds {
			if d.Kind == syndication.KindUpdate {
				update = d
			}
		}
		if update == nil || update.AccountID != ma.ID || update.Version != 4 || len(ds) != 4 {
			t.Fatalf("update delivery = %+v among %d", update, len(ds))
		}
		update.State, update.Attempts = syndication.StateSending, 1 // the worker died here
		if err := store.UpdateDelivery(ctx, update); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Deliver(ctx, update.ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Delivery(ctx, update.ID); d.State != syndication.StateSent || masto.count() != 2 {
			t.Fatalf("resumed update = %+v, %d posts", d, masto.count())
		}

		// A revoked token fails the delivery and flags the account.
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		arts[1].Version = 5
		if err := svc.ArticleChanged(ctx, 1); err != nil {
			t.Fatal(err)
		}
		ds, _ = store.DeliveriesOf(ctx, 1)
		last := ds[len(ds)-1]
		masto.fail = []error{&syndication.Error{Class: syndication.Auth, Status: 401, Message: "The access token is invalid"}}
		if _, err := svc.Deliver(ctx, last.ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Delivery(ctx, last.ID); d.State != syndication.StateFailed || d.Error != "The access token is invalid" {
			t.Fatalf("after a 401: %+v", d)
		}
		if a, _, _ := svc.Account(ctx, ma.ID); !a.Failing {
			t.Error("the account was not flagged")
		}
		if alerts.n != 1 {
			t.Errorf("%d alerts after the account stopped posting, want 1", alerts.n)
		}

		// The log: newest first, filtered, with the names it shows.
		rows, total, err := svc.Deliveries(ctx, syndication.DeliveryQuery{State: syndication.StateFailed})
		if err != nil || total != 1 || len(rows) != 1 || rows[0].ID != last.ID || rows[0].AccountName != "mastodon" ||
			rows[0].Network != syndication.Mastodon {
			t.Fatalf("failed deliveries = %+v (%d), %v", rows, total, err)
		}
		if _, total, _ := svc.Deliveries(ctx, syndication.DeliveryQuery{ArticleID: 1}); total != len(ds) {
			t.Errorf("deliveries of the article: %d, want %d", total, len(ds))
		}
		// A retry asked by a person queues it again; a sent one is not
		// retried.
		if err := svc.Retry(ctx, last.ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Delivery(ctx, last.ID); d.State != syndication.StateQueued || d.Error != "" || d.Attempts != 0 {
			t.Errorf("retried delivery = %+v", d)
		}
		if err := svc.Retry(ctx, md.ID); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("retry of a sent delivery: %v", err)
		}

		// An editor skips an account for an article, and writes another
		// message for another.
		arts[2] = &syndication.Article{ID: 2, Version: 1, Visible: true, PublishedAt: epoch,
			Vars: syndication.Vars{Title: "Deuxième", Permalink: "https://le-veilleur.example/deux/"}}
		if err := svc.SetOverride(ctx, 2, tg.ID, syndication.Override{Skip: true}); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetOverride(ctx, 2, ma.ID, syndication.Override{Message: "{TITRE}"}); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("an override with an unknown placeholder: %v", err)
		}
		if err := svc.ArticleChanged(ctx, 2); err != nil {
			t.Fatal(err)
		}
		ds2, _ := store.DeliveriesOf(ctx, 2)
		for _, d := range ds2 {
			if d.AccountID == tg.ID && (d.State != syndication.StateSkipped || d.Error != syndication.ReasonEditorSkip) {
				t.Errorf("skipped account's delivery = %+v", d)
			}
			if d.AccountID == ma.ID {
				// The account is still failing: no post, no second alert.
				if _, err := svc.Deliver(ctx, d.ID); err != nil {
					t.Fatal(err)
				}
				if got, _ := store.Delivery(ctx, d.ID); got.State != syndication.StateFailed || alerts.n != 1 {
					t.Errorf("delivery of a failing account = %+v, %d alerts", got, alerts.n)
				}
			}
		}
	})
}

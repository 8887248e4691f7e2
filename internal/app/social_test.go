package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// TestArticleGoesOutOnce publishes an article on a running site with a
// Mastodon account (a faithful fake instance): it goes out once, with its
// title and link, whatever the edits that follow; a scheduled article
// goes out at its time, not before.
func TestArticleGoesOutOnce(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		opts := apptest.Options{Serve: true, NoDemo: true}
		if strings.HasPrefix(dsn, "postgres") {
			opts.PostgresURL = dsn
		}
		s := apptest.New(t, opts)
		masto := mastodontest.NewServer(t)
		ctx := context.Background()
		acct, err := s.App.Syndication.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: syndication.Mastodon,
			Name: "Mastodon", Config: map[string]string{"instance": masto.URL}, Secrets: map[string]string{"access_token": masto.Token},
			Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules(), Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if acct.Profile.Name != "La Gazette" {
			t.Errorf("profile = %+v", acct.Profile)
		}
		art, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Palmyre, la cité retrouvée",
			Excerpt: "Dix ans après, les archéologues reviennent.", Body: "Texte.", Status: content.StatusPublished,
			PublishedAt: time.Now().Add(-time.Minute), Tags: []string{"Syrie"}})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "the post on Mastodon", func() bool { return len(masto.Posts()) == 1 })
		p := masto.Posts()[0]
		if !strings.Contains(p.Text, "Palmyre, la cité retrouvée") || !strings.Contains(p.Text, s.URL+"/") ||
			!strings.Contains(p.Text, "#Syrie") || p.Language != "fr" || p.IdempotencyKey == "" {
			t.Errorf("post = %+v", p)
		}
		var d *syndication.Delivery
		waitFor(t, 10*time.Second, "the delivery marked sent", func() bool {
			ds, err := storageDeliveries(s, art.ID)
			if err != nil || len(ds) != 1 {
				return false
			}
			d = ds[0]
			return d.State == syndication.StateSent
		})
		if d.Remote.URL != p.URL {
			t.Errorf("delivery remote = %+v, post URL %q", d.Remote, p.URL)
		}

		// An edit: the account posts on first publication only.
		if _, err := s.App.Content.UpdateArticle(ctx, art.ID, content.ArticleInput{Title: art.Title + " (mis à jour)",
			Excerpt: art.Excerpt, Body: "Texte corrigé.", Status: content.StatusPublished, PublishedAt: art.PublishedAt,
			Version: art.Version}); err != nil {
			t.Fatal(err)
		}
		// A scheduled article waits for its time.
		if _, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Flash programmé", Body: "Bientôt.",
			Status: content.StatusScheduled, PublishedAt: time.Now().Add(2 * time.Second)}); err != nil {
			t.Fatal(err)
		}
		if n := len(masto.Posts()); n != 1 {
			t.Fatalf("%d posts before the scheduled time", n)
		}
		waitFor(t, 20*time.Second, "the scheduled article's post", func() bool { return len(masto.Posts()) == 2 })
		time.Sleep(500 * time.Millisecond)
		if ps := masto.Posts(); len(ps) != 2 || !strings.Contains(ps[1].Text, "Flash programmé") {
			t.Fatalf("posts = %+v", ps)
		}
	})
}

func storageDeliveries(s *apptest.Site, articleID int64) ([]*syndication.Delivery, error) {
	return s.App.Syndication.Store.DeliveriesOf(context.Background(), articleID)
}

// TestSocialPostSurvivesACrash stops the site while a post to Mastodon is
// under way (the instance posted but its answer never came), starts it
// again on the same data, and finds exactly one post: the retry carries
// the same Idempotency-Key, and the instance answers with the first post.
func TestSocialPostSurvivesACrash(t *testing.T) {
	dir := t.TempDir()
	masto := mastodontest.NewServer(t)
	ctx := context.Background()
	s1 := apptest.New(t, apptest.Options{Serve: true, NoDemo: true, Data: dir})
	if _, err := s1.App.Syndication.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: syndication.Mastodon,
		Name: "Mastodon", Config: map[string]string{"instance": masto.URL}, Secrets: map[string]string{"access_token": masto.Token},
		Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules(), Enabled: true}); err != nil {
		t.Fatal(err)
	}
	masto.FailNext(1, mastodontest.HangAfterPosting)
	art, err := s1.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Palmyre, la cité retrouvée", Body: "Texte.",
		Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the instance receiving the post", func() bool { return len(masto.Posts()) == 1 })
	s1.Stop() // the worker is waiting for the answer, which never comes

	s2 := apptest.New(t, apptest.Options{Serve: true, NoDemo: true, Data: dir})
	waitFor(t, 90*time.Second, "the delivery sent after the restart", func() bool {
		ds, err := s2.App.Syndication.Store.DeliveriesOf(ctx, art.ID)
		return err == nil && len(ds) == 1 && ds[0].State == syndication.StateSent
	})
	if n := len(masto.Posts()); n != 1 {
		t.Fatalf("%d posts after the restart, want 1", n)
	}
}

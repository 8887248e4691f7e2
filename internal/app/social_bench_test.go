package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// addMastodonAccounts connects n accounts of masto to s.
func addMastodonAccounts(tb testing.TB, s *apptest.Site, masto *mastodontest.Server, n int) {
	tb.Helper()
	for i := range n {
		if _, err := s.App.Syndication.SaveAccount(context.Background(), admin, 0, syndication.AccountInput{Network: syndication.Mastodon,
			Name: fmt.Sprintf("Mastodon %d", i), Config: map[string]string{"instance": masto.URL},
			Secrets: map[string]string{"access_token": masto.Token}, Template: syndication.DefaultTemplate,
			Rules: syndication.DefaultRules(), Enabled: true}); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkPublishWithSocialAccounts measures publishing an article with
// no social account and with ten: the issue wants the ten to add under
// 5 ms to the publish request, the work being in jobs. Compare the two
// sub-benchmarks' ns/op.
func BenchmarkPublishWithSocialAccounts(b *testing.B) {
	for _, backend := range storagetest.Backends() {
		for _, n := range []int{0, 10} {
			b.Run(fmt.Sprintf("%s/%d-accounts", backend.Name, n), func(b *testing.B) {
				opts := apptest.Options{NoDemo: true}
				if backend.Name == "postgres" {
					opts.PostgresURL = backend.DSN(b)
				}
				s := apptest.New(b, opts)
				addMastodonAccounts(b, s, mastodontest.NewServer(b), n)
				ctx := context.Background()
				i := 0
				for b.Loop() {
					i++
					if _, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: fmt.Sprintf("Dépêche %d", i),
						Body: "Texte.", Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSocialDrain publishes 100 articles on a running site with ten
// Mastodon accounts on a local instance, and measures how long the 1,000
// deliveries take to go out (the issue wants under 20 s), the fan-out of
// each publication included.
func BenchmarkSocialDrain(b *testing.B) {
	for _, backend := range storagetest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			for b.Loop() {
				opts := apptest.Options{Serve: true, NoDemo: true}
				if backend.Name == "postgres" {
					opts.PostgresURL = backend.DSN(b)
				}
				s := apptest.New(b, opts)
				masto := mastodontest.NewServer(b)
				addMastodonAccounts(b, s, masto, 10)
				ctx := context.Background()
				start := time.Now()
				for i := range 100 {
					if _, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: fmt.Sprintf("Dépêche %d", i),
						Body: "Texte.", Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)}); err != nil {
						b.Fatal(err)
					}
				}
				deadline := time.Now().Add(2 * time.Minute)
				for len(masto.Posts()) < 1000 {
					if time.Now().After(deadline) {
						b.Fatalf("%d of 1000 posts after 2 minutes", len(masto.Posts()))
					}
					time.Sleep(20 * time.Millisecond)
				}
				d := time.Since(start)
				b.ReportMetric(d.Seconds(), "drain-s")
				b.ReportMetric(1000/d.Seconds(), "posts/s")
				time.Sleep(time.Second) // nothing more may come
				if n := len(masto.Posts()); n != 1000 {
					b.Fatalf("%d posts", n)
				}
			}
		})
	}
}

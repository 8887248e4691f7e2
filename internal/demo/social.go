package demo

import (
	"context"
	"fmt"

	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/syndication"
)

// demoAccount is one of the demo newsroom's social accounts. No network
// is reachable from the demo, so the accounts are imported without a
// check and left disabled: the back office shows them, their templates
// and their delivery log, and an admin may connect real ones.
type demoAccount struct {
	network syndication.Network
	name    string
	config  map[string]string
	secrets map[string]string
	profile syndication.Profile
	// post returns the address of the post of an article, by its number
	// among the demo's posts; failed marks the article whose post failed.
	post   func(n int) (id, url string)
	failed int
	// why is the network's message for the failed post.
	why, class string
}

// seedSocial imports the demo's accounts and a delivery log for the
// newest articles: sent posts with their links, and one failure per
// account that shows what the log says when a network refuses.
func seedSocial(ctx context.Context, s Services, now time.Time) (accounts, deliveries int, err error) {
	page, err := s.Content.PublicList(ctx, content.ArticleFilter{}, 1, 4)
	if err != nil {
		return 0, 0, fmt.Errorf("demo social: %w", err)
	}
	list := []demoAccount{
		{network: syndication.Mastodon, name: "Mastodon du Veilleur",
			config:  map[string]string{"instance": "https://piaille.fr", "visibility": "public"},
			secrets: map[string]string{"access_token": "demo-jeton-non-valide"}, //nolint:gosec // G101: a demo value no network accepts
			profile: syndication.Profile{Name: "Le Veilleur", URL: "https://piaille.fr/@leveilleur"},
			post: func(n int) (string, string) {
				id := fmt.Sprintf("1134%014d", 2718281828+n)
				return id, "https://piaille.fr/@leveilleur/" + id
			}, failed: -1},
		{network: syndication.Bluesky, name: "Bluesky du Veilleur",
			config:  map[string]string{"handle": "leveilleur.bsky.social"},
			secrets: map[string]string{"app_password": "demo-abcd-efgh-ijkl"},
			profile: syndication.Profile{Name: "Le Veilleur", URL: "https://bsky.app/profile/leveilleur.bsky.social"},
			post: func(n int) (string, string) {
				rkey := fmt.Sprintf("3lbdemo%06d", n)
				return "at://did:plc:demoleveilleur/app.bsky.feed.post/" + rkey, "https://bsky.app/profile/leveilleur.bsky.social/post/" + rkey
			}, failed: -1},
		{network: syndication.Telegram, name: "Canal Telegram",
			config:  map[string]string{"channel": "@leveilleur"},
			secrets: map[string]string{"bot_token": "123456789:demo-jeton-non-valide"},
			profile: syndication.Profile{Name: "Le Veilleur", URL: "https://t.me/leveilleur"},
			post: func(n int) (string, string) {
				id := fmt.Sprintf("%d", 4200+n)
				return "-1001234567890:" + id, "https://t.me/leveilleur/" + id
			}, failed: 0, why: "Forbidden: bot was kicked from the channel chat", class: syndication.Auth.String()},
	}
	for _, da := range list {
		a, err := s.Syndication.ImportAccount(ctx, syndication.AccountInput{Network: da.network, Name: da.name,
			Config: da.config, Secrets: da.secrets, Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules()}, da.profile)
		if err != nil {
			return 0, 0, fmt.Errorf("demo social account %s: %w", da.network, err)
		}
		accounts++
		var ds []*syndication.Delivery
		for n, art := range page.Articles {
			sa, err := s.Syndication.Articles.Article(ctx, art.ID)
			if err != nil {
				return 0, 0, fmt.Errorf("demo social: article %d: %w", art.ID, err)
			}
			pv, err := s.Syndication.Preview(da.network, "", a.Template, sa)
			if err != nil {
				return 0, 0, fmt.Errorf("demo social: %w", err)
			}
			at := art.PublishedAt.Add(time.Duration(2+n) * time.Minute)
			d := &syndication.Delivery{ArticleID: art.ID, AccountID: a.ID, Kind: syndication.KindPost, Version: art.Version,
				State: syndication.StateSent, Key: fmt.Sprintf("kiosque-demo-%d-%d", art.ID, a.ID), Text: pv.Text,
				Attempts: 1, SentAt: at, CreatedAt: art.PublishedAt, UpdatedAt: at}
			if n == da.failed {
				d.State, d.Error, d.Class, d.SentAt = syndication.StateFailed, da.why, da.class, time.Time{}
			} else {
				d.Remote.ID, d.Remote.URL = da.post(n)
			}
			if at.After(now) {
				continue
			}
			ds = append(ds, d)
		}
		if err := s.Syndication.Store.Enqueue(ctx, ds); err != nil {
			return 0, 0, fmt.Errorf("demo social deliveries: %w", err)
		}
		deliveries += len(ds)
		if da.why != "" {
			if err := s.Syndication.Store.Flag(ctx, a.ID, true, da.why); err != nil {
				return 0, 0, err
			}
		}
	}
	return accounts, deliveries, nil
}

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/syndication"
)

// TestSocialLivePreview types a message template in a real browser: the
// preview under it follows, as Mastodon would receive the newest article
// with its count, and names a placeholder that does not exist, all within
// the site's Content-Security-Policy.
func TestSocialLivePreview(t *testing.T) {
	bin := chromium(t)
	s := apptest.New(t, apptest.Options{})
	masto := mastodontest.NewServer(t)
	acct, err := s.App.Syndication.SaveAccount(t.Context(), admin, 0, syndication.AccountInput{Network: syndication.Mastodon,
		Name: "Mastodon", Config: map[string]string{"instance": masto.URL}, Secrets: map[string]string{"access_token": masto.Token},
		Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules(), Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	newest, err := s.App.Content.PublicList(t.Context(), content.ArticleFilter{}, 1, 1)
	if err != nil || len(newest.Articles) != 1 {
		t.Fatalf("newest article: %v, %v", newest, err)
	}
	art, err := s.App.Syndication.Articles.Article(t.Context(), newest.Articles[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := art.Vars.Title + " !"

	ctx := newBrowser(t, bin, 1280, 900, s.URL+"/admin/")
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	step := stepper(ctx, t)
	part := func(name string) string {
		return `document.querySelector('#social-preview [data-part="` + name + `"]').textContent`
	}
	quoted, _ := json.Marshal(want)

	step("log in", logInAsDemoAdmin(s)...)
	step("open the account",
		chromedp.Navigate(fmt.Sprintf("%s/admin/social/%d", s.URL, acct.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#template`)),
	)
	step("type a template",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("template").value = ""`),
		chromedp.SendKeys(chromedp.CSS(`#template`), "{POST_TITLE} !"),
		chromedp.Poll[chromedp.Void](part("text")+` === `+string(quoted), chromedp.WithPollingTimeout(10*time.Second)),
	)
	left := fmt.Sprintf("reste %d", syndication.Mastodon.Limit().Remaining(want))
	step("read the count",
		chromedp.Poll[chromedp.Void](part("label")+`.includes("`+left+`")`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	step("type an unknown placeholder",
		chromedp.SendKeys(chromedp.CSS(`#template`), " {TITRE}"),
		chromedp.Poll[chromedp.Void](part("error")+`.includes("{TITRE}")`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	shoot(t, ctx, "social-preview")
}

// TestSocialJourney publishes an article from the editor in a real
// browser, on a site whose Mastodon account is a local instance: the post
// goes out once, and the delivery log shows it sent, with its link.
func TestSocialJourney(t *testing.T) {
	bin := chromium(t)
	s := apptest.New(t, apptest.Options{Serve: true})
	masto := mastodontest.NewServer(t)
	if _, err := s.App.Syndication.SaveAccount(t.Context(), admin, 0, syndication.AccountInput{Network: syndication.Mastodon,
		Name: "Mastodon du Veilleur", Config: map[string]string{"instance": masto.URL}, Secrets: map[string]string{"access_token": masto.Token},
		Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules(), Enabled: true}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, bin, 1280, 900, s.URL+"/admin/")
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	step := stepper(ctx, t)
	title := "Les bouquinistes rouvrent leurs boîtes"
	step("log in", logInAsDemoAdmin(s)...)
	step("write and publish",
		chromedp.Navigate(s.URL+"/admin/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.SendKeys(chromedp.CSS(`#body`), "Sur les quais, les boîtes vertes rouvrent une à une.\n\n"),
		chromedp.Click(chromedp.CSS(`button[value="publish"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
	)
	if !waitUntil(30*time.Second, func() bool { return len(masto.Posts()) == 1 }) {
		rows, _, err := s.App.Syndication.Deliveries(t.Context(), syndication.DeliveryQuery{})
		for _, r := range rows {
			t.Logf("delivery %+v", r.Delivery)
		}
		t.Fatalf("no post on Mastodon (%v)", err)
	}
	post := masto.Posts()[0]
	step("the delivery log",
		chromedp.Navigate(s.URL+"/admin/social/deliveries"),
		chromedp.WaitVisible(chromedp.CSS(`table.deliveries`)),
		chromedp.Poll[chromedp.Void](`(() => { const r = document.querySelector("tr.delivery.sent");
			return r !== null && r.textContent.includes(`+mustJSON(t, title)+`) &&
				r.querySelector("a.remote").href === `+mustJSON(t, post.URL)+`; })()`,
			chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(500*time.Millisecond)),
	)
	shoot(t, ctx, "social-deliveries")
	// The page reloads its rows only when asked: reload until the
	// delivery, recorded right after the post, shows as sent.
	if n := len(masto.Posts()); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

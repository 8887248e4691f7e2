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
	acct, err := s.App.Syndication.SaveAccount(t.Context(), 0, syndication.AccountInput{Network: syndication.Mastodon,
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
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shoot(t, ctx, what)
			t.Fatalf("%s: %v", what, err)
		}
	}
	part := func(name string) string {
		return `document.querySelector('#social-preview [data-part="` + name + `"]').textContent`
	}
	quoted, _ := json.Marshal(want)

	step("log in",
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), s.Demo.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), s.Demo.AdminPassword),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	)
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

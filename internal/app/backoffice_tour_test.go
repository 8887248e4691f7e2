package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
)

// TestBackOfficeFits visits every back office page on a phone and on a
// laptop, logged in as the administrator, with comments in the queue, and checks that each one
// renders its heading without a horizontal scroll bar: the newsroom works
// from both. KIOSQUE_SCREENSHOTS=DIR keeps a picture of each.
func TestBackOfficeFits(t *testing.T) {
	bin := chromium(t)
	s := apptest.New(t, apptest.Options{})
	palmyra, err := s.App.Content.ArticleBySlug(t.Context(), "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	article := palmyra.ID
	for i := range 3 {
		_, err := s.App.Comments.Post(t.Context(), comments.NewComment{ArticleID: article, Name: "Lectrice", Email: fmt.Sprintf("l%d@example.org", i),
			Text:    "Voir https://fr.wikipedia.org/wiki/Palmyre_(Syrie) et le long commentaire qui suit, sans espace : " + strings.Repeat("très", 40),
			Consent: true, Stamp: s.App.Comments.Stamp(article), IP: fmt.Sprintf("2001:db8::%d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
	}
	pages := []string{
		"/admin/", "/admin/articles", "/admin/articles/new", fmt.Sprintf("/admin/articles/%d", article),
		fmt.Sprintf("/admin/articles/%d/revisions", article), "/admin/pages", "/admin/media",
		"/admin/comments", "/admin/categories", "/admin/tags", "/admin/users", "/admin/account", "/admin/settings", "/admin/audit",
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"phone", 390, 844}, {"laptop", 1280, 800}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := newBrowser(t, bin, size.w, size.h, s.URL+"/admin/login")
			ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx,
				chromedp.WaitVisible(chromedp.CSS(`#email`)),
				chromedp.SendKeys(chromedp.CSS(`#email`), s.Demo.AdminEmail),
				chromedp.SendKeys(chromedp.CSS(`#password`), s.Demo.AdminPassword),
				chromedp.Click(chromedp.CSS(`button.primary`)),
				chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
			); err != nil {
				t.Fatalf("log in: %v", err)
			}
			for i, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+p), chromedp.WaitVisible(chromedp.CSS(`main h1`))); err != nil {
					shoot(t, ctx, fmt.Sprintf("%s-%02d", size.name, i))
					t.Errorf("%s: %v", p, err)
					continue
				}
				shoot(t, ctx, fmt.Sprintf("%s-%02d", size.name, i))
				over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
				if err != nil {
					t.Fatalf("%s: measure: %v", p, err)
				}
				if over > 0 {
					wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`))
					t.Errorf("%s is %d px wider than the %s screen (%s)", p, over, size.name, wide)
				}
			}
		})
	}
}

package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
)

// TestCommentJourney is a discussion in real browsers: a reader posts a
// comment under an article and sees it awaiting moderation; a moderator,
// in another browser, approves it from the queue; the reader reloads the
// article and finds the comment published, numbered after the others.
func TestCommentJourney(t *testing.T) {
	bin := chromium(t)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Serve: true, Clock: clk})
	const article = "/2016/12/11/l-etat-islamique-reprend-palmyre/"
	reader := newBrowser(t, bin, 390, 844, s.URL+article) // a phone
	reader, cancel := context.WithTimeout(reader, 90*time.Second)
	defer cancel()
	step := func(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shoot(t, ctx, what)
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := "Merci pour ce reportage. Les photos satellites publiées par l’Unesco confirment-elles les destructions ?"
	step(reader, "write a comment",
		chromedp.ScrollIntoView(chromedp.CSS(`#respond`)),
		chromedp.WaitVisible(chromedp.CSS(`#comment`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), text),
		chromedp.SendKeys(chromedp.CSS(`#author`), "Inès Lectrice"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ines@example.org"),
		chromedp.Click(chromedp.CSS(`#consent`)),
	)
	clk.Advance(time.Minute) // a person takes time to write
	step(reader, "post it",
		chromedp.Click(chromedp.CSS(`.comment-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.comment.awaiting`)),
	)
	waiting, err := chromedp.Run(reader, chromedp.Text(chromedp.CSS(`li.comment.awaiting`)))
	if err != nil || !strings.Contains(waiting, "en attente de modération") || !strings.Contains(waiting, "Unesco") {
		t.Fatalf("the reader does not see their comment awaiting moderation: %q %v", waiting, err)
	}
	id, err := chromedp.Run(reader, chromedp.AttributeValue(chromedp.CSS(`li.comment.awaiting`), "id"))
	if err != nil {
		t.Fatal(err)
	}
	row := "#c" + strings.TrimPrefix(id.Value, "comment-")

	mod := newBrowser(t, bin, 1280, 900, s.URL+"/admin/")
	mod, cancelMod := context.WithTimeout(mod, 90*time.Second)
	defer cancelMod()
	step(mod, "log in",
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), s.Demo.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), s.Demo.AdminPassword),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	)
	step(mod, "approve it from the queue",
		chromedp.Navigate(s.URL+"/admin/comments?status=pending"),
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.Click(chromedp.CSS(row+` button[value=approve]`)),
		chromedp.WaitNotPresent(chromedp.CSS(row)),
	)

	step(reader, "reload the article",
		chromedp.Navigate(s.URL+article),
		chromedp.WaitVisible(chromedp.CSS(`#`+id.Value)),
	)
	number, err := chromedp.Run(reader, chromedp.Text(chromedp.CSS(`#`+id.Value+` .comment-number`)))
	if err != nil || number != "#4" {
		shoot(t, reader, "numbered")
		t.Errorf("the approved comment's number = %q (%v), want #4", number, err)
	}
	// textContent: the heading is shown in capitals by the style sheet.
	heading, err := chromedp.Run(reader, chromedp.Evaluate[string](`document.getElementById("comments-heading").textContent`))
	if err != nil || heading != "4 commentaires" {
		t.Errorf("heading = %q (%v)", heading, err)
	}
	if n, err := chromedp.Run(reader, chromedp.Evaluate[int](`document.querySelectorAll("li.comment.awaiting").length`)); err != nil || n != 0 {
		t.Errorf("%d comments still awaiting (%v)", n, err)
	}
}

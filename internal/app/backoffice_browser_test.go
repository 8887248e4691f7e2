package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
)

// TestNewsroomJourney is a day at the newsroom in a real browser: log in,
// write an article, drop a photo into the text (the alternative text is
// asked first), let autosave keep the draft, schedule it a minute ahead,
// check readers cannot see it yet, let the minute pass on the site's clock,
// and find it on the public site with its responsive picture.
func TestNewsroomJourney(t *testing.T) {
	bin := chromium(t)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Serve: true, Clock: clk})
	ctx := newBrowser(t, bin, 1280, 900, s.URL+"/admin/")
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	step := stepper(ctx, t)
	text := func(what, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			shoot(t, ctx, what)
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}

	step("log in", logInAsDemoAdmin(s)...)
	title := "Les quais de Saône au petit matin"
	step("write",
		chromedp.Navigate(s.URL+"/admin/articles/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.SendKeys(chromedp.CSS(`#body`), "Avant sept heures, les quais appartiennent aux joggeurs et aux pêcheurs.\n\n"),
	)
	if slug, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#slug`), "placeholder")); err != nil || slug.Value != "les-quais-de-saone-au-petit-matin" {
		t.Errorf("slug hint = %+v, %v", slug, err)
	}

	// Drop a photo at the cursor: the script asks for its alternative
	// text, uploads it and inserts the Markdown.
	photo := base64.StdEncoding.EncodeToString(testPhoto(t))
	step("drop a photo",
		chromedp.Evaluate[chromedp.Void](`(() => {
			const bin = atob("`+photo+`");
			const bytes = Uint8Array.from(bin, c => c.charCodeAt(0));
			const dt = new DataTransfer();
			dt.items.add(new File([bytes], "quai.png", {type: "image/png"}));
			const body = document.getElementById("body");
			body.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
			body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		})()`),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open] input`)),
		chromedp.SendKeys(chromedp.CSS(`dialog[open] input`), "Un pêcheur sur le quai, à l’aube"),
		chromedp.Click(chromedp.CSS(`dialog[open] button.primary`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("body").value.includes("![Un pêcheur sur le quai, à l’aube](/media/")`, chromedp.WithPollingTimeout(20*time.Second)),
	)
	// It went where the cursor was, after the first paragraph.
	if v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("body").value`)); err != nil ||
		!strings.HasPrefix(v, "Avant sept heures, les quais appartiennent aux joggeurs et aux pêcheurs.\n\n![Un pêcheur") {
		t.Errorf("body after the drop = %q, %v", v, err)
	}
	// The live preview shows the picture as the site will.
	step("preview", chromedp.WaitVisible(chromedp.CSS(`#preview img[srcset]`)))

	// Autosave: a new article gets saved as a draft and an address.
	// The address changes first, then the message says so: wait for both.
	step("autosave",
		chromedp.Poll[chromedp.Void](`location.pathname.match(/^\/admin\/articles\/\d+$/) !== null`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll[chromedp.Void](`document.getElementById("autosave-state").textContent.includes("Sauvegardé automatiquement")`,
			chromedp.WithPollingTimeout(10*time.Second)),
	)

	// Schedule it for the next minute but one, in the site's time zone.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := clk.Now().In(paris).Truncate(time.Minute).Add(2 * time.Minute)
	step("schedule",
		chromedp.SetValue(chromedp.CSS(`#published_at`), at.Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS(`button[value="schedule"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
	)
	if got := text("status", `.heading .status`); got != "Programmé" {
		t.Errorf("status after scheduling = %q", got)
	}
	shoot(t, ctx, "editor-scheduled")

	step("home before", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if home := text("home", `main`); strings.Contains(home, title) {
		t.Fatal("the scheduled article is on the home page before its time")
	}

	// The minute passes on the site's clock; the scheduler's sweep
	// publishes the article within a second or two.
	clk.Advance(3 * time.Minute)
	link := chromedp.CSS(`a[href*="les-quais-de-saone-au-petit-matin"]`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// A reload, as a reader would: the page may be kept a minute by
		// the browser (Cache-Control: max-age=60).
		step("home after", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`main`)))
		if strings.Contains(text("home", `main`), title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the article did not appear on the home page once its time passed")
		}
		time.Sleep(500 * time.Millisecond)
	}
	step("open the article", chromedp.Click(link), chromedp.WaitVisible(chromedp.CSS(`h1.article-title`)))
	if got := text("title", `h1.article-title`); got != title {
		t.Errorf("public title = %q", got)
	}
	img, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => {
		const i = document.querySelector(".article-body img");
		return i ? {alt: i.alt, srcset: i.getAttribute("srcset"), loaded: i.complete && i.naturalWidth > 0} : null;
	})()`))
	if err != nil || img == nil {
		t.Fatalf("article picture: %v %v", img, err)
	}
	if img["alt"] != "Un pêcheur sur le quai, à l’aube" || !strings.Contains(img["srcset"].(string), "w, /media/") {
		t.Errorf("article picture = %v", img)
	}
	shoot(t, ctx, "article-published")
}

// testPhoto returns a 1200×800 PNG, wide enough to get resized copies.
func testPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 1200, 800))
	for y := range 800 {
		for x := range 1200 {
			img.Set(x, y, color.NRGBA{uint8(x / 5), uint8(y / 4), 140, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shoot saves a screenshot under $KIOSQUE_SCREENSHOTS, when set, to see
// what the browser saw.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("KIOSQUE_SCREENSHOTS")
	if dir == "" {
		return
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644)
}

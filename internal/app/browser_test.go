package app_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
)

// stepper returns what runs actions in ctx as one named step of a browser
// test, with a screenshot and the step's name when it fails.
func stepper(ctx context.Context, t *testing.T) func(what string, actions ...chromedp.Action[chromedp.Void]) {
	return func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shoot(t, ctx, what)
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// logInAsDemoAdmin are the actions of the demo's administrator logging in
// from the login page to the dashboard.
func logInAsDemoAdmin(s *apptest.Site) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), s.Demo.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), s.Demo.AdminPassword),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	}
}

// chromium returns the browser to drive, or skips: the browser test needs
// Debian's chromium package (.ci/run installs it; CI=true makes its
// absence a failure).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("KIOSQUE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs chromium for the browser test (apt-get install -y chromium)")
	}
	t.Skip("skipping browser test: chromium is not installed (Debian: apt-get install chromium)")
	return ""
}

// newBrowser starts chromium with a window of w×h pixels and extra
// options, opens url, and returns the context driving it; the browser
// closes with the test.
func newBrowser(t *testing.T, bin string, w, h int, url string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	// The first action starts the browser, which lives as long as the
	// context of that call: no timeout on it, one on each step after.
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return ctx
}

// TestReaderJourney opens the home page in a real browser, follows a link
// to an article, and checks what a reader sees: the title, the date and the
// support appeal.
func TestReaderJourney(t *testing.T) {
	bin := chromium(t)
	s := apptest.New(t, apptest.Options{})
	ctx := newBrowser(t, bin, 390, 844, s.URL+"/") // a phone
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	featured := chromedp.CSS(`.featured-grid .card-title a[href*="palmyre"]`)
	must("wait for the featured articles", chromedp.Do(ctx, chromedp.WaitVisible(featured)))
	homeTitle, err := chromedp.Run(ctx, chromedp.Title())
	must("read the title", err)
	link, err := chromedp.Run(ctx, chromedp.AttributeValue(featured, "href"))
	must("read the link", err)
	must("follow the link", chromedp.Do(ctx, chromedp.Click(featured), chromedp.WaitVisible(chromedp.CSS(`h1.article-title`))))
	articleTitle, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1.article-title`)))
	must("read the article title", err)
	date, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.article-header time`)))
	must("read the date", err)
	must("scroll to the appeal", chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(`.appeal`)), chromedp.WaitVisible(chromedp.CSS(`.appeal`))))
	appeal, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.appeal`)))
	must("read the appeal", err)
	appealVisible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.querySelector('.appeal').getBoundingClientRect(); return r.width > 0 && r.height > 0 })()`))
	must("measure the appeal", err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(60))
	must("screenshot", err)

	if homeTitle != "Le Veilleur" {
		t.Errorf("home title = %q", homeTitle)
	}
	if link.Value != "/2016/12/11/l-etat-islamique-reprend-palmyre/" {
		t.Errorf("link = %q", link.Value)
	}
	if articleTitle != "L’État islamique reprend Palmyre" {
		t.Errorf("article title = %q", articleTitle)
	}
	if date != "dimanche 11 décembre 2016" {
		t.Errorf("date = %q", date)
	}
	if !appealVisible || !strings.Contains(appeal, "ne subsiste que par la générosité de ses lecteurs") {
		t.Errorf("appeal visible %v: %q", appealVisible, appeal)
	}
	if dir := os.Getenv("KIOSQUE_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "article-phone.jpg"), shot, 0o644)
	}
}

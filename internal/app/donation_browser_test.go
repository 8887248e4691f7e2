package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

// TestDonationJourney is a gift in a real browser: a reader follows the
// appeal under an article to the donation page, gives 25 €, goes through
// the checkout page and comes back to the thank-you page; Stripe's signed
// webhook then marks the gift paid, and the campaign's bar under the
// article moves.
//
// Stripe's hosted checkout page is outside the test: stripe-mock answers
// the API, and the browser's visit to checkout.stripe.com is sent to a
// local page that, like Stripe's after a payment, leads back to the
// site's thank-you page.
func TestDonationJourney(t *testing.T) {
	bin := chromium(t)
	const secret = "whsec_kiosque_journey"
	backend := stripemock.Start(t)
	s := apptest.New(t, apptest.Options{Serve: true, Configure: func(c *config.Config) {
		c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, secret, backend
	}})
	checkout := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Checkout</title><p>25,00 €</p><a id="pay" href="%s/soutenir/merci/">Payer</a>`, s.URL)
	}))
	t.Cleanup(checkout.Close)
	host := strings.TrimPrefix(checkout.URL, "https://")
	const article = "/2016/12/11/l-etat-islamique-reprend-palmyre/"
	reader := newBrowser(t, bin, 1280, 900, s.URL+article,
		chromedp.Flag("host-resolver-rules", "MAP checkout.stripe.com "+host),
		chromedp.Flag("ignore-certificate-errors", true))
	reader, cancel := context.WithTimeout(reader, 90*time.Second)
	defer cancel()
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(reader, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shoot(t, reader, what)
			where, _ := chromedp.Run(reader, chromedp.Location())
			text, _ := chromedp.Run(reader, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 3000) : ""`))
			t.Fatalf("%s: %v\nat %s:\n%s", what, err, where, text)
		}
	}
	figures := func() string {
		t.Helper()
		got, err := chromedp.Run(reader, chromedp.Text(chromedp.CSS(`.appeal .campaign-figures`)))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := figures()

	step("follow the appeal",
		chromedp.ScrollIntoView(chromedp.CSS(`.appeal a.button`)),
		chromedp.Click(chromedp.CSS(`.appeal a.button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.donate-form`)),
	)
	step("give 25 €",
		chromedp.Click(chromedp.CSS(`input[name=amount][value="25"]`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ines@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#first_names`), "Inès"),
		chromedp.SendKeys(chromedp.CSS(`#last_name`), "Lambert"),
		chromedp.SendKeys(chromedp.CSS(`#address`), "12 rue des Lilas"),
		chromedp.SendKeys(chromedp.CSS(`#postal_code`), "69001"),
		chromedp.SendKeys(chromedp.CSS(`#city`), "Lyon"),
	)
	step("go to the checkout page",
		chromedp.Click(chromedp.CSS(`.donate-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pay`)),
	)
	step("pay and come back",
		chromedp.Click(chromedp.CSS(`#pay`)),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
	thanks, err := chromedp.Run(reader, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil || !strings.Contains(thanks, "Merci") {
		shoot(t, reader, "thanks")
		t.Fatalf("the thank-you page says %q (%v)", thanks, err)
	}
	var ref string
	var amount int64
	var status string
	err = s.App.DB.SQLWrite().QueryRowContext(context.Background(),
		"SELECT reference, amount_cents, status FROM donations ORDER BY id DESC LIMIT 1").Scan(&ref, &amount, &status)
	if err != nil || amount != 2500 || status != "pending" {
		t.Fatalf("the gift before the webhook: %d %s (%v)", amount, status, err)
	}

	payload, sig := stripemock.Event(t, secret, time.Now(), "evt_journey", "checkout.session.completed", map[string]any{
		"id": "cs_journey", "object": "checkout.session", "client_reference_id": ref, "payment_status": "paid",
		"amount_total": 2500, "currency": "eur", "payment_intent": "pi_journey"})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Stripe-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook: %d", resp.StatusCode)
	}

	if err := s.App.DB.SQLWrite().QueryRowContext(context.Background(), "SELECT status FROM donations WHERE reference = ?", ref).
		Scan(&status); err != nil || status != "paid" {
		t.Fatalf("the gift after the webhook: %s (%v)", status, err)
	}
	// The bar's figures are purged from the page cache within seconds; the
	// reader reloads the article (the browser may keep a page a minute).
	step("back to the article", chromedp.Navigate(s.URL+article), chromedp.WaitVisible(chromedp.CSS(`.appeal .campaign-figures`)))
	deadline := time.Now().Add(10 * time.Second)
	var after string
	for {
		step("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.appeal .campaign-figures`)))
		if after = figures(); after != before || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if raised(t, after)-raised(t, before) != 25 {
		t.Errorf("the bar went from %q to %q, want 25 € more", before, after)
	}
}

// raised reads the euros raised in « 12 430 € sur 20 000 €, … ».
func raised(t *testing.T, figures string) int {
	t.Helper()
	head, _, _ := strings.Cut(figures, "€")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, head)
	var n int
	if _, err := fmt.Sscan(digits, &n); err != nil {
		t.Fatalf("figures %q: %v", figures, err)
	}
	return n
}

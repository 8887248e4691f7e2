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
	"github.com/kiosque/kiosque/internal/shop"
)

// TestBookshopJourney is a purchase in a real browser: a reader searches
// the bookshop for a title, adds it and a second book to the cart, checks
// out with a delivery address, and goes to the payment page; Stripe's
// signed webhook then marks the order paid, the reader's order page says
// so, and the bookshop's back office lists it as paid.
//
// As in TestDonationJourney, stripe-mock answers the API and the browser's
// visit to checkout.stripe.com goes to a local page.
func TestBookshopJourney(t *testing.T) {
	bin := chromium(t)
	const secret = "whsec_kiosque_shop_journey"
	backend := stripemock.Start(t)
	s := apptest.New(t, apptest.Options{Serve: true, Configure: func(c *config.Config) {
		c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, secret, backend
	}})
	checkout := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>Checkout</title><p id="stripe">Paiement</p>`)
	}))
	t.Cleanup(checkout.Close)
	host := strings.TrimPrefix(checkout.URL, "https://")
	ctx := newBrowser(t, bin, 1280, 900, s.URL+"/librairie/",
		chromedp.Flag("host-resolver-rules", "MAP checkout.stripe.com "+host),
		chromedp.Flag("ignore-certificate-errors", true))
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			shoot(t, ctx, what)
			where, _ := chromedp.Run(ctx, chromedp.Location())
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 3000) : ""`))
			t.Fatalf("%s: %v\nat %s:\n%s", what, err, where, text)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			shoot(t, ctx, sel)
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}

	step("search a title",
		chromedp.WaitVisible(chromedp.CSS(`#shop-q`)),
		chromedp.SendKeys(chromedp.CSS(`#shop-q`), "assiégée\n"),
		chromedp.WaitVisible(chromedp.CSS(`.book-card`)),
	)
	if got := text(`.book-card-title`); !strings.Contains(got, "Alep, la ville assiégée") {
		t.Fatalf("the search found %q", got)
	}
	step("open the book and add it",
		chromedp.Click(chromedp.CSS(`.book-card a`)),
		chromedp.WaitVisible(chromedp.CSS(`form.add-to-cart`)),
		chromedp.Click(chromedp.CSS(`form.add-to-cart button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.cart-form`)),
	)
	step("add a second book",
		chromedp.Navigate(s.URL+"/librairie/recherche?q=Mossoul"),
		chromedp.WaitVisible(chromedp.CSS(`.book-card a`)),
		chromedp.Click(chromedp.CSS(`.book-card a`)),
		chromedp.WaitVisible(chromedp.CSS(`form.add-to-cart`)),
		chromedp.Click(chromedp.CSS(`form.add-to-cart button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.cart-form`)),
	)
	cart := text(`form.cart-form`)
	for _, want := range []string{"Alep, la ville assiégée", "Mossoul", "46,00"} {
		if !strings.Contains(cart, want) {
			t.Errorf("the cart lacks %q:\n%s", want, cart)
		}
	}
	// 46 € of new books: the legal floor is 0,01 €, the carrier's rate
	// applies, and the cart says why.
	if why := text(`.shipping-why`); why == "" {
		t.Error("the cart does not say why it pays its delivery")
	}
	step("check out",
		chromedp.Click(chromedp.CSS(`button[name=checkout]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.checkout-form`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ines@example.org"),
		chromedp.SendKeys(chromedp.CSS(`[id="ship_to.name"]`), "Inès Lambert"),
		chromedp.SendKeys(chromedp.CSS(`[id="ship_to.line1"]`), "12 rue des Lilas"),
		chromedp.SendKeys(chromedp.CSS(`[id="ship_to.postal_code"]`), "69001"),
		chromedp.SendKeys(chromedp.CSS(`[id="ship_to.city"]`), "Lyon"),
		chromedp.Click(chromedp.CSS(`button[name=pay]`)),
		chromedp.WaitVisible(chromedp.CSS(`#stripe`)),
	)

	orders, _, err := s.App.Shop.Orders.Orders(context.Background(), shop.OrderFilter{Limit: 1})
	if err != nil || len(orders) == 0 {
		t.Fatalf("no order after checkout: %v", err)
	}
	o := orders[0]
	if o.Status != shop.OrderPending || o.GoodsCents != 4600 || len(o.Lines) != 2 || o.Email != "ines@example.org" {
		t.Fatalf("the order before the webhook: %+v", o)
	}
	payload, sig := stripemock.Event(t, secret, time.Now(), "evt_shop_journey", "checkout.session.completed", map[string]any{
		"id": o.SessionID, "object": "checkout.session", "client_reference_id": o.Reference, "payment_status": "paid",
		"status": "complete", "mode": "payment", "amount_total": o.TotalCents, "currency": "eur", "payment_intent": "pi_shop_journey",
		"metadata": map[string]any{"kiosque_reference": o.Reference, "kiosque_kind": "order"}})
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

	step("the reader's order page", chromedp.Navigate(s.URL+"/librairie/commande/suivi/?"+s.App.Shop.OrderQuery(o)),
		chromedp.WaitVisible(chromedp.CSS(`main`)))
	if page := text(`main`); !strings.Contains(page, "Mossoul") || !strings.Contains(strings.ToLower(page), "payée") {
		t.Errorf("the order page after payment:\n%s", page)
	}

	step("log in to the back office",
		chromedp.Navigate(s.URL+"/admin/"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), s.Demo.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#password`), s.Demo.AdminPassword),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	)
	step("the bookshop's orders", chromedp.Navigate(s.URL+"/admin/shop/orders/?status=paid"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if list := text(`main`); !strings.Contains(list, "ines@example.org") {
		t.Errorf("the paid orders do not list the reader's:\n%s", list)
	}
	step("the order in the back office", chromedp.Navigate(fmt.Sprintf("%s/admin/shop/orders/%d/", s.URL, o.ID)),
		chromedp.WaitVisible(chromedp.CSS(`main`)))
	if page := text(`main`); !strings.Contains(page, "F20") || !strings.Contains(strings.ToLower(page), "payée") {
		t.Errorf("the order's page in the back office lacks its invoice or status:\n%s", page)
	}
}

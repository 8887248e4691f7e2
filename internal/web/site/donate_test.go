package site_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

// donateSite boots the demo with Stripe at apiURL ("" for none).
func donateSite(t testing.TB, apiURL string) *apptest.Site {
	return apptest.New(t, apptest.Options{Clock: clock.NewFixed(time.Now()), Configure: func(c *config.Config) {
		if apiURL != "" {
			c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, "whsec_kiosque_site_test", apiURL
		}
	}})
}

func donateFields(amount, other string) url.Values {
	return url.Values{"frequency": {"one_off"}, "amount": {amount}, "amount_other": {other}, "email": {"ines@example.org"},
		"first_names": {"Inès"}, "last_name": {"Lambert"}, "address": {"12 rue des Lilas"}, "postal_code": {"69001"}, "city": {"Lyon"}}
}

func countDonations(t *testing.T, s *apptest.Site) int {
	t.Helper()
	var n int
	if err := s.App.DB.SQLWrite().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM donations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDonatePage(t *testing.T) {
	t.Run("OKOfflineOnly", func(t *testing.T) {
		s := donateSite(t, "")
		// The demo's campaign, with its cheques and transfers.
		if s.Demo.Gifts != 48 {
			t.Errorf("the demo has %d gifts", s.Demo.Gifts)
		}
		if got := doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find(".appeal .campaign-figures").Text(); !strings.Contains(got, "sur 20\u202f000\u00a0€") {
			t.Errorf("the demo campaign's bar: %q", got)
		}
		for _, path := range []string{"/soutenir/", "/support/"} {
			d := doc(t, s.MustGet(t, path, http.StatusOK))
			if d.Find("form.donate-form").Length() != 0 || !strings.Contains(d.Find(".form-errors").Text(), "pas encore ouvert") {
				t.Errorf("%s: a form without a payment provider", path)
			}
		}
		if href := doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find(".appeal a.button").AttrOr("href", ""); href != "/soutenir/" {
			t.Errorf("the appeal links to %q", href)
		}
	})

	backend := stripemock.Start(t)
	s := donateSite(t, backend)
	d := doc(t, s.MustGet(t, "/soutenir/", http.StatusOK))
	if d.Find("form.donate-form").Length() != 1 || d.Find(`input[name="amount"][value="25"][checked]`).Length() != 1 {
		t.Fatal("the donation form with 25 € ticked")
	}
	if got := d.Find(`link[rel="canonical"]`).AttrOr("href", ""); !strings.HasSuffix(got, "/soutenir/") {
		t.Errorf("canonical %q", got)
	}

	t.Run("OKToCheckout", func(t *testing.T) {
		before := countDonations(t, s)
		resp, body := post(t, s, "/soutenir/", donateFields("other", "30,50"), "")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "https://") {
			t.Fatalf("status %d to %q\n%.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if countDonations(t, s) != before+1 {
			t.Error("no pending gift recorded")
		}
	})
	cases := []struct{ name, amount, other, want string }{
		{"ErrZero", "other", "0", "minimum"},
		{"ErrNegative", "other", "-5", "deux décimales"},
		{"ErrHuge", "other", "1e9", "deux décimales"},
		{"ErrWords", "other", "abc", "deux décimales"},
		{"ErrForgedPreset", "999999999", "", "virement"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countDonations(t, s)
			resp, body := post(t, s, "/soutenir/", donateFields(c.amount, c.other), "")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			d := doc(t, body)
			if !strings.Contains(d.Find("#amount-error").Text(), c.want) {
				t.Errorf("amount error %q", d.Find("#amount-error").Text())
			}
			if d.Find(`input[name="email"]`).AttrOr("value", "") != "ines@example.org" {
				t.Error("the typed email was lost")
			}
			if countDonations(t, s) != before {
				t.Error("a refused gift was recorded")
			}
		})
	}
	t.Run("ErrOtherSite", func(t *testing.T) {
		resp, _ := post(t, s, "/soutenir/", donateFields("25", ""), "", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrProviderDown", func(t *testing.T) {
		down := donateSite(t, "http://127.0.0.1:1")
		before := countDonations(t, down)
		resp, body := post(t, down, "/soutenir/", donateFields("25", ""), "")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, "Rien n’a été débité") {
			t.Errorf("status %d\n%.300s", resp.StatusCode, body)
		}
		if countDonations(t, down) != before {
			t.Error("a gift was recorded though the provider was down")
		}
	})
}

// TestCampaignBar: the appeal shows the running campaign, and a paid gift
// moves it on the cached pages at once.
func TestCampaignBar(t *testing.T) {
	s := donateSite(t, stripemock.Start(t))
	ctx := context.Background()
	now := time.Now()
	store := s.App.Donations.Store
	if err := store.CreateCampaign(ctx, &donations.Campaign{Title: "Campagne d’hiver", GoalCents: 2_000_000,
		StartsAt: now.Add(-24 * time.Hour), EndsAt: now.Add(30 * 24 * time.Hour), CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	d := doc(t, s.MustGet(t, palmyra, http.StatusOK))
	if got := strings.Join(strings.Fields(d.Find(".campaign-figures").Text()), " "); got != "0 € sur 20 000 €, 0 donateur" {
		t.Errorf("figures %q", got)
	}
	// A reader gives 25 €; Stripe's signed event marks it paid.
	resp, _ := post(t, s, "/soutenir/", donateFields("25", ""), "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("give: %d", resp.StatusCode)
	}
	var ref string
	if err := s.App.DB.SQLWrite().QueryRowContext(ctx, "SELECT reference FROM donations ORDER BY id DESC LIMIT 1").Scan(&ref); err != nil {
		t.Fatal(err)
	}
	payload, signature := stripemock.Event(t, "whsec_kiosque_site_test", time.Now(), "evt_bar", "checkout.session.completed",
		map[string]any{"id": "cs_bar", "object": "checkout.session", "client_reference_id": ref, "payment_status": "paid",
			"amount_total": 2500, "currency": "eur", "payment_intent": "pi_bar"})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Stripe-Signature", signature)
	wh, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = wh.Body.Close()
	if wh.StatusCode != http.StatusOK {
		t.Fatalf("webhook: %d", wh.StatusCode)
	}
	// Purges of the campaign's pages come at most every two seconds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		d = doc(t, s.MustGet(t, palmyra, http.StatusOK))
		got := strings.Join(strings.Fields(d.Find(".campaign-figures").Text()), " ")
		if got == "25 € sur 20 000 €, 1 donateur" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the gift, figures %q (the cached page was not refreshed)", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkDonatePageUncached renders /soutenir/ with its form and the
// campaign's bar from the database at every request. Target: under 2 ms.
func BenchmarkDonatePageUncached(b *testing.B) {
	s := apptest.New(b, apptest.Options{NoCache: true, Configure: func(c *config.Config) {
		// GET never calls Stripe: an address that answers nothing will do.
		c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, "whsec_bench", "http://127.0.0.1:1"
	}})
	now := time.Now()
	if err := s.App.Donations.Store.CreateCampaign(context.Background(), &donations.Campaign{Title: "Campagne d’hiver",
		GoalCents: 2_000_000, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour), CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	benchPage(b, s, "/soutenir/")
}

func TestStopMonthly(t *testing.T) {
	s := donateSite(t, stripemock.Start(t))
	ctx := context.Background()
	v := donateFields("25", "")
	v.Set("frequency", "monthly")
	if resp, _ := post(t, s, "/soutenir/", v, ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("monthly gift: %d", resp.StatusCode)
	}
	var id int64
	if err := s.App.DB.SQLWrite().QueryRowContext(ctx, "SELECT MAX(id) FROM subscriptions").Scan(&id); err != nil {
		t.Fatal(err)
	}
	link := s.App.Donations.StopPath(id)
	if resp, _ := s.Get(t, strings.Replace(link, "&t=", "&t=x", 1)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("forged link: %d", resp.StatusCode)
	}
	d := doc(t, s.MustGet(t, link, http.StatusOK))
	if !strings.Contains(d.Find(".notice-page").Text(), "25,00\u00a0€") || d.Find(`form[method="post"] button`).Length() != 1 {
		t.Fatal("no confirmation before stopping")
	}
	if sub, _ := s.App.Donations.Store.Subscription(ctx, id); sub.Status == donations.SubscriptionCancelled {
		t.Fatal("opening the link stopped the gift")
	}
	resp, body := post(t, s, link, url.Values{}, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "arrêté") {
		t.Fatalf("stop: %d", resp.StatusCode)
	}
	if sub, _ := s.App.Donations.Store.Subscription(ctx, id); sub.Status != donations.SubscriptionCancelled {
		t.Error("the gift is still running")
	}
}

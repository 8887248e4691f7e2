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
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/shop"
)

// checkoutFields is the checkout form as a buyer fills it, with the
// total the page showed.
func checkoutFields(seenTotal string) url.Values {
	return url.Values{"email": {"lea.martin@example.org"}, "ship_to.name": {"Léa Martin"}, "ship_to.line1": {"3 rue des Écoles"},
		"ship_to.postal_code": {"75005"}, "ship_to.city": {"Paris"}, "ship_to.country": {"FR"}, "carrier": {"colissimo"},
		"seen_total": {seenTotal}, "pay": {"1"}}
}

// stockOf is a book's stock in the database now.
func stockOf(t testing.TB, s *apptest.Site, id int64) int {
	t.Helper()
	b, err := s.App.Shop.Catalog.Book(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b.Stock
}

// ordersOf returns the orders placed with email.
func ordersOf(t testing.TB, s *apptest.Site, email string) []*shop.Order {
	t.Helper()
	orders, _, err := s.App.Shop.Orders.Orders(context.Background(), shop.OrderFilter{Query: email})
	if err != nil {
		t.Fatal(err)
	}
	return orders
}

// stripeEvent posts a signed Stripe event to the site's webhook.
func stripeEvent(t testing.TB, s *apptest.Site, id, typ string, obj map[string]any) {
	t.Helper()
	payload, signature := stripemock.Event(t, "whsec_kiosque_site_test", time.Now(), id, typ, obj)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Stripe-Signature", signature)
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook %s: %d", typ, resp.StatusCode)
	}
}

func TestShopCheckoutAndOrder(t *testing.T) {
	s := donateSite(t, stripemock.Start(t))
	alep := demoBook(t, s, "Alep, la ville assiégée", "chronique d’une guerre", shop.ConditionNew, shop.FormatPrint)
	used := demoBook(t, s, "Petite patrie", "", shop.ConditionUsed, shop.FormatPrint)
	resp, _ := addBook(t, s, "/librairie/panier/ajouter", alep, "1", "")
	cookie, _ := cartCookieOf(t, resp)
	if resp, _ := addBook(t, s, "/librairie/panier/ajouter", used, "1", cookie); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	stock := stockOf(t, s, alep.ID)

	// The cart's button leads to the checkout with the delivery chosen.
	resp, _ = post(t, s, "/librairie/panier/", url.Values{"carrier": {"colissimo"}, "country": {"FR"}, "checkout": {"1"}}, cookie)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/librairie/commande/?") {
		t.Fatalf("to checkout: %d to %q", resp.StatusCode, loc)
	}
	d := doc(t, mustGetCookie(t, s, resp.Header.Get("Location"), cookie))
	form := d.Find("form.checkout-form")
	seen := form.Find(`input[name="seen_total"]`).AttrOr("value", "")
	if form.Length() != 1 || seen == "" || seen == "0" {
		t.Fatalf("checkout form, seen total %q", seen)
	}
	for _, id := range []string{"email", "ship_to.name", "ship_to.line1", "ship_to.postal_code", "ship_to.city", "ship_to.country",
		"bill_to.company", "bill_to.siren"} {
		if form.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("field %s has no label", id)
		}
	}
	if !strings.Contains(text(form.Find(".shop-lines")), "9,00\u00a0€ occasion") {
		t.Errorf("summary without « occasion »: %q", text(form.Find(".shop-lines")))
	}

	t.Run("ErrFields", func(t *testing.T) {
		v := checkoutFields(seen)
		v.Set("email", "pas-une-adresse")
		v.Set("ship_to.postal_code", "750")
		resp, body := post(t, s, "/librairie/commande/", v, cookie)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		d := doc(t, body)
		email := d.Find(`input[name="email"]`)
		if email.AttrOr("value", "") != "pas-une-adresse" || email.AttrOr("aria-describedby", "") != "email-error" ||
			d.Find(`[id="email-error"]`).Length() != 1 {
			t.Error("the email's error is not linked to it, or the typed value was lost")
		}
		if d.Find(`[id="ship_to.postal_code-error"]`).Length() != 1 || d.Find(`input[name="ship_to.city"]`).AttrOr("value", "") != "Paris" {
			t.Error("postal code error missing or the city lost")
		}
		if stockOf(t, s, alep.ID) != stock {
			t.Error("a refused checkout reserved a copy")
		}
	})

	t.Run("ErrCompanyWithoutSIREN", func(t *testing.T) {
		v := checkoutFields(seen)
		v.Set("company", "1")
		v.Set("bill_to.company", "Les Amis du Livre")
		resp, body := post(t, s, "/librairie/commande/", v, cookie)
		d := doc(t, body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(d.Find(`[id="bill_to.siren-error"]`)), "SIREN") {
			t.Errorf("status %d, %q", resp.StatusCode, text(d.Find(".field-error")))
		}
		if d.Find("details.company[open]").Length() != 1 {
			t.Error("the company's fields are folded away with their error")
		}
	})

	t.Run("ErrTotalChanged", func(t *testing.T) {
		resp, body := post(t, s, "/librairie/commande/", checkoutFields("100"), cookie)
		d := doc(t, body)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(text(d.Find(".form-errors")), "a changé") {
			t.Errorf("status %d: %q", resp.StatusCode, text(d.Find(".form-errors")))
		}
		if got := d.Find(`input[name="seen_total"]`).AttrOr("value", ""); got != seen {
			t.Errorf("new total %q, want %q", got, seen)
		}
	})

	t.Run("OKRecalc", func(t *testing.T) {
		v := checkoutFields(seen)
		v.Set("carrier", "mondial-relay")
		v.Del("pay")
		v.Set("recalc", "1")
		resp, body := post(t, s, "/librairie/commande/", v, cookie)
		d := doc(t, body)
		if resp.StatusCode != http.StatusOK || d.Find(`input[name="carrier"][value="mondial-relay"][checked]`).Length() != 1 ||
			d.Find(`input[name="email"]`).AttrOr("value", "") != "lea.martin@example.org" {
			t.Errorf("recalc: %d", resp.StatusCode)
		}
	})

	var payURL string
	t.Run("OKToPayment", func(t *testing.T) {
		resp, body := post(t, s, "/librairie/commande/", checkoutFields(seen), cookie)
		payURL = resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(payURL, "https://") {
			t.Fatalf("status %d to %q\n%.300s", resp.StatusCode, payURL, body)
		}
		if got := stockOf(t, s, alep.ID); got != stock-1 {
			t.Errorf("stock %d after checkout, want %d", got, stock-1)
		}
	})

	t.Run("OKDoubleClick", func(t *testing.T) {
		resp, _ := post(t, s, "/librairie/commande/", checkoutFields(seen), cookie)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != payURL {
			t.Errorf("second click: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if got := stockOf(t, s, alep.ID); got != stock-1 {
			t.Errorf("stock %d after a double click, want %d", got, stock-1)
		}
		if n := len(ordersOf(t, s, "lea.martin@example.org")); n != 1 {
			t.Errorf("%d orders after a double click", n)
		}
	})

	orders := ordersOf(t, s, "lea.martin@example.org")
	if len(orders) == 0 {
		t.Fatal("no order placed")
	}
	o := orders[0]
	link := "/librairie/commande/suivi/?" + s.App.Shop.OrderQuery(o)

	t.Run("ErrForgedLink", func(t *testing.T) {
		q, _ := url.ParseQuery(s.App.Shop.OrderQuery(o))
		tok := q.Get("t")
		q.Set("t", "A"+tok[1:])
		if tok[0] == 'A' {
			q.Set("t", "B"+tok[1:])
		}
		s.MustGet(t, "/librairie/commande/suivi/?"+q.Encode(), http.StatusNotFound)
		s.MustGet(t, "/librairie/commande/suivi/?r="+o.Reference, http.StatusNotFound)
	})

	t.Run("OKBackFromPayment", func(t *testing.T) {
		resp, body := s.Get(t, link+"&session_id=cs_test_back", "Cookie", cookie)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, cache %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		d := doc(t, body)
		if got := text(d.Find(".order-status")); got != "Paiement en cours de confirmation" {
			t.Errorf("status %q", got)
		}
		if d.Find(`meta[http-equiv="refresh"][content="5"]`).Length() != 1 {
			t.Error("the page does not reload itself")
		}
		_, ck := cartCookieOf(t, resp)
		if ck.MaxAge >= 0 {
			t.Errorf("the cart's cookie is kept: %+v", ck)
		}
		if !strings.Contains(text(doc(t, mustGetCookie(t, s, "/librairie/panier/", cookie)).Find(".shop-cart")), "Votre panier est vide.") {
			t.Error("the cart was not emptied")
		}
	})

	t.Run("OKPaid", func(t *testing.T) {
		stripeEvent(t, s, "evt_shop_paid", "checkout.session.completed", map[string]any{"id": "cs_shop_paid", "object": "checkout.session",
			"client_reference_id": o.Reference, "payment_status": "paid", "amount_total": o.TotalCents, "currency": "eur",
			"payment_intent": "pi_shop_paid", "metadata": map[string]any{"kiosque_kind": "order"}})
		d := doc(t, s.MustGet(t, link, http.StatusOK))
		if got := text(d.Find(".order-status")); got != "Commande payée : nous la préparons" && got != "Commande payée\u00a0: nous la préparons" {
			t.Errorf("status %q", got)
		}
		if d.Find(`meta[http-equiv="refresh"]`).Length() != 0 {
			t.Error("a paid order's page still reloads itself")
		}
		if !strings.Contains(text(d.Find(".shop-lines")), "occasion") {
			t.Error("the used copy is not labelled on the order")
		}
		inv := d.Find(".order-invoices a")
		if inv.Length() == 0 {
			t.Fatal("no invoice to download")
		}
		resp, body := s.Get(t, inv.First().AttrOr("href", ""))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="facture-`) ||
			resp.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("invoice: %d %v", resp.StatusCode, resp.Header)
		}
		u, _ := url.Parse(inv.First().AttrOr("href", ""))
		q := u.Query()
		q.Set("id", q.Get("id")+"0")
		s.MustGet(t, u.Path+"?"+q.Encode(), http.StatusNotFound)
		en := doc(t, s.MustGet(t, "/bookshop/order/?"+s.App.Shop.OrderQuery(o), http.StatusOK))
		if got := text(en.Find(".order-status")); got != "Order paid: we are preparing it" {
			t.Errorf("English status %q", got)
		}
	})
}

func TestShopCheckoutProviderDown(t *testing.T) {
	s := donateSite(t, "http://127.0.0.1:1")
	alep := demoBook(t, s, "Alep, la ville assiégée", "chronique d’une guerre", shop.ConditionNew, shop.FormatPrint)
	resp, _ := addBook(t, s, "/bookshop/cart/add", alep, "2", "")
	cookie, _ := cartCookieOf(t, resp)
	d := doc(t, mustGetCookie(t, s, "/bookshop/checkout/?carrier=colissimo&country=FR", cookie))
	seen := d.Find(`input[name="seen_total"]`).AttrOr("value", "")
	stock := stockOf(t, s, alep.ID)
	resp, body := post(t, s, "/bookshop/checkout/", checkoutFields(seen), cookie)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d\n%.300s", resp.StatusCode, body)
	}
	if got := text(doc(t, body).Find(".form-errors")); !strings.Contains(got, "try again") && !strings.Contains(got, "réessayez") {
		t.Errorf("message %q", got)
	}
	if got := stockOf(t, s, alep.ID); got != stock {
		t.Errorf("stock %d after the provider failed, want %d", got, stock)
	}
	if d := doc(t, body); d.Find(`input[name="email"]`).AttrOr("value", "") != "lea.martin@example.org" {
		t.Error("the form was lost")
	}
}

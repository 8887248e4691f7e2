package admin_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/shop"
)

// shopNow is the fixed time of the bookshop's tests: a Friday in
// November, the demo's year of orders behind it.
var shopNow = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// newShopSite boots the demo (with its bookshop) at shopNow, on
// stripe-mock so that refunds reach a provider, and returns its clock.
func newShopSite(t *testing.T) (*apptest.Site, *clock.Fixed) {
	t.Helper()
	api := stripemock.Start(t)
	clk := clock.NewFixed(shopNow)
	return newSite(t, apptest.Options{Clock: clk, Configure: func(c *config.Config) {
		c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, "whsec_kiosque_shop_test", api
	}}), clk
}

// demoBook returns the demo's book whose title (and, for a used copy,
// condition) is given.
func demoBook(t *testing.T, s *apptest.Site, title string, c shop.Condition) *shop.Book {
	t.Helper()
	res, err := s.App.Shop.AdminBooks(context.Background(), shop.BookQuery{Query: title, PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range res.Books {
		if b.Title == title && b.Condition == c {
			return b
		}
	}
	t.Fatalf("no %s book %q in the demo", c, title)
	return nil
}

// newReference returns an unused order reference.
func newReference(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "ord_test" + hex.EncodeToString(b)
}

// paidOrder places an order of items for name, delivered by carrier in
// France, and has the provider's event mark it paid, as Stripe's would;
// it returns the order as stored.
func paidOrder(t *testing.T, s *apptest.Site, carrier, name string, items ...shop.QuoteItem) *shop.Order {
	t.Helper()
	return paidOrderBy(t, s, "client@example.org", carrier, name, items...)
}

// paidOrderBy is paidOrder placed with email.
func paidOrderBy(t *testing.T, s *apptest.Site, email, carrier, name string, items ...shop.QuoteItem) *shop.Order {
	t.Helper()
	ctx := context.Background()
	now := s.App.Shop.Clock.Now()
	for i := range items {
		items[i].BookID = items[i].Book.ID
	}
	q, err := shop.QuoteCart(shop.QuoteInput{Items: items, CarrierID: carrier, Country: "FR",
		Policy: s.App.Settings.Get().Shop.Policy(), At: now})
	if err != nil {
		t.Fatal(err)
	}
	o, err := q.Order(printer(s))
	if err != nil {
		t.Fatalf("order of %+v: %v (%+v)", items, err, q.Problems)
	}
	addr := shop.Address{Name: name, Line1: "2 rue des Essais", PostalCode: "69001", City: "Lyon", Country: "FR"}
	o.Reference, o.Email, o.ShipTo, o.BillTo, o.Lang, o.Provider = newReference(t), email, addr, addr, "fr", "stripe"
	o.CreatedAt, o.UpdatedAt, o.ExpiresAt = now, now, now.Add(shop.CheckoutTTL)
	if err := s.App.Shop.Orders.PlaceOrder(ctx, o, nil); err != nil {
		t.Fatal(err)
	}
	ev := &payments.Event{ID: "evt_" + o.Reference, Type: payments.CheckoutCompleted, Raw: "checkout.session.completed",
		Created: now, Reference: o.Reference, Paid: true, AmountCents: o.TotalCents, Currency: "eur",
		SessionID: "cs_" + o.Reference, PaymentID: "pi_" + o.Reference, PaidAt: now}
	if ours, err := s.App.Shop.ApplyEvent(ctx, ev); err != nil || !ours {
		t.Fatalf("pay order: %v, %v", ours, err)
	}
	return storedOrder(t, s, o.ID)
}

// storedOrder reads an order again.
func storedOrder(t *testing.T, s *apptest.Site, id int64) *shop.Order {
	t.Helper()
	o, err := s.App.Shop.OrderByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// orderPath is the back office's page of an order.
func orderPath(o *shop.Order) string { return fmt.Sprintf("/admin/shop/orders/%d/", o.ID) }

// act posts the action form of the order's page as it stands (its seen
// version), with fields added.
func act(t *testing.T, b *browser, o *shop.Order, action string, fields ...string) (*http.Response, string) {
	t.Helper()
	resp, body := b.get(orderPath(o))
	mustStatus(t, "order page", resp, body, http.StatusOK)
	v := formValues(t, body, fmt.Sprintf(`form[action="%s%s"]`, orderPath(o), action))
	for i := 0; i+1 < len(fields); i += 2 {
		v.Set(fields[i], fields[i+1])
	}
	return b.post(orderPath(o)+action, v)
}

// flashText returns the message at the top of a page.
func flashText(t *testing.T, body string) string {
	t.Helper()
	return strings.TrimSpace(parse(t, body).Find("p.flash").Text())
}

package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

const shopSecret = "whsec_kiosque_shop_test"

// shopMails writes test emails whose subject says what happened.
type shopMails struct{}

func (shopMails) OrderPaid(o *shop.Order, inv *shop.Invoice) job.Email {
	s := "payée " + o.Reference
	if inv != nil {
		s += " facture " + inv.Number
	}
	return job.Email{To: []string{o.Email}, Subject: s}
}
func (shopMails) OrderShipped(o *shop.Order) job.Email {
	return job.Email{To: []string{o.Email}, Subject: "expédiée " + o.Tracking}
}
func (shopMails) OrderDelivered(o *shop.Order) job.Email {
	return job.Email{To: []string{o.Email}, Subject: "livrée"}
}
func (shopMails) OrderCancelled(o *shop.Order) job.Email {
	return job.Email{To: []string{o.Email}, Subject: "annulée"}
}
func (shopMails) OrderRefunded(o *shop.Order, cents int64, credit *shop.Invoice) job.Email {
	s := fmt.Sprintf("remboursée %d", cents)
	if credit != nil {
		s += " avoir " + credit.Number
	}
	return job.Email{To: []string{o.Email}, Subject: s}
}

// shopEnv is a shop service on a real database and stripe-mock.
type shopEnv struct {
	*env
	svc   *shop.Service
	mails *mailQueue
}

func newShopEnv(t *testing.T, dsn, backend string) *shopEnv {
	t.Helper()
	e := newEnv(t, dsn)
	// The delivery floor is in force since October 2023.
	e.clock.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	provider, err := stripe.New(stripe.Config{SecretKey: stripemock.SecretKey, WebhookSecret: shopSecret, BackendURL: backend,
		MaxNetworkRetries: stripego.Int64(0), Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	policy := settings.DefaultShop()
	policy.VATMode = shop.VATLiable
	svc := shop.NewService(shop.Deps{
		Catalog: storage.NewCatalogStore(e.db), Orders: storage.NewOrderStore(e.db), Payments: provider, ProviderName: "stripe",
		Signer: shop.NewSigner([]byte("a secret of the site for the shop's links")), Policy: policy.Policy,
		Messages: cat, Mails: shopMails{}, Clock: e.clock,
		Render: func(o *shop.Order, inv *shop.Invoice) ([]byte, error) {
			return []byte("%PDF " + inv.Number + " " + o.Reference), nil
		},
	})
	return &shopEnv{env: e, svc: svc, mails: &mailQueue{db: e.db}}
}

// book stores a new printed book at cents with stock copies (-1: not
// tracked).
func (e *shopEnv) book(t *testing.T, title string, cents int64, stock int) *shop.Book {
	t.Helper()
	b := &shop.Book{RecordRef: "test:" + title, Title: title, Slug: strings.ToLower(strings.ReplaceAll(title, " ", "-")),
		Format: shop.FormatPrint, Condition: shop.ConditionNew, Status: shop.StatusActive, VATRate: shop.BookVATRate,
		Prices: []shop.Price{{Cents: cents}}, Stock: max(stock, 0), TrackStock: stock >= 0, WeightGrams: 300,
		Contributors: []shop.Contributor{{Role: "A01", Name: "Julie Otsuka"}}}
	if _, err := e.svc.Catalog.UpsertBooks(context.Background(), []*shop.Book{b}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *shopEnv) checkout(total int64) shop.Checkout {
	return shop.Checkout{Email: "Ines@Example.org", SameBilling: true, CarrierID: "colissimo", SeenTotalCents: total,
		ShipTo:     shop.Address{Name: "Inès Lambert", Line1: "12 rue des Lilas", PostalCode: "69001", City: "Lyon", Country: "FR"},
		Lang:       locale.French,
		SuccessURL: func(o *shop.Order) string { return "http://127.0.0.1/librairie/commande/suivi/?" + e.svc.OrderQuery(o) },
		CancelURL:  "http://127.0.0.1/librairie/panier/"}
}

// deliver signs and applies a provider event through the webhook's path.
func (e *shopEnv) deliver(t *testing.T, id, typ string, obj map[string]any) error {
	t.Helper()
	payload, sig := stripemock.Event(t, shopSecret, e.clock.Now(), id, typ, obj)
	ev, err := e.svc.Payments.ParseEvent(payload, sig, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ApplyEvent(context.Background(), ev)
	return err
}

func sessionPaid(o *shop.Order) map[string]any {
	return map[string]any{"id": o.SessionID, "object": "checkout.session", "client_reference_id": o.Reference,
		"payment_status": "paid", "status": "complete", "mode": "payment", "amount_total": o.TotalCents, "currency": "eur",
		"payment_intent": "pi_" + o.Reference, "metadata": map[string]any{"kiosque_reference": o.Reference, "kiosque_kind": "order"}}
}

func TestShopFlow(t *testing.T) {
	backend := stripemock.Start(t)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newShopEnv(t, dsn, backend)
		ctx := context.Background()
		roman := e.book(t, "Certaines n'avaient jamais vu la mer", 2200, 3)
		essai := e.book(t, "Le Climat en procès", 1000, -1)

		// The cart: a forged cookie is no cart; bad quantities refused.
		c, err := e.svc.Cart(ctx, "cart_forged.AAAA")
		if err != nil || c.Token != "" || len(c.Lines) != 0 {
			t.Fatalf("forged cookie: %+v, %v", c, err)
		}
		for _, q := range []int{0, -1, 1_000_000_000} {
			if _, err := e.svc.AddToCart(ctx, "", roman.ID, q); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("quantity %d: %v", q, err)
			}
		}
		if _, err := e.svc.AddToCart(ctx, "", 999999, 1); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown book: %v", err)
		}
		if _, err := e.svc.AddToCart(ctx, "", roman.ID, 4); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("more than the stock: %v", err)
		}
		c, err = e.svc.AddToCart(ctx, "", roman.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		cookie := e.svc.CartCookieValue(c)
		if c, err = e.svc.AddToCart(ctx, cookie, essai.ID, 1); err != nil || len(c.Lines) != 2 {
			t.Fatalf("second book: %+v, %v", c, err)
		}

		// 32 € of new books: the legal 3 € floor at least.
		q, err := e.svc.QuoteCart(ctx, c, "colissimo", "FR")
		if err != nil || q.Err() != nil {
			t.Fatalf("quote: %v, %v", err, q.Err())
		}
		if q.GoodsCents != 3200 || q.ShippingCents < 300 || q.TotalCents != q.GoodsCents+q.ShippingCents {
			t.Fatalf("quote: goods %d shipping %d total %d", q.GoodsCents, q.ShippingCents, q.TotalCents)
		}

		t.Run("ErrTotalChanged", func(t *testing.T) {
			_, err := e.svc.PlaceOrder(ctx, cookie, e.checkout(q.TotalCents-1))
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("ErrFields", func(t *testing.T) {
			in := e.checkout(q.TotalCents)
			in.Email, in.ShipTo.PostalCode, in.Company = "not an email", "1", true
			got := fieldsOf(errOf(e.svc.PlaceOrder(ctx, cookie, in)))
			for _, want := range []string{"email", "ship_to.postal_code"} {
				if !contains(got, want) {
					t.Errorf("fields %v lack %s", got, want)
				}
			}
		})

		res, err := e.svc.PlaceOrder(ctx, cookie, e.checkout(q.TotalCents))
		if err != nil {
			t.Fatal(err)
		}
		o := res.Order
		if res.PaymentURL == "" || o.SessionID == "" || o.Status != shop.OrderPending || o.TotalCents != q.TotalCents {
			t.Fatalf("placed: %+v", o)
		}
		if b, _ := e.svc.Catalog.Book(ctx, roman.ID); b.Stock != 2 {
			t.Errorf("stock after checkout: %d, want 2", b.Stock)
		}

		t.Run("PaidOnce", func(t *testing.T) {
			for range 2 {
				if err := e.deliver(t, "evt_paid_1", "checkout.session.completed", sessionPaid(o)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := e.svc.Orders.Order(ctx, o.ID)
			if err != nil || got.Status != shop.OrderPaid || got.InvoiceNumber == "" || got.PaymentID != "pi_"+o.Reference {
				t.Fatalf("paid: %+v, %v", got, err)
			}
			mails := e.mails.next(t)
			if len(mails) != 1 || !strings.Contains(mails[0], "facture F") {
				t.Errorf("emails: %q", mails)
			}
			*o = *got
		})

		t.Run("ErrRefundTheDelivery", func(t *testing.T) {
			err := e.svc.Refund(ctx, o.ID, o.TotalCents-100, false, "admin", "")
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("a partial refund into the delivery charge: %v", err)
			}
		})
		t.Run("RefundPartialThenEventChangesNothing", func(t *testing.T) {
			if err := e.svc.Refund(ctx, o.ID, 1000, false, "admin", "livre abîmé"); err != nil {
				t.Fatal(err)
			}
			obj := map[string]any{"id": "ch_1", "object": "charge", "payment_intent": "pi_" + o.Reference, "amount_refunded": 1000,
				"refunded": false, "currency": "eur"}
			if err := e.deliver(t, "evt_refund_1", "charge.refunded", obj); err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Orders.Order(ctx, o.ID)
			if got.RefundedCents != 1000 || got.Status != shop.OrderPaid {
				t.Errorf("after a partial refund: refunded %d, status %s", got.RefundedCents, got.Status)
			}
			if mails := e.mails.next(t); len(mails) != 1 || !strings.Contains(mails[0], "remboursée 1000 avoir A") {
				t.Errorf("emails: %q", mails)
			}
		})
		t.Run("ShipDeliver", func(t *testing.T) {
			if err := e.svc.Ship(ctx, o.ID, "", "admin"); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("shipped without tracking: %v", err)
			}
			if err := e.svc.Ship(ctx, o.ID, "6A12345678901", "admin"); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.Ship(ctx, o.ID, "6A12345678901", "admin"); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("shipped twice: %v", err)
			}
			if err := e.svc.Deliver(ctx, o.ID, "admin"); err != nil {
				t.Fatal(err)
			}
			if mails := e.mails.next(t); len(mails) != 2 || !strings.Contains(mails[0], "expédiée 6A12345678901") {
				t.Errorf("emails: %q", mails)
			}
		})
		t.Run("UnknownOrderAcknowledged", func(t *testing.T) {
			ghost := &shop.Order{Reference: "ord_0000000000000000000000000000dead", SessionID: "cs_ghost", TotalCents: 100}
			if err := e.deliver(t, "evt_ghost", "checkout.session.completed", sessionPaid(ghost)); err != nil {
				t.Errorf("an event for an unknown order: %v", err)
			}
		})
		t.Run("ExpiryReleasesTheCopies", func(t *testing.T) {
			c, err := e.svc.AddToCart(ctx, "", roman.ID, 2)
			if err != nil {
				t.Fatal(err)
			}
			q, _ := e.svc.QuoteCart(ctx, c, "colissimo", "FR")
			res, err := e.svc.PlaceOrder(ctx, e.svc.CartCookieValue(c), e.checkout(q.TotalCents))
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := e.svc.Catalog.Book(ctx, roman.ID); b.Stock != 0 {
				t.Fatalf("stock while on the payment page: %d", b.Stock)
			}
			e.clock.Advance(shop.CheckoutTTL + shop.SweepGrace + 2*time.Minute)
			if err := e.svc.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
			got, _ := e.svc.Orders.Order(ctx, res.Order.ID)
			b, _ := e.svc.Catalog.Book(ctx, roman.ID)
			if got.Status != shop.OrderCancelled || b.Stock != 2 {
				t.Errorf("after expiry: %s, stock %d", got.Status, b.Stock)
			}
			// The provider's own expiry event, late, changes nothing.
			if err := e.deliver(t, "evt_expired", "checkout.session.expired", map[string]any{"id": got.SessionID,
				"object": "checkout.session", "client_reference_id": got.Reference, "status": "expired", "payment_status": "unpaid",
				"metadata": map[string]any{"kiosque_reference": got.Reference}}); err != nil {
				t.Fatal(err)
			}
			if b, _ := e.svc.Catalog.Book(ctx, roman.ID); b.Stock != 2 {
				t.Errorf("stock released twice: %d", b.Stock)
			}
		})
	})
}

// TestShopLastCopy races checkouts for the last copy of a book: one gets
// it, the others are told it is gone, and the stock never goes negative.
func TestShopLastCopy(t *testing.T) {
	backend := stripemock.Start(t)
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newShopEnv(t, dsn, backend)
		ctx := context.Background()
		b := e.book(t, "Le dernier exemplaire", 1800, 1)
		const buyers = 8
		cookies := make([]string, buyers)
		var total int64
		for i := range cookies {
			c, err := e.svc.AddToCart(ctx, "", b.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			cookies[i] = e.svc.CartCookieValue(c)
			q, _ := e.svc.QuoteCart(ctx, c, "colissimo", "FR")
			total = q.TotalCents
		}
		var wg sync.WaitGroup
		errs := make([]error, buyers)
		for i := range cookies {
			wg.Go(func() { _, errs[i] = e.svc.PlaceOrder(ctx, cookies[i], e.checkout(total)) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Errorf("a losing checkout: %v", err)
			}
		}
		got, _ := e.svc.Catalog.Book(ctx, b.ID)
		if won != 1 || got.Stock != 0 {
			t.Errorf("%d checkouts got the last copy; stock %d", won, got.Stock)
		}
	})
}

func errOf(_ *shop.CheckoutResult, err error) error { return err }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

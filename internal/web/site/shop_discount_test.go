package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// TestShopCartDiscount: with 5 % off new printed books collected at a
// retail bookshop, the cart and the checkout show 95 % of the price next
// to the publisher's, struck through, when the bookshop is chosen; and
// the publisher's price alone when the book is shipped (loi Lang art. 1).
func TestShopCartDiscount(t *testing.T) {
	s := donateSite(t, "")
	ctx := context.Background()
	st := *s.App.Settings.Get()
	st.Shop.Carriers = append(st.Shop.Carriers, shop.Carrier{ID: "librairie", Name: "Retrait à la librairie",
		Kind: shop.DeliveryPickup, RetailBookshop: true, Address: shop.Address{Name: "Librairie du Veilleur",
			Line1: "12 rue Mercière", PostalCode: "69002", City: "Lyon", Country: "FR"}})
	st.Shop.Discounts = []shop.Discount{{ID: "retrait", Name: "Retrait en librairie", BasisPoints: 500,
		Formats: []shop.Format{shop.FormatPrint}, Conditions: []shop.Condition{shop.ConditionNew}, PickupOnly: true}}
	if err := s.App.Settings.Update(ctx, st); err != nil {
		t.Fatal(err)
	}
	alep := demoBook(t, s, "Alep, la ville assiégée", "chronique d’une guerre", shop.ConditionNew, shop.FormatPrint)
	price, ok := alep.PriceAt(s.App.Shop.Clock.Now())
	if !ok {
		t.Fatal("Alep has no price")
	}
	p := s.App.Catalog.Printer(locale.French)
	full, discounted := p.Money(price, "EUR"), p.Money(price-price*500/10000, "EUR")
	resp, body := addBook(t, s, "/librairie/panier/ajouter", alep, "1", "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d\n%.300s", resp.StatusCode, body)
	}
	cookie, _ := cartCookieOf(t, resp)

	tests := []struct {
		name, carrier string
		unit, struck  string // "" when nothing is struck through
	}{
		{"Checklist11_BookshopPickup", "librairie", discounted, full},
		{"Checklist10_HomeDelivery", "colissimo", full, ""},
		{"Checklist10_RelayPoint", "mondial-relay", full, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, mustGetCookie(t, s, "/librairie/panier/?country=FR&carrier="+tt.carrier, cookie))
			cell := d.Find("table.cart-lines tbody tr").First().Find("td.num").First()
			del := cell.Find("del")
			if got := text(del); tt.struck == "" && del.Length() != 0 || tt.struck != "" && !strings.HasSuffix(got, tt.struck) {
				t.Errorf("struck-through price %q, want %q", got, tt.struck)
			}
			if tt.struck != "" && text(del.Find(".visually-hidden")) != p.T("shop.page.publisher_price") {
				t.Errorf("the struck-through price is not labelled: %q", text(del))
			}
			if got := text(cell); !strings.HasSuffix(got, tt.unit) {
				t.Errorf("unit price %q, want %q", got, tt.unit)
			}
			if got := text(d.Find(".shop-totals .goods dd")); got != tt.unit {
				t.Errorf("goods %q, want %q", got, tt.unit)
			}
			if n := d.Find(".line-problem, .cart-problem").Length(); n != 0 {
				t.Errorf("%d problems: %q", n, text(d.Find(".line-problem, .cart-problem")))
			}

			// The checkout's summary says the same, and the price seen in
			// the cart does not stop it.
			resp, body := s.Get(t, "/librairie/commande/?country=FR&carrier="+tt.carrier, "Cookie", cookie)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("checkout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			lines := doc(t, body).Find(".shop-lines tbody tr").First()
			if got := text(lines.Find("del")); tt.struck != "" && !strings.HasSuffix(got, tt.struck) || tt.struck == "" && got != "" {
				t.Errorf("checkout's struck-through price %q, want %q", got, tt.struck)
			}
			if got := text(lines.Find("td.num").First()); !strings.HasSuffix(got, tt.unit) {
				t.Errorf("checkout's unit price %q, want %q", got, tt.unit)
			}
		})
	}
}

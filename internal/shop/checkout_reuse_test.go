package shop

import (
	"testing"

	"github.com/kiosque/kiosque/internal/locale"
)

// TestSameOrder: a second press of the pay button reuses the pending
// order only when nothing the buyer pays for or receives differs.
func TestSameOrder(t *testing.T) {
	ship := Address{Name: "Léa Martin", Line1: "3 rue des Écoles", PostalCode: "75005", City: "Paris", Country: "FR"}
	in := Checkout{Email: "lea@exemple.fr", ShipTo: ship, BillTo: ship, Lang: locale.French}
	line := OrderLine{BookID: 7, Quantity: 1, UnitCents: 2200, Condition: ConditionNew}
	want := &Order{Lines: []OrderLine{line}, ShippingCents: 300, TotalCents: 2500, Carrier: "colissimo"}
	placed := func(change func(o *Order)) *Order {
		o := &Order{Lines: []OrderLine{line}, ShippingCents: 300, TotalCents: 2500, Carrier: "colissimo", ShipTo: ship,
			BillTo: ship, Lang: "fr", Reference: "ord_x"}
		if change != nil {
			change(o)
		}
		return o
	}
	cases := []struct {
		name   string
		change func(o *Order)
		want   bool
	}{
		{"OKSame", nil, true},
		{"ErrQuantity", func(o *Order) { o.Lines[0].Quantity = 2 }, false},
		{"ErrPrice", func(o *Order) { o.Lines[0].UnitCents = 2100 }, false},
		{"ErrCarrier", func(o *Order) { o.Carrier = "mondial-relay" }, false},
		{"ErrAddress", func(o *Order) { o.ShipTo.City = "Lyon" }, false},
		{"ErrLines", func(o *Order) { o.Lines = append(o.Lines, line) }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sameOrder(placed(c.change), want, in); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

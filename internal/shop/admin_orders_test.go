package shop_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/shop"
)

func TestOrderStatusValid(t *testing.T) {
	for _, st := range shop.OrderStatuses() {
		if !st.Valid() {
			t.Errorf("%s not valid", st)
		}
	}
	for _, st := range []shop.OrderStatus{"", "lost", "PAID"} {
		if st.Valid() {
			t.Errorf("%q valid", st)
		}
	}
}

func TestRefundableCents(t *testing.T) {
	tests := []struct {
		name                      string
		total, shipping, refunded int64
		want                      int64
	}{
		{"OKGoodsOnly", 3800, 300, 0, 3500},
		{"OKAfterPartial", 3800, 300, 1000, 2500},
		{"OKNothingLeft", 3800, 300, 3500, 0},
		{"OKNeverNegative", 3800, 300, 3800, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &shop.Order{TotalCents: tt.total, ShippingCents: tt.shipping, RefundedCents: tt.refunded}
			if got := o.RefundableCents(); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestOrderActionsAllowed(t *testing.T) {
	tests := []struct {
		status                                 shop.OrderStatus
		prepare, ship, deliver, cancel, refund bool
	}{
		{shop.OrderPending, false, false, false, true, false},
		{shop.OrderPaid, true, true, false, true, true},
		{shop.OrderPreparing, false, true, false, true, true},
		{shop.OrderShipped, false, false, true, false, true},
		{shop.OrderDelivered, false, false, false, false, true},
		{shop.OrderCancelled, false, false, false, false, false},
		{shop.OrderRefunded, false, false, false, false, false},
	}
	for _, tt := range tests {
		o := &shop.Order{Status: tt.status, TotalCents: 1000}
		got := []bool{o.CanPrepare(), o.CanShip(), o.CanDeliver(), o.CanCancel(), o.CanRefund()}
		want := []bool{tt.prepare, tt.ship, tt.deliver, tt.cancel, tt.refund}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: actions %v, want %v", tt.status, got, want)
				break
			}
		}
	}
}

func TestOrderVersion(t *testing.T) {
	o := &shop.Order{Status: shop.OrderPaid, TotalCents: 3000}
	v := o.Version()
	for name, change := range map[string]func(*shop.Order){
		"Status":   func(o *shop.Order) { o.Status = shop.OrderPreparing },
		"Refund":   func(o *shop.Order) { o.RefundedCents = 500 },
		"Tracking": func(o *shop.Order) { o.Tracking = "6A123" },
	} {
		c := *o
		change(&c)
		if c.Version() == v {
			t.Errorf("%s changed, the version did not", name)
		}
	}
	if c := *o; c.Version() != v {
		t.Error("the same order has two versions")
	}
}

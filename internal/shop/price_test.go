package shop_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

var (
	// now is when the tests' carts are priced.
	now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	// april is when a publisher's announced price change takes effect.
	april = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
)

// book returns an active catalogue entry priced cents from always.
func book(id int64, f shop.Format, c shop.Condition, cents int64) *shop.Book {
	return &shop.Book{ID: id, ISBN: fmt.Sprintf("978%010d", id), Title: fmt.Sprintf("Livre %d", id),
		Format: f, Condition: c, Status: shop.StatusActive, Prices: []shop.Price{{Cents: cents}}, VATRate: 550,
		WeightGrams: 400}
}

func newPrint(id, cents int64) *shop.Book {
	return book(id, shop.FormatPrint, shop.ConditionNew, cents)
}

func TestPriceAt(t *testing.T) {
	b := &shop.Book{Prices: []shop.Price{
		{Cents: 1800},
		{Cents: 2000, From: april},
		{Cents: 1500, From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)},
	}}
	tests := []struct {
		name   string
		at     time.Time
		want   int64
		wantOK bool
	}{
		{"OKBefore", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1800, true},
		{"OKWindow", time.Date(2026, 2, 14, 23, 59, 0, 0, time.UTC), 1500, true},
		{"OKWindowEndExcluded", time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), 1800, true},
		// Checklist 16: a future PriceDate takes effect on that date and
		// not before.
		{"Checklist16_FuturePriceNotBefore", april.Add(-time.Second), 1800, true},
		{"Checklist16_FuturePriceOnItsDate", april, 2000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := b.PriceAt(tt.at)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("PriceAt = %d, %v, want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
	t.Run("ErrNoPrice", func(t *testing.T) {
		for _, b := range []*shop.Book{{}, {Prices: []shop.Price{{Cents: 0}}}, {Prices: []shop.Price{{Cents: 900, From: april}}}} {
			if got, ok := b.PriceAt(now); ok {
				t.Errorf("PriceAt(%v) = %d, want none", b.Prices, got)
			}
		}
	})
}

// TestSellable covers checklist 23 (components not sold alone) and 24
// (no price, nothing to buy) with the statuses of the catalogue.
func TestSellable(t *testing.T) {
	tests := []struct {
		name string
		edit func(b *shop.Book)
		key  string
	}{
		{"OK", func(*shop.Book) {}, ""},
		{"ErrWithdrawn", func(b *shop.Book) { b.Status = shop.StatusWithdrawn }, "error.shop.book_withdrawn"},
		{"ErrForthcoming", func(b *shop.Book) { b.Status = shop.StatusForthcoming }, "error.shop.book_forthcoming"},
		{"ErrUnknownStatus", func(b *shop.Book) { b.Status = "" }, "error.shop.book_withdrawn"},
		{"ErrNotSoldAlone", func(b *shop.Book) { b.NotSoldAlone = true }, "error.shop.book_not_sold_alone"},
		{"ErrNoPrice", func(b *shop.Book) { b.Prices = nil }, "error.shop.book_no_price"},
		{"ErrPriceNotYet", func(b *shop.Book) { b.Prices = []shop.Price{{Cents: 1200, From: april}} }, "error.shop.book_no_price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newPrint(1, 1200)
			tt.edit(b)
			err := b.Sellable(now)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if key, _ := apperr.Message(err); !apperr.Is(err, apperr.Invalid) || key != tt.key {
				t.Errorf("err = %v, want %s", err, tt.key)
			}
		})
	}
}

func TestMinPickupPrice(t *testing.T) {
	tests := []struct {
		name      string
		publisher int64
		want      int64
	}{
		{"Checklist11_1299Gives1235", 1299, 1235},
		{"OK700Gives665", 700, 665},
		{"OKRoundsUp", 1, 1},
		{"OKExact", 2000, 1900},
		{"OKZero", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shop.MinPickupPrice(tt.publisher); got != tt.want {
				t.Errorf("MinPickupPrice(%d) = %d, want %d", tt.publisher, got, tt.want)
			}
		})
	}
	// The bound is ceil(0.95 × p): never below 95 %, and the smallest
	// such amount.
	for p := int64(1); p <= 20000; p++ {
		m := shop.MinPickupPrice(p)
		if m*100 < p*95 || (m-1)*100 >= p*95 {
			t.Fatalf("MinPickupPrice(%d) = %d is not ceil(0.95 × p)", p, m)
		}
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		name                            string
		f                               shop.Format
		c                               shop.Condition
		isNew, newPrint, fixed, shipped bool
	}{
		{"OKNewPrint", shop.FormatPrint, shop.ConditionNew, true, true, true, true},
		{"OKUsedPrint", shop.FormatPrint, shop.ConditionUsed, false, false, false, true},
		{"OKEbook", shop.FormatEbook, shop.ConditionNew, true, false, true, false},
		{"OKAudio", shop.FormatAudio, shop.ConditionNew, true, false, false, true},
		{"OKOther", shop.FormatOther, shop.ConditionNew, false, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := book(1, tt.f, tt.c, 1000)
			if b.IsNewBook() != tt.isNew || b.IsNewPrint() != tt.newPrint || b.FixedPrice() != tt.fixed || b.Shipped() != tt.shipped {
				t.Errorf("IsNewBook %v, IsNewPrint %v, FixedPrice %v, Shipped %v", b.IsNewBook(), b.IsNewPrint(), b.FixedPrice(), b.Shipped())
			}
		})
	}
}

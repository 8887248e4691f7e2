package shop_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// wantKey fails t unless err is Invalid with key (or nil when key is "").
func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	if key == "" {
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		return
	}
	if got, _ := apperr.Message(err); !apperr.Is(err, apperr.Invalid) || got != key {
		t.Fatalf("err = %v, want %s", err, key)
	}
}

var (
	newPrintOnly = []shop.Format{shop.FormatPrint}
	newOnly      = []shop.Condition{shop.ConditionNew}
	usedOnly     = []shop.Condition{shop.ConditionUsed}
)

// TestDiscountValidate is the check when the back office saves a rule.
func TestDiscountValidate(t *testing.T) {
	tests := []struct {
		name string
		d    shop.Discount
		key  string
	}{
		{"OKUsedBooks", shop.Discount{BasisPoints: 2000, Conditions: usedOnly}, ""},
		{"OKOtherGoods", shop.Discount{Cents: 300, Formats: []shop.Format{shop.FormatOther}}, ""},
		{"OKAudio", shop.Discount{BasisPoints: 1000, Formats: []shop.Format{shop.FormatAudio}}, ""},
		{"Checklist11_PickupFivePercent", shop.Discount{BasisPoints: 500, Formats: newPrintOnly, Conditions: newOnly, PickupOnly: true}, ""},
		{"Checklist11_PickupSixPercent", shop.Discount{BasisPoints: 600, Formats: newPrintOnly, Conditions: newOnly, PickupOnly: true},
			"error.shop.discount_over_5"},
		{"Checklist10_NewBooksShipped", shop.Discount{BasisPoints: 500, Formats: newPrintOnly}, "error.shop.discount_shipped_new_book"},
		{"Checklist10_EverythingShipped", shop.Discount{BasisPoints: 100, Formats: newPrintOnly, Conditions: newOnly},
			"error.shop.discount_shipped_new_book"},
		{"Checklist14_Ebooks", shop.Discount{BasisPoints: 500, Formats: []shop.Format{shop.FormatEbook}, PickupOnly: true},
			"error.shop.discount_ebook"},
		{"Checklist14_AllFormats", shop.Discount{BasisPoints: 500, PickupOnly: true}, "error.shop.discount_ebook"},
		{"ErrNoAmount", shop.Discount{Conditions: usedOnly}, "error.shop.discount_amount"},
		{"ErrBothAmounts", shop.Discount{BasisPoints: 500, Cents: 100, Conditions: usedOnly}, "error.shop.discount_amount"},
		{"ErrOver100", shop.Discount{BasisPoints: 10001, Conditions: usedOnly}, "error.shop.discount_amount"},
		{"ErrNegative", shop.Discount{Cents: -1, Conditions: usedOnly}, "error.shop.discount_amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantKey(t, tt.d.Validate(), tt.key) })
	}
}

// TestCheckDiscount is the check of a rule against a book at checkout.
func TestCheckDiscount(t *testing.T) {
	five := shop.Discount{BasisPoints: 500}
	tests := []struct {
		name     string
		b        *shop.Book
		d        shop.Discount
		delivery shop.DeliveryKind
		bookshop bool
		key      string
	}{
		{"Checklist10_HomeDelivery", newPrint(1, 1299), five, shop.DeliveryHome, false, "error.shop.discount_shipped_new_book"},
		{"Checklist10_RelayPoint", newPrint(1, 1299), five, shop.DeliveryRelay, false, "error.shop.discount_shipped_new_book"},
		{"Checklist11_BookshopFivePercent", newPrint(1, 1299), five, shop.DeliveryPickup, true, ""},
		{"Checklist11_BookshopSixPercent", newPrint(1, 1299), shop.Discount{BasisPoints: 600}, shop.DeliveryPickup, true,
			"error.shop.discount_over_5"},
		{"Checklist11_BookshopFixedAmountTooMuch", newPrint(1, 1299), shop.Discount{Cents: 65}, shop.DeliveryPickup, true,
			"error.shop.discount_over_5"},
		{"Checklist11_BookshopFixedAmountWithin", newPrint(1, 1299), shop.Discount{Cents: 64}, shop.DeliveryPickup, true, ""},
		{"Checklist12_PickupNotBookshop", newPrint(1, 1299), five, shop.DeliveryPickup, false, "error.shop.discount_shipped_new_book"},
		{"Checklist14_EbookAtBookshop", book(1, shop.FormatEbook, shop.ConditionNew, 1099), five, shop.DeliveryPickup, true,
			"error.shop.discount_ebook"},
		{"Checklist14_EbookDigital", book(1, shop.FormatEbook, shop.ConditionNew, 1099), five, shop.DeliveryDigital, false,
			"error.shop.discount_ebook"},
		{"OKUsedShipped", book(1, shop.FormatPrint, shop.ConditionUsed, 600), shop.Discount{BasisPoints: 5000}, shop.DeliveryHome, false, ""},
		{"OKOtherShipped", book(1, shop.FormatOther, shop.ConditionNew, 1500), shop.Discount{Cents: 500}, shop.DeliveryHome, false, ""},
		{"OKOutOfScope", newPrint(1, 1299), shop.Discount{BasisPoints: 5000, Conditions: usedOnly}, shop.DeliveryHome, false, ""},
		{"OKOtherBookIDs", newPrint(1, 1299), shop.Discount{BasisPoints: 5000, BookIDs: []int64{2}}, shop.DeliveryHome, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantKey(t, shop.CheckDiscount(tt.b, tt.d, tt.delivery, tt.bookshop), tt.key) })
	}
}

func TestDiscountPrice(t *testing.T) {
	tests := []struct {
		name string
		d    shop.Discount
		unit int64
		want int64
	}{
		// 5 % of 12,99 € is 0,6495 €: truncated to 0,64 € so the price
		// stays at the lawful 12,35 €.
		{"OKFivePercentTruncated", shop.Discount{BasisPoints: 500}, 1299, 1235},
		{"OKFixed", shop.Discount{Cents: 250}, 1000, 750},
		{"OKNeverNegative", shop.Discount{Cents: 2500}, 1000, 0},
		{"OKAll", shop.Discount{BasisPoints: 10000}, 1000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Price(tt.unit); got != tt.want {
				t.Errorf("Price(%d) = %d, want %d", tt.unit, got, tt.want)
			}
		})
	}
	for p := int64(1); p <= 20000; p++ {
		if got := (shop.Discount{BasisPoints: shop.MaxPickupDiscount}).Price(p); got < shop.MinPickupPrice(p) {
			t.Fatalf("5 %% off %d = %d, below %d", p, got, shop.MinPickupPrice(p))
		}
	}
}

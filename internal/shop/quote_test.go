package shop_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

func item(b *shop.Book, qty int) shop.QuoteItem {
	return shop.QuoteItem{Book: b, BookID: b.ID, Quantity: qty}
}

func problemKeys(q *shop.Quote) []string {
	var out []string
	for _, p := range q.Problems {
		out = append(out, p.Key)
	}
	return out
}

// pickupFive is the lawful bookshop rebate: 5 % on new printed books
// collected at the bookshop.
var pickupFive = shop.Discount{ID: "retrait", BasisPoints: 500, Formats: newPrintOnly, Conditions: newOnly, PickupOnly: true}

func TestQuoteCart(t *testing.T) {
	ebook := book(3, shop.FormatEbook, shop.ConditionNew, 1099)
	used := book(4, shop.FormatPrint, shop.ConditionUsed, 600)
	tote := book(5, shop.FormatOther, shop.ConditionNew, 1500)
	tote.VATRate = 0
	onDemand := newPrint(6, 2200)
	onDemand.TrackStock, onDemand.Stock, onDemand.Availability = false, 0, "31"
	tests := []struct {
		name      string
		items     []shop.QuoteItem
		carrier   string
		country   string
		discounts []shop.Discount
		units     []int64 // unit price of each line
		goods     int64
		shipping  int64
		problems  []string
	}{
		{"Checklist10_ShippedNewBookAtPublisherPrice", []shop.QuoteItem{item(newPrint(1, 1299), 1)}, "home", "FR",
			[]shop.Discount{{ID: "promo", BasisPoints: 500}}, []int64{1299}, 1299, 699, []string{"error.shop.discount_shipped_new_book"}},
		{"Checklist10_RelayPointIsShipping", []shop.QuoteItem{item(newPrint(1, 1299), 1)}, "relay", "FR",
			[]shop.Discount{{ID: "promo", Cents: 10}}, []int64{1299}, 1299, 449, []string{"error.shop.discount_shipped_new_book"}},
		{"Checklist10_PickupOnlyRuleSilentWhenShipped", []shop.QuoteItem{item(newPrint(1, 1299), 1)}, "home", "FR",
			[]shop.Discount{pickupFive}, []int64{1299}, 1299, 699, nil},
		{"Checklist11_BookshopPickupFivePercent", []shop.QuoteItem{item(newPrint(1, 1299), 2)}, "bookshop", "",
			[]shop.Discount{pickupFive}, []int64{1235}, 2470, 0, nil},
		{"Checklist11_BookshopPickupSeenAtPublisherPrice",
			[]shop.QuoteItem{{Book: newPrint(1, 1299), BookID: 1, Quantity: 1, SeenCents: 1299}}, "bookshop", "",
			[]shop.Discount{pickupFive}, []int64{1235}, 1235, 0, nil},
		{"Checklist11_BookshopPickupNeverBelow95", []shop.QuoteItem{item(newPrint(1, 1299), 1)}, "bookshop", "",
			[]shop.Discount{{ID: "trop", BasisPoints: 1000, PickupOnly: true, Formats: newPrintOnly}}, []int64{1299}, 1299, 0,
			[]string{"error.shop.discount_over_5"}},
		{"Checklist12_PickupNotBookshopNoDiscountAndFloor", []shop.QuoteItem{item(newPrint(1, 1299), 1)}, "locker", "",
			[]shop.Discount{pickupFive}, []int64{1299}, 1299, 300, nil},
		{"Checklist14_EbookAtPublisherPrice", []shop.QuoteItem{item(ebook, 1)}, "", "FR",
			[]shop.Discount{{ID: "ebooks", BasisPoints: 500, Formats: []shop.Format{shop.FormatEbook}}}, []int64{1099}, 1099, 0,
			[]string{"error.shop.discount_ebook"}},
		{"Checklist15_SingleCopyNoSurcharge", []shop.QuoteItem{item(onDemand, 1)}, "home", "FR", nil, []int64{2200}, 2200, 699, nil},
		{"OKUsedBooksDiscounted", []shop.QuoteItem{item(used, 1), item(newPrint(1, 2000), 1)}, "home", "FR",
			[]shop.Discount{{ID: "occasions", BasisPoints: 5000, Conditions: usedOnly}}, []int64{300, 2000}, 2300, 899, nil},
		{"OKBestDiscountWins", []shop.QuoteItem{item(used, 1)}, "home", "FR",
			[]shop.Discount{{ID: "a", BasisPoints: 1000}, {ID: "b", Cents: 200, Conditions: usedOnly}}, []int64{400}, 400, 699, nil},
		{"OKMixedCartOtherGoodsAt20", []shop.QuoteItem{item(newPrint(1, 2110), 1), item(tote, 1)}, "home", "FR", nil,
			[]int64{2110, 1500}, 3610, 899, nil},
		{"OKDuplicatesMerged", []shop.QuoteItem{item(newPrint(1, 1000), 1), item(newPrint(1, 1000), 2)}, "home", "FR", nil,
			[]int64{1000}, 3000, 1599, nil},
		{"OKDigitalOnlyNeedsNoCarrier", []shop.QuoteItem{item(ebook, 2)}, "", "", nil, []int64{1099}, 2198, 0, nil},
		{"ErrNoCarrier", []shop.QuoteItem{item(newPrint(1, 1000), 1)}, "", "FR", nil, []int64{1000}, 1000, 0,
			[]string{"error.shop.carrier_required"}},
		{"ErrUnknownCarrier", []shop.QuoteItem{item(newPrint(1, 1000), 1)}, "pigeon", "FR", nil, []int64{1000}, 1000, 0,
			[]string{"error.shop.carrier_required"}},
		{"ErrNoRateToCountry", []shop.QuoteItem{item(newPrint(1, 1000), 1)}, "relay", "IT", nil, []int64{1000}, 1000, 0,
			[]string{"error.shop.no_rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := policy()
			pol.Discounts = tt.discounts
			q, err := shop.QuoteCart(shop.QuoteInput{Items: tt.items, CarrierID: tt.carrier, Country: tt.country,
				Policy: pol, At: now})
			if err != nil {
				t.Fatal(err)
			}
			var units []int64
			for _, l := range q.Lines {
				units = append(units, l.UnitCents)
			}
			if !slices.Equal(units, tt.units) || q.GoodsCents != tt.goods || q.ShippingCents != tt.shipping {
				t.Errorf("units %v, goods %d, shipping %d; want %v, %d, %d", units, q.GoodsCents, q.ShippingCents, tt.units, tt.goods, tt.shipping)
			}
			if q.TotalCents != q.GoodsCents+q.ShippingCents {
				t.Errorf("total %d ≠ goods %d + shipping %d", q.TotalCents, q.GoodsCents, q.ShippingCents)
			}
			if got := problemKeys(q); !slices.Equal(got, tt.problems) {
				t.Errorf("problems = %q, want %q", got, tt.problems)
			}
		})
	}
}

// TestQuoteProblems: what the buyer must see before paying, and whether
// it stops checkout.
func TestQuoteProblems(t *testing.T) {
	withdrawn := newPrint(2, 1000)
	withdrawn.Status = shop.StatusWithdrawn
	forthcoming := newPrint(3, 1000)
	forthcoming.Status = shop.StatusForthcoming
	component := newPrint(4, 1000)
	component.NotSoldAlone = true
	unpriced := newPrint(5, 1000)
	unpriced.Prices = nil
	scarce := newPrint(6, 1000)
	scarce.TrackStock, scarce.Stock = true, 2
	gone := newPrint(7, 1000)
	gone.TrackStock, gone.Stock = true, 0
	tests := []struct {
		name   string
		items  []shop.QuoteItem
		keys   []string
		blocks bool
	}{
		{"OK", []shop.QuoteItem{item(newPrint(1, 1000), 1)}, nil, false},
		{"OKSeenSamePrice", []shop.QuoteItem{{Book: newPrint(1, 1000), Quantity: 1, SeenCents: 1000}}, nil, false},
		{"ErrPriceChanged", []shop.QuoteItem{{Book: newPrint(1, 1000), Quantity: 1, SeenCents: 900}},
			[]string{"shop.problem.price_changed"}, true},
		{"ErrQuantityZero", []shop.QuoteItem{item(newPrint(1, 1000), 0)}, []string{"error.shop.bad_quantity"}, true},
		{"ErrQuantityNegative", []shop.QuoteItem{item(newPrint(1, 1000), -1)}, []string{"error.shop.bad_quantity"}, true},
		{"ErrQuantityHuge", []shop.QuoteItem{item(newPrint(1, 1000), 1_000_000_000)}, []string{"error.shop.bad_quantity"}, true},
		{"ErrQuantityOverMax", []shop.QuoteItem{item(newPrint(1, 1000), shop.MaxQuantity+1)}, []string{"error.shop.bad_quantity"}, true},
		{"ErrMergedOverMax", []shop.QuoteItem{item(newPrint(1, 1000), 60), item(newPrint(1, 1000), 60)},
			[]string{"error.shop.bad_quantity"}, true},
		{"ErrWithdrawn", []shop.QuoteItem{item(withdrawn, 1)}, []string{"error.shop.book_withdrawn"}, true},
		{"ErrForthcoming", []shop.QuoteItem{item(forthcoming, 1)}, []string{"error.shop.book_forthcoming"}, true},
		{"ErrNotSoldAlone", []shop.QuoteItem{item(component, 1)}, []string{"error.shop.book_not_sold_alone"}, true},
		{"ErrNoPrice", []shop.QuoteItem{item(unpriced, 1)}, []string{"error.shop.book_no_price"}, true},
		{"ErrNotEnoughStock", []shop.QuoteItem{item(scarce, 3)}, []string{"error.shop.not_enough_stock"}, true},
		{"OKEnoughStock", []shop.QuoteItem{item(scarce, 2)}, nil, false},
		{"ErrOutOfStock", []shop.QuoteItem{item(gone, 1)}, []string{"error.shop.out_of_stock"}, true},
		{"ErrBookGone", []shop.QuoteItem{{BookID: 99, Quantity: 1}}, []string{"error.shop.book_gone"}, true},
		{"ErrEmpty", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := shop.QuoteCart(shop.QuoteInput{Items: tt.items, CarrierID: "home", Country: "FR", Policy: policy(), At: now})
			if err != nil {
				t.Fatal(err)
			}
			if got := problemKeys(q); !slices.Equal(got, tt.keys) {
				t.Errorf("problems = %q, want %q", got, tt.keys)
			}
			err = q.Err()
			if (err != nil) != tt.blocks || (err != nil && !apperr.Is(err, apperr.Invalid)) {
				t.Errorf("Err = %v, blocks = %v", err, tt.blocks)
			}
			if _, err := q.Order(nil); (err != nil) != tt.blocks {
				t.Errorf("Order err = %v, want blocked %v", err, tt.blocks)
			}
			for _, l := range q.Lines {
				if l.Excluded && l.TotalCents != 0 {
					t.Errorf("excluded line counts %d", l.TotalCents)
				}
			}
		})
	}
	t.Run("ErrTooManyLines", func(t *testing.T) {
		var items []shop.QuoteItem
		for i := range shop.MaxCartLines + 1 {
			items = append(items, item(newPrint(int64(i+1), 100), 1))
		}
		q, err := shop.QuoteCart(shop.QuoteInput{Items: items, CarrierID: "home", Country: "FR", Policy: policy(), At: now})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(problemKeys(q), "error.shop.too_many_lines") || q.Err() == nil {
			t.Errorf("problems = %q", problemKeys(q))
		}
	})
	t.Run("ErrNoVATMode", func(t *testing.T) {
		p := policy()
		p.VATMode = ""
		_, err := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(newPrint(1, 1000), 1)}, Policy: p, At: now})
		if !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("OKPriceChangedText", func(t *testing.T) {
		b := newPrint(1, 1000)
		b.Title = "Roseanna"
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{{Book: b, Quantity: 1, SeenCents: 900}}, CarrierID: "home",
			Country: "FR", Policy: policy(), At: now})
		cat, err := locale.LoadCatalog()
		if err != nil {
			t.Fatal(err)
		}
		got := q.Problems[0].Text(cat.Printer(locale.French))
		if want := "Le prix de «\u202fRoseanna\u202f» est passé de 9,00\u00a0€ à 10,00\u00a0€."; got != want {
			t.Errorf("text = %q, want %q", got, want)
		}
	})
}

// TestQuoteOrder: the order checkout makes from a quote.
func TestQuoteOrder(t *testing.T) {
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	fr := cat.Printer(locale.French)
	used := book(4, shop.FormatPrint, shop.ConditionUsed, 5000)
	used.ConditionNote = "bon état"
	priced := newPrint(1, 1800)
	priced.Prices = append(priced.Prices, shop.Price{Cents: 2000, From: april})

	t.Run("Checklist08_ShippingInTheSamePayment", func(t *testing.T) {
		q, err := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(newPrint(1, 2000), 1), item(used, 1)},
			CarrierID: "home", Country: "FR", Policy: policy(), At: now})
		if err != nil {
			t.Fatal(err)
		}
		o, err := q.Order(fr)
		if err != nil {
			t.Fatal(err)
		}
		// 70 € of goods reach the offer, but 20 € of new books keep the 3 €
		// floor (checklist 3 again, end to end).
		if o.GoodsCents != 7000 || o.ShippingCents != 300 || o.TotalCents != 7300 {
			t.Errorf("goods %d, shipping %d, total %d", o.GoodsCents, o.ShippingCents, o.TotalCents)
		}
		if err := o.CheckAmounts(); err != nil {
			t.Errorf("CheckAmounts = %v", err)
		}
		unpaid := *o
		unpaid.TotalCents = unpaid.GoodsCents
		if err := unpaid.CheckAmounts(); err == nil {
			t.Error("an order whose total leaves out delivery passed CheckAmounts")
		}
		dropped := *o
		dropped.ShippingCents, dropped.TotalCents = 0, dropped.GoodsCents
		if err := dropped.CheckAmounts(); err == nil {
			t.Error("an order whose VAT counts delivery that the total does not passed CheckAmounts")
		}
		if !strings.Contains(o.ShippingWhy, "minimum légal 3,00\u00a0€") || o.Lang != "fr" {
			t.Errorf("why = %q, lang %q", o.ShippingWhy, o.Lang)
		}
		if o.Carrier != "home" || o.CarrierName != "Colissimo" || o.Delivery != shop.DeliveryHome || o.Status != shop.OrderPending {
			t.Errorf("carrier %q %q, delivery %q, status %q", o.Carrier, o.CarrierName, o.Delivery, o.Status)
		}
	})
	t.Run("Checklist08_NoCarrierNoOrder", func(t *testing.T) {
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(newPrint(1, 2000), 1)}, Country: "FR", Policy: policy(), At: now})
		if _, err := q.Order(fr); err == nil {
			t.Error("an order to ship without a delivery charge was made")
		}
	})
	t.Run("Checklist13_UsedConditionTravelsToOrder", func(t *testing.T) {
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(used, 1)}, CarrierID: "home", Country: "FR", Policy: policy(), At: now})
		o, err := q.Order(fr)
		if err != nil {
			t.Fatal(err)
		}
		if !o.HasUsed() || o.Lines[0].Condition != shop.ConditionUsed || q.Lines[0].Book.Condition != shop.ConditionUsed {
			t.Errorf("lines = %+v", o.Lines)
		}
	})
	t.Run("Checklist16_OrderKeepsItsPrice", func(t *testing.T) {
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(priced, 1)}, CarrierID: "home", Country: "FR", Policy: policy(), At: now})
		o, err := q.Order(fr)
		if err != nil {
			t.Fatal(err)
		}
		later, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{{Book: priced, Quantity: 1, SeenCents: 1800}}, CarrierID: "home",
			Country: "FR", Policy: policy(), At: april.Add(time.Hour)})
		priced.Prices[0].Cents = 1 // the catalogue changes after the order
		if o.Lines[0].UnitCents != 1800 || o.Lines[0].PublisherCents != 1800 || o.GoodsCents != 1800 {
			t.Errorf("order line = %+v", o.Lines[0])
		}
		if later.Lines[0].UnitCents != 2000 || !slices.Contains(problemKeys(later), "shop.problem.price_changed") {
			t.Errorf("after the price date: unit %d, problems %q", later.Lines[0].UnitCents, problemKeys(later))
		}
	})
	t.Run("Checklist17_LiableOrderVAT", func(t *testing.T) {
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(newPrint(1, 2200), 1)}, CarrierID: "bookshop",
			Policy: policy(), At: now})
		want := []shop.VATLine{{Rate: 550, BaseCents: 2085, VATCents: 115, TotalCents: 2200}}
		if diff := cmp.Diff(want, q.VAT); diff != "" || q.VATExemption != "" {
			t.Errorf("VAT (-want +got):\n%s; exemption %q", diff, q.VATExemption)
		}
	})
	t.Run("Checklist19_ExemptOrderCarriesMention", func(t *testing.T) {
		p := policy()
		p.VATMode = shop.VATExempt
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(newPrint(1, 2200), 1)}, CarrierID: "home", Country: "FR",
			Policy: p, At: now})
		o, err := q.Order(fr)
		if err != nil {
			t.Fatal(err)
		}
		if o.VAT != nil || o.VATMode != shop.VATExempt || o.VATExemption != "TVA non applicable, art. 261-7-1°-b du CGI" {
			t.Errorf("VAT %+v, mode %q, exemption %q", o.VAT, o.VATMode, o.VATExemption)
		}
	})
	t.Run("OKOrderLinesCopyTheBook", func(t *testing.T) {
		b := newPrint(1, 2200)
		b.ISBN, b.Title = "9780007232833", "Roseanna"
		q, _ := shop.QuoteCart(shop.QuoteInput{Items: []shop.QuoteItem{item(b, 2)}, CarrierID: "home", Country: "FR", Policy: policy(), At: now})
		o, err := q.Order(nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []shop.OrderLine{{BookID: 1, ISBN: "9780007232833", Title: "Roseanna", Format: shop.FormatPrint,
			Condition: shop.ConditionNew, PublisherCents: 2200, UnitCents: 2200, Quantity: 2, VATRate: 550}}
		if diff := cmp.Diff(want, o.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		if o.ShippingWhy != "shop.shipping.why.tariff" {
			t.Errorf("why without a printer = %q", o.ShippingWhy)
		}
	})
}

func TestPolicy(t *testing.T) {
	p := policy()
	tote := book(1, shop.FormatOther, shop.ConditionNew, 1000)
	tote.VATRate = 0
	ebook := book(2, shop.FormatEbook, shop.ConditionNew, 1000)
	ebook.VATRate = 0
	dom := newPrint(3, 1000)
	dom.VATRate = 210
	for _, tt := range []struct {
		b    *shop.Book
		want int
	}{{tote, 2000}, {ebook, 550}, {dom, 210}} {
		if got := p.VATRateOf(tt.b); got != tt.want {
			t.Errorf("VATRateOf(%s) = %d, want %d", tt.b.Format, got, tt.want)
		}
	}
	if c := carrier(t, p, "bookshop"); !c.BookshopPickup() {
		t.Error("the bookshop is not a bookshop pickup")
	}
	if c := carrier(t, p, "locker"); c.BookshopPickup() {
		t.Error("a pickup point not declared a bookshop counts as one")
	}
	var none *shop.Carrier
	if none.BookshopPickup() {
		t.Error("no carrier is a bookshop pickup")
	}
	if _, ok := p.Carrier("pigeon"); ok {
		t.Error("unknown carrier found")
	}
}

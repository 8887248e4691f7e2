package shop_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// policy is a liable shop with the default floor, the 1-cent offer from
// 64 € in France, and one carrier of each kind the law treats apart.
func policy() shop.Policy {
	fr := func(pairs ...int64) []shop.Rate {
		var out []shop.Rate
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, shop.Rate{Zone: "FR", MaxGrams: int(pairs[i]), Cents: pairs[i+1]})
		}
		return out
	}
	return shop.Policy{
		VATMode: shop.VATLiable, DefaultVATRate: 550, OtherVATRate: 2000,
		Floor: shop.DefaultShippingFloor(),
		Offer: shop.Offer{Enabled: true, ThresholdCents: 6400, FeeCents: 1, Zones: []string{"FR"}},
		Zones: []shop.Zone{{ID: "FR", Name: "France", Countries: []string{"FR", "MC"}},
			{ID: "EU", Name: "UE", Countries: []string{"DE", "BE", "IT"}}, {ID: "WORLD", Name: "Monde", Countries: []string{"*"}}},
		Carriers: []shop.Carrier{
			{ID: "home", Name: "Colissimo", Kind: shop.DeliveryHome, Rates: append(fr(500, 699, 1000, 899, 30000, 1599),
				shop.Rate{Zone: "EU", MaxGrams: 1000, Cents: 2050}, shop.Rate{Zone: "EU", MaxGrams: 30000, Cents: 6900},
				shop.Rate{Zone: "WORLD", MaxGrams: 2000, Cents: 4490})},
			{ID: "relay", Name: "Mondial Relay", Kind: shop.DeliveryRelay, Rates: fr(500, 449, 1000, 519, 30000, 2999)},
			{ID: "letter", Name: "Lettre suivie", Kind: shop.DeliveryHome, Rates: fr(1000, 199, 2000, 299)},
			{ID: "cheap", Name: "Coursier", Kind: shop.DeliveryHome, Rates: fr(1000, 50)},
			{ID: "bookshop", Name: "Retrait à la librairie", Kind: shop.DeliveryPickup, RetailBookshop: true},
			{ID: "locker", Name: "Casier du local", Kind: shop.DeliveryPickup},
		},
	}
}

func carrier(t *testing.T, p shop.Policy, id string) *shop.Carrier {
	t.Helper()
	c, ok := p.Carrier(id)
	if !ok {
		t.Fatalf("no carrier %q", id)
	}
	return c
}

// lines builds shipping lines of one 400 g copy each: n for new printed
// books, u for used ones, e for e-books, o for other goods.
func lines(spec ...any) []shop.ShippingLine {
	var out []shop.ShippingLine
	for i := 0; i < len(spec); i += 2 {
		l := shop.ShippingLine{UnitCents: int64(spec[i+1].(int)), Quantity: 1, WeightGrams: 400}
		switch spec[i].(string) {
		case "n":
			l.Format, l.Condition = shop.FormatPrint, shop.ConditionNew
		case "u":
			l.Format, l.Condition = shop.FormatPrint, shop.ConditionUsed
		case "e":
			l.Format, l.Condition = shop.FormatEbook, shop.ConditionNew
		case "o":
			l.Format, l.Condition = shop.FormatOther, shop.ConditionNew
		}
		out = append(out, l)
	}
	return out
}

func keys(why []shop.Reason) []string {
	var out []string
	for _, r := range why {
		out = append(out, r.Key)
	}
	return out
}

const (
	kTariff   = "shop.shipping.why.tariff"
	kOffer    = "shop.shipping.why.offer"
	kBelow    = "shop.shipping.why.floor_below"
	kAbove    = "shop.shipping.why.floor_above"
	kBookshop = "shop.shipping.why.bookshop_pickup"
	kDigital  = "shop.shipping.why.digital"
)

func TestShipping(t *testing.T) {
	heavy := func(n, cents int) []shop.ShippingLine {
		return []shop.ShippingLine{{Format: shop.FormatPrint, Condition: shop.ConditionNew, UnitCents: int64(cents), Quantity: n, WeightGrams: 1000}}
	}
	disabled := shop.DefaultShippingFloor()
	disabled.Enabled = false
	ended := shop.DefaultShippingFloor()
	ended.Until = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	usedToo := shop.DefaultShippingFloor()
	usedToo.ApplyToUsedOnlyOrders = true
	tests := []struct {
		name    string
		lines   []shop.ShippingLine
		carrier string
		country string
		at      time.Time
		floor   *shop.ShippingFloor
		cents   int64
		min     int64
		parcels int
		why     []string
	}{
		{"Checklist01_Below35PaysAtLeast3_TariffBelow", lines("n", 3499), "letter", "FR", now, nil, 300, 300, 1, []string{kTariff, kBelow}},
		{"Checklist01_Below35PaysAtLeast3_TariffAbove", lines("n", 3499), "home", "FR", now, nil, 699, 300, 1, []string{kTariff}},
		{"Checklist01_Below35PaysAtLeast3_FreePickupNotBookshop", lines("n", 1000, "n", 2499), "locker", "", now, nil, 300, 300, 1, []string{kTariff, kBelow}},
		{"Checklist02_Exactly35NeverFree", lines("n", 3500), "locker", "", now, nil, 1, 1, 1, []string{kTariff, kAbove}},
		{"Checklist02_Exactly35Tariff", lines("n", 3500), "letter", "FR", now, nil, 199, 1, 1, []string{kTariff}},
		{"Checklist03_UsedBooksDoNotLiftFloor", lines("n", 2000, "u", 5000), "home", "FR", now, nil, 300, 300, 1, []string{kOffer, kBelow}},
		{"Checklist03_OtherGoodsDoNotLiftFloor", lines("n", 2000, "o", 4400), "home", "FR", now, nil, 300, 300, 1, []string{kOffer, kBelow}},
		{"Checklist04_64NewBooksToFrance1Cent", lines("n", 4000, "n", 2400), "home", "FR", now, nil, 1, 1, 1, []string{kOffer}},
		{"Checklist04_Monaco1Cent", lines("n", 6400), "relay", "MC", now, nil, 1, 1, 1, []string{kOffer}},
		{"Checklist04_OfferNotAbroad", lines("n", 6400), "home", "DE", now, nil, 2050, 1, 1, []string{kTariff}},
		{"Checklist04_63NewBooksTariff", lines("n", 6399), "home", "FR", now, nil, 699, 1, 1, []string{kTariff}},
		{"Checklist05_40NewBooksStandardTariff", lines("n", 4000), "home", "FR", now, nil, 699, 1, 1, []string{kTariff}},
		{"Checklist05_40NewBooksRelayTariff", lines("n", 4000), "relay", "FR", now, nil, 449, 1, 1, []string{kTariff}},
		{"Checklist07_ThreeParcelsFloorOnce", heavy(3, 900), "cheap", "FR", now, nil, 300, 300, 3, []string{kTariff, kBelow}},
		{"Checklist07_ThreeParcelsOfferOnce", heavy(3, 2500), "cheap", "FR", now, nil, 1, 1, 3, []string{kOffer}},
		{"Checklist07_ThreeParcelsTariff", heavy(3, 1500), "cheap", "FR", now, nil, 150, 1, 3, []string{kTariff}},
		{"Checklist09_FloorDisabled", lines("n", 2000), "locker", "", now, &disabled, 0, 0, 1, []string{kTariff}},
		{"Checklist09_FloorDisabledTariffAlone", lines("n", 2000), "letter", "FR", now, &disabled, 199, 0, 1, []string{kTariff}},
		{"Checklist09_BeforeFloorInForce", lines("n", 2000), "letter", "FR", time.Date(2023, 10, 6, 21, 59, 0, 0, time.UTC), nil, 199, 0, 1, []string{kTariff}},
		{"Checklist09_FloorInForceMidnightParis", lines("n", 2000), "letter", "FR", time.Date(2023, 10, 6, 22, 0, 0, 0, time.UTC), nil, 300, 300, 1, []string{kTariff, kBelow}},
		{"Checklist09_AfterFloorEnds", lines("n", 2000), "letter", "FR", now, &ended, 199, 0, 1, []string{kTariff}},
		{"Checklist12_BookshopPickupFree", lines("n", 2000), "bookshop", "", now, nil, 0, 0, 1, []string{kTariff, kBookshop}},
		{"Checklist12_BookshopPickupNoOfferNeeded", lines("n", 7000), "bookshop", "", now, nil, 0, 0, 1, []string{kTariff, kBookshop}},
		{"Checklist12_PickupNotBookshopIsDelivery", lines("n", 2000), "locker", "", now, nil, 300, 300, 1, []string{kTariff, kBelow}},
		{"OKEbooksOnlyShipNothing", lines("e", 1099, "e", 899), "", "", now, nil, 0, 0, 0, []string{kDigital}},
		{"OKEbooksNotNewValue", lines("n", 3000, "e", 1000), "locker", "", now, nil, 300, 300, 1, []string{kTariff, kBelow}},
		{"OKEbooksCountForOffer", lines("n", 3600, "e", 3000), "home", "FR", now, nil, 1, 1, 1, []string{kOffer}},
		{"OKUsedOnlyNoFloor", lines("u", 500), "locker", "", now, nil, 0, 0, 1, []string{kTariff}},
		{"OKUsedOnlyFloorWhenSet", lines("u", 500), "locker", "", now, &usedToo, 300, 300, 1, []string{kTariff, kBelow}},
		{"OKOtherGoodsOnlyNoFloor", lines("o", 1500), "locker", "", now, &usedToo, 0, 0, 1, []string{kTariff}},
		{"OKWorld", lines("n", 2000), "home", "JP", now, nil, 4490, 300, 1, []string{kTariff}},
		{"OKUnknownWeightCounts400g", []shop.ShippingLine{{Format: shop.FormatPrint, Condition: shop.ConditionNew, UnitCents: 1800, Quantity: 2}},
			"home", "FR", now, nil, 899, 1, 1, []string{kTariff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policy()
			in := shop.ShippingInput{Lines: tt.lines, Country: tt.country, At: tt.at, Floor: p.Floor, Offer: p.Offer, Zones: p.Zones}
			if tt.carrier != "" {
				in.Carrier = carrier(t, p, tt.carrier)
			}
			if tt.floor != nil {
				in.Floor = *tt.floor
			}
			q, err := shop.Shipping(in)
			if err != nil {
				t.Fatal(err)
			}
			if q.Cents != tt.cents || q.Floor != tt.min || q.Parcels != tt.parcels {
				t.Errorf("cents %d, floor %d, parcels %d; want %d, %d, %d", q.Cents, q.Floor, q.Parcels, tt.cents, tt.min, tt.parcels)
			}
			if q.Cents < q.Floor {
				t.Errorf("charge %d below the floor %d", q.Cents, q.Floor)
			}
			if got := keys(q.Why); !slices.Equal(got, tt.why) {
				t.Errorf("why = %q, want %q", got, tt.why)
			}
		})
	}
}

func TestShippingErrors(t *testing.T) {
	p := policy()
	tests := []struct {
		name    string
		carrier string
		country string
		zones   []shop.Zone
		key     string
	}{
		{"ErrNoCarrier", "", "FR", p.Zones, "error.shop.carrier_required"},
		{"ErrRelayAbroad", "relay", "DE", p.Zones, "error.shop.no_rate"},
		{"ErrNoZone", "home", "JP", p.Zones[:2], "error.shop.no_rate"},
		{"ErrNoCountry", "relay", "", p.Zones[:2], "error.shop.no_rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := shop.ShippingInput{Lines: lines("n", 2000), Country: tt.country, At: now, Floor: p.Floor, Zones: tt.zones}
			if tt.carrier != "" {
				in.Carrier = carrier(t, p, tt.carrier)
			}
			_, err := shop.Shipping(in)
			wantKey(t, err, tt.key)
		})
	}
}

// TestShippingFloorAfter: a coupon, perk or credit on delivery never
// brings the charge below the legal minimum, nor may a refund
// (checklist 6).
func TestShippingFloorAfter(t *testing.T) {
	tests := []struct {
		name       string
		q          shop.ShippingQuote
		reductions []int64
		want       int64
		clamped    bool
	}{
		{"Checklist06_CouponClampedTo3", shop.ShippingQuote{Cents: 699, Floor: 300}, []int64{1000}, 300, true},
		{"Checklist06_PerkAndCreditClampedTo1Cent", shop.ShippingQuote{Cents: 699, Floor: 1}, []int64{500, 500}, 1, true},
		{"Checklist06_SmallCouponApplies", shop.ShippingQuote{Cents: 699, Floor: 300}, []int64{200}, 499, false},
		{"Checklist06_OfferedAtBookshopDownToZero", shop.ShippingQuote{Cents: 200, Floor: 0}, []int64{500}, 0, false},
		{"OKNegativeIgnored", shop.ShippingQuote{Cents: 699, Floor: 300}, []int64{-500}, 699, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shop.ShippingFloorAfter(tt.q, tt.reductions...)
			if got.Cents != tt.want {
				t.Errorf("cents = %d, want %d", got.Cents, tt.want)
			}
			if clamped := slices.Contains(keys(got.Why), "shop.shipping.why.reduction_clamped"); clamped != tt.clamped {
				t.Errorf("clamped = %v, want %v", clamped, tt.clamped)
			}
			if len(tt.q.Why) != 0 {
				t.Error("the quote given was changed")
			}
		})
	}
	t.Run("Checklist06_RefundLeavesTheFloor", func(t *testing.T) {
		order := []shop.OrderLine{{Format: shop.FormatPrint, Condition: shop.ConditionNew, UnitCents: 2000, Quantity: 1},
			{Format: shop.FormatPrint, Condition: shop.ConditionUsed, UnitCents: 5000, Quantity: 1}}
		floor := shop.LegalMinimum(shop.DefaultShippingFloor(), now, false, order)
		if floor != 300 {
			t.Fatalf("LegalMinimum = %d, want 300", floor)
		}
		if got := shop.MaxShippingRefund(699, floor); got != 399 {
			t.Errorf("MaxShippingRefund = %d, want 399", got)
		}
		if got := shop.MaxShippingRefund(300, floor); got != 0 {
			t.Errorf("MaxShippingRefund at the floor = %d, want 0", got)
		}
		if got := shop.LegalMinimum(shop.DefaultShippingFloor(), now, true, order); got != 0 {
			t.Errorf("LegalMinimum at a bookshop = %d, want 0", got)
		}
		big := []shop.OrderLine{{Format: shop.FormatPrint, Condition: shop.ConditionNew, UnitCents: 1800, Quantity: 2}}
		if got := shop.LegalMinimum(shop.DefaultShippingFloor(), now, false, big); got != 1 {
			t.Errorf("LegalMinimum from 35 € = %d, want 1", got)
		}
	})
}

// TestReasonText: the cart's lines read as the newsroom writes them.
func TestReasonText(t *testing.T) {
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	p := policy()
	q, err := shop.Shipping(shop.ShippingInput{Lines: lines("n", 2000, "u", 5000), Carrier: carrier(t, p, "home"), Country: "FR",
		At: now, Floor: p.Floor, Offer: p.Offer, Zones: p.Zones})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range q.Why {
		got = append(got, r.Text(cat.Printer(locale.French)))
	}
	nb := "\u00a0"
	want := []string{
		"Offre de la librairie" + nb + ": 0,01" + nb + "€ dès 64" + nb + "€ d’achat",
		"Livres neufs" + nb + ": 20,00" + nb + "€ < 35" + nb + "€" + nb + ": frais de port minimum légal 3,00" + nb + "€ (arrêté du 4 avril 2023)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("French reasons (-want +got):\n%s", diff)
	}
	en := q.Why[1].Text(cat.Printer(locale.English))
	if !strings.Contains(en, "€20.00 < €35") || !strings.Contains(en, "€3.00") {
		t.Errorf("English reason = %q", en)
	}
}

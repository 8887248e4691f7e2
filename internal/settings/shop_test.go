package settings_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/testutil"
)

// TestShopDefaults: the shop is closed until a VAT mode is chosen, and its
// defaults carry the arrêté du 4 avril 2023 and the newsroom's offer.
func TestShopDefaults(t *testing.T) {
	d := settings.Defaults().Shop
	if d.Enabled || d.VATMode != "" {
		t.Errorf("shop enabled = %v, mode %q by default", d.Enabled, d.VATMode)
	}
	wantFloor := shop.ShippingFloor{Enabled: true, BelowCents: 300, ThresholdCents: 3500, AboveCents: 1,
		From: time.Date(2023, 10, 7, 0, 0, 0, 0, mustZone(t, "Europe/Paris"))}
	if f := d.ShippingFloor; !f.From.Equal(wantFloor.From) || f.BelowCents != 300 || f.ThresholdCents != 3500 ||
		f.AboveCents != 1 || !f.Enabled || !f.Until.IsZero() || f.ApplyToUsedOnlyOrders {
		t.Errorf("floor = %+v", f)
	}
	if o := d.Offer; o.ThresholdCents != 6400 || o.FeeCents != 1 || !slices.Equal(o.Zones, []string{"FR"}) {
		t.Errorf("offer = %+v", o)
	}
	if d.DefaultVATRate != 550 || d.OtherVATRate != 2000 {
		t.Errorf("rates = %d, %d", d.DefaultVATRate, d.OtherVATRate)
	}
	p := d.Policy()
	for _, tt := range []struct {
		carrier, country string
		grams            int
		want             bool
	}{{"colissimo", "FR", 500, true}, {"colissimo", "DE", 500, true}, {"colissimo", "RE", 500, true},
		{"colissimo", "JP", 500, true}, {"mondial-relay", "FR", 500, true}, {"mondial-relay", "BE", 500, false}} {
		c, ok := p.Carrier(tt.carrier)
		if !ok {
			t.Fatalf("no carrier %q", tt.carrier)
		}
		_, err := shop.Shipping(shop.ShippingInput{Carrier: c, Country: tt.country, Zones: p.Zones,
			Lines: []shop.ShippingLine{{Format: shop.FormatPrint, Condition: shop.ConditionNew, UnitCents: 2000, Quantity: 1, WeightGrams: tt.grams}}})
		if (err == nil) != tt.want {
			t.Errorf("%s to %s: err = %v", tt.carrier, tt.country, err)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestShopValidate(t *testing.T) {
	pickup := shop.Carrier{ID: "librairie", Name: "Retrait à la librairie", Kind: shop.DeliveryPickup, RetailBookshop: true,
		Address: shop.Address{Name: "Librairie du Veilleur", Line1: "12 rue Mercière", PostalCode: "69002", City: "Lyon", Country: "FR"}}
	tests := []struct {
		name   string
		edit   func(s *settings.Shop)
		fields []string
	}{
		{"OKDefaults", func(*settings.Shop) {}, nil},
		{"OKEnabledLiable", func(s *settings.Shop) { s.Enabled, s.VATMode = true, shop.VATLiable }, nil},
		{"OKBookshopPickup", func(s *settings.Shop) { s.Carriers = append(s.Carriers, pickup) }, nil},
		{"OKFloorDisabled", func(s *settings.Shop) { s.ShippingFloor.Enabled = false }, nil},
		{"ErrEnabledWithoutVATMode", func(s *settings.Shop) { s.Enabled = true }, []string{"shop.vat_mode"}},
		{"ErrUnknownVATMode", func(s *settings.Shop) { s.VATMode = "maybe" }, []string{"shop.vat_mode"}},
		{"ErrVATRate", func(s *settings.Shop) { s.DefaultVATRate, s.OtherVATRate = -1, 10000 },
			[]string{"shop.default_vat_rate", "shop.other_vat_rate"}},
		{"ErrFreeAboveThreshold", func(s *settings.Shop) { s.ShippingFloor.AboveCents = 0 }, []string{"shop.shipping_floor"}},
		{"ErrFloorBelowUnderAbove", func(s *settings.Shop) { s.ShippingFloor.BelowCents = 0 }, []string{"shop.shipping_floor"}},
		{"ErrFloorDates", func(s *settings.Shop) { s.ShippingFloor.Until = s.ShippingFloor.From }, []string{"shop.shipping_floor"}},
		{"ErrOfferNegative", func(s *settings.Shop) { s.Offer.FeeCents = -1 }, []string{"shop.offer"}},
		{"ErrOfferZone", func(s *settings.Shop) { s.Offer.Zones = []string{"MARS"} }, []string{"shop.offer"}},
		{"ErrCountryTwice", func(s *settings.Shop) { s.Zones[1].Countries = append(s.Zones[1].Countries, "FR") }, []string{"shop.zones"}},
		{"ErrBadCountry", func(s *settings.Shop) { s.Zones[0].Countries = append(s.Zones[0].Countries, "XX") }, []string{"shop.zones"}},
		{"ErrDuplicateZone", func(s *settings.Shop) { s.Zones[1].ID = "FR" }, []string{"shop.carriers", "shop.zones"}},
		{"ErrDuplicateCarrier", func(s *settings.Shop) { s.Carriers[1].ID = "colissimo" }, []string{"shop.carriers"}},
		{"ErrBookshopRelay", func(s *settings.Shop) { s.Carriers[1].RetailBookshop = true }, []string{"shop.carriers"}},
		{"ErrPickupWithoutAddress", func(s *settings.Shop) {
			p := pickup
			p.Address = shop.Address{}
			s.Carriers = append(s.Carriers, p)
		}, []string{"shop.carriers"}},
		{"ErrHomeWithoutRates", func(s *settings.Shop) { s.Carriers[1].Rates = nil }, []string{"shop.carriers"}},
		{"ErrRateUnknownZone", func(s *settings.Shop) { s.Carriers[1].Rates[0].Zone = "MARS" }, []string{"shop.carriers"}},
		{"ErrRateWeight", func(s *settings.Shop) { s.Carriers[1].Rates[0].MaxGrams = 0 }, []string{"shop.carriers"}},
		{"ErrRateTwice", func(s *settings.Shop) {
			s.Carriers[1].Rates = append(s.Carriers[1].Rates, s.Carriers[1].Rates[0])
		}, []string{"shop.carriers"}},
		{"ErrCarrierKind", func(s *settings.Shop) { s.Carriers[0].Kind = shop.DeliveryDigital }, []string{"shop.carriers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			st := settings.Defaults()
			st.Title = "Le Veilleur"
			tt.edit(&st.Shop)
			err := s.Save(context.Background(), admin, st)
			got := testutil.Fields(err)
			slices.Sort(got)
			got = slices.Compact(got)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) || !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v (%v), want %v", got, err, tt.fields)
			}
		})
	}
}

// TestShopExemption: an exempt mode gets its legal mention when none is
// typed (checklist 19); a liable shop prints none.
func TestShopExemption(t *testing.T) {
	tests := []struct {
		name  string
		mode  shop.VATMode
		typed string
		want  string
	}{
		{"Checklist19_Franchise", shop.VATFranchise, "", "TVA non applicable, art. 293 B du CGI"},
		{"Checklist19_Exempt", shop.VATExempt, " ", "TVA non applicable, art. 261-7-1°-b du CGI"},
		{"OKOwnWording", shop.VATExempt, "Exonération de TVA, art. 261-7-1°-b du CGI", "Exonération de TVA, art. 261-7-1°-b du CGI"},
		{"OKLiable", shop.VATLiable, "TVA non applicable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			st := settings.Defaults()
			st.Shop.Enabled, st.Shop.VATMode, st.Shop.VATExemption = true, tt.mode, tt.typed
			if err := s.Save(context.Background(), admin, st); err != nil {
				t.Fatal(err)
			}
			got := s.Get().Shop
			if got.VATExemption != tt.want {
				t.Errorf("exemption = %q, want %q", got.VATExemption, tt.want)
			}
			p := got.Policy()
			if p.Exemption() != tt.want {
				t.Errorf("policy exemption = %q, want %q", p.Exemption(), tt.want)
			}
		})
	}
}

// TestShopRoundTrip: the shop's settings read back as saved, and a change
// is audited under its group's name.
func TestShopRoundTrip(t *testing.T) {
	s, store := newService(t)
	st := *s.Get()
	st.Shop.VATMode = shop.VATFranchise
	st.Shop.Offer.ThresholdCents = 5000
	if err := s.Save(context.Background(), admin, st); err != nil {
		t.Fatal(err)
	}
	if n := len(store.entries); n != 1 || store.entries[0].Summary != "shop.vat_mode, shop.vat_exemption, shop.offer" {
		t.Fatalf("entries = %+v", store.entries)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(store.values["site"]), &raw); err != nil {
		t.Fatal(err)
	}
	back, err := settings.Decode([]byte(store.values["site"]))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Get().Shop, back.Shop); diff != "" {
		t.Errorf("decoded shop (-saved +decoded):\n%s", diff)
	}
	if _, ok := raw["shop"]; !ok {
		t.Error("no shop key in the saved JSON")
	}
}

// TestShopDiscounts: a discount is saved only when book law allows it
// whatever the delivery, and a refusal cites the rule (checklist 10, 11,
// 14); the policy hands the saved ones to the quote.
func TestShopDiscounts(t *testing.T) {
	var (
		newPrint = []shop.Format{shop.FormatPrint}
		ebook    = []shop.Format{shop.FormatEbook}
		newOnly  = []shop.Condition{shop.ConditionNew}
		usedOnly = []shop.Condition{shop.ConditionUsed}
	)
	used10 := shop.Discount{ID: "occasions", Name: "Occasions à -10 %", BasisPoints: 1000, Conditions: usedOnly}
	pickup5 := shop.Discount{ID: "retrait", Name: "Retrait en librairie", BasisPoints: 500, Formats: newPrint,
		Conditions: newOnly, PickupOnly: true}
	tests := []struct {
		name      string
		discounts []shop.Discount
		key       string // of the refusal, "" when saved
	}{
		{"OKUsedTenPercent", []shop.Discount{used10}, ""},
		{"OKUsedFixedAmount", []shop.Discount{{ID: "occasions", Name: "Occasions", Cents: 200, Conditions: usedOnly}}, ""},
		{"Checklist11_PickupFivePercent", []shop.Discount{pickup5}, ""},
		{"OKBoth", []shop.Discount{used10, pickup5}, ""},
		{"OKTrimmed", []shop.Discount{{ID: " Occasions ", Name: " Occasions ", BasisPoints: 1000, Conditions: usedOnly}}, ""},
		{"Checklist10_ErrShippedFivePercent", []shop.Discount{{ID: "neufs", Name: "Neufs", BasisPoints: 500,
			Formats: newPrint, Conditions: newOnly}}, "error.shop.discount_shipped_new_book"},
		{"Checklist10_ErrPrintShipped", []shop.Discount{{ID: "papier", Name: "Papier", BasisPoints: 500, Formats: newPrint}},
			"error.shop.discount_shipped_new_book"},
		{"Checklist11_ErrPickupSixPercent", []shop.Discount{{ID: "retrait", Name: "Retrait", BasisPoints: 600,
			Formats: newPrint, Conditions: newOnly, PickupOnly: true}}, "error.shop.discount_over_5"},
		{"Checklist14_ErrEbooks", []shop.Discount{{ID: "numerique", Name: "Numérique", BasisPoints: 500, Formats: ebook}},
			"error.shop.discount_ebook"},
		{"Checklist14_ErrEbooksAtPickup", []shop.Discount{{ID: "numerique", Name: "Numérique", BasisPoints: 100,
			Formats: ebook, PickupOnly: true}}, "error.shop.discount_ebook"},
		{"Checklist14_ErrEverything", []shop.Discount{{ID: "tout", Name: "Tout", BasisPoints: 500, PickupOnly: true}},
			"error.shop.discount_ebook"},
		{"Checklist14_ErrNewBooks", []shop.Discount{{ID: "neufs", Name: "Neufs", Cents: 100, Conditions: newOnly,
			PickupOnly: true}}, "error.shop.discount_ebook"},
		{"ErrPercentAndAmount", []shop.Discount{{ID: "occasions", Name: "Occasions", BasisPoints: 1000, Cents: 100,
			Conditions: usedOnly}}, "error.shop.discount_amount"},
		{"ErrNoAmount", []shop.Discount{{ID: "occasions", Name: "Occasions", Conditions: usedOnly}}, "error.shop.discount_amount"},
		{"ErrOverHundredPercent", []shop.Discount{{ID: "occasions", Name: "Occasions", BasisPoints: 10001,
			Conditions: usedOnly}}, "error.shop.discount_amount"},
		{"ErrHugeAmount", []shop.Discount{{ID: "occasions", Name: "Occasions", Cents: 1_000_001, Conditions: usedOnly}},
			"error.settings.shop_amount"},
		{"ErrID", []shop.Discount{{ID: "été !", Name: "Été", BasisPoints: 1000, Conditions: usedOnly}},
			"error.settings.shop_discount_id"},
		{"ErrNoName", []shop.Discount{{ID: "occasions", BasisPoints: 1000, Conditions: usedOnly}}, "error.settings.shop_name"},
		{"ErrDuplicate", []shop.Discount{used10, used10}, "error.settings.shop_duplicate"},
		{"ErrTooMany", slices.Repeat([]shop.Discount{used10}, 21), "error.settings.shop_too_many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store := newService(t)
			st := settings.Defaults()
			st.Title = "Le Veilleur"
			st.Shop.Discounts = tt.discounts
			err := s.Save(context.Background(), admin, st)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				got := s.Get().Shop
				if len(got.Discounts) != len(tt.discounts) || got.Discounts[0].ID != "occasions" && got.Discounts[0].ID != "retrait" {
					t.Fatalf("saved %+v", got.Discounts)
				}
				pol := got.Policy()
				if diff := cmp.Diff(got.Discounts, pol.Discounts); diff != "" {
					t.Errorf("policy's discounts (-saved +policy):\n%s", diff)
				}
				back, err := settings.Decode([]byte(store.values["site"]))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(got.Discounts, back.Shop.Discounts); diff != "" {
					t.Errorf("decoded discounts (-saved +decoded):\n%s", diff)
				}
				return
			}
			var keys []string
			for _, e := range apperr.Split(err) {
				key, _ := apperr.Message(e)
				keys = append(keys, key)
			}
			if !apperr.Is(err, apperr.Invalid) || !slices.Contains(keys, tt.key) ||
				!slices.Equal(slices.Compact(testutil.Fields(err)), []string{"shop.discounts"}) {
				t.Errorf("err = %v (keys %q, fields %q), want %s on shop.discounts", err, keys, testutil.Fields(err), tt.key)
			}
			if len(s.Get().Shop.Discounts) != 0 {
				t.Error("a refused discount was saved")
			}
		})
	}
}

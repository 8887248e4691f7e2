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

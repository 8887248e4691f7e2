package settings

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// Shop is the bookshop's settings: whether it sells, its VAT status, the
// legal floor of delivery charges, the shop's own delivery offer, its
// carriers, the zones they price and its discounts. The rules that read them are in
// package shop (which must not import settings, so the pieces are its
// types); Policy hands them over.
type Shop struct {
	// Enabled opens the shop's checkout; it needs a VAT mode.
	Enabled bool `json:"enabled"`
	// VATMode is the association's VAT status (french-rules §3.1),
	// required at setup: an accountant's choice, with no default.
	VATMode shop.VATMode `json:"vat_mode"`
	// VATExemption is the mention invoices carry when no VAT is charged;
	// shop.DefaultExemption(VATMode) when left empty.
	VATExemption string `json:"vat_exemption"`
	// VATNumber is the association's intra-community VAT number
	// ("FR32812345676"), printed on invoices when it is liable.
	VATNumber string `json:"vat_number"`
	// DefaultVATRate applies to books (550 = 5.5 %) and OtherVATRate to
	// other goods (2000 = 20 %) whose catalogue entry sets no rate.
	DefaultVATRate int `json:"default_vat_rate"`
	OtherVATRate   int `json:"other_vat_rate"`
	// ShippingFloor is the legal minimum delivery charge (loi Darcos).
	ShippingFloor shop.ShippingFloor `json:"shipping_floor"`
	// Offer is the shop's cheap delivery from an amount of goods.
	Offer    shop.Offer     `json:"offer"`
	Carriers []shop.Carrier `json:"carriers"`
	Zones    []shop.Zone    `json:"zones"`
	// Discounts are the rebates the shop offers, each one the law allows
	// whatever the delivery (shop.Discount.Validate).
	Discounts []shop.Discount `json:"discounts"`
}

// Bounds of the shop's settings.
const (
	maxCarriers  = 20
	maxZones     = 50
	maxDiscounts = 20
	maxRates     = 200
	// maxShopCents bounds every amount (10 000 €) to catch a slip of the
	// keyboard.
	maxShopCents = 1_000_000
	// maxParcelGrams bounds a rate's weight (100 kg).
	maxParcelGrams = 100_000
)

// euCountries are the member states of the European Union but France.
var euCountries = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE",
	"IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

// DefaultShop returns the settings of a new shop: closed, no VAT mode yet,
// the floor of the arrêté du 4 avril 2023, the newsroom's « port à 1
// centime dès 64 € d'achat » in metropolitan France, Colissimo to the
// home (France and Monaco, overseas departments, the EU, the world) and
// Mondial Relay to relay points in France. Carrier prices are indicative
// 2026 public prices for parcels: check the carriers' current lists.
func DefaultShop() Shop {
	return Shop{
		DefaultVATRate: shop.BookVATRate,
		OtherVATRate:   shop.StandardVATRate,
		ShippingFloor:  shop.DefaultShippingFloor(),
		Offer:          shop.Offer{Enabled: true, ThresholdCents: 6400, FeeCents: 1, Zones: []string{"FR"}},
		Zones: []shop.Zone{
			{ID: "FR", Name: "France métropolitaine et Monaco", Countries: []string{"FR", "MC"}},
			{ID: "DOM", Name: "Outre-mer", Countries: []string{"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}},
			{ID: "EU", Name: "Union européenne", Countries: slices.Clone(euCountries)},
			{ID: "WORLD", Name: "Reste du monde", Countries: []string{"*"}},
		},
		Carriers: []shop.Carrier{
			{ID: "colissimo", Name: "Colissimo à domicile", Kind: shop.DeliveryHome, Rates: slices.Concat(
				rates("FR", 250, 549, 500, 759, 750, 879, 1000, 949, 2000, 1099, 5000, 1699, 10000, 2489, 15000, 3129, 30000, 3899),
				rates("DOM", 500, 1310, 1000, 1960, 2000, 2690, 5000, 4050, 10000, 6450, 30000, 14200),
				rates("EU", 500, 1690, 1000, 2050, 2000, 2260, 5000, 2800, 10000, 4650, 20000, 5850, 30000, 6900),
				rates("WORLD", 500, 2890, 1000, 3250, 2000, 4490, 5000, 6450, 10000, 12100, 20000, 21800))},
			{ID: "mondial-relay", Name: "Mondial Relay en point relais", Kind: shop.DeliveryRelay,
				Rates: rates("FR", 500, 449, 1000, 519, 2000, 659, 5000, 999, 10000, 1439, 20000, 2249, 30000, 2999)},
		},
	}
}

// rates lists the rates of a zone from pairs of grams and cents.
func rates(zone string, pairs ...int) []shop.Rate {
	out := make([]shop.Rate, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, shop.Rate{Zone: zone, MaxGrams: pairs[i], Cents: int64(pairs[i+1])})
	}
	return out
}

// Policy returns what package shop needs to price carts and deliveries.
func (s *Shop) Policy() shop.Policy {
	return shop.Policy{VATMode: s.VATMode, VATExemption: s.VATExemption, DefaultVATRate: s.DefaultVATRate,
		OtherVATRate: s.OtherVATRate, Floor: s.ShippingFloor, Offer: s.Offer, Carriers: s.Carriers, Zones: s.Zones,
		Discounts: s.Discounts}
}

// normalize trims what was typed, fills the exemption mention of an
// exempt mode when left empty (and clears it when VAT is charged), and
// gives the shop slices of its own.
func (s *Shop) normalize() {
	s.VATMode = shop.VATMode(strings.TrimSpace(string(s.VATMode)))
	s.VATExemption = strings.TrimSpace(s.VATExemption)
	s.VATNumber = strings.ToUpper(strings.NewReplacer(" ", "", "\u00a0", "", ".", "", "-", "").Replace(s.VATNumber))
	switch {
	case s.VATMode.Charged():
		s.VATExemption = ""
	case s.VATExemption == "":
		s.VATExemption = shop.DefaultExemption(s.VATMode)
	}
	s.Offer.Zones = upperList(s.Offer.Zones)
	zones := make([]shop.Zone, len(s.Zones))
	for i, z := range s.Zones {
		z.ID, z.Name, z.Countries = strings.ToUpper(strings.TrimSpace(z.ID)), strings.TrimSpace(z.Name), upperList(z.Countries)
		zones[i] = z
	}
	s.Zones = zones
	carriers := make([]shop.Carrier, len(s.Carriers))
	for i, c := range s.Carriers {
		c.ID, c.Name = strings.ToLower(strings.TrimSpace(c.ID)), strings.TrimSpace(c.Name)
		c.Kind = shop.DeliveryKind(strings.TrimSpace(string(c.Kind)))
		c.Address.Normalize()
		c.Rates = slices.Clone(c.Rates)
		for j := range c.Rates {
			c.Rates[j].Zone = strings.ToUpper(strings.TrimSpace(c.Rates[j].Zone))
		}
		carriers[i] = c
	}
	s.Carriers = carriers
	discounts := make([]shop.Discount, len(s.Discounts))
	for i, d := range s.Discounts {
		d.ID, d.Name = strings.ToLower(strings.TrimSpace(d.ID)), strings.TrimSpace(d.Name)
		d.Formats, d.Conditions, d.BookIDs = slices.Clone(d.Formats), slices.Clone(d.Conditions), slices.Clone(d.BookIDs)
		discounts[i] = d
	}
	s.Discounts = discounts
}

// upperList trims and upper-cases each entry, dropping empty ones and
// repeats, in a slice of its own.
func upperList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.ToUpper(strings.TrimSpace(s)); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// validateShop checks the shop's settings; bad records each problem
// against its field.
func (st *Site) validateShop(bad func(field, key string, args ...any)) {
	s := &st.Shop
	switch {
	case s.VATMode != "" && !s.VATMode.Valid():
		bad("shop.vat_mode", "error.settings.shop_vat_mode")
	case s.Enabled && s.VATMode == "":
		bad("shop.vat_mode", "error.settings.shop_needs_vat_mode")
	}
	if utf8.RuneCountInString(s.VATExemption) > maxLine {
		bad("shop.vat_exemption", "error.settings.too_long", maxLine)
	}
	if s.VATNumber != "" && !validVATNumber(s.VATNumber) {
		bad("shop.vat_number", "error.settings.shop_vat_number")
	}
	if s.DefaultVATRate < 0 || s.DefaultVATRate >= 10000 {
		bad("shop.default_vat_rate", "error.settings.shop_vat_rate")
	}
	if s.OtherVATRate < 0 || s.OtherVATRate >= 10000 {
		bad("shop.other_vat_rate", "error.settings.shop_vat_rate")
	}
	f := s.ShippingFloor
	switch {
	case f.BelowCents < 0 || f.BelowCents > maxShopCents || f.ThresholdCents < 0 || f.ThresholdCents > maxShopCents ||
		f.AboveCents > maxShopCents:
		bad("shop.shipping_floor", "error.settings.shop_amount")
	case f.AboveCents < 1:
		// « plus que 0 € »: the law forbids free delivery of new books.
		bad("shop.shipping_floor", "error.settings.shop_floor_above")
	case f.BelowCents < f.AboveCents:
		bad("shop.shipping_floor", "error.settings.shop_floor_below")
	case !f.Until.IsZero() && !f.Until.After(f.From):
		bad("shop.shipping_floor", "error.settings.shop_floor_dates")
	}
	zoneIDs := st.validateZones(bad)
	o := s.Offer
	if o.ThresholdCents < 0 || o.ThresholdCents > maxShopCents || o.FeeCents < 0 || o.FeeCents > maxShopCents {
		bad("shop.offer", "error.settings.shop_amount")
	}
	for _, z := range o.Zones {
		if !slices.Contains(zoneIDs, z) {
			bad("shop.offer", "error.settings.shop_unknown_zone", z)
		}
	}
	st.validateCarriers(zoneIDs, bad)
	st.validateDiscounts(bad)
}

// validateZones checks the zones and returns their IDs.
func (st *Site) validateZones(bad func(field, key string, args ...any)) []string {
	var ids []string
	owner := map[string]string{}
	if len(st.Shop.Zones) > maxZones {
		bad("shop.zones", "error.settings.shop_too_many", maxZones)
	}
	for _, z := range st.Shop.Zones {
		switch {
		case !validID(z.ID, true):
			bad("shop.zones", "error.settings.shop_zone_id", z.ID)
		case slices.Contains(ids, z.ID):
			bad("shop.zones", "error.settings.shop_duplicate", z.ID)
		case z.Name == "" || utf8.RuneCountInString(z.Name) > maxLine:
			bad("shop.zones", "error.settings.shop_name", z.ID)
		}
		ids = append(ids, z.ID)
		for _, c := range z.Countries {
			switch {
			case c != "*" && !shop.ValidCountry(c):
				bad("shop.zones", "error.settings.shop_country", z.ID, c)
			case owner[c] != "" && owner[c] != z.ID:
				bad("shop.zones", "error.settings.shop_country_twice", c, owner[c], z.ID)
			}
			owner[c] = z.ID
		}
	}
	return ids
}

// validateCarriers checks each delivery option against the zones.
func (st *Site) validateCarriers(zones []string, bad func(field, key string, args ...any)) {
	var ids []string
	if len(st.Shop.Carriers) > maxCarriers {
		bad("shop.carriers", "error.settings.shop_too_many", maxCarriers)
	}
	for _, c := range st.Shop.Carriers {
		switch {
		case !validID(c.ID, false):
			bad("shop.carriers", "error.settings.shop_carrier_id", c.ID)
		case slices.Contains(ids, c.ID):
			bad("shop.carriers", "error.settings.shop_duplicate", c.ID)
		case c.Name == "" || utf8.RuneCountInString(c.Name) > maxLine:
			bad("shop.carriers", "error.settings.shop_name", c.ID)
		case c.Kind != shop.DeliveryHome && c.Kind != shop.DeliveryRelay && c.Kind != shop.DeliveryPickup:
			bad("shop.carriers", "error.settings.shop_carrier_kind", c.Name)
		case c.RetailBookshop && c.Kind != shop.DeliveryPickup:
			bad("shop.carriers", "error.settings.shop_bookshop_pickup", c.Name)
		case c.Kind == shop.DeliveryPickup && shop.ValidateAddress("address", c.Address) != nil:
			bad("shop.carriers", "error.settings.shop_pickup_address", c.Name)
		case c.Kind != shop.DeliveryPickup && len(c.Rates) == 0:
			bad("shop.carriers", "error.settings.shop_no_rates", c.Name)
		case len(c.Rates) > maxRates:
			bad("shop.carriers", "error.settings.shop_too_many", maxRates)
		}
		ids = append(ids, c.ID)
		seen := map[shop.Rate]bool{}
		for _, r := range c.Rates {
			switch {
			case r.MaxGrams < 1 || r.MaxGrams > maxParcelGrams || r.Cents < 0 || r.Cents > maxShopCents:
				bad("shop.carriers", "error.settings.shop_rate", c.Name, rateName(r))
			case r.Zone == "" && c.Kind != shop.DeliveryPickup:
				bad("shop.carriers", "error.settings.shop_rate_zone", c.Name, rateName(r))
			case r.Zone != "" && !slices.Contains(zones, r.Zone):
				bad("shop.carriers", "error.settings.shop_unknown_zone", r.Zone)
			case seen[shop.Rate{Zone: r.Zone, MaxGrams: r.MaxGrams}]:
				bad("shop.carriers", "error.settings.shop_duplicate", rateName(r))
			}
			seen[shop.Rate{Zone: r.Zone, MaxGrams: r.MaxGrams}] = true
		}
	}
}

// validateDiscounts checks each discount: a lower-case ID of its own, a
// name, and nothing book law forbids (shop.Discount.Validate), whose
// message cites the rule.
func (st *Site) validateDiscounts(bad func(field, key string, args ...any)) {
	var ids []string
	if len(st.Shop.Discounts) > maxDiscounts {
		bad("shop.discounts", "error.settings.shop_too_many", maxDiscounts)
	}
	for _, d := range st.Shop.Discounts {
		switch {
		case !validID(d.ID, false):
			bad("shop.discounts", "error.settings.shop_discount_id", d.ID)
		case slices.Contains(ids, d.ID):
			bad("shop.discounts", "error.settings.shop_duplicate", d.ID)
		case d.Name == "" || utf8.RuneCountInString(d.Name) > maxLine:
			bad("shop.discounts", "error.settings.shop_name", d.ID)
		case d.Cents > maxShopCents:
			bad("shop.discounts", "error.settings.shop_amount")
		default:
			var ae *apperr.Error
			if err := d.Validate(); errors.As(err, &ae) {
				bad("shop.discounts", ae.Key, ae.Args...)
			}
		}
		ids = append(ids, d.ID)
	}
}

// rateName names a rate in messages: "FR ≤ 500 g".
func rateName(r shop.Rate) string { return fmt.Sprintf("%s ≤ %d g", r.Zone, r.MaxGrams) }

// validID accepts 1 to 40 letters, digits, hyphens and underscores, upper
// case for zones and lower case for carriers.
func validID(id string, upper bool) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	for _, r := range id {
		letter := (upper && r >= 'A' && r <= 'Z') || (!upper && r >= 'a' && r <= 'z')
		if !letter && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// validVATNumber reports whether n looks like an intra-community VAT
// number: two letters of a country, then 2 to 13 letters or digits; a
// French one is FR, a two-digit key and a SIREN whose key it is
// ((12 + 3 × (SIREN mod 97)) mod 97).
func validVATNumber(n string) bool {
	if len(n) < 4 || len(n) > 15 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' {
		return false
	}
	for _, c := range n[2:] {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	if n[:2] != "FR" {
		return true
	}
	if len(n) != 13 || !shop.ValidSIREN(n[4:]) {
		return false
	}
	key, err := strconv.Atoi(n[2:4])
	siren, err2 := strconv.Atoi(n[4:])
	return err == nil && err2 == nil && key == (12+3*(siren%97))%97
}

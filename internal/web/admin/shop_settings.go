package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
)

// zoneForm is a delivery zone as typed; Countries are ISO codes separated
// by spaces or commas.
type zoneForm struct{ ID, Name, Countries string }

// carrierForm is a delivery option as typed. Rates hold one bracket a
// line: "zone ; max grams ; price" ("FR ; 500 ; 7,59"), the zone left
// empty for a pickup point's single price.
type carrierForm struct {
	ID, Name, Kind string
	RetailBookshop bool
	Rates          string
	Address        shop.Address
}

// discountForm is a discount as typed: an amount in percent or euros
// (Unit), and a scope among discountScopes.
type discountForm struct {
	ID, Name, Amount string
	Unit, Scope      string
	PickupOnly       bool
}

// Units of a discount's amount in the form.
const (
	unitPercent = "percent"
	unitEuros   = "euros"
)

// discountScope is a choice of books a discount may cover, as the form
// offers it: the formats and conditions it stands for.
type discountScope struct {
	Name       string
	Formats    []shop.Format
	Conditions []shop.Condition
}

// discountScopes are the form's scopes; "all" (no restriction) stands
// for any other combination a discount may hold.
var discountScopes = []discountScope{
	{Name: "used", Conditions: []shop.Condition{shop.ConditionUsed}},
	{Name: "new_print", Formats: []shop.Format{shop.FormatPrint}, Conditions: []shop.Condition{shop.ConditionNew}},
	{Name: "print", Formats: []shop.Format{shop.FormatPrint}},
	{Name: "ebook", Formats: []shop.Format{shop.FormatEbook}},
	{Name: "all"},
}

// scopeOf names the form's scope of d, "all" when none matches.
func scopeOf(d shop.Discount) string {
	for _, sc := range discountScopes {
		if slices.Equal(sc.Formats, d.Formats) && slices.Equal(sc.Conditions, d.Conditions) {
			return sc.Name
		}
	}
	return "all"
}

// discountOf returns the discount f describes; an amount that does not
// parse becomes -1, which the settings refuse.
func (f discountForm) discountOf() shop.Discount {
	d := shop.Discount{ID: f.ID, Name: f.Name, PickupOnly: f.PickupOnly}
	if f.Unit == unitEuros {
		d.Cents = amountOrBad(f.Amount)
	} else {
		d.BasisPoints = int(amountOrBad(f.Amount))
	}
	for _, sc := range discountScopes {
		if sc.Name == f.Scope {
			d.Formats, d.Conditions = slices.Clone(sc.Formats), slices.Clone(sc.Conditions)
		}
	}
	return d
}

// shopSettingsForm is what the shop's settings page posts, amounts and
// rates kept as typed so a refused value is shown back as it was.
type shopSettingsForm struct {
	Enabled                      bool
	VATMode, VATExemption        string
	VATNumber                    string
	DefaultVATRate, OtherVATRate string
	FloorEnabled, FloorUsedOnly  bool
	FloorBelow, FloorThreshold   string
	FloorAbove                   string
	FloorFrom, FloorUntil        string
	OfferEnabled                 bool
	OfferThreshold, OfferFee     string
	OfferZones                   string
	Zones                        []zoneForm
	Carriers                     []carrierForm
	Discounts                    []discountForm
	Promo                        string
}

// shopSettingsFormOf fills the form from the saved settings.
func (h *Handler) shopSettingsFormOf(st *settings.Site) shopSettingsForm {
	s, loc, dec := st.Shop, st.Location(), h.decimalMark()
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(formDayLayout)
	}
	f := shopSettingsForm{Enabled: s.Enabled, VATMode: string(s.VATMode), VATExemption: s.VATExemption, VATNumber: s.VATNumber,
		DefaultVATRate: percentField(s.DefaultVATRate, dec), OtherVATRate: percentField(s.OtherVATRate, dec),
		FloorEnabled: s.ShippingFloor.Enabled, FloorUsedOnly: s.ShippingFloor.ApplyToUsedOnlyOrders,
		FloorBelow: centsText(s.ShippingFloor.BelowCents, dec), FloorThreshold: centsText(s.ShippingFloor.ThresholdCents, dec),
		FloorAbove: centsText(s.ShippingFloor.AboveCents, dec), FloorFrom: day(s.ShippingFloor.From),
		FloorUntil: day(s.ShippingFloor.Until), OfferEnabled: s.Offer.Enabled, OfferThreshold: centsText(s.Offer.ThresholdCents, dec),
		OfferFee: centsText(s.Offer.FeeCents, dec), OfferZones: strings.Join(s.Offer.Zones, " "), Promo: st.BookshopPromo}
	for _, z := range s.Zones {
		f.Zones = append(f.Zones, zoneForm{ID: z.ID, Name: z.Name, Countries: strings.Join(z.Countries, " ")})
	}
	for _, c := range s.Carriers {
		cf := carrierForm{ID: c.ID, Name: c.Name, Kind: string(c.Kind), RetailBookshop: c.RetailBookshop, Address: c.Address}
		var lines []string
		for _, r := range c.Rates {
			lines = append(lines, fmt.Sprintf("%s ; %d ; %s", r.Zone, r.MaxGrams, centsText(r.Cents, dec)))
		}
		cf.Rates = strings.Join(lines, "\n")
		f.Carriers = append(f.Carriers, cf)
	}
	for _, d := range s.Discounts {
		df := discountForm{ID: d.ID, Name: d.Name, Unit: unitPercent, Amount: percentField(d.BasisPoints, dec),
			Scope: scopeOf(d), PickupOnly: d.PickupOnly}
		if d.Cents != 0 {
			df.Unit, df.Amount = unitEuros, centsText(d.Cents, dec)
		}
		f.Discounts = append(f.Discounts, df)
	}
	return f
}

// percentField writes a rate in basis points as typed in the form: "5,5",
// "20".
func percentField(bp int, dec string) string {
	s := centsText(int64(bp), dec)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, dec)
}

// parseShopSettingsForm reads the posted form; zones, carriers and
// discounts come as numbered fields ("zone.0.id", "carrier.1.rates",
// "discount.2.amount").
func parseShopSettingsForm(w http.ResponseWriter, r *http.Request) (shopSettingsForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		return shopSettingsForm{}, errBadForm(err)
	}
	v := r.PostFormValue
	on := func(name string) bool { return v(name) != "" }
	f := shopSettingsForm{Enabled: on("shop.enabled"), VATMode: v("shop.vat_mode"), VATExemption: v("shop.vat_exemption"),
		VATNumber:      v("shop.vat_number"),
		DefaultVATRate: v("shop.default_vat_rate"), OtherVATRate: v("shop.other_vat_rate"),
		FloorEnabled: on("floor.enabled"), FloorUsedOnly: on("floor.used_only"), FloorBelow: v("floor.below"),
		FloorThreshold: v("floor.threshold"), FloorAbove: v("floor.above"), FloorFrom: v("floor.from"), FloorUntil: v("floor.until"),
		OfferEnabled: on("offer.enabled"), OfferThreshold: v("offer.threshold"), OfferFee: v("offer.fee"),
		OfferZones: v("offer.zones"), Promo: strings.ReplaceAll(v("bookshop_promo"), "\r\n", "\n")}
	for i := 0; i < 100; i++ {
		p := "zone." + strconv.Itoa(i) + "."
		if _, ok := r.PostForm[p+"id"]; !ok {
			break
		}
		z := zoneForm{ID: v(p + "id"), Name: v(p + "name"), Countries: v(p + "countries")}
		if on(p+"remove") || strings.TrimSpace(z.ID+z.Name+z.Countries) == "" {
			continue
		}
		f.Zones = append(f.Zones, z)
	}
	for i := 0; i < 100; i++ {
		p := "carrier." + strconv.Itoa(i) + "."
		if _, ok := r.PostForm[p+"id"]; !ok {
			break
		}
		c := carrierForm{ID: v(p + "id"), Name: v(p + "name"), Kind: v(p + "kind"), RetailBookshop: on(p + "bookshop"),
			Rates: strings.ReplaceAll(v(p+"rates"), "\r\n", "\n"),
			Address: shop.Address{Name: v(p + "address.name"), Line1: v(p + "address.line1"), Line2: v(p + "address.line2"),
				PostalCode: v(p + "address.postal_code"), City: v(p + "address.city"), Country: v(p + "address.country")}}
		if on(p+"remove") || strings.TrimSpace(c.ID+c.Name+c.Rates) == "" {
			continue
		}
		f.Carriers = append(f.Carriers, c)
	}
	for i := 0; i < 100; i++ {
		p := "discount." + strconv.Itoa(i) + "."
		if _, ok := r.PostForm[p+"id"]; !ok {
			break
		}
		d := discountForm{ID: v(p + "id"), Name: v(p + "name"), Amount: v(p + "amount"), Unit: v(p + "unit"),
			Scope: v(p + "scope"), PickupOnly: on(p + "pickup_only")}
		if on(p+"remove") || strings.TrimSpace(d.ID+d.Name+d.Amount) == "" {
			continue
		}
		f.Discounts = append(f.Discounts, d)
	}
	return f, nil
}

// amountOrBad reads an amount of euros, -1 when it is not one: the
// settings refuse it next to its field.
func amountOrBad(s string) int64 {
	if c, ok := parseCents(s); ok {
		return c
	}
	return -1
}

// site applies the form to a copy of the current settings, which keeps
// what this page does not edit. Lines of rates that do not parse are
// returned as form errors, the settings' own checks do the rest.
func (f shopSettingsForm) site(current *settings.Site) (settings.Site, formErrors) {
	st := *current
	loc := current.Location()
	errs := formErrors{}
	// The shop's own copy: fields this page does not edit stay as saved.
	s := current.Shop
	s.Enabled, s.VATMode, s.VATExemption, s.VATNumber = f.Enabled, shop.VATMode(f.VATMode), f.VATExemption, f.VATNumber
	s.DefaultVATRate, s.OtherVATRate = int(amountOrBad(f.DefaultVATRate)), int(amountOrBad(f.OtherVATRate))
	s.Zones, s.Carriers, s.Discounts = nil, nil, nil
	fl := shop.ShippingFloor{Enabled: f.FloorEnabled, ApplyToUsedOnlyOrders: f.FloorUsedOnly, BelowCents: amountOrBad(f.FloorBelow),
		ThresholdCents: amountOrBad(f.FloorThreshold), AboveCents: amountOrBad(f.FloorAbove)}
	fl.From = parseFormDay(f.FloorFrom, loc)
	if strings.TrimSpace(f.FloorFrom) != "" && fl.From.IsZero() {
		errs["shop.shipping_floor"] = "error.shop.not_a_date"
	}
	fl.Until = parseFormDay(f.FloorUntil, loc)
	if strings.TrimSpace(f.FloorUntil) != "" && fl.Until.IsZero() {
		errs["shop.shipping_floor"] = "error.shop.not_a_date"
	}
	s.ShippingFloor = fl
	s.Offer = shop.Offer{Enabled: f.OfferEnabled, ThresholdCents: amountOrBad(f.OfferThreshold), FeeCents: amountOrBad(f.OfferFee),
		Zones: splitList(f.OfferZones)}
	for _, z := range f.Zones {
		s.Zones = append(s.Zones, shop.Zone{ID: z.ID, Name: z.Name, Countries: splitList(z.Countries)})
	}
	for _, c := range f.Carriers {
		sc := shop.Carrier{ID: c.ID, Name: c.Name, Kind: shop.DeliveryKind(c.Kind), RetailBookshop: c.RetailBookshop}
		if sc.Kind == shop.DeliveryPickup {
			sc.Address = c.Address
		}
		for _, line := range strings.Split(c.Rates, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			rate, ok := parseRate(line)
			if !ok {
				errs["shop.carriers"] = "error.shop.rate_line"
				continue
			}
			sc.Rates = append(sc.Rates, rate)
		}
		s.Carriers = append(s.Carriers, sc)
	}
	for _, df := range f.Discounts {
		d := df.discountOf()
		// The page does not edit a discount's list of books: it stays as
		// saved under the same ID.
		id := strings.ToLower(strings.TrimSpace(d.ID))
		if i := slices.IndexFunc(current.Shop.Discounts, func(c shop.Discount) bool { return c.ID == id }); i >= 0 {
			d.BookIDs = slices.Clone(current.Shop.Discounts[i].BookIDs)
		}
		s.Discounts = append(s.Discounts, d)
	}
	st.Shop, st.BookshopPromo = s, f.Promo
	return st, errs
}

// parseRate reads "zone ; max grams ; price", or "max grams ; price" for
// any zone.
func parseRate(line string) (shop.Rate, bool) {
	parts := strings.Split(line, ";")
	if len(parts) == 2 {
		parts = append([]string{""}, parts...)
	}
	if len(parts) != 3 {
		return shop.Rate{}, false
	}
	grams, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(parts[1]), "g")))
	cents, ok := parseCents(parts[2])
	if err != nil || !ok {
		return shop.Rate{}, false
	}
	return shop.Rate{Zone: strings.TrimSpace(parts[0]), MaxGrams: grams, Cents: cents}, true
}

// splitList splits codes typed with spaces or commas.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' })
}

type shopSettingsPage struct {
	basePage
	Form   shopSettingsForm
	Errors formErrors
	// Modes are the VAT modes with their default exemption mention.
	Modes []vatModeChoice
	Kinds []shop.DeliveryKind
	// Units and Scopes are the choices of a discount's row.
	Units  []string
	Scopes []string
}

// vatModeChoice is one VAT mode of the form.
type vatModeChoice struct {
	Mode             shop.VATMode
	Label, Exemption string
}

// showShopSettings shows the shop's settings.
func (h *Handler) showShopSettings(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderShopSettings(w, r, s, http.StatusOK, h.shopSettingsFormOf(h.Settings.Get()), nil)
}

func (h *Handler) renderShopSettings(w http.ResponseWriter, r *http.Request, s *session, status int, f shopSettingsForm, errs formErrors) {
	// One blank row of each, to add a zone, a carrier or a discount.
	f.Zones = append(f.Zones, zoneForm{})
	f.Carriers = append(f.Carriers, carrierForm{Kind: string(shop.DeliveryHome)})
	f.Discounts = append(f.Discounts, discountForm{Unit: unitPercent, Scope: "used"})
	page := &shopSettingsPage{basePage: h.shopBase(r, s, h.printer().T("admin.shop.settings.title")), Form: f, Errors: errs,
		Kinds: []shop.DeliveryKind{shop.DeliveryHome, shop.DeliveryRelay, shop.DeliveryPickup},
		Units: []string{unitPercent, unitEuros}}
	for _, sc := range discountScopes {
		page.Scopes = append(page.Scopes, sc.Name)
	}
	for _, m := range []shop.VATMode{shop.VATLiable, shop.VATExempt, shop.VATFranchise} {
		page.Modes = append(page.Modes, vatModeChoice{Mode: m, Label: vatModeLabel(h.printer(), m), Exemption: shop.DefaultExemption(m)})
	}
	h.render(w, r, status, "shop_settings", page)
}

// saveShopSettings saves the form through the settings service (which
// checks who may and what is lawful); a refused form is shown again as
// typed, with a message next to each part at fault.
func (h *Handler) saveShopSettings(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseShopSettingsForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	st, typed := f.site(h.Settings.Get())
	if len(typed) > 0 {
		h.renderShopSettings(w, r, s, http.StatusUnprocessableEntity, f, h.translate(typed))
		return
	}
	if err := h.Settings.Save(r.Context(), s.actor, st); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderShopSettings(w, r, s, formStatus(err), f, errs)
		return
	}
	redirect(w, r, "/admin/shop/settings/", "saved")
}

package shop

import (
	"slices"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
)

// DefaultWeightGrams is the weight assumed for a shipped copy whose weight
// the catalogue does not know: a 300-page paperback and its share of the
// packaging.
const DefaultWeightGrams = 400

// ShippingFloor is the legal minimum delivery charge of an order with new
// books (loi Lang art. 1 as amended by the loi Darcos, arrêté du 4 avril
// 2023): BelowCents when the new books are worth less than ThresholdCents,
// else AboveCents, which must be more than zero. The amounts and dates are
// settings, not constants: the arrêté may change and is under litigation
// (french-rules §2.2), and Enabled is the kill switch.
type ShippingFloor struct {
	Enabled        bool  `json:"enabled"`
	BelowCents     int64 `json:"below_cents"`
	ThresholdCents int64 `json:"threshold_cents"`
	AboveCents     int64 `json:"above_cents"`
	// From is when the floor applies (7 October 2023); Until, when not
	// zero, when it stops.
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
	// ApplyToUsedOnlyOrders charges BelowCents on orders of used books
	// only, which the arrêté's first bullet may cover (french-rules §2.3).
	ApplyToUsedOnlyOrders bool `json:"apply_to_used_only_orders"`
}

// InForce reports whether the floor applies to an order placed at t.
func (f ShippingFloor) InForce(t time.Time) bool {
	return f.Enabled && !t.Before(f.From) && (f.Until.IsZero() || t.Before(f.Until))
}

// DefaultShippingFloor returns the floor of the arrêté du 4 avril 2023:
// 3,00 € below 35 € of new books, 0,01 € from 35 €, for orders placed from
// 7 October 2023 (midnight in Paris).
func DefaultShippingFloor() ShippingFloor {
	return ShippingFloor{Enabled: true, BelowCents: 300, ThresholdCents: 3500, AboveCents: 1,
		From: time.Date(2023, 10, 6, 22, 0, 0, 0, time.UTC)}
}

// Offer is the shop's own delivery promotion: FeeCents for delivery once
// the order's goods reach ThresholdCents (the newsroom's « port à 1
// centime dès 64 € d'achat »). The threshold counts all the goods of the
// order, as french-rules §2.4 writes it; the legal floor, which counts new
// printed books only, is applied after it, so the offer never brings the
// charge below the floor: 64 € of goods with 20 € of new books still pay
// 3,00 € (checklist 3).
type Offer struct {
	Enabled        bool  `json:"enabled"`
	ThresholdCents int64 `json:"threshold_cents"`
	FeeCents       int64 `json:"fee_cents"`
	// Zones limits the offer to deliveries in these zones; empty means
	// all.
	Zones []string `json:"zones"`
}

// Zone is a set of destination countries that carriers price alike.
type Zone struct {
	// ID names the zone in rates ("FR", "EU", "WORLD").
	ID   string `json:"id"`
	Name string `json:"name"`
	// Countries are ISO 3166-1 alpha-2 codes; "*" stands for every country
	// no other zone lists.
	Countries []string `json:"countries"`
}

// ZoneOf returns the ID of the zone that lists country, or else of the zone
// holding "*", or "" when none does.
func ZoneOf(zones []Zone, country string) string {
	wild := ""
	for _, z := range zones {
		if slices.Contains(z.Countries, country) {
			return z.ID
		}
		if wild == "" && slices.Contains(z.Countries, "*") {
			wild = z.ID
		}
	}
	return wild
}

// Carrier is a delivery option offered at checkout.
type Carrier struct {
	// ID is stable: orders keep it.
	ID   string       `json:"id"`
	Name string       `json:"name"`
	Kind DeliveryKind `json:"kind"`
	// RetailBookshop declares a pickup point to be a retail bookshop
	// (« commerce de vente au détail de livres »): orders collected there
	// owe no minimum delivery charge and may get up to 5 % off new books.
	// Only an admin's declaration makes it so (french-rules §2.3).
	RetailBookshop bool `json:"retail_bookshop"`
	// Rates price a parcel by zone and weight. A pickup point may have
	// none (free) or rates with an empty zone.
	Rates []Rate `json:"rates"`
	// Address is where a pickup point is.
	Address Address `json:"address"`
}

// Rate is the carrier's price for a parcel of up to MaxGrams to a zone.
type Rate struct {
	// Zone is a Zone ID; empty means any destination (pickup points).
	Zone     string `json:"zone"`
	MaxGrams int    `json:"max_grams"`
	Cents    int64  `json:"cents"`
}

// BookshopPickup reports whether an order collected through c is collected
// in a retail bookshop, which book law treats as no delivery at all. A
// pickup point not so declared is delivery (checklist 12).
func (c *Carrier) BookshopPickup() bool {
	return c != nil && c.Kind == DeliveryPickup && c.RetailBookshop
}

// Serves reports whether c can deliver to zone.
func (c *Carrier) Serves(zone string) bool {
	if c.Kind == DeliveryPickup && len(c.Rates) == 0 {
		return true
	}
	return slices.ContainsFunc(c.Rates, func(r Rate) bool { return r.Zone == "" || r.Zone == zone })
}

// tariff returns what c charges for weight grams to zone, splitting the
// goods into parcels of its heaviest bracket when they exceed it, and the
// number of parcels. ok is false when c has no rate for zone.
func (c *Carrier) tariff(zone string, grams int) (cents int64, parcels int, ok bool) {
	var rates []Rate
	for _, r := range c.Rates {
		if r.Zone == "" || r.Zone == zone {
			rates = append(rates, r)
		}
	}
	if len(rates) == 0 {
		return 0, 1, c.Kind == DeliveryPickup && len(c.Rates) == 0
	}
	slices.SortStableFunc(rates, func(a, b Rate) int { return a.MaxGrams - b.MaxGrams })
	price := func(g int) int64 {
		for _, r := range rates {
			if g <= r.MaxGrams {
				return r.Cents
			}
		}
		return rates[len(rates)-1].Cents
	}
	heaviest := rates[len(rates)-1].MaxGrams
	if heaviest <= 0 {
		return 0, 0, false
	}
	parcels = max(1, (grams+heaviest-1)/heaviest)
	cents = int64(parcels-1)*price(heaviest) + price(grams-(parcels-1)*heaviest)
	return cents, parcels, true
}

// ShippingLine is what delivery needs to know of an order line.
type ShippingLine struct {
	Format    Format
	Condition Condition
	// UnitCents is the price paid for one copy, tax included.
	UnitCents   int64
	Quantity    int
	WeightGrams int
}

func (l ShippingLine) newPrint() bool { return l.Format == FormatPrint && l.Condition != ConditionUsed }

func (l ShippingLine) book() bool {
	return l.Format == FormatPrint || l.Format == FormatEbook || l.Format == FormatAudio
}

// ShippingInput is an order as its delivery charge sees it.
type ShippingInput struct {
	Lines []ShippingLine
	// Carrier is the chosen delivery option; nil when nothing is shipped.
	Carrier *Carrier
	// Country is the destination's ISO code (ignored for pickup).
	Country string
	// At is when the order is placed: it chooses the floor in force.
	At    time.Time
	Floor ShippingFloor
	Offer Offer
	Zones []Zone
}

// ShippingQuote is the delivery charge of an order and why it is that.
type ShippingQuote struct {
	// Cents is what the buyer pays for delivery.
	Cents int64
	// Floor is the legal minimum for this order (0 when none applies);
	// no coupon, perk or refund may bring Cents below it.
	Floor int64
	// Tariff is the carrier's price for the parcels, before the offer
	// and the floor.
	Tariff  int64
	Parcels int
	Grams   int
	// Offer is true when the shop's offer set the charge.
	Offer bool
	// Why explains the charge, line by line, as the cart shows it.
	Why []Reason
}

// Reason is one line of explanation: a catalogue key and its arguments.
// Arguments of type Money and Threshold are amounts in cents and
// time.Time values are dates; Text formats them in the reader's language.
type Reason struct {
	Key  string
	Args []any
}

// Money is an amount in euro cents given to a Reason or an error: the
// printer writes it the reader's way with its cents ("3,00 €"), as it does
// every locale.EuroCents.
type Money = locale.EuroCents

// Threshold is an amount in euro cents given to a Reason, printed without
// cents when it has none ("35 €").
type Threshold int64

// Text returns the reason in p's language.
func (r Reason) Text(p *locale.Printer) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		switch v := a.(type) {
		case Threshold:
			args[i] = p.MoneyShort(int64(v), "EUR")
		case time.Time:
			args[i] = p.Date(v, locale.DateLong)
		default:
			args[i] = a
		}
	}
	return p.T(r.Key, args...)
}

// Shipping computes the delivery charge of an order under french-rules
// §2.4:
//
//	new_value = Σ price of the NEW PRINTED books (not e-books, used copies,
//	            other goods or shipping)
//	legal_min = 0            if collected in a retail bookshop, if the order
//	                         holds no new printed book (unless the floor
//	                         applies to used-only orders), or if the floor is
//	                         disabled or not in force at In.At
//	          = BelowCents   if new_value < ThresholdCents
//	          = AboveCents   otherwise (more than zero)
//	shop_fee  = min(tariff, Offer.FeeCents)  if all the goods reach the
//	                                         offer's threshold (and zone)
//	          = tariff(weight, zone)          otherwise
//	fee       = max(shop_fee, legal_min)
//
// The floor applies once to the order, however many parcels it makes
// (checklist 7). An order of e-books only ships nothing and costs nothing
// to deliver. It returns an Invalid error when goods must be shipped and
// no carrier is chosen, or the carrier has no rate to the destination.
func Shipping(in ShippingInput) (ShippingQuote, error) {
	var q ShippingQuote
	var goods, newValue int64
	var shipped, books bool
	for _, l := range in.Lines {
		if l.Quantity <= 0 {
			continue
		}
		amount := l.UnitCents * int64(l.Quantity)
		goods += amount
		if l.newPrint() {
			newValue += amount
		}
		if l.Format == FormatEbook {
			continue
		}
		shipped = true
		books = books || l.book()
		w := l.WeightGrams
		if w <= 0 {
			w = DefaultWeightGrams
		}
		q.Grams += w * l.Quantity
	}
	if !shipped {
		q.Why = []Reason{{Key: "shop.shipping.why.digital"}}
		return q, nil
	}
	c := in.Carrier
	if c == nil {
		return q, apperr.New(apperr.Invalid, "error.shop.carrier_required").InField("carrier")
	}
	zone := ZoneOf(in.Zones, in.Country)
	if c.Kind != DeliveryPickup && (zone == "" || !c.Serves(zone)) {
		return q, apperr.New(apperr.Invalid, "error.shop.no_rate", c.Name, in.Country).InField("country")
	}
	tariff, parcels, ok := c.tariff(zone, q.Grams)
	if !ok {
		return q, apperr.New(apperr.Invalid, "error.shop.no_rate", c.Name, in.Country).InField("country")
	}
	q.Tariff, q.Parcels, q.Cents = tariff, parcels, tariff
	q.Why = append(q.Why, Reason{Key: "shop.shipping.why.tariff", Args: []any{c.Name, Money(tariff)}})
	if o := in.Offer; o.Enabled && goods >= o.ThresholdCents && o.FeeCents < tariff &&
		(len(o.Zones) == 0 || slices.Contains(o.Zones, zone)) {
		q.Cents, q.Offer = o.FeeCents, true
		q.Why = []Reason{{Key: "shop.shipping.why.offer", Args: []any{Money(o.FeeCents), Threshold(o.ThresholdCents)}}}
	}
	var why Reason
	q.Floor, why = legalMinimum(in.Floor, in.At, c.BookshopPickup(), newValue, newValue > 0 || (books && in.Floor.ApplyToUsedOnlyOrders))
	if why.Key != "" && q.Floor > q.Cents {
		q.Cents = q.Floor
		q.Why = append(q.Why, why)
	} else if c.BookshopPickup() {
		q.Why = append(q.Why, Reason{Key: "shop.shipping.why.bookshop_pickup"})
	}
	return q, nil
}

// LegalMinimum returns the legal minimum delivery charge of an order of
// lines placed at t under floor, collected in a retail bookshop or not:
// what Shipping applies, and what a refund of delivery must leave charged
// (checklist 6).
func LegalMinimum(floor ShippingFloor, t time.Time, bookshopPickup bool, lines []OrderLine) int64 {
	var newValue int64
	var books bool
	for _, l := range lines {
		sl := ShippingLine{Format: l.Format, Condition: l.Condition}
		if sl.newPrint() {
			newValue += l.TotalCents()
		}
		books = books || (sl.book() && l.Format != FormatEbook)
	}
	cents, _ := legalMinimum(floor, t, bookshopPickup, newValue, newValue > 0 || (books && floor.ApplyToUsedOnlyOrders))
	return cents
}

// legalMinimum is french-rules §2.4's legal_min with the reason to show.
func legalMinimum(f ShippingFloor, t time.Time, bookshopPickup bool, newValue int64, covered bool) (int64, Reason) {
	if bookshopPickup || !covered || !f.InForce(t) {
		return 0, Reason{}
	}
	if newValue < f.ThresholdCents {
		return f.BelowCents, Reason{Key: "shop.shipping.why.floor_below",
			Args: []any{Money(newValue), Threshold(f.ThresholdCents), Money(f.BelowCents)}}
	}
	return f.AboveCents, Reason{Key: "shop.shipping.why.floor_above",
		Args: []any{Money(newValue), Threshold(f.ThresholdCents), Money(f.AboveCents)}}
}

// ShippingFloorAfter returns q with reductions (a coupon, a member's perk,
// a loyalty credit, in cents) taken off its charge, but never below its
// legal minimum: the law forbids free delivery of new books « directement
// ou indirectement » (checklist 6). A clamped reduction adds a reason.
func ShippingFloorAfter(q ShippingQuote, reductions ...int64) ShippingQuote {
	out := q
	out.Why = slices.Clone(q.Why)
	for _, r := range reductions {
		if r > 0 {
			out.Cents -= min(r, max(out.Cents, 0))
		}
	}
	if out.Cents < q.Floor {
		out.Cents = q.Floor
		out.Why = append(out.Why, Reason{Key: "shop.shipping.why.reduction_clamped", Args: []any{Money(q.Floor)}})
	}
	return out
}

// MaxShippingRefund returns the most of a delivery charge of paidCents that
// may be refunded while the order stands, given its legal minimum
// (LegalMinimum): the rest must stay paid (checklist 6). Cancelling the
// whole sale refunds everything and is not limited by it.
func MaxShippingRefund(paidCents, floorCents int64) int64 {
	return max(0, paidCents-floorCents)
}

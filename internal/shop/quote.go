package shop

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
)

// Limits of a cart.
const (
	// MaxQuantity is the most copies of one title a line may hold.
	MaxQuantity = 99
	// MaxCartLines is the most titles a cart may hold.
	MaxCartLines = 100
)

// Policy is what the shop's settings say about prices, delivery and VAT:
// package settings keeps it (settings.Shop.Policy) and the quote reads it.
type Policy struct {
	VATMode VATMode
	// VATExemption is the mention invoices carry when VATMode charges no
	// VAT; DefaultExemption(VATMode) when empty.
	VATExemption string
	// DefaultVATRate applies to books and OtherVATRate to other goods
	// whose catalogue entry sets no rate (basis points).
	DefaultVATRate int
	OtherVATRate   int
	Floor          ShippingFloor
	Offer          Offer
	Carriers       []Carrier
	Zones          []Zone
	// Discounts are the shop's rebates; the quote applies those the law
	// allows on each line (CheckDiscount).
	Discounts []Discount
}

// Carrier returns the carrier of that id.
func (p *Policy) Carrier(id string) (*Carrier, bool) {
	for i := range p.Carriers {
		if p.Carriers[i].ID == id {
			return &p.Carriers[i], true
		}
	}
	return nil, false
}

// VATRateOf returns the rate of b: its own, else the policy's default for
// its kind, else the law's (5.5 % for books, 20 % for the rest).
func (p *Policy) VATRateOf(b *Book) int {
	switch {
	case b.VATRate > 0:
		return b.VATRate
	case b.Format == FormatOther || b.Format == "":
		return cmpOr(p.OtherVATRate, StandardVATRate)
	default:
		return cmpOr(p.DefaultVATRate, BookVATRate)
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// Exemption returns the mention for invoices, or "" when VAT is charged.
func (p *Policy) Exemption() string {
	if p.VATMode.Charged() {
		return ""
	}
	if p.VATExemption != "" {
		return p.VATExemption
	}
	return DefaultExemption(p.VATMode)
}

// QuoteItem is one line of a cart as the quote receives it.
type QuoteItem struct {
	// Book is the catalogue entry, nil when it no longer exists.
	Book     *Book
	BookID   int64
	Quantity int
	// SeenCents is the publisher's (for a used copy, the shop's) price
	// of one copy when the buyer last saw it; 0 when unknown. It is
	// checked against that price, not the price paid: a discount follows
	// the delivery chosen, which the cart does not keep.
	SeenCents int64
}

// QuoteInput is everything a quote depends on.
type QuoteInput struct {
	Items []QuoteItem
	// CarrierID is the chosen delivery option, "" when none yet.
	CarrierID string
	// Country is the destination's ISO code.
	Country string
	Policy  Policy
	// At is the time of the quote: it picks the prices and the floor.
	At time.Time
}

// QuoteLine is one priced line of a quote.
type QuoteLine struct {
	Book     *Book
	BookID   int64
	Quantity int
	// PublisherCents is the publisher's (or, for a used copy, the
	// shop's) price at the quote's time; UnitCents what one copy costs
	// the buyer, which the law makes equal for a shipped new book.
	PublisherCents int64
	UnitCents      int64
	TotalCents     int64
	VATRate        int
	// Discount is the ID of the discount applied, if any.
	Discount string
	// Excluded lines (gone, unsellable, bad quantity) count in no total.
	Excluded bool
}

// Problem is something the buyer must know about a cart. A blocking one
// (Blocks) stops checkout until the cart is changed or seen again.
type Problem struct {
	BookID int64
	Reason
	Blocks bool
}

// Quote is a cart priced by law at a given time: what the cart page shows
// and what checkout turns into an order.
type Quote struct {
	At            time.Time
	Lines         []QuoteLine
	GoodsCents    int64
	Carrier       *Carrier
	Delivery      DeliveryKind
	Country       string
	Shipping      ShippingQuote
	ShippingCents int64
	// TotalCents is what the buyer pays: goods and delivery in one
	// payment (checklist 8).
	TotalCents   int64
	VAT          []VATLine
	VATMode      VATMode
	VATExemption string
	Problems     []Problem
}

// QuoteCart prices a cart under book law at in.At (french-rules §1, §2,
// §3): each line at its publisher's price, less the lawful discounts (a
// new printed book only when collected in a retail bookshop, and never
// below 95 %; no e-book ever); delivery by Shipping; VAT by VATBreakdown.
// What the buyer must know (a price changed since seen, not enough stock,
// a book withdrawn, a bad quantity, no delivery to the country, a
// discount the law refuses) is listed in Problems. The error is for
// inputs no cart can produce; problems of the cart are not errors.
func QuoteCart(in QuoteInput) (*Quote, error) {
	q := &Quote{At: in.At, Country: in.Country, VATMode: in.Policy.VATMode, VATExemption: in.Policy.Exemption()}
	if !in.Policy.VATMode.Valid() {
		return nil, apperr.New(apperr.Unavailable, "error.shop.no_vat_mode")
	}
	items := mergeItems(in.Items)
	if len(items) > MaxCartLines {
		q.problem(0, true, "error.shop.too_many_lines", MaxCartLines)
	}
	shipped := false
	for _, it := range items {
		b := it.Book
		if b != nil && b.Shipped() && it.Quantity >= 1 && it.Quantity <= MaxQuantity && b.Sellable(in.At) == nil {
			shipped = true
		}
	}
	q.Delivery = DeliveryDigital
	if shipped {
		if c, ok := in.Policy.Carrier(in.CarrierID); ok {
			cc := *c
			q.Carrier, q.Delivery = &cc, c.Kind
		} else {
			q.problem(0, true, "error.shop.carrier_required")
		}
	}
	bookshop := q.Carrier.BookshopPickup()
	var ship []ShippingLine
	for _, it := range items {
		l := q.line(it, in, bookshop)
		q.Lines = append(q.Lines, l)
		if l.Excluded {
			continue
		}
		q.GoodsCents += l.TotalCents
		ship = append(ship, ShippingLine{Format: l.Book.Format, Condition: l.Book.Condition, UnitCents: l.UnitCents,
			Quantity: l.Quantity, WeightGrams: l.Book.WeightGrams})
	}
	if !shipped || q.Carrier != nil {
		sq, err := Shipping(ShippingInput{Lines: ship, Carrier: q.Carrier, Country: in.Country, At: in.At,
			Floor: in.Policy.Floor, Offer: in.Policy.Offer, Zones: in.Policy.Zones})
		var ae *apperr.Error
		switch {
		case errors.As(err, &ae):
			q.problem(0, true, ae.Key, ae.Args...)
		case err != nil:
			return nil, fmt.Errorf("quote cart: %w", err)
		}
		q.Shipping, q.ShippingCents = sq, sq.Cents
	}
	q.TotalCents = q.GoodsCents + q.ShippingCents
	q.VAT = VATBreakdown(q.VATMode, q.orderLines(), q.ShippingCents)
	return q, nil
}

// mergeItems adds up the quantities of a book listed twice, keeping the
// first line's place and seen price.
func mergeItems(items []QuoteItem) []QuoteItem {
	out := make([]QuoteItem, 0, len(items))
	at := map[int64]int{}
	for _, it := range items {
		if it.Book != nil {
			it.BookID = it.Book.ID
		}
		if i, ok := at[it.BookID]; ok && it.BookID != 0 {
			out[i].Quantity += min(max(it.Quantity, 0), MaxQuantity+1)
			continue
		}
		at[it.BookID] = len(out)
		out = append(out, it)
	}
	return out
}

// line prices one item, recording its problems.
func (q *Quote) line(it QuoteItem, in QuoteInput, bookshop bool) QuoteLine {
	l := QuoteLine{Book: it.Book, BookID: it.BookID, Quantity: it.Quantity, Excluded: true}
	b := it.Book
	if b == nil {
		q.problem(it.BookID, true, "error.shop.book_gone")
		return l
	}
	if it.Quantity < 1 || it.Quantity > MaxQuantity {
		q.problem(b.ID, true, "error.shop.bad_quantity", b.Title, MaxQuantity)
		return l
	}
	if err := b.Sellable(in.At); err != nil {
		var ae *apperr.Error
		errors.As(err, &ae)
		q.problem(b.ID, true, ae.Key, ae.Args...)
		return l
	}
	price, _ := b.PriceAt(in.At)
	l.Excluded, l.PublisherCents, l.UnitCents, l.VATRate = false, price, price, in.Policy.VATRateOf(b)
	for _, d := range in.Policy.Discounts {
		if !d.Applies(b) || (d.PickupOnly && !bookshop) {
			continue
		}
		if err := CheckDiscount(b, d, q.Delivery, bookshop); err != nil {
			var ae *apperr.Error
			errors.As(err, &ae)
			q.problem(b.ID, false, ae.Key, ae.Args...)
			continue
		}
		if p := d.Price(price); p < l.UnitCents {
			l.UnitCents, l.Discount = p, d.ID
		}
	}
	if b.IsNewPrint() && l.UnitCents < price {
		// CheckDiscount allowed it, so this is a bookshop pickup; keep
		// the 95 % bound even if a rule slipped through.
		l.UnitCents = max(l.UnitCents, MinPickupPrice(price))
	}
	l.TotalCents = l.UnitCents * int64(l.Quantity)
	if b.TrackStock && b.Shipped() && l.Quantity > b.Stock {
		if b.Stock <= 0 {
			q.problem(b.ID, true, "error.shop.out_of_stock", b.Title)
		} else {
			q.problem(b.ID, true, "error.shop.not_enough_stock", b.Title, b.Stock)
		}
	}
	if it.SeenCents > 0 && it.SeenCents != price {
		q.problem(b.ID, true, "shop.problem.price_changed", b.Title, Money(it.SeenCents), Money(price))
	}
	return l
}

func (q *Quote) problem(bookID int64, blocks bool, key string, args ...any) {
	q.Problems = append(q.Problems, Problem{BookID: bookID, Reason: Reason{Key: key, Args: args}, Blocks: blocks})
}

// Err returns nil when the quote can become an order, and otherwise an
// Invalid error asking the buyer to look at the cart again; Problems say
// what to look at.
func (q *Quote) Err() error {
	for _, p := range q.Problems {
		if p.Blocks {
			return apperr.New(apperr.Invalid, "error.shop.cart_changed")
		}
	}
	if q.TotalCents <= 0 {
		return apperr.New(apperr.Invalid, "error.shop.cart_empty")
	}
	return nil
}

// orderLines returns the lines the order keeps, each a copy of what its
// invoice needs.
func (q *Quote) orderLines() []OrderLine {
	var out []OrderLine
	for _, l := range q.Lines {
		if l.Excluded {
			continue
		}
		out = append(out, OrderLine{BookID: l.Book.ID, ISBN: l.Book.ISBN, Title: l.Book.Title, Format: l.Book.Format,
			Condition: l.Book.Condition, PublisherCents: l.PublisherCents, UnitCents: l.UnitCents, Quantity: l.Quantity,
			VATRate: l.VATRate})
	}
	return out
}

// Order returns the pending order the quote makes, its delivery charge
// explained in p's language (catalogue keys when p is nil), or q.Err().
// The lines keep the prices of the quote: a later change of a book's
// price changes no order (checklist 16).
func (q *Quote) Order(p *locale.Printer) (*Order, error) {
	if err := q.Err(); err != nil {
		return nil, err
	}
	o := &Order{Status: OrderPending, Delivery: q.Delivery, Lines: q.orderLines(), GoodsCents: q.GoodsCents,
		ShippingCents: q.ShippingCents, TotalCents: q.TotalCents, VAT: q.VAT, VATMode: q.VATMode,
		VATExemption: q.VATExemption}
	if q.Carrier != nil {
		o.Carrier, o.CarrierName = q.Carrier.ID, q.Carrier.Name
	}
	why := make([]string, len(q.Shipping.Why))
	for i, r := range q.Shipping.Why {
		if p == nil {
			why[i] = r.Key
		} else {
			why[i] = r.Text(p)
		}
	}
	o.ShippingWhy = strings.Join(why, "\n")
	if p != nil {
		o.Lang = string(p.Lang())
	}
	return o, nil
}

// CheckAmounts returns an Internal error when o's amounts do not add up:
// the lines to GoodsCents, goods and delivery to TotalCents (one payment
// for both, checklist 8), and the VAT breakdown to TotalCents. Checkout
// calls it before asking for the payment.
func (o *Order) CheckAmounts() error {
	var goods int64
	for _, l := range o.Lines {
		if l.Quantity < 1 || l.UnitCents < 0 {
			return fmt.Errorf("check order amounts: line %d: %d × %d: %w", l.BookID, l.Quantity, l.UnitCents, errBadAmounts)
		}
		goods += l.TotalCents()
	}
	if goods != o.GoodsCents || o.ShippingCents < 0 || o.GoodsCents+o.ShippingCents != o.TotalCents {
		return fmt.Errorf("check order amounts: goods %d (lines %d) + shipping %d ≠ total %d: %w",
			o.GoodsCents, goods, o.ShippingCents, o.TotalCents, errBadAmounts)
	}
	if len(o.VAT) > 0 {
		var vat int64
		for _, v := range o.VAT {
			if v.BaseCents+v.VATCents != v.TotalCents {
				return fmt.Errorf("check order amounts: VAT at %d: %w", v.Rate, errBadAmounts)
			}
			vat += v.TotalCents
		}
		if vat != o.TotalCents {
			return fmt.Errorf("check order amounts: VAT breakdown %d ≠ total %d: %w", vat, o.TotalCents, errBadAmounts)
		}
	}
	return nil
}

// errBadAmounts is what CheckAmounts wraps: a bug, never the buyer's doing.
var errBadAmounts = errors.New("amounts do not add up")

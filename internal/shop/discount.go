package shop

import (
	"slices"

	"github.com/kiosque/kiosque/internal/apperr"
)

// MaxPickupDiscount is the largest rebate, in basis points, that the loi
// Lang allows on a new printed book collected in a retail bookshop (5 %).
const MaxPickupDiscount = 500

// Discount is a price reduction the shop offers: a percentage (in basis
// points, 500 = 5 %) or a fixed amount per copy, on the books its scope
// matches. Book law forbids most of them on new books; Validate (when the
// back office saves one) and CheckDiscount (for each line at checkout)
// refuse what it forbids.
type Discount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// BasisPoints is the percentage off (500 = 5 %), Cents a fixed amount
	// off each copy; one of them.
	BasisPoints int   `json:"basis_points"`
	Cents       int64 `json:"cents"`
	// Formats, Conditions and BookIDs narrow the books it applies to;
	// empty means all.
	Formats    []Format    `json:"formats"`
	Conditions []Condition `json:"conditions"`
	BookIDs    []int64     `json:"book_ids"`
	// PickupOnly limits it to orders collected at a pickup point declared
	// a retail bookshop, the only case where a new printed book may be
	// sold below its publisher's price.
	PickupOnly bool `json:"pickup_only"`
}

// Applies reports whether d's scope matches b (whatever the law says).
func (d Discount) Applies(b *Book) bool {
	return (len(d.Formats) == 0 || slices.Contains(d.Formats, b.Format)) &&
		(len(d.Conditions) == 0 || slices.Contains(d.Conditions, b.Condition)) &&
		(len(d.BookIDs) == 0 || slices.Contains(d.BookIDs, b.ID))
}

// Price returns unitCents reduced by d, never below zero. A percentage
// is rounded in the buyer's disfavour (the reduction is truncated), so
// that 5 % off always stays within the 95 % the law allows.
func (d Discount) Price(unitCents int64) int64 {
	p := unitCents - unitCents*int64(d.BasisPoints)/10000 - d.Cents
	return max(p, 0)
}

// could reports whether d's scope may match some book of format f in
// condition c, the question the back office can answer before knowing
// which books a rule will meet.
func (d Discount) could(f Format, c Condition) bool {
	return (len(d.Formats) == 0 || slices.Contains(d.Formats, f)) &&
		(len(d.Conditions) == 0 || slices.Contains(d.Conditions, c))
}

// Validate checks d when the back office saves it (checklist 10, 11, 14):
// an amount in range, and nothing the law forbids on the books the scope
// could match, whatever their delivery: no rebate on e-books, none on
// new printed books unless limited to bookshop pickup, and then at most
// 5 %. A fixed amount on new printed books is checked per book by
// CheckDiscount, since it depends on the price. Errors are Invalid and
// name their field.
func (d Discount) Validate() error {
	switch {
	case d.BasisPoints < 0 || d.BasisPoints > 10000 || d.Cents < 0:
		return apperr.New(apperr.Invalid, "error.shop.discount_amount").InField("amount")
	case (d.BasisPoints == 0) == (d.Cents == 0):
		return apperr.New(apperr.Invalid, "error.shop.discount_amount").InField("amount")
	case d.could(FormatEbook, ConditionNew):
		return apperr.New(apperr.Invalid, "error.shop.discount_ebook").InField("scope")
	case d.could(FormatPrint, ConditionNew) && !d.PickupOnly:
		return apperr.New(apperr.Invalid, "error.shop.discount_shipped_new_book").InField("scope")
	case d.could(FormatPrint, ConditionNew) && d.BasisPoints > MaxPickupDiscount:
		return apperr.New(apperr.Invalid, "error.shop.discount_over_5").InField("amount")
	}
	return nil
}

// CheckDiscount returns nil when d may lawfully lower the price of b for
// an order delivered by delivery (pickupIsBookshop when it is collected at
// a point declared a retail bookshop), and otherwise an Invalid error
// citing the rule. A discount whose scope does not match b is no concern
// of b's and passes. Used books, audiobooks and other products are priced
// freely; an e-book is sold at exactly its publisher's price (loi of 26
// May 2011); a new printed book is sold at exactly its publisher's price
// when shipped, relay points included, and at no less than 95 % of it
// when collected in a bookshop (loi Lang art. 1).
func CheckDiscount(b *Book, d Discount, delivery DeliveryKind, pickupIsBookshop bool) error {
	if !d.Applies(b) || !b.FixedPrice() || (d.BasisPoints == 0 && d.Cents == 0) {
		return nil
	}
	if b.Format == FormatEbook {
		return apperr.New(apperr.Invalid, "error.shop.discount_ebook")
	}
	if delivery != DeliveryPickup || !pickupIsBookshop {
		return apperr.New(apperr.Invalid, "error.shop.discount_shipped_new_book")
	}
	for _, p := range b.Prices {
		if p.Cents > 0 && d.Price(p.Cents) < MinPickupPrice(p.Cents) {
			return apperr.New(apperr.Invalid, "error.shop.discount_over_5")
		}
	}
	return nil
}

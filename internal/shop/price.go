package shop

import (
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
)

// PriceAt returns the price in effect at t, in cents tax included: among
// the prices whose From is not after t and whose Until (when set) is
// after t, the one with the latest From (the later in Prices on a tie).
// ok is false when none is in effect or it is not positive, which makes
// the book unsellable (checklist 24). A price announced for a future date
// (ONIX PriceDate, role 14) therefore takes effect on that date and not
// before (checklist 16).
func (b *Book) PriceAt(t time.Time) (cents int64, ok bool) {
	var best *Price
	for i := range b.Prices {
		p := &b.Prices[i]
		if p.From.After(t) || (!p.Until.IsZero() && !t.Before(p.Until)) {
			continue
		}
		if best == nil || !p.From.Before(best.From) {
			best = p
		}
	}
	if best == nil || best.Cents <= 0 {
		return 0, false
	}
	return best.Cents, true
}

// Sellable returns nil when the book can be added to a cart and bought at
// t, and otherwise an Invalid error whose key says why: withdrawn, not yet
// published, only sold within a bundle (ONIX UnpricedItemType 03), or no
// price in effect (checklist 23, 24).
func (b *Book) Sellable(t time.Time) error {
	switch {
	case b.Status == StatusWithdrawn:
		return apperr.New(apperr.Invalid, "error.shop.book_withdrawn", b.Title)
	case b.Status == StatusForthcoming:
		return apperr.New(apperr.Invalid, "error.shop.book_forthcoming", b.Title)
	case b.Status != StatusActive:
		return apperr.New(apperr.Invalid, "error.shop.book_withdrawn", b.Title)
	case b.NotSoldAlone:
		return apperr.New(apperr.Invalid, "error.shop.book_not_sold_alone", b.Title)
	}
	if _, ok := b.PriceAt(t); !ok {
		return apperr.New(apperr.Invalid, "error.shop.book_no_price", b.Title)
	}
	return nil
}

// IsNewBook reports whether b is a new book in any form (print, e-book or
// audio): what the catalogue labels « neuf » and taxes as a book.
func (b *Book) IsNewBook() bool {
	return b.Condition != ConditionUsed && (b.Format == FormatPrint || b.Format == FormatEbook || b.Format == FormatAudio)
}

// IsNewPrint reports whether b is a new printed book: the only kind the
// shipping floor counts (french-rules §2.4 new_value) and the loi Lang
// prices.
func (b *Book) IsNewPrint() bool { return b.Format == FormatPrint && b.Condition != ConditionUsed }

// FixedPrice reports whether the law sets b's price: a new printed book
// (loi Lang, 95–100 % of the publisher's price, 100 % when shipped) or an
// e-book (loi of 26 May 2011, exactly the publisher's price). Used
// copies, audiobooks (outside both laws, french-rules R1.7) and other
// products are priced freely by the shop.
func (b *Book) FixedPrice() bool {
	return b.IsNewPrint() || (b.Format == FormatEbook && b.Condition != ConditionUsed)
}

// Shipped reports whether b travels in a parcel: everything but e-books.
func (b *Book) Shipped() bool { return b.Format != FormatEbook }

// MinPickupPrice is the lowest price at which a new printed book whose
// publisher's price is publisherCents may be sold when collected in a
// retail bookshop: 95 % of it, rounded up to the cent (loi Lang art. 1;
// 12,99 € gives 12,35 €, 7,00 € gives 6,65 €). Integer arithmetic keeps
// it exact.
func MinPickupPrice(publisherCents int64) int64 {
	if publisherCents <= 0 {
		return 0
	}
	return (publisherCents*95 + 99) / 100
}

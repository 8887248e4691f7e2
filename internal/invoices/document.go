package invoices

import (
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
)

// Document is everything an invoice, a credit note or a packing slip
// shows: the order, the seller's identity and the document's own number
// and dates. Times are printed in their own location, so the caller
// converts them to the site's time zone first.
type Document struct {
	// Kind is shop.KindInvoice or shop.KindCredit; a packing slip is
	// drawn from either (RenderPackingSlip ignores it).
	Kind shop.InvoiceKind
	// Number is the document's number on its unbroken series
	// ("F2026-000042", "A2026-000003").
	Number string
	// IssuedAt is the date of issue, printed and used as the PDF's
	// creation date.
	IssuedAt time.Time
	Seller   Seller
	// Order is the order invoiced, refunded or packed, with its lines,
	// totals and VAT breakdown as charged.
	Order *shop.Order
	// Authors gives each line's authors as printed ("Julie Otsuka"), by
	// the line's BookID: order lines do not keep them, and the precise
	// description of a book names them.
	Authors map[int64]string
	// Exemption is the VAT exemption reference printed on every page in
	// the exempt modes; empty, the order's VATExemption is used.
	Exemption string
	// Payment says how and when the order was paid (for a credit note:
	// how and when the refund was made).
	Payment Payment
	// DeliveredAt is the date of delivery, printed when it is another day
	// than the date of issue; zero when unknown.
	DeliveredAt time.Time

	// Corrects is, on a credit note, the number of the invoice it
	// corrects, and CorrectsDate that invoice's date of issue (printed
	// when known).
	Corrects     string
	CorrectsDate time.Time
	// RefundCents is, on a credit note, the amount given back, tax
	// included: the order's total for a full refund, which lists the
	// order's lines; less for a partial one, which is spread over the VAT
	// rates pro rata of the order's amounts.
	RefundCents int64
	// Reason is, on a credit note, why the refund was made (« ouvrage
	// arrivé abîmé »); optional.
	Reason string

	// Catalog provides the Printer of the order's language, which writes
	// amounts and dates.
	Catalog *locale.Catalog
}

// Seller is the association as its documents name it: its own settings,
// the same on all of them.
type Seller struct {
	Name string
	// Address holds the postal address, one line each, postal code and
	// city included ("14 rue d'Austerlitz", "69004 Lyon").
	Address []string
	// SIREN identifies the seller (9 digits); RNA ("W691234567") the
	// association in the national register, required for an association.
	SIREN string
	RNA   string
	// VATNumber is the intra-community VAT number ("FR32812345676"),
	// required and printed only when the order's VAT mode is liable.
	VATNumber string
	// LegalForm is printed with the name: « Association loi 1901 ».
	LegalForm string
	Email     string
	Website   string
}

// Payment is how an order was paid, or a refund made.
type Payment struct {
	Method PaymentMethod
	// PaidAt is when the money was received (or given back); when zero,
	// the invoice says the amount is due by DueAt.
	PaidAt time.Time
	DueAt  time.Time
}

// PaymentMethod is how money moved.
type PaymentMethod string

// The payment methods an invoice names.
const (
	PayCard     PaymentMethod = "card"
	PayTransfer PaymentMethod = "transfer"
	PayCheque   PaymentMethod = "cheque"
	PayCash     PaymentMethod = "cash"
)

// isCredit reports whether d is a credit note.
func (d *Document) isCredit() bool { return d.Kind == shop.KindCredit }

// fullRefund reports whether a credit note gives back the whole order,
// whose lines it then lists.
func (d *Document) fullRefund() bool {
	return d.isCredit() && d.Order != nil && d.RefundCents == d.Order.TotalCents
}

// liable reports whether the order was charged VAT.
func (d *Document) liable() bool { return d.Order.VATMode == shop.VATLiable }

// exemption returns the VAT exemption reference to print, or "".
func (d *Document) exemption() string {
	if d.liable() {
		return ""
	}
	if s := strings.TrimSpace(d.Exemption); s != "" {
		return s
	}
	return strings.TrimSpace(d.Order.VATExemption)
}

// buyer returns the invoiced address: the billing address, or the
// delivery address when no billing address was given.
func (d *Document) buyer() shop.Address {
	if b := d.Order.BillTo; b.Name != "" || b.Company != "" || b.Line1 != "" {
		return b
	}
	return d.Order.ShipTo
}

// b2b reports whether the buyer is a legal person, which gets the
// code de commerce's payment mentions.
func (d *Document) b2b() bool { return strings.TrimSpace(d.buyer().Company) != "" }

// lang returns the document's language: the order's, French by default.
func (d *Document) lang() locale.Lang {
	if l, err := locale.ParseLang(d.Order.Lang); err == nil {
		return l
	}
	return locale.French
}

// ForInvoice returns the Document of inv, an invoice or credit note that
// package shop has just numbered for order o: its kind, number and date;
// for a credit note, the amount given back and the order's invoice as the
// one corrected. Payment is by card on the day o was paid (for a credit
// note, refunded the day it is issued); the caller sets Authors, and
// Exemption, DeliveredAt, CorrectsDate and Reason when it knows them.
func ForInvoice(o *shop.Order, inv *shop.Invoice, seller Seller, cat *locale.Catalog) *Document {
	d := &Document{
		Kind:     inv.Kind,
		Number:   inv.Number,
		IssuedAt: inv.IssuedAt,
		Seller:   seller,
		Order:    o,
		Payment:  Payment{Method: PayCard, PaidAt: o.PaidAt},
		Catalog:  cat,
	}
	if inv.Kind == shop.KindCredit {
		d.Corrects = o.InvoiceNumber
		d.RefundCents = inv.AmountCents
		d.Payment.PaidAt = inv.IssuedAt
	}
	return d
}

// SellerOf is the association as its documents name it, from the site's
// settings: its identity (the site's title when it has no name yet), its
// address one line each, « Association loi 1901 » once it has an RNA
// number, the shop's VAT number, and website.
func SellerOf(st *settings.Site, website string) Seller {
	a := st.Association
	sl := Seller{Name: a.Name, SIREN: a.SIREN, RNA: a.RNA, VATNumber: st.Shop.VATNumber, Website: website}
	if sl.Name == "" {
		sl.Name = st.Title
	}
	for _, line := range strings.Split(a.Address, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			sl.Address = append(sl.Address, line)
		}
	}
	if city := strings.TrimSpace(a.PostalCode + " " + a.City); city != "" {
		sl.Address = append(sl.Address, city)
	}
	if a.RNA != "" {
		sl.LegalForm = "Association loi 1901"
	}
	return sl
}

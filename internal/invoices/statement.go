package invoices

import (
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// row is one line of a document's table, with its texts and figures
// ready to print.
type row struct {
	qty   int
	title string
	// details names authors, ISBN, format and « occasion »; note a
	// rebate, a VAT split or a refund's reason.
	details string
	note    string
	// unitHT and rate are printed when the seller is liable to VAT.
	unitHT  int64
	rate    string
	unitTTC int64
	total   int64
	isbn    string
}

// statement is what an invoice or a credit note lists and totals.
type statement struct {
	rows []row
	// vat is the breakdown per rate by increasing rate, empty when no VAT
	// is charged; ht, tax and ttc its sums (ttc alone when exempt).
	vat          []shop.VATLine
	ht, tax, ttc int64
}

// statement builds the rows and totals of d: the order's lines and
// delivery for an invoice or a full refund, one refund line for a partial
// refund.
func (d *Document) statement(p *locale.Printer, w *wording) statement {
	o := d.Order
	var st statement
	if d.isCredit() && !d.fullRefund() {
		st.rows = []row{d.refundRow(p, w)}
	} else {
		for _, l := range o.Lines {
			st.rows = append(st.rows, d.lineRow(p, w, l))
		}
		if r, ok := d.shippingRow(p, w); ok {
			st.rows = append(st.rows, r)
		}
	}
	if !d.liable() {
		st.ttc = o.TotalCents
		if d.isCredit() {
			st.ttc = d.RefundCents
		}
		return st
	}
	if d.isCredit() && !d.fullRefund() {
		st.vat = refundBreakdown(o, d.RefundCents)
	} else {
		st.vat = sortedVAT(o.VAT)
	}
	for _, v := range st.vat {
		st.ht += v.BaseCents
		st.tax += v.VATCents
		st.ttc += v.TotalCents
	}
	return st
}

// lineRow describes one title: its name, then authors, ISBN, format and
// « occasion » for a second-hand copy, and the rebate from the publisher's
// price of a new book collected in a bookshop.
func (d *Document) lineRow(p *locale.Printer, w *wording, l shop.OrderLine) row {
	r := row{
		qty:     l.Quantity,
		title:   lineTitle(w, l),
		details: lineDetails(w, l, d.Authors[l.BookID]),
		unitTTC: l.UnitCents,
		total:   l.TotalCents(),
		isbn:    l.ISBN,
	}
	if l.Condition != shop.ConditionUsed && l.PublisherCents > l.UnitCents {
		r.note = fmt.Sprintf(w.rebate, money(p, l.PublisherCents), money(p, l.PublisherCents-l.UnitCents))
	}
	if d.liable() {
		r.unitHT = exclusive(l.UnitCents, l.VATRate)
		r.rate = rateText(p, l.VATRate)
	}
	return r
}

// lineTitle is a line's title, followed by « occasion » for a
// second-hand copy, which every document labels so (décret 2023-497).
func lineTitle(w *wording, l shop.OrderLine) string {
	t := strings.TrimSpace(l.Title)
	if l.Condition == shop.ConditionUsed {
		t += " – " + w.used
	}
	return t
}

// lineDetails joins what identifies a copy: authors, ISBN and format.
func lineDetails(w *wording, l shop.OrderLine, authors string) string {
	var parts []string
	if a := strings.TrimSpace(authors); a != "" {
		parts = append(parts, a)
	}
	if l.ISBN != "" {
		parts = append(parts, "ISBN "+l.ISBN)
	}
	if f := w.formats[l.Format]; f != "" {
		parts = append(parts, f)
	}
	return strings.Join(parts, " · ")
}

// shippingRow is the delivery charge, with its VAT rate, or its split
// over the rates on a mixed order. Orders without delivery (e-books only,
// and no charge) have none.
func (d *Document) shippingRow(p *locale.Printer, w *wording) (row, bool) {
	o := d.Order
	switch {
	case o.ShippingCents > 0:
	case o.Delivery == shop.DeliveryHome, o.Delivery == shop.DeliveryRelay, o.Delivery == shop.DeliveryPickup:
	default:
		return row{}, false
	}
	label := w.shipping
	if o.Delivery == shop.DeliveryPickup {
		label = w.pickup
	}
	if name := strings.TrimSpace(o.CarrierName); name != "" {
		label += " – " + name
	}
	r := row{qty: 1, title: label, unitTTC: o.ShippingCents, total: o.ShippingCents}
	if k := w.kinds[o.Delivery]; k != "" && o.Delivery != shop.DeliveryPickup {
		r.details = k
	}
	if !d.liable() {
		return r, true
	}
	shares := shippingShares(o)
	switch len(shares) {
	case 0:
		if goods := goodsByRate(o.Lines); len(goods) == 1 {
			r.rate = rateText(p, goods[0].Rate)
		}
	case 1:
		r.unitHT = exclusive(shares[0].Cents, shares[0].Rate)
		r.rate = rateText(p, shares[0].Rate)
	default:
		parts := make([]string, len(shares))
		for i, s := range shares {
			r.unitHT += exclusive(s.Cents, s.Rate)
			parts[i] = fmt.Sprintf(w.rateOn, money(p, s.Cents), rateText(p, s.Rate))
		}
		r.rate = w.prorataCo
		r.note = fmt.Sprintf(w.prorata, strings.Join(parts, ", "))
	}
	return r, true
}

// refundRow is the single line of a partial refund, spread over the
// order's rates pro rata of what was charged at each.
func (d *Document) refundRow(p *locale.Printer, w *wording) row {
	o := d.Order
	r := row{
		qty:     1,
		title:   fmt.Sprintf(w.refundPartial, o.Reference),
		unitTTC: d.RefundCents,
		total:   d.RefundCents,
	}
	if s := strings.TrimSpace(d.Reason); s != "" {
		r.details = w.reason + w.colon + s
	}
	if !d.liable() {
		return r
	}
	parts := refundBreakdown(o, d.RefundCents)
	var texts []string
	for _, v := range parts {
		r.unitHT += v.BaseCents
		texts = append(texts, fmt.Sprintf(w.rateOn, money(p, v.TotalCents), rateText(p, v.Rate)))
	}
	if len(parts) == 1 {
		r.rate = rateText(p, parts[0].Rate)
	} else {
		r.rate = w.prorataCo
		r.note = fmt.Sprintf(w.refundSplit, strings.Join(texts, ", "))
	}
	return r
}

// money writes an amount in euros the printer's way.
func money(p *locale.Printer, cents int64) string { return p.Money(cents, "EUR") }

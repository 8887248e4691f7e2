package invoices

import (
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// RenderPackingSlip draws the packing slip (bon de livraison) of d's order
// as an A4 PDF, for the preparer and the parcel: the order's reference and
// date, the delivery address and carrier, and each copy to pack with its
// quantity, ISBN and « occasion » label, in front of a box to tick. It
// shows no price. E-books, which are not packed, are left out.
//
// It needs less than an invoice (no number, no seller SIREN) but refuses,
// with an apperr.Invalid error, an order with nothing to pack or nowhere
// to send it.
func RenderPackingSlip(d *Document) ([]byte, error) {
	ref := ""
	if d.Order != nil {
		ref = d.Order.Reference
	}
	if err := d.validateSlip(); err != nil {
		return nil, fmt.Errorf("render packing slip %q: %w", ref, err)
	}
	o := d.Order
	p := d.Catalog.Printer(d.lang())
	w := wordingOf(p.Lang())
	s := newSheet(d, w.slip+" "+o.Reference, fmt.Sprintf(w.continued, w.slip, o.Reference), "")

	facts := []string{
		w.orderLabel + w.colon + s.orderRef(),
		w.issued + w.colon + p.Date(d.IssuedAt, locale.DateLong),
	}
	if o.InvoiceNumber != "" {
		facts = append(facts, w.invoice+w.colon+o.InvoiceNumber)
	}
	y := max(s.sellerBlock(false), s.title(w.slip, "", facts)) + 6

	const gap = 6.0
	bw := 104.0
	to := addressLines(p.Lang(), w, o.ShipTo, false)
	if strings.TrimSpace(o.ShipTo.Phone) != "" {
		to = append(to, strings.TrimSpace(o.ShipTo.Phone))
	}
	title := w.shipTo
	if o.Delivery == shop.DeliveryPickup {
		title = w.collectBy
	}
	bottom := s.box(left, y, bw, title, to, 11, 30, true)
	var info []string
	if c := strings.TrimSpace(o.CarrierName); c != "" {
		info = append(info, w.carrier+w.colon+c)
	}
	if k := w.kinds[o.Delivery]; k != "" {
		info = append(info, w.deliveryKinds+w.colon+k)
	}
	if t := strings.TrimSpace(o.Tracking); t != "" {
		info = append(info, w.tracking+w.colon+t)
	}
	if len(info) > 0 {
		bottom = max(bottom, s.box(left+bw+gap, y, width-bw-gap, w.deliveryKinds, info, 9, 30, false))
	}
	s.y = bottom + 6

	s.slipRows(d)
	s.slipEnd(d)
	b, err := s.output()
	if err != nil {
		return nil, fmt.Errorf("render packing slip %q: %w", o.Reference, err)
	}
	return b, nil
}

// slipRows draws the copies to pack, each with a box to tick.
func (s *sheet) slipRows(d *Document) {
	w := s.w
	s.startTable([]column{{"", 9, "C"}, {w.colQty, 12, "C"}, {w.colDesc, 119, "L"}, {w.colISBN, 40, "L"}})
	for _, l := range physical(d.Order.Lines) {
		bare := l
		bare.ISBN = ""
		r := row{qty: l.Quantity, title: lineTitle(w, l), details: lineDetails(w, bare, d.Authors[l.BookID]), isbn: l.ISBN}
		h := max(s.description(2, 0, r, false), 5.0) + 3
		s.ensure(h)
		y := s.y + 1.5
		s.pdf.SetDrawColor(ink.split())
		s.pdf.SetLineWidth(0.3)
		s.pdf.Rect(left+2.5, y, 4, 4, "D")
		s.font("B", 10, ink)
		s.cell(1, y, s.p.Number(int64(r.qty)))
		s.description(2, y, r, true)
		s.font("", 9, ink)
		s.cell(3, y, r.isbn)
		s.y += h
		s.rowRule()
	}
	s.endTable()
}

// slipEnd draws the number of copies and the lines the preparer and the
// checker sign.
func (s *sheet) slipEnd(d *Document) {
	w := s.w
	n := 0
	for _, l := range physical(d.Order.Lines) {
		n += l.Quantity
	}
	s.ensure(20)
	s.font("B", 9, ink)
	s.y = s.write(left, s.y, width, 5, fmt.Sprintf(w.items, n), "L") + 6
	s.font("", 9, ink)
	blank := " ____________________ "
	s.write(left, s.y, width/2, 5, w.preparedBy+w.colon+blank+w.date+" __________", "L")
	s.y = s.write(left+width/2, s.y, width/2, 5, w.checkedBy+w.colon+blank, "L") + 4
}

package invoices

import (
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// Render draws d as an A4 PDF: the invoice of its order, or the credit
// note of a refund, with every mention of CGI annexe II art. 242 nonies A
// (see the package comment), on as many pages as its lines need, each
// numbered « Page 2/3 » and, in the exempt VAT modes, carrying the
// exemption reference.
//
// It refuses a document Validate rejects (an apperr.Invalid error), so an
// invoice with a missing mention or figures that do not add up is never
// produced. The same Document always gives the same bytes.
func Render(d *Document) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("render invoice %q: %w", d.Number, err)
	}
	p := d.Catalog.Printer(d.lang())
	w := wordingOf(p.Lang())
	name := w.invoice
	if d.isCredit() {
		name = w.credit
	}
	s := newSheet(d, name+" "+d.Number, fmt.Sprintf(w.continued, name, d.Number), d.exemption())
	s.header(name)
	st := d.statement(p, w)
	s.rows(st.rows)
	s.totals(st)
	s.notes()
	b, err := s.output()
	if err != nil {
		return nil, fmt.Errorf("render invoice %q: %w", d.Number, err)
	}
	return b, nil
}

// header draws the seller, the document's name, number and dates, and
// the buyer's and delivery addresses.
func (s *sheet) header(name string) {
	d, p, w := s.d, s.p, s.w
	facts := []string{w.issued + w.colon + p.Date(d.IssuedAt, locale.DateLong)}
	if d.isCredit() {
		c := fmt.Sprintf(w.corrects, d.Corrects)
		if !d.CorrectsDate.IsZero() {
			c += fmt.Sprintf(w.correctsOf, p.Date(d.CorrectsDate, locale.DateLong))
		}
		facts = append(facts, c)
	}
	facts = append(facts, w.orderLabel+w.colon+s.orderRef())
	if !d.DeliveredAt.IsZero() && !sameDay(d.DeliveredAt, d.IssuedAt) {
		facts = append(facts, w.deliveredOn+w.colon+p.Date(d.DeliveredAt, locale.DateLong))
	}
	y := max(s.sellerBlock(d.liable()), s.title(name, d.Number, facts)) + 6

	const gap = 6.0
	bw := (width - gap) / 2
	bottom := s.box(left, y, bw, w.billTo, addressLines(p.Lang(), w, d.buyer(), true), 9, 26, true)
	if to, title, ok := s.delivery(); ok {
		bottom = max(bottom, s.box(left+bw+gap, y, bw, title, to, 9, 26, true))
	}
	s.y = bottom + 6
}

// orderRef is the order's reference and date.
func (s *sheet) orderRef() string {
	o := s.d.Order
	if o.CreatedAt.IsZero() {
		return o.Reference
	}
	return fmt.Sprintf(s.w.order, o.Reference, s.p.Date(o.CreatedAt, locale.DateLong))
}

// delivery returns the lines and title of the delivery box, if the order
// is delivered or collected.
func (s *sheet) delivery() ([]string, string, bool) {
	o := s.d.Order
	switch o.Delivery {
	case shop.DeliveryHome, shop.DeliveryRelay:
		if o.ShipTo.Line1 == "" {
			return nil, "", false
		}
		lines := addressLines(s.p.Lang(), s.w, o.ShipTo, false)
		if c := strings.TrimSpace(o.CarrierName); c != "" {
			lines = append(lines, s.w.carrier+s.w.colon+c)
		}
		return lines, s.w.shipTo, true
	case shop.DeliveryPickup:
		var lines []string
		for _, l := range []string{o.ShipTo.Name, o.CarrierName} {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		return lines, s.w.pickup, len(lines) > 0
	}
	return nil, "", false
}

// addressLines writes an address as printed: company and its SIREN (when
// asked), name, street, postal code and city, and the country when it is
// not France.
func addressLines(l locale.Lang, w *wording, a shop.Address, siren bool) []string {
	var lines []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	add(a.Company)
	if siren && strings.TrimSpace(a.Company) != "" && strings.TrimSpace(a.SIREN) != "" {
		add(w.siren + " " + formatSIREN(a.SIREN))
	}
	add(a.Name)
	add(a.Line1)
	add(a.Line2)
	add(strings.TrimSpace(a.PostalCode) + " " + strings.TrimSpace(a.City))
	if !inFrance(a.Country) {
		add(countryName(l, a.Country))
	}
	return lines
}

// columns returns the table's columns: with prices before tax and rates
// when the seller is liable to VAT, prices alone otherwise.
func (s *sheet) columns() []column {
	w := s.w
	if s.d.liable() {
		return []column{
			{w.colQty, 11, "C"}, {w.colDesc, 85, "L"}, {w.colUnitHT, 21, "R"},
			{w.colRate, 15, "R"}, {w.colUnitTTC, 21, "R"}, {w.colTotalTTC, 27, "R"},
		}
	}
	return []column{{w.colQty, 11, "C"}, {w.colDesc, 118, "L"}, {w.colUnit, 24, "R"}, {w.colAmount, 27, "R"}}
}

// rows draws the table of the document's lines.
func (s *sheet) rows(rows []row) {
	s.startTable(s.columns())
	liable := s.d.liable()
	for _, r := range rows {
		h := max(s.description(1, 0, r, false), lineH) + 2.4
		s.ensure(h)
		y := s.y + 1.2
		s.description(1, y, r, true)
		s.font("", 8.5, ink)
		s.cell(0, y, s.p.Number(int64(r.qty)))
		if liable {
			s.cell(2, y, money(s.p, r.unitHT))
			s.cell(3, y, r.rate)
			s.cell(4, y, money(s.p, r.unitTTC))
			s.font("B", 8.5, ink)
			s.cell(5, y, money(s.p, r.total))
		} else {
			s.cell(2, y, money(s.p, r.unitTTC))
			s.font("B", 8.5, ink)
			s.cell(3, y, money(s.p, r.total))
		}
		s.y += h
		s.rowRule()
	}
	s.endTable()
}

// totals draws the VAT breakdown per rate and the totals, or the total
// and the exemption reference when no VAT is charged.
func (s *sheet) totals(st statement) {
	pdf, w, p := s.pdf, s.w, s.p
	const x, bw = right - 100, 100.0
	widths := []float64{22, 26, 24, 28}
	line := func(y float64, style string, size float64, cells ...string) {
		s.font(style, size, ink)
		cx := x
		for i, c := range cells {
			pdf.SetXY(cx, y)
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(widths[i], lineH+0.4, encode(c), "", 0, align, false, 0, "")
			cx += widths[i]
		}
	}
	total := func(y float64, style string, size float64, label, amount string) {
		s.font(style, size, ink)
		pdf.SetXY(x, y)
		pdf.CellFormat(bw-34, 5.5, encode(label), "", 0, "L", false, 0, "")
		pdf.CellFormat(34, 5.5, encode(amount), "", 0, "R", false, 0, "")
	}
	if len(st.vat) == 0 {
		label := w.total
		if s.d.isCredit() {
			label = w.creditTotal
		}
		ex := s.d.exemption()
		s.font("B", 8.5, ink)
		h := 8 + s.height(ex, bw, lineH)
		s.ensure(h)
		total(s.y, "B", 11, label, money(p, st.ttc))
		s.font("B", 8.5, ink)
		s.y = s.write(x, s.y+6.5, bw, lineH, ex, "L") + 4
		return
	}
	h := 6 + float64(len(st.vat))*(lineH+0.4) + 3 + 3*5.5 + 4
	s.ensure(h)
	pdf.SetFillColor(barFill.split())
	pdf.Rect(x, s.y, bw, 5, "F")
	line(s.y+0.3, "B", 7.5, w.rate, w.base, w.vat, w.ttc)
	y := s.y + 5.6
	for _, v := range st.vat {
		line(y, "", 8.5, w.vat+" "+rateText(p, v.Rate), money(p, v.BaseCents), money(p, v.VATCents), money(p, v.TotalCents))
		y += lineH + 0.4
	}
	pdf.SetDrawColor(rule.split())
	pdf.SetLineWidth(0.2)
	pdf.Line(x, y+1, right, y+1)
	y += 2.5
	ttc := w.totalTTC
	if s.d.isCredit() {
		ttc = w.creditTTC
	}
	total(y, "", 9, w.totalHT, money(p, st.ht))
	total(y+5.5, "", 9, w.totalVAT, money(p, st.tax))
	total(y+11, "B", 11, ttc, money(p, st.ttc))
	s.y = y + 16.5 + 4
}

// notes draws how the order was paid (or the refund made), and for a
// company buyer the code de commerce's payment terms.
func (s *sheet) notes() {
	d, w, p := s.d, s.w, s.p
	var paras []string
	method := w.methods[d.Payment.Method]
	switch {
	case d.isCredit() && method != "" && !d.Payment.PaidAt.IsZero():
		paras = append(paras, w.payment+w.colon+fmt.Sprintf(w.refunded, method, p.Date(d.Payment.PaidAt, locale.DateLong)))
	case d.isCredit() && method != "":
		paras = append(paras, w.payment+w.colon+method)
	case d.isCredit():
	case !d.Payment.PaidAt.IsZero():
		paras = append(paras, w.payment+w.colon+fmt.Sprintf(w.paidOn, method, p.Date(d.Payment.PaidAt, locale.DateLong)))
	default:
		paras = append(paras, w.payment+w.colon+fmt.Sprintf(w.dueBy, method, p.Date(d.Payment.DueAt, locale.DateLong)))
	}
	if !d.isCredit() && d.b2b() {
		paras = append(paras, w.b2b)
	}
	s.font("", 8.5, ink)
	for _, t := range paras {
		s.ensure(s.height(t, width, lineH) + 1.5)
		s.y = s.write(left, s.y, width, lineH, t, "L") + 1.5
	}
}

// sameDay reports whether a and b fall on the same calendar day, each in
// its own location.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

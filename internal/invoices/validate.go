package invoices

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/receipts"
	"github.com/kiosque/kiosque/internal/shop"
)

// Limits that keep a document sane; an order beyond them is a mistake.
const (
	maxNumber   = 32
	maxName     = 120
	maxLine     = 100
	maxLines    = 6
	maxTitle    = 1000
	maxAuthors  = 300
	maxText     = 300
	maxQuantity = 10_000
	// maxCents is ten million euros: the pro rata arithmetic stays far
	// from overflowing.
	maxCents = 1_000_000_000
)

// Validate reports every missing mention and every figure that does not
// add up, joined (errors.Join), each an apperr.Invalid error without a
// catalogue key whose Field is a plain dotted name: kind, number,
// issued_at, catalog, order; seller.name, seller.address, seller.siren,
// seller.rna, seller.legal_form, seller.vat_number, seller.email,
// seller.website; buyer.name, buyer.company, buyer.address,
// buyer.postal_code, buyer.city, buyer.siren; lines, lines[i].description,
// lines[i].quantity, lines[i].price, lines[i].vat_rate, authors[bookID];
// goods, shipping, total (the order's sums), vat_mode, vat, vat[i],
// vat.shipping (delivery not split pro rata), exemption; payment.method,
// payment.date; corrects, refund, reason. It returns nil for a document
// Render may print.
func (d *Document) Validate() error {
	var v validator
	switch d.Kind {
	case shop.KindInvoice, shop.KindCredit:
	case "":
		v.add("kind", "missing")
	default:
		v.add("kind", "%q: want invoice or credit", d.Kind)
	}
	v.text("number", d.Number, maxNumber)
	if d.IssuedAt.IsZero() {
		v.add("issued_at", "missing")
	}
	if d.Catalog == nil {
		v.add("catalog", "missing: amounts and dates are written by the order's language")
	}
	d.Seller.validate(&v, d.Order != nil && d.liable())
	if d.Order == nil {
		v.add("order", "missing")
		return v.err()
	}
	d.validateDates(&v)
	d.validateBuyer(&v)
	d.validateLines(&v)
	d.validateTotals(&v)
	d.validateVAT(&v)
	if len(v.errs) == 0 && d.liable() {
		// The split of the delivery is only worth checking when the rest
		// adds up; otherwise it repeats the mistake already reported.
		d.validateShippingShares(&v)
	}
	d.validatePayment(&v)
	d.validateCredit(&v)
	return v.err()
}

func (s Seller) validate(v *validator, liable bool) {
	v.text("seller.name", s.Name, maxName)
	v.lines("seller.address", s.Address)
	siren := normalizeID(s.SIREN)
	switch {
	case siren == "":
		v.add("seller.siren", "missing: every invoice names the seller's SIREN")
	case !receipts.ValidSIREN(siren):
		v.add("seller.siren", "%q: want 9 digits with a valid check digit", s.SIREN)
	}
	v.text("seller.legal_form", s.LegalForm, maxName)
	rna := normalizeID(s.RNA)
	switch {
	case rna == "" && strings.Contains(strings.ToLower(s.LegalForm), "association"):
		v.add("seller.rna", "missing: an association's documents give its RNA number")
	case rna != "" && !receipts.ValidRNA(rna):
		v.add("seller.rna", "%q: want W and 9 letters or digits, as W691234567", s.RNA)
	}
	vat := normalizeID(s.VATNumber)
	switch {
	case liable && vat == "":
		v.add("seller.vat_number", "missing: a seller liable to VAT prints its VAT number")
	case liable && receipts.ValidSIREN(siren) && vat != frenchVATNumber(siren):
		v.add("seller.vat_number", "%q: want %s, the number of SIREN %s", s.VATNumber, frenchVATNumber(siren), siren)
	}
	v.optional("seller.email", s.Email, maxLine)
	v.optional("seller.website", s.Website, maxLine)
}

// frenchVATNumber returns the intra-community VAT number of a SIREN: FR,
// the key (12 + 3 × (SIREN mod 97)) mod 97 on two digits, the SIREN.
func frenchVATNumber(siren string) string {
	n, err := strconv.ParseInt(siren, 10, 64)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("FR%02d%s", (12+3*(n%97))%97, siren)
}

// validateDates checks that the document comes after what it documents:
// an invoice after its order, a credit note after its invoice.
func (d *Document) validateDates(v *validator) {
	if d.IssuedAt.IsZero() {
		return
	}
	if o := d.Order; !o.CreatedAt.IsZero() && day(d.IssuedAt) < day(o.CreatedAt) {
		v.add("issued_at", "%s, before the order of %s", day(d.IssuedAt), day(o.CreatedAt))
	}
	if d.isCredit() && !d.CorrectsDate.IsZero() && day(d.IssuedAt) < day(d.CorrectsDate) {
		v.add("issued_at", "%s, before the invoice it corrects (%s)", day(d.IssuedAt), day(d.CorrectsDate))
	}
}

// day returns t's calendar day in its own location, sortable.
func day(t time.Time) string { return t.Format(time.DateOnly) }

func (d *Document) validateBuyer(v *validator) {
	b := d.buyer()
	if strings.TrimSpace(b.Name) == "" && strings.TrimSpace(b.Company) == "" {
		v.add("buyer.name", "missing")
	}
	v.optional("buyer.name", b.Name, maxName)
	v.optional("buyer.company", b.Company, maxName)
	v.text("buyer.address", b.Line1, maxLine)
	v.optional("buyer.address", b.Line2, maxLine)
	v.text("buyer.city", b.City, maxLine)
	france := inFrance(b.Country)
	if france {
		v.text("buyer.postal_code", b.PostalCode, maxLine)
	}
	if strings.TrimSpace(b.Company) == "" {
		return
	}
	siren := normalizeID(b.SIREN)
	switch {
	case siren == "" && france:
		v.add("buyer.siren", "missing: a French company buyer's invoice gives its SIREN")
	case siren != "" && france && !receipts.ValidSIREN(siren):
		v.add("buyer.siren", "%q: want 9 digits with a valid check digit", b.SIREN)
	}
}

func (d *Document) validateLines(v *validator) {
	o := d.Order
	if len(o.Lines) == 0 {
		v.add("lines", "missing: a document lists what was sold")
	}
	for i, l := range o.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		v.text(field+".description", l.Title, maxTitle)
		if l.Quantity < 1 || l.Quantity > maxQuantity {
			v.add(field+".quantity", "%d: want 1 to %d", l.Quantity, maxQuantity)
		}
		if l.UnitCents < 0 || l.UnitCents > maxCents || l.PublisherCents < 0 || l.PublisherCents > maxCents {
			v.add(field+".price", "%d cents (publisher's %d): want 0 to %d", l.UnitCents, l.PublisherCents, int64(maxCents))
		}
		if d.liable() && (l.VATRate < 0 || l.VATRate >= 10000) {
			v.add(field+".vat_rate", "%d basis points: want 0 to 9999", l.VATRate)
		}
	}
	for id, a := range d.Authors {
		v.optional(fmt.Sprintf("authors[%d]", id), a, maxAuthors)
	}
}

func (d *Document) validateTotals(v *validator) {
	o := d.Order
	var goods int64
	for _, l := range o.Lines {
		goods += l.TotalCents()
	}
	if goods != o.GoodsCents {
		v.add("goods", "the lines add up to %d cents, the order says %d", goods, o.GoodsCents)
	}
	if o.ShippingCents < 0 || o.ShippingCents > maxCents {
		v.add("shipping", "%d cents: want 0 to %d", o.ShippingCents, int64(maxCents))
	}
	switch {
	case o.TotalCents != o.GoodsCents+o.ShippingCents:
		v.add("total", "%d cents: goods %d + shipping %d make %d", o.TotalCents, o.GoodsCents, o.ShippingCents, o.GoodsCents+o.ShippingCents)
	case o.TotalCents <= 0 || o.TotalCents > maxCents:
		v.add("total", "%d cents: want 1 to %d", o.TotalCents, int64(maxCents))
	}
}

// validateVAT checks the VAT breakdown: each rate adds up, matches
// TTC / (1 + rate) to half a cent, the rates make the total, and the
// delivery charge is split pro rata of the goods' value before tax.
func (d *Document) validateVAT(v *validator) {
	o := d.Order
	switch o.VATMode {
	case shop.VATLiable:
	case shop.VATExempt, shop.VATFranchise:
		if len(o.VAT) > 0 {
			v.add("vat", "a breakdown of %d rates in mode %s, which charges no VAT", len(o.VAT), o.VATMode)
		}
		if d.exemption() == "" {
			v.add("exemption", "missing: mode %s prints its exemption reference", o.VATMode)
		}
		v.optional("exemption", d.exemption(), maxText)
		return
	case "":
		v.add("vat_mode", "missing")
		return
	default:
		v.add("vat_mode", "%q is not a VAT mode", o.VATMode)
		return
	}
	if len(o.VAT) == 0 {
		v.add("vat", "missing: a liable seller's invoice gives VAT per rate")
		return
	}
	var sum int64
	seen := map[int]bool{}
	for i, l := range o.VAT {
		field := fmt.Sprintf("vat[%d]", i)
		sum += l.TotalCents
		den := int64(10000 + l.Rate)
		switch {
		case l.Rate < 0 || l.Rate >= 10000:
			v.add(field, "rate %d basis points: want 0 to 9999", l.Rate)
		case seen[l.Rate]:
			v.add(field, "rate %d given twice", l.Rate)
		case l.BaseCents+l.VATCents != l.TotalCents:
			v.add(field, "at %d: %d + %d is not %d", l.Rate, l.BaseCents, l.VATCents, l.TotalCents)
		case abs(l.BaseCents*den-l.TotalCents*10000)*2 > den:
			v.add(field, "at %d: %d cents before tax is not %d / (1 + rate)", l.Rate, l.BaseCents, l.TotalCents)
		}
		seen[l.Rate] = true
	}
	if sum != o.TotalCents {
		v.add("vat", "the rates add up to %d cents, the order's total is %d", sum, o.TotalCents)
	}
	for i, l := range o.Lines {
		if !seen[l.VATRate] {
			v.add(fmt.Sprintf("lines[%d].vat_rate", i), "rate %d is not in the VAT breakdown", l.VATRate)
		}
	}
}

// validateShippingShares checks that the delivery charge was split over
// the rates pro rata of the goods' value before tax (CGI art. 267-I-2°),
// to the cent.
func (d *Document) validateShippingShares(v *validator) {
	o := d.Order
	goods := goodsByRate(o.Lines)
	var totalHT float64
	ht := map[int]float64{}
	for _, g := range goods {
		ht[g.Rate] = float64(g.Cents) * 10000 / float64(10000+g.Rate)
		totalHT += ht[g.Rate]
	}
	if totalHT == 0 {
		// Goods of no value give no pro rata: any rate present will do.
		return
	}
	for _, s := range shippingShares(o) {
		want := float64(o.ShippingCents) * ht[s.Rate] / totalHT
		if s.Cents < 0 || math.Abs(float64(s.Cents)-want) > 1+1e-6 {
			v.add("vat.shipping", "at %d: %d cents of delivery, want %.2f (pro rata of the goods before tax)", s.Rate, s.Cents, want)
		}
	}
}

func (d *Document) validatePayment(v *validator) {
	p := d.Payment
	switch {
	case p.Method == "" && d.isCredit():
	case p.Method == "":
		v.add("payment.method", "missing")
	case french.methods[p.Method] == "":
		v.add("payment.method", "%q: want card, transfer, cheque or cash", p.Method)
	}
	if !d.isCredit() && p.PaidAt.IsZero() && p.DueAt.IsZero() {
		v.add("payment.date", "missing: give the date of payment or the date it is due")
	}
}

func (d *Document) validateCredit(v *validator) {
	if !d.isCredit() {
		if d.Corrects != "" || d.RefundCents != 0 {
			v.add("corrects", "an invoice corrects nothing and refunds nothing")
		}
		return
	}
	v.text("corrects", d.Corrects, maxNumber)
	if d.Corrects != "" && d.Corrects == d.Number {
		v.add("corrects", "a credit note cannot correct itself")
	}
	if d.RefundCents <= 0 || d.RefundCents > d.Order.TotalCents {
		v.add("refund", "%d cents: want 1 to the order's total, %d", d.RefundCents, d.Order.TotalCents)
	}
	v.optional("reason", d.Reason, maxText)
}

// validateSlip checks what a packing slip needs: the order, its lines
// and where the parcel goes.
func (d *Document) validateSlip() error {
	var v validator
	if d.Catalog == nil {
		v.add("catalog", "missing: dates are written by the order's language")
	}
	if d.IssuedAt.IsZero() {
		v.add("issued_at", "missing")
	}
	v.text("seller.name", d.Seller.Name, maxName)
	if d.Order == nil {
		v.add("order", "missing")
		return v.err()
	}
	o := d.Order
	v.text("order.reference", o.Reference, maxName)
	if len(physical(o.Lines)) == 0 {
		v.add("lines", "nothing to pack: no line is a physical copy")
	}
	for i, l := range o.Lines {
		v.text(fmt.Sprintf("lines[%d].description", i), l.Title, maxTitle)
		if l.Quantity < 1 || l.Quantity > maxQuantity {
			v.add(fmt.Sprintf("lines[%d].quantity", i), "%d: want 1 to %d", l.Quantity, maxQuantity)
		}
	}
	to := o.ShipTo
	if strings.TrimSpace(to.Name) == "" && strings.TrimSpace(to.Company) == "" {
		v.add("ship_to.name", "missing")
	}
	if o.Delivery != shop.DeliveryPickup {
		v.text("ship_to.address", to.Line1, maxLine)
		v.text("ship_to.city", to.City, maxLine)
	}
	return v.err()
}

// physical returns the lines that go in the parcel: every one but
// e-books.
func physical(lines []shop.OrderLine) []shop.OrderLine {
	var out []shop.OrderLine
	for _, l := range lines {
		if l.Format != shop.FormatEbook {
			out = append(out, l)
		}
	}
	return out
}

// inFrance reports whether an ISO country code (or an empty one) is
// France.
func inFrance(country string) bool {
	c := strings.TrimSpace(country)
	return c == "" || strings.EqualFold(c, "FR") || strings.EqualFold(c, "France")
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// normalizeID removes the spaces, dots and hyphens people type in
// identifiers and upper-cases them.
func normalizeID(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// validator collects the problems of a document.
type validator struct{ errs []error }

func (v *validator) add(field, format string, args ...any) {
	err := apperr.Errorf(apperr.Invalid, "invoice %s: "+format, append([]any{field}, args...)...)
	v.errs = append(v.errs, err.InField(field))
}

// text checks a mandatory single-line value.
func (v *validator) text(field, s string, limit int) {
	if strings.TrimSpace(s) == "" {
		v.add(field, "missing")
		return
	}
	v.optional(field, s, limit)
}

// optional checks a single-line value that may be empty.
func (v *validator) optional(field, s string, limit int) {
	switch {
	case !utf8.ValidString(s):
		v.add(field, "not valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		v.add(field, "contains a line break or a control character")
	case utf8.RuneCountInString(s) > limit:
		v.add(field, "%d characters: want at most %d", utf8.RuneCountInString(s), limit)
	}
}

// lines checks a mandatory address of one to maxLines lines.
func (v *validator) lines(field string, lines []string) {
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n++
			v.optional(field, l, maxLine)
		}
	}
	switch {
	case n == 0:
		v.add(field, "missing")
	case n > maxLines:
		v.add(field, "%d lines: want at most %d", n, maxLines)
	}
}

func (v *validator) err() error { return errors.Join(v.errs...) }

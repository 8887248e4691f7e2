package receipts

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres on A4 portrait.
const (
	pageHeight = 297.0
	left       = 12.0
	width      = 186.0
	right      = left + width
	top        = 10.0
	bottom     = 10.0
	boxSize    = 3.4
	lineH      = 4.2
)

// rgb is a colour, 0xRRGGBB.
type rgb int

// The form's colours: black text, navy frames and labels as on the model.
const (
	ink     rgb = 0x000000
	navy    rgb = 0x142864
	barFill rgb = 0xe1e7f2
	grey    rgb = 0x505050
	red     rgb = 0xbe0000
)

// split returns the red, green and blue components of c.
func (c rgb) split() (r, g, b int) { return int(c >> 16 & 0xff), int(c >> 8 & 0xff), int(c & 0xff) }

// page draws the form top to bottom: y is where the next block starts, and
// scale multiplies text sizes and line heights.
type page struct {
	pdf   *fpdf.Fpdf
	y     float64
	scale float64
}

func (p *page) font(style string, size float64, c rgb) {
	p.pdf.SetFont("Helvetica", style, size*p.scale)
	p.pdf.SetTextColor(c.split())
}

func (p *page) draw(c rgb) { p.pdf.SetDrawColor(c.split()) }

// lh is a line height or a gap, scaled with the text.
func (p *page) lh(h float64) float64 { return h * p.scale }

// header draws the form's heading: form code and Cerfa number, title, and
// the receipt's order number.
func (p *page) header(r Receipt) {
	pdf := p.pdf
	const h, colL, colR = 23.0, 36.0, 46.0
	p.draw(navy)
	pdf.SetLineWidth(0.4)
	pdf.Rect(left, top, width, h, "D")
	pdf.SetLineWidth(0.2)
	pdf.Line(left+colL, top, left+colL, top+h)
	pdf.Line(right-colR, top, right-colR, top+h)

	p.font("B", 11, navy)
	pdf.SetXY(left, top+1.5)
	pdf.CellFormat(colL, 5, formCode, "", 0, "C", false, 0, "")
	pdf.Ellipse(left+colL/2, top+11, 10, 3.4, 0, "D")
	p.font("I", 10, navy)
	pdf.SetXY(left, top+8.5)
	pdf.CellFormat(colL, 5, "cerfa", "", 0, "C", false, 0, "")
	p.font("", 8, ink)
	pdf.SetXY(left, top+16.5)
	pdf.CellFormat(colL, 4, encode(cerfaNumber), "", 0, "C", false, 0, "")

	p.font("B", 11.5, navy)
	mid := width - colL - colR - 8
	text := encode(title)
	lines := len(pdf.SplitLines([]byte(text), mid))
	pdf.SetXY(left+colL+4, top+(h-float64(lines)*p.lh(5.2))/2)
	pdf.MultiCell(mid, p.lh(5.2), text, "", "C", false)

	x := right - colR
	p.font("", 8, ink)
	pdf.SetXY(x, top+3)
	pdf.CellFormat(colR, 4, encode("Numéro d'ordre du reçu"), "", 0, "C", false, 0, "")
	pdf.Rect(x+4, top+9, colR-8, 9, "D")
	pdf.SetXY(x+5, top+11.25)
	p.fit("B", 12, r.Number, colR-10)
	p.y = top + h + 2.5
}

// annulled draws the cancellation banner under the heading.
func (p *page) annulled(r Receipt) {
	pdf := p.pdf
	msg := "Reçu annulé le " + date(r.AnnulledAt) + " : il ne peut pas justifier une réduction d'impôt."
	if r.ReplacedBy != "" {
		msg += " Il est remplacé par le reçu n° " + r.ReplacedBy + "."
	}
	p.draw(red)
	pdf.SetLineWidth(0.6)
	y := p.y
	p.font("B", 16, red)
	pdf.SetXY(left+3, y+1.2)
	pdf.CellFormat(30, 8, encode("ANNULÉ"), "", 0, "L", false, 0, "")
	p.font("B", 9, red)
	pdf.SetXY(left+36, y+1.5)
	pdf.MultiCell(width-39, p.lh(lineH), encode(msg), "", "L", false)
	end := max(pdf.GetY(), y+9.5) + 1.2
	pdf.Rect(left, y, width, end-y, "D")
	pdf.SetLineWidth(0.2)
	p.y = end + 2.5
}

// stamp draws a large diagonal « ANNULÉ » across an annulled receipt, over
// everything, translucent so that the form stays legible.
func (p *page) stamp() {
	pdf := p.pdf
	pdf.SetAlpha(0.18, "Normal")
	pdf.TransformBegin()
	pdf.TransformRotate(35, 105, 150)
	pdf.SetFont("Helvetica", "B", 110)
	pdf.SetTextColor(red.split())
	pdf.SetXY(0, 135)
	pdf.CellFormat(210, 30, encode("ANNULÉ"), "", 0, "C", false, 0, "")
	pdf.TransformEnd()
	pdf.SetAlpha(1, "Normal")
}

// note draws a line of bold italic text under the heading.
func (p *page) note(s string) {
	p.font("BI", 9, ink)
	p.pdf.SetXY(left, p.y)
	p.pdf.MultiCell(width, p.lh(lineH), encode(s), "", "L", false)
	p.y = p.pdf.GetY() + 2
}

// bar draws a section's title bar.
func (p *page) bar(s string) {
	pdf := p.pdf
	p.draw(navy)
	pdf.SetFillColor(barFill.split())
	p.font("B", 10, navy)
	pdf.SetXY(left, p.y)
	pdf.CellFormat(width, p.lh(6), encode(s), "1", 0, "C", true, 0, "")
	p.y += p.lh(6)
}

// frame draws the border of the block that started at y0.
func (p *page) frame(y0 float64) {
	p.y += p.lh(1)
	p.draw(navy)
	p.pdf.Rect(left, y0, width, p.y-y0, "D")
	p.y += p.lh(2.5)
}

// field draws « label : value » at x, the value wrapping within w, and
// returns the y below it.
func (p *page) field(x, y, w float64, label, value string) float64 {
	pdf := p.pdf
	p.font("B", 8.5, navy)
	label = encode(label)
	lw := pdf.GetStringWidth(label) + 1.5
	pdf.SetXY(x, y)
	pdf.CellFormat(lw, p.lh(lineH+0.2), label, "", 0, "L", false, 0, "")
	p.font("", 9.5, ink)
	pdf.SetXY(x+lw, y)
	pdf.MultiCell(w-lw, p.lh(lineH+0.2), encode(value), "", "L", false)
	return pdf.GetY()
}

// fieldRow draws one field across the block and moves below it.
func (p *page) fieldRow(label, value string) {
	p.y = p.field(left+2, p.y, width-4, label, value) + p.lh(0.4)
}

// columns draws fields side by side, each in its share of the width
// (shares sum to 1), and moves below the tallest.
func (p *page) columns(shares []float64, pairs ...string) {
	x, w := left+2, width-4
	end := p.y
	for i, share := range shares {
		end = max(end, p.field(x, p.y, share*w-2, pairs[2*i], pairs[2*i+1]))
		x += share * w
	}
	p.y = end + p.lh(0.4)
}

// checkbox draws a box, with an « X » in it when ticked, and its label
// wrapping within w; it returns the y below the label.
func (p *page) checkbox(x, y, w float64, ticked bool, label string) float64 {
	pdf := p.pdf
	p.tick(x, y, ticked)
	p.font("", 8.5, ink)
	pdf.SetXY(x+boxSize+1.5, y)
	pdf.MultiCell(w-boxSize-1.5, p.lh(lineH), encode(label), "", "L", false)
	return pdf.GetY()
}

// tick draws a box at x, y, with an « X » in it when ticked.
func (p *page) tick(x, y float64, ticked bool) {
	pdf := p.pdf
	by := y + (p.lh(lineH)-boxSize)/2
	p.draw(ink)
	pdf.Rect(x, by, boxSize, boxSize, "D")
	if ticked {
		p.font("B", 9, ink)
		pdf.SetXY(x, by)
		pdf.CellFormat(boxSize, boxSize, "X", "", 0, "C", false, 0, "")
	}
}

// grid draws a bold label on its own line, then the choices' boxes in
// columns from x, ticking the one equal to v.
func grid[T comparable](p *page, label string, x float64, columns int, choices []choice[T], v T) {
	if label != "" {
		p.font("B", 8.5, navy)
		p.pdf.SetXY(left+2, p.y)
		p.pdf.MultiCell(width-4, p.lh(lineH+0.4), encode(label), "", "L", false)
		p.y = p.pdf.GetY() + p.lh(0.3)
	}
	w := (right - 2 - x) / float64(columns)
	y, end := p.y, p.y
	for i, c := range choices {
		if i > 0 && i%columns == 0 {
			y = end + p.lh(0.8)
		}
		end = max(end, p.checkbox(x+float64(i%columns)*w, y, w-1, c.value == v, c.label))
	}
	p.y = end + p.lh(1.6)
}

// paragraph draws a sentence of the model across the block.
func (p *page) paragraph(s string) {
	p.font("", 9, ink)
	p.pdf.SetXY(left+2, p.y)
	p.pdf.MultiCell(width-4, p.lh(lineH), encode(s), "", "L", false)
	p.y = p.pdf.GetY() + p.lh(0.8)
}

// beneficiary draws the association's block and its category box.
func (p *page) beneficiary(o Organization) {
	p.bar(beneficiary)
	y0 := p.y
	p.y += p.lh(1.2)
	p.fieldRow("Nom ou dénomination :", o.Name)
	p.fieldRow("Numéro SIREN ou RNA :", identifiers(o))
	p.fieldRow("Adresse :", joinLines(o.Address))
	p.columns([]float64{0.25, 0.45, 0.30}, "Code postal :", o.PostalCode, "Commune :", o.City, "Pays :", "France")
	p.fieldRow("Objet :", strings.Join(strings.Fields(o.Object), " "))
	p.y += p.lh(0.8)
	x := left + 2
	switch o.Type {
	case GeneralInterest, PublicUtility:
		p.y = p.checkbox(x, p.y, width-4, true, generalInterestBox) + p.lh(0.6)
		sub := association1901Box
		if o.Type == PublicUtility {
			sub = fmt.Sprintf(publicUtilityBox, date(o.PublicUtilityDecree), date(o.PublicUtilityGazette))
		}
		p.y = p.checkbox(x+8, p.y, width-12, true, sub)
	case PressPluralism:
		p.y = p.checkbox(x, p.y, width-4, true, pressPluralismBox)
	case EndowmentFund:
		p.y = p.checkbox(x, p.y, width-4, true, endowmentFundBox)
	}
	p.frame(y0)
}

// donor draws the donor's block.
func (p *page) donor(d Donor) {
	p.bar("Donateur")
	y0 := p.y
	p.y += p.lh(1.2)
	p.columns([]float64{0.5, 0.5}, "Nom :", d.LastName, "Prénoms :", d.FirstNames)
	p.fieldRow("Adresse :", joinLines(d.Address))
	country := strings.TrimSpace(d.Country)
	if d.inFrance() {
		country = "France"
	}
	p.columns([]float64{0.25, 0.45, 0.30}, "Code postal :", d.PostalCode, "Commune :", d.City, "Pays :", country)
	p.frame(y0)
}

// gift draws the amount and its date, the certification and the form,
// nature and method of the gift.
func (p *page) gift(r Receipt) {
	pdf := p.pdf
	p.bar("Dons et versements")
	y0 := p.y
	p.y += p.lh(1.5)
	p.paragraph(acknowledgement)

	framed := Framed(r.AmountCents)
	p.font("B", 12, ink)
	fw := pdf.GetStringWidth(framed) + 8
	p.draw(ink)
	pdf.SetXY(left+2, p.y)
	pdf.CellFormat(fw, 8, framed, "1", 0, "C", false, 0, "")
	p.font("", 10, ink)
	pdf.SetXY(left+3+fw, p.y)
	pdf.CellFormat(14, 8, "euros", "", 0, "L", false, 0, "")
	x := left + 3 + fw + 14
	end := p.field(x, p.y+(8-p.lh(lineH+0.2))/2, right-2-x, "Somme en toutes lettres :", Words(r.AmountCents))
	p.y = max(end, p.y+8) + p.lh(1.2)

	when := date(r.Date)
	if r.Date.IsZero() {
		when = "du " + date(r.PeriodFrom) + " au " + date(r.PeriodTo) + " (reçu récapitulatif des versements de la période)"
	}
	p.fieldRow("Date du versement ou du don :", when)
	p.y += p.lh(1)

	p.paragraph(certification)
	grid(p, "", left+12, 4, articleChoices, r.Org.CGIArticle)
	grid(p, "Forme du don :", left+2, 4, formChoices, r.Form)
	grid(p, "Nature du don (3) :", left+2, 3, natureChoices, r.Nature)
	method := r.Method
	if r.Nature != Money {
		method = ""
	}
	grid(p, "En cas de don en numéraire, mode de versement du don :", left+2, 3, methodChoices, method)
	p.y -= p.lh(0.8)
	p.frame(y0)
}

// signature draws the place and date of issue, the signature image and
// the signatory's name and capacity, in a box on the right.
func (p *page) signature(r Receipt) {
	pdf := p.pdf
	const w, imageH = 86.0, 12.0
	x, y := right-w, p.y
	p.font("B", 9, navy)
	pdf.SetXY(x, y+1)
	pdf.CellFormat(w, p.lh(lineH), "Date et signature", "", 0, "C", false, 0, "")
	p.font("", 9, ink)
	pdf.SetXY(x+2, y+1+p.lh(lineH))
	pdf.MultiCell(w-4, p.lh(lineH), encode("Fait à "+r.Org.City+", le "+date(r.IssuedAt)), "", "C", false)
	imageY := pdf.GetY() + 1
	if r.Org.SignatureImage != nil {
		opt := fpdf.ImageOptions{ImageType: "PNG"}
		info := pdf.RegisterImageOptionsReader("signature", opt, bytes.NewReader(r.Org.SignatureImage))
		if info != nil && info.Width() > 0 && info.Height() > 0 {
			const maxW = 60.0
			iw, ih := maxW, maxW*info.Height()/info.Width()
			if ih > imageH {
				iw, ih = imageH*info.Width()/info.Height(), imageH
			}
			pdf.ImageOptions("signature", x+(w-iw)/2, imageY+(imageH-ih)/2, iw, ih, false, opt, 0, "")
		}
	}
	pdf.SetXY(x+2, imageY+imageH+1)
	p.fit("B", 9.5, r.Org.Signatory.Name, w-4)
	pdf.SetX(x + 2)
	p.fit("", 9, r.Org.Signatory.Title, w-4)
	end := pdf.GetY() + 1.5
	p.draw(navy)
	pdf.Rect(x, y, w, end-y, "D")
	p.y = end + 2
}

// fit writes s centred on one line of width w at the current position,
// shrinking the font until it fits, and moves to the next line.
func (p *page) fit(style string, size float64, s string, w float64) {
	s = encode(s)
	p.font(style, size, ink)
	for p.pdf.GetStringWidth(s) > w && size > 5 {
		size -= 0.5
		p.font(style, size, ink)
	}
	p.pdf.CellFormat(w, p.lh(4.5), s, "", 2, "C", false, 0, "")
}

// footnotes draws the model's notes at the foot of the page and reports
// whether they fit below the rest.
func (p *page) footnotes() bool {
	pdf := p.pdf
	p.font("", 6, grey)
	text := encode(footnotes)
	lh := p.lh(2.6)
	y := pageHeight - bottom - float64(len(pdf.SplitLines([]byte(text), width)))*lh
	p.draw(grey)
	pdf.Line(left, y-1, left+50, y-1)
	pdf.SetXY(left, y)
	pdf.MultiCell(width, lh, text, "", "L", false)
	return p.y <= y-1.5
}

// identifiers formats the association's SIREN and RNA numbers, normalised.
func identifiers(o Organization) string {
	var ids []string
	if s := normalizeID(o.SIREN); s != "" {
		ids = append(ids, "SIREN "+s[:3]+" "+s[3:6]+" "+s[6:])
	}
	if s := normalizeID(o.RNA); s != "" {
		ids = append(ids, "RNA "+s)
	}
	return strings.Join(ids, " – ")
}

// joinLines joins the non-blank lines of an address with commas.
func joinLines(lines []string) string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, ", ")
}

// date formats t's calendar day as the form does: 05/01/2026.
func date(t time.Time) string { return t.Format("02/01/2006") }

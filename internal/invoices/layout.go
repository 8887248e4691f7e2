package invoices

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/kiosque/kiosque/internal/locale"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Page geometry, in millimetres on A4 portrait.
const (
	pageWidth = 210.0
	left      = 15.0
	width     = 180.0
	right     = left + width
	top       = 14.0
	// limit is where content stops, above the footer.
	limit   = 268.0
	footerY = 272.0
	lineH   = 4.2
)

// rgb is a colour, 0xRRGGBB.
type rgb int

// The documents' colours.
const (
	ink     rgb = 0x000000
	navy    rgb = 0x142864
	grey    rgb = 0x5a5a5a
	rule    rgb = 0xb4b9c8
	barFill rgb = 0xe6eaf3
)

// split returns the red, green and blue components of c.
func (c rgb) split() (r, g, b int) { return int(c >> 16 & 0xff), int(c >> 8 & 0xff), int(c & 0xff) }

// column is one column of a document's table.
type column struct {
	title string
	width float64
	align string
}

// sheet draws a document page after page: y is where the next block
// starts; a block that does not fit above the footer goes to a new page,
// which repeats the document's identity, the table's heading while the
// table runs, and the footer with the page number and, in the exempt VAT
// modes, the exemption reference.
type sheet struct {
	pdf *fpdf.Fpdf
	p   *locale.Printer
	w   *wording
	d   *Document
	y   float64
	// heading names the document on the following pages ("Facture
	// n° F2026-000042 (suite)").
	heading string
	// footnote is printed in bold above the seller's identity on every
	// page: the exemption reference.
	footnote string
	// cols is the running table's columns, nil outside the table.
	cols []column
}

// newSheet starts a document titled title on a first page.
func newSheet(d *Document, title, heading, footnote string) *sheet {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(left, top, pageWidth-right)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.IssuedAt)
	pdf.SetModificationDate(d.IssuedAt)
	pdf.SetProducer("kiosque", true)
	pdf.SetCreator("kiosque", true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(d.Seller.Name, true)
	pdf.SetLang(d.lang().Tag())
	pdf.AliasNbPages("{nb}")
	p := d.Catalog.Printer(d.lang())
	s := &sheet{pdf: pdf, p: p, w: wordingOf(p.Lang()), d: d, heading: heading, footnote: footnote}
	pdf.SetFooterFunc(s.footer)
	pdf.AddPage()
	s.y = top
	return s
}

// output returns the PDF's bytes, or the first drawing error.
func (s *sheet) output() ([]byte, error) {
	var buf bytes.Buffer
	if err := s.pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *sheet) font(style string, size float64, c rgb) {
	s.pdf.SetFont("Helvetica", style, size)
	s.pdf.SetTextColor(c.split())
}

// height returns the height of text wrapped within w in the current font.
func (s *sheet) height(text string, w, lh float64) float64 {
	if text == "" {
		return 0
	}
	return float64(len(s.pdf.SplitLines([]byte(encode(text)), w))) * lh
}

// write draws text wrapped within w at x, y and returns the y below it.
func (s *sheet) write(x, y, w, lh float64, text, align string) float64 {
	if text == "" {
		return y
	}
	s.pdf.SetXY(x, y)
	s.pdf.MultiCell(w, lh, encode(text), "", align, false)
	return s.pdf.GetY()
}

// ensure moves to a new page when h millimetres do not fit above the
// footer.
func (s *sheet) ensure(h float64) {
	if s.y+h > limit {
		s.newPage()
	}
}

// newPage starts a page with the document's identity and, while the
// table runs, its heading.
func (s *sheet) newPage() {
	s.pdf.AddPage()
	s.font("B", 9, navy)
	s.y = s.write(left, top, width, lineH, s.heading, "L") + 1
	s.font("", 8, grey)
	s.y = s.write(left, s.y, width, 3.6, s.d.Seller.Name, "L") + 4
	if s.cols != nil {
		s.tableHeading()
	}
}

// footer draws, at the foot of every page, the exemption reference, the
// seller's legal identity and the page number (« Page 2/3 »).
func (s *sheet) footer() {
	pdf := s.pdf
	pdf.SetDrawColor(rule.split())
	pdf.SetLineWidth(0.2)
	pdf.Line(left, footerY, right, footerY)
	y := footerY + 1.2
	if s.footnote != "" {
		s.font("B", 8, ink)
		y = s.write(left, y, width, 3.6, s.footnote, "C")
	}
	s.font("", 7, grey)
	s.write(left, y, width-22, 3.1, s.sellerLine(), "L")
	// The total replaces the alias only when the document is closed, so
	// the number is left-aligned where « Page 99/99 » would end flush
	// right.
	s.font("", 7.5, grey)
	pw := pdf.GetStringWidth(fmt.Sprintf(s.w.page, 99, "99"))
	pdf.SetXY(right-pw, footerY+1.2)
	pdf.CellFormat(pw, 3.6, fmt.Sprintf(s.w.page, pdf.PageNo(), "{nb}"), "", 0, "L", false, 0, "")
}

// sellerLine is the seller's legal identity in one run of text.
func (s *sheet) sellerLine() string {
	sl := s.d.Seller
	parts := []string{sl.Name, sl.LegalForm}
	if id := formatRNA(sl.RNA); id != "" {
		parts = append(parts, s.w.rna+" "+id)
	}
	parts = append(parts, s.w.siren+" "+formatSIREN(sl.SIREN))
	if s.d.Order != nil && s.d.liable() && sl.VATNumber != "" {
		parts = append(parts, s.w.vatNumber+" "+normalizeID(sl.VATNumber))
	}
	parts = append(parts, joinNonEmpty(sl.Address, ", "))
	for _, c := range []string{sl.Email, sl.Website} {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return joinNonEmpty(parts, " – ")
}

// title draws the document's name and number in the right column and
// the facts under them (« Date d'émission : … »), and returns the y below.
func (s *sheet) title(name, number string, facts []string) float64 {
	const x, w = 118.0, right - 118.0
	s.font("B", 18, navy)
	y := s.write(x, top-1, w, 8, name, "R")
	if number != "" {
		s.font("B", 11, ink)
		y = s.write(x, y, w, 5.5, s.w.number+"\u00a0"+number, "R") + 1
	}
	s.font("", 8.5, ink)
	for _, f := range facts {
		y = s.write(x, y, w, lineH, f, "R")
	}
	return y
}

// sellerBlock draws the seller's identity at the top left and returns
// the y below.
func (s *sheet) sellerBlock(vat bool) float64 {
	const w = 95.0
	sl := s.d.Seller
	s.font("B", 12, navy)
	y := s.write(left, top, w, 5.5, sl.Name, "L")
	s.font("", 8.5, ink)
	legal := sl.LegalForm
	if id := formatRNA(sl.RNA); id != "" {
		legal += " – " + s.w.rna + " " + id
	}
	y = s.write(left, y, w, lineH, legal, "L")
	for _, l := range sl.Address {
		if l = strings.TrimSpace(l); l != "" {
			y = s.write(left, y, w, lineH, l, "L")
		}
	}
	y = s.write(left, y, w, lineH, s.w.siren+" "+formatSIREN(sl.SIREN), "L")
	if vat {
		y = s.write(left, y, w, lineH, s.w.vatNumber+s.w.colon+normalizeID(sl.VATNumber), "L")
	}
	for _, c := range []string{sl.Email, sl.Website} {
		if c = strings.TrimSpace(c); c != "" {
			y = s.write(left, y, w, lineH, c, "L")
		}
	}
	return y
}

// box draws a titled frame at x holding lines, the first in bold when
// bold is true, and returns its bottom, minH below y at least.
func (s *sheet) box(x, y, w float64, title string, lines []string, size, minH float64, bold bool) float64 {
	s.font("B", 7.5, grey)
	s.write(x+2.5, y+1.5, w-5, 3.5, strings.ToUpper(title), "L")
	yy := y + 5.5
	lh := size * 0.45
	for i, l := range lines {
		style := ""
		if i == 0 && bold {
			style = "B"
		}
		s.font(style, size, ink)
		yy = s.write(x+2.5, yy, w-5, lh, l, "L")
	}
	bottom := max(yy+1.5, y+minH)
	s.pdf.SetDrawColor(rule.split())
	s.pdf.SetLineWidth(0.3)
	s.pdf.Rect(x, y, w, bottom-y, "D")
	return bottom
}

// tableHeading draws the running table's heading row.
func (s *sheet) tableHeading() {
	pdf := s.pdf
	pdf.SetFillColor(barFill.split())
	pdf.SetDrawColor(rule.split())
	s.font("B", 8, navy)
	x := left
	for _, c := range s.cols {
		pdf.SetXY(x, s.y)
		pdf.CellFormat(c.width, 6, encode(c.title), "TB", 0, c.align, true, 0, "")
		x += c.width
	}
	s.y += 6
}

// startTable draws the heading of a table of cols and keeps it for the
// following pages.
func (s *sheet) startTable(cols []column) {
	s.cols = cols
	s.ensure(16)
	s.tableHeading()
}

// endTable stops repeating the table's heading.
func (s *sheet) endTable() {
	s.cols = nil
	s.y += 2
}

// cell draws a one-line text in column i of the running table at y.
func (s *sheet) cell(i int, y float64, text string) {
	x := left
	for _, c := range s.cols[:i] {
		x += c.width
	}
	c := s.cols[i]
	s.pdf.SetXY(x, y)
	s.pdf.CellFormat(c.width, lineH, encode(text), "", 0, c.align, false, 0, "")
}

// colX returns the left edge and width of column i.
func (s *sheet) colX(i int) (x, w float64) {
	x = left
	for _, c := range s.cols[:i] {
		x += c.width
	}
	return x, s.cols[i].width
}

// description measures and draws a row's description in column i: title
// in bold, details, then the note in italics. With draw false it only
// returns the height.
func (s *sheet) description(i int, y float64, r row, draw bool) float64 {
	x, w := s.colX(i)
	x, w = x+1, w-2
	h := 0.0
	parts := []struct {
		style string
		size  float64
		lh    float64
		text  string
	}{
		{"B", 8.5, 3.9, r.title},
		{"", 7.5, 3.4, r.details},
		{"I", 7.5, 3.4, r.note},
	}
	for _, p := range parts {
		if p.text == "" {
			continue
		}
		s.font(p.style, p.size, ink)
		if draw {
			s.write(x, y+h, w, p.lh, p.text, "L")
		}
		h += s.height(p.text, w, p.lh)
	}
	return h
}

// rowRule draws the thin line under a row.
func (s *sheet) rowRule() {
	s.pdf.SetDrawColor(rule.split())
	s.pdf.SetLineWidth(0.1)
	s.pdf.Line(left, s.y, right, s.y)
}

// formatSIREN writes a SIREN in groups of three digits.
func formatSIREN(s string) string {
	n := normalizeID(s)
	if len(n) != 9 {
		return s
	}
	return n[:3] + "\u00a0" + n[3:6] + "\u00a0" + n[6:]
}

// formatRNA writes an RNA number without the spaces people type.
func formatRNA(s string) string { return normalizeID(s) }

// joinNonEmpty joins the non-blank parts with sep.
func joinNonEmpty(parts []string, sep string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// countryName names a country (ISO code) in the document's language, or
// returns the code as given when it is unknown.
func countryName(l locale.Lang, code string) string {
	region, err := language.ParseRegion(strings.TrimSpace(code))
	if err != nil {
		return code
	}
	tag := language.French
	if l == locale.English {
		tag = language.English
	}
	if name := display.Regions(tag).Name(region); name != "" {
		return name
	}
	return code
}

package receipts

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
)

// errOverflow means the receipt does not fit on one page at a given scale.
var errOverflow = errors.New("does not fit on one page")

// Render writes r as a one-page A4 PDF on w: the 2041-RD form with every
// mention that applies, the beneficiary's category, the certification, the
// form, nature and method of the gift ticked with an « X », the amount
// framed by asterisks and in words, and the signature. An annulled receipt
// keeps its number and says « ANNULÉ » with the date.
//
// It refuses a receipt Validate rejects (an apperr.Invalid error) and
// writes nothing then; it writes nothing either when drawing fails. The same
// Receipt always gives the same bytes: the PDF's dates are r.IssuedAt, not
// the clock.
func Render(w io.Writer, r Receipt) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("render receipt %q: %w", r.Number, err)
	}
	var pdf *fpdf.Fpdf
	err := errOverflow
	// Text sizes are tried largest first until the receipt fits on one
	// page: the usual receipt fits at full size, and the longest texts
	// Validate allows fit at the smallest.
	for _, scale := range []float64{1, 0.92, 0.84, 0.76} {
		if pdf, err = draw(r, scale); !errors.Is(err, errOverflow) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("render receipt %q: %w", r.Number, err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("render receipt %q: %w", r.Number, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write receipt %q: %w", r.Number, err)
	}
	return nil
}

// draw lays r out on a new document with text sizes multiplied by scale.
func draw(r Receipt, scale float64) (*fpdf.Fpdf, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(left, top, left)
	pdf.SetAutoPageBreak(false, bottom)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(r.IssuedAt)
	pdf.SetModificationDate(r.IssuedAt)
	pdf.SetProducer("kiosque", true)
	pdf.SetCreator("kiosque", true)
	pdf.SetTitle("Reçu fiscal n° "+r.Number, true)
	pdf.SetAuthor(r.Org.Name, true)
	pdf.SetLang("fr-FR")
	pdf.AddPage()

	p := &page{pdf: pdf, scale: scale}
	p.header(r)
	if r.Annulled {
		p.annulled(r)
	} else if r.Replaces != "" {
		p.note("Ce reçu annule et remplace le reçu n° " + r.Replaces + ".")
	}
	p.beneficiary(r.Org)
	p.donor(r.Donor)
	p.gift(r)
	p.signature(r)
	fits := p.footnotes()
	if r.Annulled {
		p.stamp()
	}
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	if !fits || pdf.PageCount() != 1 {
		return nil, errOverflow
	}
	return pdf, nil
}

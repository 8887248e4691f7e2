package receipts

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
)

// MaxSignatureBytes is the largest signature image Validate accepts.
const MaxSignatureBytes = 1 << 20

// Length limits, in characters, that keep the receipt on one A4 page.
const (
	maxNumber      = 20
	maxName        = 100
	maxLine        = 60
	maxAddress     = 3
	maxPostalCode  = 10
	maxCity        = 50
	maxObject      = 300
	maxPersonName  = 60
	maxSignatory   = 60
	maxCountryName = 40
	// maxAmountCents is one billion euros: more is a mistake, and its
	// words would not fit.
	maxAmountCents = 100_000_000_000
)

// Validate reports every missing or wrong mention of r at once, joined
// (errors.Join), each an apperr.Invalid error without a catalogue key whose
// Field is a plain dotted name: number, issued_at, org.name, org.address,
// org.postal_code, org.city, org.object, org.rna_siren (neither given),
// org.rna, org.siren, org.type, org.public_utility_decree,
// org.signatory.name, org.signatory.title, org.signature_image,
// org.cgi_article, donor.last_name, donor.first_names, donor.address,
// donor.postal_code, donor.city, donor.country, amount, currency, date
// (neither a date nor a period, or both), period, form, nature, method,
// annulled_at, replaces, replaced_by. It returns nil for a receipt Render
// may print.
func (r Receipt) Validate() error {
	var v validator
	v.text("number", r.Number, maxNumber)
	if r.IssuedAt.IsZero() {
		v.add("issued_at", "missing")
	}
	r.Org.validate(&v)
	r.Donor.validate(&v)

	switch {
	case r.AmountCents <= 0:
		v.add("amount", "%d cents: want more than zero", r.AmountCents)
	case r.AmountCents > maxAmountCents:
		v.add("amount", "%d cents: want at most %d", r.AmountCents, int64(maxAmountCents))
	}
	if r.Currency != "EUR" {
		v.add("currency", "%q: want EUR", r.Currency)
	}
	r.validateDates(&v)

	if r.Form == "" {
		v.add("form", "missing")
	} else if !known(formChoices, r.Form) {
		v.add("form", "%q is not a form on the model", r.Form)
	}
	switch {
	case r.Nature == "":
		v.add("nature", "missing")
	case !known(natureChoices, r.Nature):
		v.add("nature", "%q is not a nature on the model", r.Nature)
	case r.Nature == Money && r.Method == "":
		v.add("method", "missing: a gift in money states how it was paid")
	case r.Nature == Money && !known(methodChoices, r.Method):
		v.add("method", "%q is not a method on the model", r.Method)
	case r.Nature != Money && r.Method != "":
		v.add("method", "%q given for a gift that is not in money", r.Method)
	}

	switch {
	case r.Annulled && r.AnnulledAt.IsZero():
		v.add("annulled_at", "missing on an annulled receipt")
	case !r.Annulled && !r.AnnulledAt.IsZero():
		v.add("annulled_at", "set on a receipt that is not annulled")
	}
	if r.Replaces != "" {
		v.text("replaces", r.Replaces, maxNumber)
		if r.Replaces == r.Number {
			v.add("replaces", "a receipt cannot replace itself")
		}
	}
	if r.ReplacedBy != "" {
		v.text("replaced_by", r.ReplacedBy, maxNumber)
		switch {
		case !r.Annulled:
			v.add("replaced_by", "set on a receipt that is not annulled")
		case r.ReplacedBy == r.Number:
			v.add("replaced_by", "a receipt cannot replace itself")
		}
	}
	return v.err()
}

// validateDates checks that r has a gift date or a period, not both, and
// that no gift comes after the receipt.
func (r Receipt) validateDates(v *validator) {
	single := !r.Date.IsZero()
	period := !r.PeriodFrom.IsZero() || !r.PeriodTo.IsZero()
	switch {
	case single && period:
		v.add("date", "both a gift date and a period: give one")
	case single:
		if !r.IssuedAt.IsZero() && day(r.Date) > day(r.IssuedAt) {
			v.add("date", "gift on %s, after the receipt's issue", r.Date.Format(time.DateOnly))
		}
	case period:
		switch {
		case r.PeriodFrom.IsZero() || r.PeriodTo.IsZero():
			v.add("period", "give both ends of the period")
		case day(r.PeriodFrom) > day(r.PeriodTo):
			v.add("period", "starts on %s, after its end", r.PeriodFrom.Format(time.DateOnly))
		case !r.IssuedAt.IsZero() && day(r.PeriodTo) > day(r.IssuedAt):
			v.add("period", "ends on %s, after the receipt's issue", r.PeriodTo.Format(time.DateOnly))
		}
	default:
		v.add("date", "missing: give the gift's date or the period of the gifts")
	}
}

// day returns t's calendar day in its own location as a sortable string.
func day(t time.Time) string { return t.Format(time.DateOnly) }

func (o Organization) validate(v *validator) {
	v.text("org.name", o.Name, maxName)
	v.lines("org.address", o.Address)
	v.text("org.postal_code", o.PostalCode, maxPostalCode)
	v.text("org.city", o.City, maxCity)
	v.paragraph("org.object", o.Object, maxObject)

	if strings.TrimSpace(o.RNA) == "" && strings.TrimSpace(o.SIREN) == "" {
		v.add("org.rna_siren", "missing: the form requires the SIREN or the RNA number")
	}
	if o.RNA != "" && !validRNA(normalizeID(o.RNA)) {
		v.add("org.rna", "%q: want W and 9 letters or digits, as W751234567", o.RNA)
	}
	if o.SIREN != "" && !validSIREN(normalizeID(o.SIREN)) {
		v.add("org.siren", "%q: want 9 digits with a valid check digit", o.SIREN)
	}

	switch o.Type {
	case "":
		v.add("org.type", "missing")
	case GeneralInterest, PressPluralism, EndowmentFund:
	case PublicUtility:
		if o.PublicUtilityDecree.IsZero() || o.PublicUtilityGazette.IsZero() {
			v.add("org.public_utility_decree", "the dates of the decree and of its publication are printed in the box")
		}
	default:
		v.add("org.type", "%q is not a category kiosque supports", o.Type)
	}

	v.text("org.signatory.name", o.Signatory.Name, maxSignatory)
	v.text("org.signatory.title", o.Signatory.Title, maxSignatory)
	if o.SignatureImage != nil {
		if err := checkPNG(o.SignatureImage); err != nil {
			v.add("org.signature_image", "%w", err)
		}
	}

	switch o.CGIArticle {
	case 0:
		v.add("org.cgi_article", "missing")
	case Article200:
	case Article978:
		// The IFI reduction of article 978 is open to foundations of public
		// utility and some endowment funds, never to a plain association: a
		// receipt naming it wrongly is the costliest mistake there is.
		if o.Type != PublicUtility && o.Type != EndowmentFund {
			v.add("org.cgi_article", "article 978 (IFI) is not open to this category")
		}
	default:
		v.add("org.cgi_article", "%d: want 200 (or 978 for an IFI-eligible foundation)", o.CGIArticle)
	}
}

func (d Donor) validate(v *validator) {
	v.text("donor.last_name", d.LastName, maxPersonName)
	v.text("donor.first_names", d.FirstNames, maxPersonName)
	v.lines("donor.address", d.Address)
	v.text("donor.city", d.City, maxCity)
	if d.inFrance() {
		v.text("donor.postal_code", d.PostalCode, maxPostalCode)
	} else {
		v.optional("donor.postal_code", d.PostalCode, maxPostalCode)
		v.optional("donor.country", d.Country, maxCountryName)
	}
}

// inFrance reports whether d lives in France.
func (d Donor) inFrance() bool {
	c := strings.TrimSpace(d.Country)
	return c == "" || strings.EqualFold(c, "FR") || strings.EqualFold(c, "France")
}

// checkPNG checks that b is a PNG the PDF writer can embed.
func checkPNG(b []byte) error {
	if len(b) > MaxSignatureBytes {
		return fmt.Errorf("%d bytes: want at most %d", len(b), MaxSignatureBytes)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("not a PNG image: %w", err)
	}
	// The interlace method is the last byte of the IHDR chunk: signature
	// (8), length (4), type (4), width (4), height (4), depth, colour,
	// compression, filter, interlace.
	if len(b) > 28 && b[28] != 0 {
		return errors.New("interlaced PNG: save it without interlacing")
	}
	return nil
}

// normalizeID removes the spaces and dots people type in identifiers and
// upper-cases them.
func normalizeID(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// validRNA reports whether s is an RNA number: W and nine letters or digits
// (the prefecture's code, which may be 2A or 2B, then a serial number).
func validRNA(s string) bool {
	if len(s) != 10 || s[0] != 'W' {
		return false
	}
	for _, c := range s[1:] {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// validSIREN reports whether s is nine digits passing the Luhn check INSEE
// uses for SIREN numbers.
func validSIREN(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i := range 9 {
		c := s[8-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// validator collects the problems of a receipt.
type validator struct{ errs []error }

func (v *validator) add(field, format string, args ...any) {
	err := apperr.Errorf(apperr.Invalid, "receipt %s: "+format, append([]any{field}, args...)...)
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

// paragraph checks a mandatory text that may hold line breaks.
func (v *validator) paragraph(field, s string, limit int) {
	flat := strings.NewReplacer("\r\n", " ", "\n", " ").Replace(s)
	v.text(field, flat, limit)
}

// lines checks a mandatory address of one to maxAddress lines.
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
	case n > maxAddress:
		v.add(field, "%d lines: want at most %d", n, maxAddress)
	}
}

func (v *validator) err() error { return errors.Join(v.errs...) }

// ValidRNA reports whether s is a well-formed RNA number (W and nine
// letters or digits), for forms that check an association's identity.
func ValidRNA(s string) bool { return validRNA(s) }

// ValidSIREN reports whether s is nine digits passing INSEE's check.
func ValidSIREN(s string) bool { return validSIREN(s) }

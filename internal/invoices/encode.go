package invoices

import "github.com/kiosque/kiosque/internal/pdftext"

// encode converts s for the invoice's fonts (see pdftext.Encode); a line
// break in a title or a name becomes a space.
func encode(s string) string { return pdftext.Encode(s, false) }

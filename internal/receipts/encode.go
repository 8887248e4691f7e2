package receipts

import "github.com/kiosque/kiosque/internal/pdftext"

// encode converts s for the receipt's fonts (see pdftext.Encode), keeping
// line breaks for MultiCell.
func encode(s string) string { return pdftext.Encode(s, true) }

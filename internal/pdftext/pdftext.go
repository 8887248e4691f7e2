// Package pdftext writes text for the standard fonts of a PDF (fpdf's core
// fonts), which read Windows-1252: the tax receipts and the bookshop's
// invoices both draw French text with them.
package pdftext

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Encode converts s to Windows-1252, which covers French: accents, « »,
// œ, Œ, €, ’ and … all have a byte. For the rest:
//   - the narrow no-break space U+202F that French typography puts inside
//     « » and before ; ! ? and in amounts (and the other fixed-width
//     spaces) becomes the no-break space 0xA0, as French typography allows
//     when a font lacks it;
//   - other letters lose their diacritics when the base letter has a byte
//     (« ą » becomes « a », « ł » becomes « l »), so that a name or a
//     foreign title stays readable;
//   - line breaks are kept when keepNewlines (for MultiCell), other control
//     characters become a space, and anything else « ? ».
func Encode(s string, keepNewlines bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == '\n' && keepNewlines {
			b.WriteByte('\n')
			continue
		}
		b.WriteByte(encodeRune(r))
	}
	return b.String()
}

func encodeRune(r rune) byte {
	switch r {
	case '\u202f', '\u2007', '\u2008', '\u2009', '\u200a', '\u205f':
		return 0xa0
	case '\u2010', '\u2011', '\u2212':
		return '-'
	case 'ł':
		return 'l'
	case 'Ł':
		return 'L'
	case 'đ':
		return 'd'
	case 'Đ':
		return 'D'
	case 'ı':
		return 'i'
	}
	if unicode.IsControl(r) {
		return ' '
	}
	if c, ok := charmap.Windows1252.EncodeRune(r); ok {
		return c
	}
	if base := []rune(norm.NFD.String(string(r))); len(base) > 1 {
		if c, ok := charmap.Windows1252.EncodeRune(base[0]); ok {
			return c
		}
	}
	return '?'
}

package invoices

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// encode converts s to Windows-1252, the encoding of the PDF's standard
// fonts, which covers French: accents, « », œ, Œ, €, ’ and … all have a
// byte. For the rest:
//   - the narrow no-break space U+202F of French amounts, rates and
//     quotes (and the other fixed-width spaces) becomes the no-break space
//     0xA0, as French typography allows when a font lacks it;
//   - a letter with a diacritic the encoding lacks keeps its base letter
//     (« ą » becomes « a », « ł » becomes « l »), so that a buyer's name or
//     a foreign title stays readable;
//   - control characters become a space and anything else « ? ».
func encode(s string) string {
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

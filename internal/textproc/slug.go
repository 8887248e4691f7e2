package textproc

import (
	"bytes"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugRunes bounds slugs so URLs stay readable and fit in any column.
const maxSlugRunes = 80

// Slugify returns the URL slug for a title: accents folded (é→e, œ→oe, æ→ae,
// ß→ss…), ASCII lower case, every other run of characters turned into one
// hyphen, no hyphen at either end, and at most 80 characters, cut at a hyphen
// when there is one. "L'État islamique reprend Palmyre !" gives
// "l-etat-islamique-reprend-palmyre". Characters with no Latin equivalent
// (Cyrillic, Chinese…) are dropped, and "" is returned when nothing is left:
// the caller chooses a fallback such as the article id.
func Slugify(s string) string {
	// NFKD splits "é" into "e" and a combining accent, and compatibility
	// forms ("ﬁ", "²", full-width letters) into plain ones.
	s = norm.NFKD.String(s)
	b := make([]byte, 0, min(len(s), maxSlugRunes+16))
	hyphen := false // a separator is due before the next character
	for _, r := range s {
		var fold string
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case unicode.Is(unicode.Mn, r):
			continue // an accent NFKD took off its letter
		default:
			if fold = foldLetter(r); fold == "" {
				hyphen = true
				continue
			}
		}
		if hyphen && len(b) > 0 {
			b = append(b, '-')
		}
		hyphen = false
		if fold != "" {
			b = append(b, fold...)
		} else {
			b = append(b, byte(r)) //nolint:gosec // r is ASCII on this branch
		}
	}
	if len(b) > maxSlugRunes {
		if cut := bytes.LastIndexByte(b[:maxSlugRunes+1], '-'); cut > 0 {
			b = b[:cut]
		} else {
			b = b[:maxSlugRunes]
		}
	}
	return string(b)
}

// foldLetter returns the lower-case ASCII spelling of a Latin letter that
// has no decomposition (œ, æ, ß, ø…), or "" for anything else.
func foldLetter(r rune) string {
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß', 'ẞ':
		return "ss"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case 'þ', 'Þ':
		return "th"
	case 'ħ', 'Ħ':
		return "h"
	case 'ı':
		return "i"
	}
	return ""
}

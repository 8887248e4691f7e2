package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// ellipsis ends an excerpt that was cut.
const ellipsis = "…"

// Excerpt returns the plain text of the HTML fragment src (see PlainText),
// shortened for listings and meta descriptions: at most maxRunes runes,
// including the "…" that ends it when it was cut. It cuts at the last
// ordinary space that fits, never at a no-break space (so "Bonjour !" is not
// split), and drops the spaces and weak punctuation (, ; : . « ( and dashes)
// that would otherwise dangle before the "…". A single word longer than the
// limit is cut between grapheme clusters, so no accent or emoji is broken.
// maxRunes <= 0 gives "".
func Excerpt(src string, maxRunes int) string {
	if maxRunes <= 0 {
		return ""
	}
	text := plainText(src, maxRunes)
	if utf8.RuneCountInString(text) <= maxRunes {
		return text
	}
	limit := maxRunes - utf8.RuneCountInString(ellipsis) // runes left for the text
	cut, n := -1, 0
	for i, r := range text {
		if n > limit {
			break
		}
		if r == ' ' {
			cut = i // text[:i] holds n <= limit runes
		}
		n++
	}
	head := ""
	if cut > 0 {
		head = trimDangling(text[:cut])
	}
	if head == "" {
		head = trimDangling(graphemePrefix(text, limit))
	}
	return head + ellipsis
}

// graphemePrefix returns the longest prefix of s made of whole grapheme
// clusters and at most maxRunes runes.
func graphemePrefix(s string, maxRunes int) string {
	end, n, state := 0, 0, -1
	rest := s
	for len(rest) > 0 {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		n += utf8.RuneCountInString(cluster)
		if n > maxRunes {
			break
		}
		end += len(cluster)
	}
	return s[:end]
}

// trimDangling removes trailing spaces and the punctuation that should not
// stand before an ellipsis.
func trimDangling(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:.«(–—-", r)
	})
}

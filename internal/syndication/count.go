package syndication

import (
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// urlPattern finds the links of a text, as networks that shorten them do:
// http(s) up to a space, closing punctuation trimmed by linkSpans.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"«»]+`)

// span is a byte range of a text.
type span struct{ start, end int }

// linkSpans returns the byte ranges of the links in text, without the
// punctuation that ends a sentence after them.
func linkSpans(text string) []span {
	var out []span
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		end := m[1]
		for end > m[0] {
			r, size := utf8.DecodeLastRuneInString(text[m[0]:end])
			if !strings.ContainsRune(".,;:!?)]}'’…", r) {
				break
			}
			end -= size
		}
		if end-m[0] > len("https://") {
			out = append(out, span{m[0], end})
		}
	}
	return out
}

// Count returns the length of text as the network of l counts it.
func (l Limit) Count(text string) int {
	text = norm.NFC.String(text)
	n, last := 0, 0
	for _, s := range linkSpans(text) {
		n += l.countPlain(text[last:s.start])
		if l.URLWeight > 0 {
			n += l.URLWeight
		} else {
			n += l.countPlain(text[s.start:s.end])
		}
		last = s.end
	}
	return n + l.countPlain(text[last:])
}

// Fits reports whether text is within l, bytes included.
func (l Limit) Fits(text string) bool {
	return l.Count(text) <= l.Max && (l.MaxBytes == 0 || len(text) <= l.MaxBytes)
}

// Remaining returns how much l leaves after text, negative when over.
func (l Limit) Remaining(text string) int { return l.Max - l.Count(text) }

func (l Limit) countPlain(s string) int {
	switch l.Unit {
	case Runes:
		return utf8.RuneCountInString(s)
	case UTF16:
		n := 0
		for _, r := range s {
			n += utf16.RuneLen(r)
		}
		return n
	case Weighted:
		return weighted(s)
	case EmojiBytes:
		n := 0
		for _, r := range s {
			if isEmojiRune(r) {
				n += utf8.RuneLen(r)
			} else {
				n++
			}
		}
		return n
	default:
		return uniseg.GraphemeClusterCount(s)
	}
}

// weighted counts s as twitter-text v3 does (config/v3.json, scale 100,
// default weight 200): code points in the light ranges weigh 1, others
// 2, and an emoji sequence (a flag, a family, a skin tone) 2 in all.
func weighted(s string) int {
	n := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		rs := g.Runes()
		if len(rs) > 1 && isEmojiSequence(rs) {
			n += 2
			continue
		}
		for _, r := range rs {
			n += runeWeight(r)
		}
	}
	return n
}

// runeWeight is a code point's weight in twitter-text v3.
func runeWeight(r rune) int {
	switch {
	case r <= 4351, r >= 8192 && r <= 8205, r >= 8208 && r <= 8223, r >= 8242 && r <= 8247:
		return 1
	default:
		return 2
	}
}

// isEmojiSequence reports whether a grapheme of several code points is an
// emoji: joined (ZWJ), with an emoji presentation selector, a skin tone,
// or a pair of regional indicators (a flag).
func isEmojiSequence(rs []rune) bool {
	for _, r := range rs {
		switch {
		case r == 0x200D, r == 0xFE0F, r == 0x20E3, r >= 0x1F1E6 && r <= 0x1F1FF, r >= 0x1F300 && r <= 0x1FAFF:
			return true
		}
	}
	return false
}

// isEmojiRune reports whether r is a code point of an emoji: pictographs,
// symbols and dingbats, flags' regional indicators, and the joiner,
// presentation selector and keycap that build sequences.
func isEmojiRune(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2300 && r <= 0x23FF,
		r >= 0x2B00 && r <= 0x2BFF, r == 0x200D, r == 0xFE0F, r == 0x20E3:
		return true
	}
	return false
}

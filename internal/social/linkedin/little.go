package linkedin

import (
	"regexp"
	"strings"
	"unicode"
)

// reserved are the characters of LinkedIn's « little » text format, in
// which the Posts API reads commentary: each must be escaped with a
// backslash to stand for itself. LinkedIn cuts a post at the first one
// left bare that starts no element, and still answers 201.
const reserved = `\|{}@[]()<>#*_~`

// linkPattern finds links, whose characters are all escaped (a '#' or
// '_' in a link is text, not markup).
var linkPattern = regexp.MustCompile(`https?://[^\s<>"«»]+`)

// escapeCommentary writes text in the little format: every reserved
// character escaped, except the '#' of a hashtag (« #MoyenOrient »), which
// stays bare so that LinkedIn makes it a hashtag as it does in its own
// composer.
func escapeCommentary(text string) string {
	var b strings.Builder
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(text, -1) {
		escapeText(&b, text[last:m[0]])
		escapeAll(&b, text[m[0]:m[1]])
		last = m[1]
	}
	escapeText(&b, text[last:])
	return b.String()
}

// escapeAll escapes every reserved character of s.
func escapeAll(b *strings.Builder, s string) {
	for _, r := range s {
		if strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}

// escapeText escapes the reserved characters of s but hashtags' '#'.
func escapeText(b *strings.Builder, s string) {
	rs := []rune(s)
	for i, r := range rs {
		if r == '#' && startsHashtag(rs, i) {
			b.WriteRune(r)
			continue
		}
		if strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}

// startsHashtag reports whether the '#' at rs[i] begins a hashtag: not
// glued to a word before it (« C# »), followed by letters and digits with
// at least one letter (« #2026 » is no hashtag).
func startsHashtag(rs []rune, i int) bool {
	if i > 0 && isWordRune(rs[i-1]) {
		return false
	}
	letter := false
	for _, r := range rs[i+1:] {
		if !isWordRune(r) {
			break
		}
		letter = letter || unicode.IsLetter(r)
	}
	return letter
}

// isWordRune reports whether r can be part of a hashtag.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

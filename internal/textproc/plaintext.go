package textproc

import (
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"
)

// wordsPerMinute is the reading speed ReadingMinutes assumes for an adult
// reading on screen.
const wordsPerMinute = 230

// PlainText returns the text a reader sees in the HTML fragment src, for
// search indexing and meta descriptions: entities decoded, runs of HTML white
// space collapsed to one space, blocks (paragraphs, list items, cells, br…)
// separated by a space, the whole trimmed. Phrasing elements join their text
// without a space, so "XIX<sup>e</sup>" stays "XIXe". Scripts, styles and
// other invisible content are left out, and so are footnote reference
// numbers and back-links. No-break spaces are kept: they are part of the
// typography.
func PlainText(src string) string {
	return plainText(src, -1)
}

// plainText is PlainText stopping as soon as the text is known to be longer
// than maxRunes runes (if maxRunes >= 0): it then returns its first
// maxRunes+1 runes, which is all Excerpt needs of a long article.
func plainText(src string, maxRunes int) string {
	var b strings.Builder
	if maxRunes < 0 {
		b.Grow(len(src) / 2)
	}
	z := xhtml.NewTokenizer(strings.NewReader(src))
	var (
		hidden string // element whose content is being left out
		depth  int
		space  bool // a separator is due before the next character
		n      int  // runes written
	)
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			// A no-break space may end the text, as before a footnote
			// back-link.
			return strings.TrimRightFunc(b.String(), unicode.IsSpace)
		case xhtml.TextToken:
			if hidden != "" {
				continue
			}
			for _, r := range string(z.Text()) {
				if isHTMLSpace(r) {
					space = true
					continue
				}
				if space && b.Len() > 0 {
					b.WriteByte(' ')
					n++
				}
				space = false
				b.WriteRune(r)
				if n++; maxRunes >= 0 && n > maxRunes {
					return b.String()
				}
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			bname, hasAttr := z.TagName()
			name := string(bname)
			if hidden != "" {
				if name == hidden {
					switch tt {
					case xhtml.StartTagToken:
						depth++
					case xhtml.EndTagToken:
						if depth--; depth == 0 {
							hidden = ""
						}
					}
				}
				continue
			}
			if !isPhrasing(name) {
				space = true
			}
			if tt == xhtml.EndTagToken {
				continue
			}
			if isHidden(name) && opensElement(tt, name) || name == "a" && hasAttr && isFootnoteLink(z) {
				hidden, depth = name, 1
			}
		}
	}
}

// isFootnoteLink reports whether the tag being read is a footnote reference or
// back-link as goldmark writes them. It consumes the tag's attributes.
func isFootnoteLink(z *xhtml.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		if string(key) == "class" {
			c := string(val)
			return c == "footnote-ref" || c == "footnote-backref"
		}
		if !more {
			return false
		}
	}
}

// isHTMLSpace reports whether r is white space that HTML collapses. No-break
// spaces are not.
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// ReadingMinutes estimates how long the HTML fragment src takes to read, at
// 230 words per minute rounded to the nearest minute, and never less than 1
// so that a page can always say "1 min". A word is a run of characters
// between spaces that holds at least one letter or digit, so a lone "!" or
// "—" does not count.
func ReadingMinutes(src string) int {
	words, counted := 0, false // counted: the current word is already counted
	for _, r := range PlainText(src) {
		if unicode.IsSpace(r) {
			counted = false
			continue
		}
		if !counted && isWordRune(r) {
			words++
			counted = true
		}
	}
	return max(1, (words+wordsPerMinute/2)/wordsPerMinute)
}

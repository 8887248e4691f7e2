package wpcontent

// This file writes a comment's text as Markdown, escaping what textproc
// would read as syntax and leaving the URLs it links as they are.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/textproc"
)

// isWordRune reports whether r is a letter or a digit: a bare URL does not
// start after one, and an '_' between two is not emphasis.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// writeCommentText writes text to b, escaping what textproc would read as
// Markdown (beforeLink says that a link's "[" follows), and reports whether
// it ends inside a bare URL (see writeCommentPieces). URLs that textproc links (those starting with
// http:// or https:// after neither a letter nor a digit) are written as
// they are, since an escape would cut them: textproc reads them whole,
// '*' and '_' included.
func writeCommentText(b *strings.Builder, s string, beforeLink bool) (inURL bool) {
	prev := ' '
	if b.Len() > 0 {
		prev, _ = utf8.DecodeLastRuneInString(b.String())
	}
	lineStart := b.Len() == 0 || prev == '\n'
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if (c == 'h' || c == 'H') && !isWordRune(prev) && !unicode.IsMark(prev) &&
			(hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://")) {
			m := textproc.BareURLLen(s[i:])
			b.WriteString(s[i : i+m])
			prev, _ = utf8.DecodeLastRuneInString(s[i : i+m])
			i += m
			inURL = true
			continue
		}
		var escape bool
		switch c {
		case '\\', '*', '[', ']':
			escape = true
		case '_':
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			escape = !isWordRune(prev) || !isWordRune(next)
		case '>':
			escape = i == 0 && lineStart
		case '!':
			escape = beforeLink && i+n == len(s) // "![" would make an image of the link
		}
		if escape {
			b.WriteByte('\\')
		}
		b.WriteString(s[i : i+n])
		if escape || textproc.URLStop(c) {
			inURL = false
		}
		prev = c
		i += n
	}
	return inURL
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

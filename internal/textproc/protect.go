package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of text that typography must not touch.
type span struct{ start, end int }

// protectedSpans appends to dst, in order, the URLs ("scheme://…" and
// "www.…") and e-mail addresses found in text. A URL runs to the next space
// or quote, so "https://exemple.fr/a?b=c!" is kept whole; an e-mail address
// stops at the end of its domain, so the "?" of "a@b.fr?" is still spaced.
func protectedSpans(text string, dst []span) []span {
	from := 0 // no new span may start before the end of the previous one
	for i := 0; i < len(text); i++ {
		k := strings.IndexAny(text[i:], ":@wW")
		if k < 0 {
			break
		}
		i += k
		var s span
		switch c := text[i]; {
		case c == ':' && strings.HasPrefix(text[i:], "://"):
			start := i
			for start > from && isSchemeByte(text[start-1]) {
				start--
			}
			if start == i || !isASCIILetter(text[start]) {
				continue
			}
			s = span{start, urlEnd(text, i+3)}
		case (c == 'w' || c == 'W') && len(text)-i > 4 && strings.EqualFold(text[i:i+4], "www.") && atWordStart(text, i):
			s = span{i, urlEnd(text, i+4)}
		case c == '@':
			start := i
			for start > from && isLocalPartByte(text[start-1]) {
				start--
			}
			end := emailDomainEnd(text, i+1)
			if start == i || end == i+1 {
				continue
			}
			s = span{start, end}
		default:
			continue
		}
		dst = append(dst, s)
		from = s.end
		i = s.end - 1
	}
	return dst
}

// urlEnd returns where the URL whose body starts at text[i] ends: at the first
// space, angle bracket, straight or curly double quote, guillemet or opaque
// element.
func urlEnd(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) || strings.ContainsRune(`<>"«»“”`, r) || r == opaque {
			break
		}
		i += n
	}
	return i
}

// emailDomainEnd returns the end of the domain starting at text[i], or i when
// there is no dotted domain there. A trailing dot or hyphen is left out.
func emailDomainEnd(text string, i int) int {
	end := i
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if r != '.' && r != '-' && !isWordRune(r) {
			break
		}
		end += n
	}
	for end > i && (text[end-1] == '.' || text[end-1] == '-') {
		end--
	}
	if !strings.Contains(text[i:end], ".") {
		return i
	}
	return end
}

// atWordStart reports whether text[i] begins a word, so that "www." inside
// "awww." is not taken for a host name.
func atWordStart(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r) && r != '.' && r != '-' && r != '_' && r != '/' && r != '@'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isSchemeByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
}

func isLocalPartByte(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || strings.IndexByte("._%+-'", c) >= 0
}

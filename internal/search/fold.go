package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldSpecial holds the letters that Unicode does not decompose into an ASCII
// base letter but that readers expect to match one: the French ligatures, and
// the Nordic, German and Slavic letters of names quoted in articles.
var foldSpecial = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae",
	'ß': "ss", 'ẞ': "ss",
	'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'ł': "l", 'Ł': "l",
	'þ': "th", 'Þ': "th",
	'ı': "i",
	'ħ': "h", 'Ħ': "h",
	'ŧ': "t", 'Ŧ': "t",
	'ŋ': "n", 'Ŋ': "n",
	'ĸ': "k",
	'ƒ': "f",
}

// latinFirst and latinLast bound the precomputed folding table: Latin-1
// Supplement and Latin Extended-A and -B, where nearly every accented letter of
// European text lives.
const (
	latinFirst = 0x80
	latinLast  = 0x24F
)

// latinFold is the ASCII folding of every rune from latinFirst to latinLast,
// computed once so that folding French text never runs the Unicode
// decomposition at request time. It is never modified after init.
var latinFold = func() [latinLast - latinFirst + 1]string {
	var t [latinLast - latinFirst + 1]string
	for r := rune(latinFirst); r <= latinLast; r++ {
		t[r-latinFirst] = string(decomposeToASCII(nil, r))
	}
	return t
}()

// appendFolded appends to dst the ASCII folding of s: letters lowercased and
// stripped of their diacritics (é→e, ç→c, œ→oe, ß→ss), digits kept, and
// everything that has no ASCII letter or digit equivalent dropped (other
// scripts, punctuation, invalid UTF-8 bytes).
func appendFolded(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if isASCIIAlnum(c) {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		dst = appendFoldedRune(dst, r)
	}
	return dst
}

// appendFoldedRune appends the ASCII folding of the non-ASCII rune r to dst.
func appendFoldedRune(dst []byte, r rune) []byte {
	if r >= latinFirst && r <= latinLast {
		return append(dst, latinFold[r-latinFirst]...)
	}
	return decomposeToASCII(dst, r)
}

// decomposeToASCII appends the lowercase ASCII letters and digits of the
// compatibility decomposition (NFKD) of r to dst, after the special cases of
// foldSpecial. NFKD rather than NFD so that ligatures (ﬁ), full-width forms
// (ＡＢＣ) and ordinal indicators (º) fold too.
func decomposeToASCII(dst []byte, r rune) []byte {
	if s, ok := foldSpecial[r]; ok {
		return append(dst, s...)
	}
	if r == utf8.RuneError || unicode.Is(unicode.M, r) {
		return dst
	}
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], r)
	var buf [32]byte
	for _, c := range norm.NFKD.Append(buf[:0], enc[:n]...) {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if isASCIIAlnum(c) {
			dst = append(dst, c)
		}
	}
	return dst
}

// fold returns the ASCII folding of s (see appendFolded), without allocating
// when s is already folded.
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	return string(appendFolded(make([]byte, 0, len(s)), s))
}

// isFolded reports whether s is made only of lowercase ASCII letters and
// digits, the alphabet of every term.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) {
			return false
		}
	}
	return true
}

// isASCIIAlnum reports whether c is an ASCII lowercase letter or digit.
func isASCIIAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
}

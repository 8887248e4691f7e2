package textproc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	nbsp  = "\u00A0" // no-break space, before : (and inside « » in fr-CA)
	nnbsp = "\u202F" // narrow no-break space, before ; ! ? » and after « in fr-FR

	// opaque stands, in the text typeset from HTML, for an inline element
	// whose content is not ours to change (code, an image): it is neither
	// a space nor a letter, so "<code>x</code>!" still gets its space.
	opaque = '\uFFFC'
)

// Typography applies style's spacing and apostrophe rules to plain text
// (titles, excerpts, anything not HTML), so every surface of a French site
// reads the same. The text is taken literally: entities such as "&amp;" are
// not decoded. URLs, e-mail addresses and times are left as they are, and
// running it twice gives the same result. When s contains none of the
// characters the rules look at, or nothing needs to change, s itself is
// returned without allocating. StyleNone and unknown styles return s.
func Typography(s string, style Style) string {
	sp, ok := style.spacing()
	if !ok || !hasTypographyMark(s) {
		return s
	}
	var buf [8]edit
	edits := typeset(s, sp, buf[:0])
	if len(edits) == 0 {
		return s
	}
	out, _ := applyEdits(s, 0, len(s), edits)
	return out
}

// hasTypographyMark reports whether s contains a character the rules act on.
// In HTML every entity ends with ';', so encoded marks are caught too.
func hasTypographyMark[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ';', '!', '?', ':', '\'':
			return true
		case 0xC2: // first byte of « (C2 AB) and » (C2 BB)
			if i+1 < len(s) && (s[i+1] == 0xAB || s[i+1] == 0xBB) {
				return true
			}
		}
	}
	return false
}

// edit replaces text[pos:end] with s. An insertion (pos == end) belongs to the
// character after pos, or to the one before it when after is set; in HTML
// this decides which text node receives it.
type edit struct {
	pos, end int
	s        string
	after    bool
}

// before reports whether e changes nothing at or after position a: a
// replacement ending by a, or an insertion belonging to a character before a.
func (e edit) before(a int) bool {
	if e.pos < e.end || !e.after {
		return e.end <= a && e.pos < a
	}
	return e.pos-1 < a
}

// pushEdit appends e unless it overlaps the previous edit (as in "« !", where
// both marks claim the same space): the first claim wins, which keeps edits
// sorted and the result idempotent.
func pushEdit(edits []edit, e edit) []edit {
	if n := len(edits); n > 0 && (e.pos < edits[n-1].end || e.pos == edits[n-1].pos) {
		return edits
	}
	return append(edits, e)
}

// typeset appends to edits the changes style sp asks for in text, in order.
// It stops only at the bytes that can start a mark: the ASCII ones and the
// pairs C2 AB («) and C2 BB (»). UTF-8 never hides an ASCII byte inside
// another character, so nothing is missed.
func typeset(text string, sp spacing, edits []edit) []edit {
	var spanBuf [4]span
	spans := protectedSpans(text, spanBuf[:0])
	for i := 0; i < len(text); i++ {
		var r rune
		switch c := text[i]; c {
		case ';', '!', '?', ':', '\'':
			r = rune(c)
		case 0xC2:
			if i+1 == len(text) || text[i+1] != 0xAB && text[i+1] != 0xBB {
				continue
			}
			r, _ = utf8.DecodeRuneInString(text[i:])
		default:
			continue
		}
		for len(spans) > 0 && spans[0].end <= i {
			spans = spans[1:]
		}
		if len(spans) > 0 && spans[0].start <= i {
			i = spans[0].end - 1
			continue
		}
		switch r {
		case ';', '!', '?':
			// "?!" or "!!!" is one group with one space before it.
			j := i + 1
			for j < len(text) && (text[j] == ';' || text[j] == '!' || text[j] == '?') {
				j++
			}
			if next, _ := utf8.DecodeRuneInString(text[j:]); !isWordRune(next) && next != '=' {
				edits = spaceBefore(edits, text, i, sp.high, sp.highOK)
			}
			i = j - 1
		case ':':
			// Only a colon that ends a phrase: "14:30", "a:b" and "https:"
			// are followed by something else. A following ; ! ? or » is
			// about to get its own space, as in "« Attention: »", and
			// counts as one: running the rules again must not change
			// their minds.
			next, _ := utf8.DecodeRuneInString(text[i+1:])
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			ends := i+1 == len(text) || isSpaceLike(next) || strings.ContainsRune(";!?»", next)
			if ends && prev != ':' {
				edits = spaceBefore(edits, text, i, sp.colon, sp.colonOK)
			}
		case '»':
			edits = spaceBefore(edits, text, i, sp.guillemet, sp.guillemetOK)
		case '«':
			edits = spaceAfter(edits, text, i+len("«"), sp.guillemet, sp.guillemetOK)
		case '\'':
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			next, _ := utf8.DecodeRuneInString(text[i+1:])
			if unicode.IsLetter(prev) && unicode.IsLetter(next) {
				edits = pushEdit(edits, edit{pos: i, end: i + 1, s: "’"})
			}
		}
	}
	return edits
}

// spaceBefore makes the spaces just before text[i] equal want: a run of
// ordinary spaces is replaced, a missing space inserted. A mark that starts
// the text or follows an opening bracket, as in "(?)", is left alone, and so
// is a single character of ok already in place. Spaces just after « belong to
// the «, which sets them.
func spaceBefore(edits []edit, text string, i int, want, ok string) []edit {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		if !isSpaceLike(r) {
			break
		}
		j -= n
	}
	if j == 0 {
		return edits
	}
	if prev, _ := utf8.DecodeLastRuneInString(text[:j]); prev == '(' || prev == '[' || prev == '{' || prev == '«' {
		return edits
	}
	if run := text[j:i]; run == want || isOneOf(run, ok) {
		return edits
	}
	return pushEdit(edits, edit{pos: j, end: i, s: want})
}

// spaceAfter makes the spaces starting at text[i] (just after a «) equal
// want, unless the text ends there.
func spaceAfter(edits []edit, text string, i int, want, ok string) []edit {
	k := i
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !isSpaceLike(r) {
			break
		}
		k += n
	}
	if k == len(text) {
		return edits
	}
	if run := text[i:k]; run == want || isOneOf(run, ok) {
		return edits
	}
	return pushEdit(edits, edit{pos: i, end: k, s: want, after: i == k})
}

// isOneOf reports whether run is exactly one of the characters of set.
func isOneOf(run, set string) bool {
	r, n := utf8.DecodeRuneInString(run)
	return n > 0 && n == len(run) && strings.ContainsRune(set, r)
}

// isSpaceLike reports whether r is a space the rules may replace or accept:
// ASCII white space, the thin space (breakable, so never correct) and the
// two no-break spaces.
func isSpaceLike(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\u2009', '\u00A0', '\u202F':
		return true
	}
	return false
}

// isWordRune reports whether r is a letter or a digit.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// applyEdits returns text[a:b] with the edits that belong to it applied, and
// whether any did. Edits must be sorted and must not overlap.
func applyEdits(text string, a, b int, edits []edit) (string, bool) {
	var sb strings.Builder
	cur, changed := a, false
	for _, e := range edits {
		if e.pos > b {
			break
		}
		if e.pos == e.end {
			owner := e.pos
			if e.after {
				owner--
			}
			if owner < a || owner >= b {
				continue
			}
			if !changed {
				sb.Grow(b - a + 8)
				changed = true
			}
			sb.WriteString(text[cur:e.pos])
			sb.WriteString(e.s)
			cur = e.pos
			continue
		}
		lo, hi := max(e.pos, a), min(e.end, b)
		if lo >= hi {
			continue
		}
		if !changed {
			sb.Grow(b - a + 8)
			changed = true
		}
		sb.WriteString(text[cur:lo])
		if e.pos >= a {
			sb.WriteString(e.s)
		}
		cur = hi
	}
	if !changed {
		return text[a:b], false
	}
	sb.WriteString(text[cur:b])
	return sb.String(), true
}

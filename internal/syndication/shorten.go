package syndication

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Ellipsis ends a shortened text.
const Ellipsis = "…"

// Shorten returns text cut to fit l, and whether it could: the longest
// stretch of text between links is cut at a word boundary and ends with
// an ellipsis, then the next longest if need be. Links are never cut;
// when they alone do not fit, ok is false.
func (l Limit) Shorten(text string) (out string, ok bool) {
	text = norm.NFC.String(text)
	if l.Fits(text) {
		return text, true
	}
	var parts []part
	last := 0
	for _, s := range linkSpans(text) {
		parts = append(parts, part{text: text[last:s.start]}, part{text: text[s.start:s.end], link: true})
		last = s.end
	}
	parts = append(parts, part{text: text[last:]})
	for {
		i := longestPlain(parts)
		if i < 0 {
			return join(parts), false
		}
		lead, core, trail := splitSpace(parts[i].text)
		runes := []rune(core)
		try := func(k int) string {
			saved := parts[i].text
			parts[i].text = lead + cutWords(runes, k) + trail
			s := join(parts)
			parts[i].text = saved
			return s
		}
		// The most runes of core that fit, by bisection: keeping more
		// never makes the text shorter.
		lo, hi := -1, len(runes)
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if l.Fits(try(mid)) {
				lo = mid
			} else {
				hi = mid
			}
		}
		if lo >= 0 {
			parts[i].text = lead + cutWords(runes, lo) + trail
			return join(parts), true
		}
		// Even empty, this stretch leaves too much: drop it, keeping one
		// space between what surrounds it, and cut the next one.
		parts[i].text, parts[i].done = separator(lead, trail, i, len(parts)), true
	}
}

// part is a stretch of text or a link.
type part struct {
	text string
	link bool
	// done marks a stretch already emptied.
	done bool
}

func join(parts []part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.text)
	}
	return strings.TrimSpace(b.String())
}

// longestPlain returns the index of the longest stretch of text not yet
// emptied, or -1.
func longestPlain(parts []part) int {
	best, n := -1, 0
	for i, p := range parts {
		if p.link || p.done {
			continue
		}
		if c := utf8.RuneCountInString(strings.TrimSpace(p.text)); c > n {
			best, n = i, c
		}
	}
	return best
}

// splitSpace splits s into its leading spaces, its core and its trailing
// spaces, so that a cut keeps the line breaks around links.
func splitSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeftFunc(s, unicode.IsSpace)
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRightFunc(core, unicode.IsSpace)
	return lead, trimmed, core[len(trimmed):]
}

// separator is what an emptied stretch leaves between its neighbours.
func separator(lead, trail string, i, n int) string {
	if i == 0 || i == n-1 {
		return ""
	}
	if strings.Contains(lead+trail, "\n") {
		return "\n"
	}
	return " "
}

// cutWords keeps at most k runes of runes, cut at the last space, with an
// ellipsis; "" when nothing is left.
func cutWords(runes []rune, k int) string {
	if k >= len(runes) {
		return string(runes)
	}
	if k <= 0 {
		return ""
	}
	kept := runes[:k]
	if !unicode.IsSpace(runes[k]) {
		// Back to the start of the word k falls in, unless it is the
		// only word (a single very long word is cut where it must be).
		for j := len(kept) - 1; j > 0; j-- {
			if unicode.IsSpace(kept[j]) {
				kept = kept[:j]
				break
			}
		}
	}
	s := strings.TrimRightFunc(string(kept), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(«", r)
	})
	if s == "" {
		return ""
	}
	return s + Ellipsis
}

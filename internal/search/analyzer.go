// Package search is the text analyzer behind kiosque's full-text search.
//
// Both databases index text that this package has already analyzed: storage
// keeps, for each article, the string returned by Analyzer.Document (terms
// separated by single spaces) and turns a reader's query into the expression
// returned by Query.FTS5 (SQLite FTS5 with the plain unicode61 tokenizer) or
// Query.TSQuery (PostgreSQL to_tsquery('simple', …)). Since every term is made
// only of lowercase ASCII letters and digits, both tokenizers see exactly the
// terms produced here, and both databases return the same articles.
//
// For French, a word goes through: split on anything that is not a letter or
// a digit (hyphens and apostrophes included), lowercase, elision removal
// (l', qu', jusqu'…), stop word removal, Snowball French stemming, then
// folding to ASCII (é→e, ç→c, œ→oe). Stemming comes before folding because
// the stemmer relies on accents (the é of a past participle is a suffix).
// Terms of one letter are dropped; numbers are kept as they are. The stemmer
// is kljensen/snowball's, which implements the original Snowball algorithm,
// with the corrections of Snowball 3 that matter for search (see stemFrench).
// Document also indexes, for each word, the terms of its spellings without
// accents and in the singular, which readers type and the stemmer does not
// always join to the written word.
//
// Limits worth knowing: the stemmer does not join irregular forms (yeux/œil,
// travaux/travail), feminine and masculine forms it stems differently
// (petites/petit), nor a plural query to a singular text when it keeps the
// plural mark (« élus » does not find « élu », while « élu » finds
// « élus »). Some stop words are ambiguous: « été » the season goes with
// « été » the participle, « est » the east with « est » is. A word written in
// a script without an ASCII folding (Greek, Cyrillic, CJK) is not indexed.
package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// maxWordBytes bounds the length of an indexed word. Real words are far
// shorter (« anticonstitutionnellement » is 25 bytes); longer runs of letters
// are identifiers, hashes or base64 that nobody searches, and skipping them
// keeps stemming cheap and every term well under PostgreSQL's 2 KiB lexeme
// limit.
const maxWordBytes = 64

// Analyzer turns text into search terms. The zero value is not usable; build
// one with New. Safe for concurrent use.
type Analyzer struct {
	lang string
	// stem stems a lowercase, accented word; nil means no stemming.
	stem func(string) string
	// isStop reports whether a word, lowercase and folded, is a stop word;
	// nil means none.
	isStop func(lower, folded string) bool
	// elisions enables the removal of French elided words (l', qu'…).
	elisions bool
	// singular returns a word without its plural mark, for the variants of
	// Document; nil means none.
	singular func(string) (string, bool)
}

// New returns the analyzer for lang: "fr" for French (elisions, French stop
// words, Snowball French stemmer) or "en" for English (English stop words,
// Snowball English stemmer). A region or script suffix is ignored ("fr-CA",
// "en_GB"). Any other language gets accent and case folding only, which
// still matches words exactly, whatever their accents and case.
func New(lang string) *Analyzer {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	base, _, _ = strings.Cut(base, "_")
	switch base {
	case "fr":
		return &Analyzer{lang: "fr", stem: stemFrench, isStop: isFrenchStopWord, elisions: true, singular: frenchSingular}
	case "en":
		return &Analyzer{lang: "en", stem: stemEnglish, isStop: isEnglishStopWord}
	default:
		return &Analyzer{lang: base}
	}
}

// Lang returns the language the analyzer was built for: "fr", "en", or the
// requested language when it only folds accents and case.
func (a *Analyzer) Lang() string { return a.lang }

// Terms returns the analyzed terms of text in order, duplicates kept.
func (a *Analyzer) Terms(text string) []string {
	return a.AppendTerms(nil, text)
}

// AppendTerms appends the analyzed terms of text to dst and returns the
// extended slice, so that callers analysing many fields can reuse a buffer.
func (a *Analyzer) AppendTerms(dst []string, text string) []string {
	a.words(text, wordMode{}, func(w word) {
		dst = append(dst, w.term)
	})
	return dst
}

// Document returns the terms of all fields joined by single spaces: the
// string storage indexes for an article.
//
// Right after the term of a word, it also holds the terms that other
// spellings of that word give, so that a reader's query finds the article
// however the reader writes the word:
//
//   - typed without its accents: readers type « universite » or
//     « premiere », whose stems (universit, premier) are not those of
//     « université » and « première » (univers, premi), because the stemmer
//     reads the accents. About one accented word in six is concerned in
//     French news copy;
//   - in French, typed in the singular: the stemmer keeps the plural s after
//     a vowel (élus, lois, euros, photos), the x of -eux (jeux, enjeux,
//     vœux), and stems some singulars further than their plurals
//     (conseiller/conseillers, opinion/opinions), so the article also holds
//     the stem of the word without its final s or x. A search for « élu »
//     thus finds « élus »; a search for « élus » still finds only the
//     plural, as the stemmer has it.
//
// These extra terms only add matches; Terms and Query never produce them.
func (a *Analyzer) Document(fields ...string) string {
	var b strings.Builder
	add := func(t string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	for _, f := range fields {
		a.words(f, wordMode{variants: true}, func(w word) {
			add(w.term)
			for _, v := range w.variants[:w.nvariants] {
				add(v)
			}
		})
	}
	return b.String()
}

// word is one analyzed word of a text.
type word struct {
	// term is the analyzed term.
	term string
	// variants are the other terms Document indexes for the word (see
	// Document); only variants[:nvariants] are set.
	variants  [3]string
	nvariants int
	// stop reports whether the word is a stop word.
	stop bool
	// final reports whether the word runs to the very end of the text.
	final bool
}

// addVariant records t as a variant of w unless it is w's term, an earlier
// variant or not a valid term.
func (w *word) addVariant(t string) {
	if t == w.term || !validTerm(t) || w.nvariants == len(w.variants) || slices.Contains(w.variants[:w.nvariants], t) {
		return
	}
	w.variants[w.nvariants] = t
	w.nvariants++
}

// wordMode says what words must compute besides the terms of content words.
type wordMode struct {
	// stops asks for the terms of stop words too (Query needs them when a
	// query has nothing else); otherwise stop words are skipped unstemmed.
	stops bool
	// variants asks for the variants Document indexes.
	variants bool
}

// memoMinBytes is the length of text from which words remembers the words it
// has analyzed: an article repeats its words, and stemming is most of the
// cost of analyzing one.
const memoMinBytes = 512

// words calls fn for every word of text that gives a term, in order, as mode
// asks.
func (a *Analyzer) words(text string, mode wordMode, fn func(word)) {
	var memo map[memoKey]memoWord
	if len(text) >= memoMinBytes {
		memo = make(map[memoKey]memoWord)
	}
	scanWords(text, func(raw string, end int, beforeApostrophe bool) {
		key := memoKey{raw, beforeApostrophe}
		m, seen := memo[key]
		if !seen {
			m.w, m.ok = a.analyzeWord(raw, beforeApostrophe, mode)
			if memo != nil {
				memo[key] = m
			}
		}
		if !m.ok {
			return
		}
		w := m.w
		w.final = end == len(text)
		fn(w)
	})
}

// memoKey is what the analysis of a word depends on.
type memoKey struct {
	raw              string
	beforeApostrophe bool
}

// memoWord is a remembered analysis.
type memoWord struct {
	w  word
	ok bool
}

// analyzeWord turns one raw word into its term, and its variants when mode
// asks. It reports false when the word gives no term: an elision, a stop
// word when mode does not ask for them, a word too long, a word with no ASCII
// folding, or a single letter.
func (a *Analyzer) analyzeWord(raw string, beforeApostrophe bool, mode wordMode) (word, bool) {
	if len(raw) > maxWordBytes*2 {
		return word{}, false
	}
	lower := lowerNFKC(raw)
	if len(lower) > maxWordBytes {
		return word{}, false
	}
	if a.elisions && beforeApostrophe && isFrenchElision(lower) {
		return word{}, false
	}
	folded := fold(lower)
	if strings.IndexFunc(lower, unicode.IsDigit) >= 0 || a.stem == nil {
		// Numbers and codes (2024, 1er, covid19, a320) are kept whole:
		// stemming them would only mangle them.
		return word{term: folded}, validTerm(folded)
	}
	var w word
	if a.isStop != nil && a.isStop(lower, folded) {
		if !mode.stops {
			return word{}, false
		}
		w.stop = true
	}
	w.term = fold(a.stem(lower))
	if !validTerm(w.term) {
		return word{}, false
	}
	if !mode.variants || w.stop {
		return w, true
	}
	if folded != lower {
		w.addVariant(fold(a.stem(folded)))
	}
	if a.singular != nil {
		if s, ok := a.singular(lower); ok {
			w.addVariant(fold(a.stem(s)))
		}
		if s, ok := a.singular(folded); ok && folded != lower {
			w.addVariant(fold(a.stem(s)))
		}
	}
	return w, true
}

// frenchSingular returns w without the final s or x of a plural, and reports
// whether w looks like one: ending in s (not ss) or in -eux, and long enough
// not to be a short word such as « bus » or « cas ».
func frenchSingular(w string) (string, bool) {
	if len(w) < 4 {
		return "", false
	}
	if (strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")) || strings.HasSuffix(w, "eux") {
		return w[:len(w)-1], true
	}
	return "", false
}

// validTerm reports whether t can be indexed: not empty, not longer than
// maxWordBytes, and not a single letter (a lone digit is a number worth
// keeping).
func validTerm(t string) bool {
	if len(t) == 1 {
		return t[0] >= '0' && t[0] <= '9'
	}
	return len(t) > 1 && len(t) <= maxWordBytes
}

// lowerNFKC returns word lowercased and in Unicode normal form KC, which the
// stemmer expects: a decomposed « é » would be two runes it does not know, and
// full-width letters (ｅｔａｔ) or ligatures (ﬁ) would be consonants to it.
func lowerNFKC(word string) string {
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			return strings.ToLower(norm.NFKC.String(word))
		}
	}
	return strings.ToLower(word)
}

// singularOux turns the -oux plurals of nouns in -ou (bijoux, cailloux,
// choux, genoux, hiboux, joujoux, poux) into their singular, as Snowball 3
// does: after b, h, j, l, n or p, so that doux, roux and sioux keep their x.
// It also turns jaloux and époux into jalou and épou, which conflates nothing.
func singularOux(w string) string {
	if len(w) >= 4 && strings.HasSuffix(w, "oux") && strings.IndexByte("bhjlnp", w[len(w)-4]) >= 0 {
		return w[:len(w)-1]
	}
	return w
}

// diaeresisMark is a private-use rune put before ï and ë for the stemmer and
// removed from its output (see frenchPreStem).
const diaeresisMark = "\uE000"

// frenchPreStem rewrites a word before stemming. It spells out the œ and æ
// ligatures, which the stemmer does not count as vowels (« sœurs » and
// « soeurs » must stem alike), and marks ï and ë as Snowball 3 does with its
// H: a diaeresis separates the letter from the vowel before it, so that the
// suffixes of « héroïque » and « héroïsme » go and both give hero.
var frenchPreStem = strings.NewReplacer(
	"œ", "oe", "æ", "ae",
	"ï", diaeresisMark+"i", "ë", diaeresisMark+"e",
)

// stemFrench stems a lowercase French word with the Snowball French stemmer
// of kljensen/snowball, which implements the original algorithm, plus the
// corrections of Snowball 3 (whose output is the reference vocabulary) that
// matter for search: the ligatures and the diaeresis (see frenchPreStem), the
// -oux plurals (see singularOux), and the feminine -aise(s), which the
// original algorithm leaves as -ais where it strips the masculine -ais
// (« française » must stem like « français »).
func stemFrench(w string) string {
	w = singularOux(w)
	if strings.HasSuffix(w, "aise") {
		w = w[:len(w)-1]
	} else if strings.HasSuffix(w, "aises") {
		w = w[:len(w)-2]
	}
	if !strings.ContainsAny(w, "œæïë") {
		return french.Stem(w, true)
	}
	for _, end := range [...]string{"ï", "ïs", "ïe", "ïes"} {
		if strings.HasSuffix(w, end) {
			// A final diaeresis (bonsaï, inouïes, maïs) ends the stem in
			// Snowball 3; only the plural and feminine marks go.
			return w[:len(w)-len(end)+len("ï")]
		}
	}
	marked := frenchPreStem.Replace(w)
	s := french.Stem(marked, true)
	cut, isPrefix := strings.CutPrefix(marked, s)
	if !strings.HasSuffix(s, diaeresisMark) || !isPrefix || keepsDiaeresisCut(cut) {
		return strings.ReplaceAll(s, diaeresisMark, "")
	}
	// The stemmer cut right after the mark a verb ending that Snowball 3
	// keeps after a diaeresis (« haïr », « coït », « maïs »): stem the word
	// as written instead.
	return french.Stem(strings.ReplaceAll(marked, diaeresisMark, ""), true)
}

// keepsDiaeresisCut reports whether Snowball 3 also removes suffix, the text
// the stemmer cut right after a diaeresis mark: the noun and adjective
// suffixes of its first step (héroïque, égoïsme, judaïté), not the verb
// endings of its second (haïr).
func keepsDiaeresisCut(suffix string) bool {
	switch strings.ReplaceAll(suffix, diaeresisMark, "") {
	case "e", "es", "ique", "iques", "isme", "ismes", "iste", "istes", "ité", "ités",
		"issement", "issements":
		return true
	}
	return false
}

// stemEnglish stems a lowercase English word with Snowball English.
func stemEnglish(w string) string {
	return english.Stem(w, true)
}

// isApostrophe reports whether r is written as an apostrophe in French text:
// the typewriter ', the typographic ’, and the ‘ and ʼ that keyboards and word
// processors sometimes put in its place.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ'
}

// isWordRune reports whether r belongs to a word: a letter, a decimal digit,
// or a combining mark (part of a decomposed accented letter). The modifier
// letter apostrophe ʼ is a letter for Unicode but an apostrophe for readers.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	if r == 'ʼ' || r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// scanWords calls fn for every maximal run of word runes in text, with the
// byte offset where it ends and whether an apostrophe follows it. Invalid
// UTF-8 bytes separate words like punctuation does.
func scanWords(text string, fn func(raw string, end int, beforeApostrophe bool)) {
	start := -1
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			fn(text[start:i], i, isApostrophe(r))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(text[start:], len(text), false)
	}
}

package search

// The tests of this file read the team's shared French corpora, which are not
// on users' machines: testutil.SharedDir skips them there.

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/kiosque/kiosque/internal/testutil"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// snowball3Differences lists the words of the Snowball French vocabulary for
// which the analyzer does not give the folded reference stem, with the reason.
// The reference is Snowball 3; kljensen/snowball implements the original
// algorithm, and the analyzer only adds the Snowball 3 corrections that
// matter for search (see stemFrench).
var snowball3Differences = map[string]string{
	"jusqu'alors":  "the analyzer drops the jusqu' elision, Snowball 3 keeps it",
	"jusqu'au":     "the analyzer drops the jusqu' elision, Snowball 3 keeps it",
	"jusqu'aux":    "the analyzer drops the jusqu' elision, Snowball 3 keeps it",
	"jusqu'en":     "the analyzer drops the jusqu' elision, Snowball 3 keeps it",
	"jusqu'à":      "the analyzer drops the jusqu' elision, Snowball 3 keeps it",
	"lorsqu'elle":  "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"lorsqu'elles": "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"lorsqu'il":    "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"lorsqu'ils":   "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"lorsqu'on":    "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"lorsqu'un":    "the analyzer drops the lorsqu' elision, Snowball 3 keeps it",
	"puisqu'elle":  "the analyzer drops the puisqu' elision, Snowball 3 keeps it",
	"puisqu'il":    "the analyzer drops the puisqu' elision, Snowball 3 keeps it",

	"beauvais":  "Snowball 3 keeps -ais in a few words",
	"calais":    "Snowball 3 keeps -ais in a few words",
	"malais":    "Snowball 3 keeps -ais in a few words",
	"malaise":   "Snowball 3 keeps -ais in a few words",
	"mauvais":   "Snowball 3 keeps -ais in a few words",
	"mauvaise":  "Snowball 3 keeps -ais in a few words",
	"mauvaises": "Snowball 3 keeps -ais in a few words",
	"niais":     "Snowball 3 keeps -ais in a few words",
	"niaises":   "Snowball 3 keeps -ais in a few words",
	"palais":    "Snowball 3 keeps -ais in a few words",
	"déplaise":  "Snowball 3 keeps -ais in a few words",

	"nie":     "Snowball 3 does not stem ni- verbs to ni",
	"nier":    "Snowball 3 does not stem ni- verbs to ni",
	"nierais": "Snowball 3 does not stem ni- verbs to ni",
	"nierons": "Snowball 3 does not stem ni- verbs to ni",
	"nié":     "Snowball 3 does not stem ni- verbs to ni",
	"niée":    "Snowball 3 does not stem ni- verbs to ni",
	"niées":   "Snowball 3 does not stem ni- verbs to ni",
	"niés":    "Snowball 3 does not stem ni- verbs to ni",

	"héroïcité":     "Snowball 3 also strips -icité and -iquement after a diaeresis",
	"héroïquement":  "Snowball 3 also strips -icité and -iquement after a diaeresis",
	"prosaïquement": "Snowball 3 also strips -icité and -iquement after a diaeresis",

	"es": "stop word (être), never indexed; the original algorithm does not stem two-letter words",
}

// TestSnowballFrenchVocabulary checks the analyzer against the official
// Snowball French vocabulary and its expected stems: each word must give the
// folded stem, stop words included (they are compared although documents
// never index them), except for the documented snowball3Differences.
func TestSnowballFrenchVocabulary(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "french", "snowball")
	words := readLines(t, filepath.Join(dir, "voc.txt"))
	stems := readLines(t, filepath.Join(dir, "output.txt"))
	if len(words) != len(stems) || len(words) == 0 {
		t.Fatalf("voc.txt has %d lines and output.txt %d, want the same non-zero number", len(words), len(stems))
	}
	a := New("fr")
	agree := 0
	differ := make(map[string]bool)
	for i, w := range words {
		got := termsWithStopWords(a, w)
		want := foldedStem(stems[i])
		if slices.Equal(got, want) {
			agree++
			continue
		}
		differ[w] = true
		if _, ok := snowball3Differences[w]; !ok {
			t.Errorf("terms of %q = %q, want %q (Snowball stem %q)", w, got, want, stems[i])
		}
	}
	for w, reason := range snowball3Differences {
		if !differ[w] {
			t.Errorf("%q now gives the Snowball stem: remove it from snowball3Differences (%s)", w, reason)
		}
	}
	t.Logf("%d of %d words give the Snowball 3 stem", agree, len(words))
}

// TestGSDSentences runs the analyzer over every sentence of the French GSD
// treebank and checks that the output is sane: valid terms, most sentences
// indexed, queries that find their own sentence and valid expressions.
func TestGSDSentences(t *testing.T) {
	a := New("fr")
	sentences := readGSDSentences(t)
	var words, terms, empty int
	for _, s := range sentences {
		got := a.Terms(s)
		words += len(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
		terms += len(got)
		if len(got) == 0 {
			empty++
		}
		for _, term := range got {
			if !validTerm(term) || !isFolded(term) {
				t.Errorf("sentence %q gives invalid term %q", s, term)
			}
		}
		doc := a.Document(s)
		if !isSubsequence(got, strings.Fields(doc)) {
			t.Errorf("Document(%q) = %q does not hold Terms %q in order", s, doc, got)
		}
		q := a.Query(s)
		checkExpressions(t, q)
		if !queryFinds(q, doc) && len(got) > 0 {
			t.Errorf("Query(%q) = %q does not find its own sentence %q", s, q.Terms, doc)
		}
	}
	ratio := float64(terms) / float64(words)
	t.Logf("%d sentences, %d words, %d terms (%.0f%%), %d sentences without a term", len(sentences), words, terms, 100*ratio, empty)
	if len(sentences) < 1000 {
		t.Errorf("read %d sentences, want the whole treebank", len(sentences))
	}
	if empty > len(sentences)/100 {
		t.Errorf("%d sentences give no term, want at most 1%%", empty)
	}
	if ratio < 0.35 || ratio > 0.75 {
		t.Errorf("%.0f%% of words give a term, want between 35%% and 75%% (stop words and one-letter words dropped)", 100*ratio)
	}
}

// TestGSDUnaccentedQueries checks, for every word of the GSD treebank, that a
// reader typing it without accents finds the sentence it comes from.
func TestGSDUnaccentedQueries(t *testing.T) {
	a := New("fr")
	accented, failures := 0, 0
	for _, s := range readGSDSentences(t) {
		doc := a.Document(s)
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			plain := stripAccents(w)
			if plain == w || len(a.Terms(w)) == 0 {
				continue // nothing to strip, or a stop word never indexed
			}
			accented++
			if q := a.Query(plain + " "); !queryFinds(q, doc) {
				failures++
				t.Errorf("query %q (%q typed without accents) = %q, not in %q", plain, w, q.Terms, doc)
			}
		}
	}
	t.Logf("%d accented words, %d not found when typed without accents", accented, failures)
}

// TestGSDPluralsMatchLemmas checks, for every plural noun or adjective of the
// GSD treebank, that a search for its lemma (the singular) finds it, and
// measures how often the plural gives the very terms of its lemma, so that a
// search for the plural also finds the singular.
func TestGSDPluralsMatchLemmas(t *testing.T) {
	a := New("fr")
	dir := filepath.Join(testutil.SharedDir(t), "french", "ud-french-gsd")
	seen := make(map[string]bool)
	var notFound, notSame []string
	for _, name := range []string{"fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu"} {
		for _, line := range readLines(t, filepath.Join(dir, name)) {
			f := strings.Split(line, "\t")
			if len(f) < 6 || (f[3] != "NOUN" && f[3] != "ADJ") || !strings.Contains(f[5], "Number=Plur") {
				continue
			}
			form, lemma := strings.ToLower(f[1]), strings.ToLower(f[2])
			if seen[form] {
				continue
			}
			seen[form] = true
			if !slices.Equal(a.Terms(form), a.Terms(lemma)) {
				notSame = append(notSame, form+"≠"+lemma)
			}
			if len(a.Terms(lemma)) == 0 {
				continue // a stop word (pas, quels), never indexed
			}
			if q := a.Query(lemma + " "); !queryFinds(q, a.Document(form)) {
				notFound = append(notFound, form+"≠"+lemma)
			}
		}
	}
	found := 1 - float64(len(notFound))/float64(len(seen))
	same := 1 - float64(len(notSame))/float64(len(seen))
	t.Logf("%d distinct plurals; %.1f%% found by a search for their lemma, missed: %s", len(seen), 100*found, strings.Join(notFound, " "))
	t.Logf("%.1f%% give the terms of their lemma, not: %s", 100*same, strings.Join(notSame, " "))
	if len(seen) < 1000 {
		t.Errorf("read %d plurals, want the whole treebank", len(seen))
	}
	if found < 0.97 {
		t.Errorf("%.1f%% of plurals found by a search for their lemma, want at least 97%%", 100*found)
	}
	if same < 0.94 {
		t.Errorf("%.1f%% of plurals give the terms of their lemma, want at least 94%%", 100*same)
	}
}

// termsWithStopWords returns the terms of text, stop words included.
func termsWithStopWords(a *Analyzer, text string) []string {
	var terms []string
	a.words(text, wordMode{stops: true}, func(w word) { terms = append(terms, w.term) })
	return terms
}

// foldedStem returns the terms a Snowball stem stands for: its words folded,
// without accents, one-letter words dropped. It is written apart from the
// analyzer's own folding so that the test does not check the code with
// itself.
func foldedStem(stem string) []string {
	var terms []string
	for _, w := range strings.FieldsFunc(stripAccents(stem), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = strings.NewReplacer("œ", "oe", "æ", "ae").Replace(w)
		if len(w) > 1 {
			terms = append(terms, w)
		}
	}
	return terms
}

// stripAccents removes the diacritics of s, as a reader who does not type
// them would write it.
func stripAccents(s string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

// queryFinds reports whether the document string doc, as returned by
// Document, holds every term of q (the last as a prefix when q.Prefix is
// set), which is what both databases check.
func queryFinds(q Query, doc string) bool {
	indexed := strings.Fields(doc)
	for i, term := range q.Terms {
		found := slices.ContainsFunc(indexed, func(t string) bool {
			if q.Prefix && i == len(q.Terms)-1 {
				return strings.HasPrefix(t, term)
			}
			return t == term
		})
		if !found {
			return false
		}
	}
	return true
}

// isSubsequence reports whether sub appears in s in order.
func isSubsequence(sub, s []string) bool {
	i := 0
	for _, x := range s {
		if i < len(sub) && sub[i] == x {
			i++
		}
	}
	return i == len(sub)
}

// readGSDSentences returns the text of every sentence of the French GSD
// treebank extract, or skips the test when the shared data is absent.
func readGSDSentences(tb testing.TB) []string {
	tb.Helper()
	path := filepath.Join(testutil.SharedDir(tb), "french", "ud-french-gsd", "sentences.tsv")
	var sentences []string
	for _, line := range readLines(tb, path) {
		if _, text, ok := strings.Cut(line, "\t"); ok {
			sentences = append(sentences, text)
		}
	}
	return sentences
}

// readLines returns the lines of the file at path.
func readLines(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return lines
}

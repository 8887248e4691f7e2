package search

import (
	"slices"
	"strings"
	"testing"
)

// FuzzTerms checks that no input makes the analyzers panic, and that every
// term they produce, in Terms, Document or Query, is made of lowercase ASCII
// letters and digits, the alphabet both databases' tokenizers keep whole.
func FuzzTerms(f *testing.F) {
	for _, seed := range []string{
		"",
		"   ",
		"l'État d’urgence à Palmyre",
		"Qui sont-ils ?",
		"États-Unis, 1er janvier 2024, COVID-19",
		"héroïque laïcité Noël bonsaïs inouïes cœur ŒUVRE",
		"E\u0301tat ＥＴＡＴ ﬁn",
		"caf\xe9 \xff\xfe\xc3",
		`"État" AND (Palmyre OR NEAR(x y))* title:état ^né`,
		`état & !palmyre | (syrie) <-> ruines:* \' ''`,
		"Москва 東京 Αθήνα Gdańsk Łódź",
		"lʼÉtat jusqu'à lorsqu’il qu'",
		strings.Repeat("é", 200),
		strings.Repeat("a'", 100),
	} {
		f.Add(seed)
	}
	analyzers := []*Analyzer{New("fr"), New("en"), New("de")}
	f.Fuzz(func(t *testing.T, text string) {
		for _, a := range analyzers {
			terms := a.Terms(text)
			for _, term := range terms {
				if !validTerm(term) || !isFolded(term) {
					t.Fatalf("%s: Terms(%q) holds invalid term %q", a.Lang(), text, term)
				}
			}
			if got := a.AppendTerms([]string{"x"}, text); len(got) != len(terms)+1 || got[0] != "x" || !slices.Equal(got[1:], terms) {
				t.Fatalf("%s: AppendTerms(%q) = %q, want x then %q", a.Lang(), text, got, terms)
			}
			doc := a.Document(text)
			indexed := strings.Fields(doc)
			if strings.Join(indexed, " ") != doc {
				t.Fatalf("%s: Document(%q) = %q, not terms joined by single spaces", a.Lang(), text, doc)
			}
			for _, term := range indexed {
				if !validTerm(term) || !isFolded(term) {
					t.Fatalf("%s: Document(%q) holds invalid term %q", a.Lang(), text, term)
				}
			}
			if !isSubsequence(terms, indexed) {
				t.Fatalf("%s: Document(%q) = %q does not hold Terms %q in order", a.Lang(), text, doc, terms)
			}
			q := a.Query(text)
			if len(q.Terms) > MaxQueryTerms {
				t.Fatalf("%s: Query(%q) has %d terms", a.Lang(), text, len(q.Terms))
			}
			for i, term := range q.Terms {
				if !validTerm(term) || !isFolded(term) || slices.Contains(q.Terms[:i], term) {
					t.Fatalf("%s: Query(%q) = %q holds an invalid or repeated term", a.Lang(), text, q.Terms)
				}
			}
			if err := validExpressions(q); err != nil {
				t.Fatalf("%s: Query(%q): %v", a.Lang(), text, err)
			}
			if len(text) <= maxQueryBytes && len(terms) > 0 && !queryFinds(q, doc) {
				t.Fatalf("%s: Query(%q) = %q does not find its own text %q", a.Lang(), text, q.Terms, doc)
			}
		}
	})
}

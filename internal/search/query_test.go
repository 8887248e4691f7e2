package search

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuery(t *testing.T) {
	sixteen := "10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25"
	tests := []struct {
		name  string
		query string
		want  Query
	}{
		{name: "OK", query: "l'État Palmyre", want: Query{Terms: []string{"etat", "palmyr"}, Prefix: true}},
		{name: "TrailingSpace", query: "l'État Palmyre ", want: Query{Terms: []string{"etat", "palmyr"}}},
		{name: "TrailingPunctuation", query: "l'État Palmyre ?", want: Query{Terms: []string{"etat", "palmyr"}}},
		{name: "TypingAWord", query: "élections munic", want: Query{Terms: []string{"elect", "munic"}, Prefix: true}},
		{name: "Deduplicated", query: "état États etat", want: Query{Terms: []string{"etat"}, Prefix: true}},
		{name: "DeduplicatedLastTermNotLast", query: "état Palmyre États", want: Query{Terms: []string{"etat", "palmyr"}}},
		{name: "StopWordsDropped", query: "le président de la République", want: Query{Terms: []string{"president", "republ"}, Prefix: true}},
		{name: "FinalStopWordDropped", query: "élections le", want: Query{Terms: []string{"elect"}}},
		{name: "OnlyStopWordsKept", query: "Qui sont-ils", want: Query{Terms: []string{"qui", "sont", "il"}, Prefix: true}},
		{name: "OnlyStopWordsDeduplicated", query: "le la les", want: Query{Terms: []string{"le", "la"}}},
		{name: "OnlySingleLetters", query: "à y a", want: Query{}},
		{name: "OnlyElision", query: "l'", want: Query{}},
		{name: "Empty", query: "", want: Query{}},
		{name: "WhitespaceOnly", query: " \t \n", want: Query{}},
		{name: "Numbers", query: "1er janvier 2024", want: Query{Terms: []string{"1er", "janvi", "2024"}, Prefix: true}},
		{name: "AtMostSixteenTerms", query: sixteen + " 26 27", want: Query{Terms: strings.Fields(sixteen)}},
		{name: "SixteenTermsPrefix", query: sixteen, want: Query{Terms: strings.Fields(sixteen), Prefix: true}},
		{name: "SixteenAfterDeduplication", query: sixteen + " 10 11 état", want: Query{Terms: strings.Fields(sixteen)}},
		{name: "LongQueryTruncated", query: strings.Repeat("é", 2000) + " etat", want: Query{}},
	}
	a := New("fr")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Query(tt.query)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Query(%q) mismatch (-want +got):\n%s", tt.query, diff)
			}
			if got.Empty() != (len(tt.want.Terms) == 0) {
				t.Errorf("Query(%q).Empty() = %v", tt.query, got.Empty())
			}
		})
	}
}

func TestQueryExpressions(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		wantFTS5 string
		wantTSQ  string
	}{
		{name: "OK", query: "État Palmyre", wantFTS5: `"etat" AND "palmyr"*`, wantTSQ: `'etat' & 'palmyr':*`},
		{name: "NoPrefix", query: "État Palmyre ", wantFTS5: `"etat" AND "palmyr"`, wantTSQ: `'etat' & 'palmyr'`},
		{name: "Empty", query: "", wantFTS5: "", wantTSQ: ""},
		{name: "DoubleQuotes", query: `"État" "Palmyre"`, wantFTS5: `"etat" AND "palmyr"`, wantTSQ: `'etat' & 'palmyr'`},
		{name: "UnbalancedQuote", query: `"État`, wantFTS5: `"etat"*`, wantTSQ: `'etat':*`},
		{name: "SingleQuotes", query: `'État' d'Palmyre'`, wantFTS5: `"etat" AND "palmyr"`, wantTSQ: `'etat' & 'palmyr'`},
		{name: "Parentheses", query: "(État OR (Palmyre", wantFTS5: `"etat" AND "or" AND "palmyr"*`, wantTSQ: `'etat' & 'or' & 'palmyr':*`},
		{name: "Star", query: "Pal* *", wantFTS5: `"pal"`, wantTSQ: `'pal'`},
		{name: "ColonFilter", query: "title:état body : palmyre", wantFTS5: `"titl" AND "etat" AND "body" AND "palmyr"*`, wantTSQ: `'titl' & 'etat' & 'body' & 'palmyr':*`},
		{name: "TSQueryOperators", query: "état & !palmyre | (syrie) <-> ruines:*", wantFTS5: `"etat" AND "palmyr" AND "syr" AND "ruin"`, wantTSQ: `'etat' & 'palmyr' & 'syr' & 'ruin'`},
		{name: "FTS5Keywords", query: "NEAR(état palmyre, 5) AND NOT ruines OR x", wantFTS5: `"near" AND "etat" AND "palmyr" AND "5" AND "and" AND "not" AND "ruin" AND "or"`, wantTSQ: `'near' & 'etat' & 'palmyr' & '5' & 'and' & 'not' & 'ruin' & 'or'`},
		{name: "Caret", query: "^état", wantFTS5: `"etat"*`, wantTSQ: `'etat':*`},
		{name: "Backslashes", query: `\état\ \'palmyre\\`, wantFTS5: `"etat" AND "palmyr"`, wantTSQ: `'etat' & 'palmyr'`},
		{name: "SQLInjection", query: `'); DROP TABLE articles; --`, wantFTS5: `"drop" AND "tabl" AND "articl"`, wantTSQ: `'drop' & 'tabl' & 'articl'`},
		{name: "OnlySyntax", query: `"*:&|!()^\' -- NEAR AND`, wantFTS5: `"near" AND "and"*`, wantTSQ: `'near' & 'and':*`},
		{name: "NothingLeft", query: `"*:&|!()^\'`, wantFTS5: "", wantTSQ: ""},
	}
	a := New("fr")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := a.Query(tt.query)
			if got := q.FTS5(); got != tt.wantFTS5 {
				t.Errorf("FTS5() = %s, want %s", got, tt.wantFTS5)
			}
			if got := q.TSQuery(); got != tt.wantTSQ {
				t.Errorf("TSQuery() = %s, want %s", got, tt.wantTSQ)
			}
			checkExpressions(t, q)
		})
	}
}

func TestQueryExpressionsEscapeHandBuiltTerms(t *testing.T) {
	tests := []struct {
		name     string
		query    Query
		wantFTS5 string
		wantTSQ  string
	}{
		{name: "Quotes", query: Query{Terms: []string{`it"s`, `o'neil`}}, wantFTS5: `"it""s" AND "o'neil"`, wantTSQ: `'it"s' & 'o''neil'`},
		{name: "Backslash", query: Query{Terms: []string{`a\`}, Prefix: true}, wantFTS5: `"a\"*`, wantTSQ: `'a\\':*`},
		{name: "EmptyTermsSkipped", query: Query{Terms: []string{"", "etat", ""}}, wantFTS5: `"etat"`, wantTSQ: `'etat'`},
		{name: "OnlyEmptyTerms", query: Query{Terms: []string{""}, Prefix: true}, wantFTS5: "", wantTSQ: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.query.FTS5(); got != tt.wantFTS5 {
				t.Errorf("FTS5() = %s, want %s", got, tt.wantFTS5)
			}
			if got := tt.query.TSQuery(); got != tt.wantTSQ {
				t.Errorf("TSQuery() = %s, want %s", got, tt.wantTSQ)
			}
		})
	}
}

var (
	// fts5Grammar is the only shape FTS5 may return for an analyzed query.
	fts5Grammar = regexp.MustCompile(`^"[a-z0-9]+"( AND "[a-z0-9]+")*\*?$`)
	fts5Term    = regexp.MustCompile(`"([a-z0-9]+)"`)
	// tsqueryGrammar is the only shape TSQuery may return for an analyzed
	// query.
	tsqueryGrammar = regexp.MustCompile(`^'[a-z0-9]+'( & '[a-z0-9]+')*(:\*)?$`)
	tsqueryTerm    = regexp.MustCompile(`'([a-z0-9]+)'`)
)

// checkExpressions fails the test unless both expressions of q, a query built
// by Analyzer.Query, are valid and made only of q's terms, with the prefix
// operator exactly when q.Prefix is set.
func checkExpressions(tb testing.TB, q Query) {
	tb.Helper()
	if err := validExpressions(q); err != nil {
		tb.Error(err)
	}
}

// validExpressions reports why the expressions of q are not what FTS5 and
// to_tsquery must receive, or nil.
func validExpressions(q Query) error {
	fts, tsq := q.FTS5(), q.TSQuery()
	if q.Empty() {
		if fts != "" || tsq != "" {
			return fmt.Errorf("empty query gives FTS5 %q and TSQuery %q, want empty", fts, tsq)
		}
		return nil
	}
	if !fts5Grammar.MatchString(fts) {
		return fmt.Errorf("FTS5() = %q, not a conjunction of quoted terms", fts)
	}
	if !tsqueryGrammar.MatchString(tsq) {
		return fmt.Errorf("TSQuery() = %q, not a conjunction of quoted terms", tsq)
	}
	if got := strings.HasSuffix(fts, "*"); got != q.Prefix {
		return fmt.Errorf("FTS5() = %q, prefix %v, want %v", fts, got, q.Prefix)
	}
	if got := strings.HasSuffix(tsq, ":*"); got != q.Prefix {
		return fmt.Errorf("TSQuery() = %q, prefix %v, want %v", tsq, got, q.Prefix)
	}
	for _, e := range []struct {
		expr string
		re   *regexp.Regexp
	}{{fts, fts5Term}, {tsq, tsqueryTerm}} {
		var terms []string
		for _, m := range e.re.FindAllStringSubmatch(e.expr, -1) {
			terms = append(terms, m[1])
		}
		if diff := cmp.Diff(q.Terms, terms); diff != "" {
			return fmt.Errorf("expression %q terms mismatch (-want +got):\n%s", e.expr, diff)
		}
	}
	return nil
}

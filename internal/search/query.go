package search

import (
	"slices"
	"strings"
)

// MaxQueryTerms is the number of terms a query keeps: enough for any real
// search, and a bound on the work a pasted essay can ask of the database.
const MaxQueryTerms = 16

// maxQueryBytes bounds the part of a query that is analyzed: far more than
// MaxQueryTerms words need, so that a pasted book costs no more than a page.
const maxQueryBytes = 2048

// Query is a reader's search, analyzed like the documents it is matched
// against. Build one with Analyzer.Query; the FTS5 and TSQuery expressions
// are then made only of analyzed terms, whatever the reader typed.
type Query struct {
	// Terms are the analyzed terms, deduplicated, in the reader's order, at
	// most MaxQueryTerms. An article matches when it holds all of them.
	Terms []string
	// Prefix reports whether the last term also matches the terms it starts,
	// because the reader may still be typing it (search-as-you-type): the
	// query ended on that word, with nothing after it, not even a space or a
	// full stop. The prefix is the stem of the partial word, since stems are
	// what is indexed: « élect » then finds « élection »; « élect » followed
	// by a space looks for the term elect only.
	Prefix bool
}

// Query analyzes the reader's query q. Stop words are dropped as in
// documents, except when the query has nothing else (« Qui sont-ils ? »): it
// then keeps them, so that it stays a real query, which finds nothing since
// documents never index stop words, rather than an empty one that callers
// would take for "no search". Only the first 2 KiB of q are read.
func (a *Analyzer) Query(q string) Query {
	truncated := len(q) > maxQueryBytes
	if truncated {
		q = q[:maxQueryBytes]
	}
	var content, stops []string
	lastContent, lastStop := "", ""
	a.words(q, wordMode{stops: true}, func(w word) {
		last := ""
		if w.final && !truncated {
			last = w.term
		}
		if w.stop {
			stops = append(stops, w.term)
			lastStop = last
		} else {
			content = append(content, w.term)
			lastContent = last
		}
	})
	terms, last := content, lastContent
	if len(terms) == 0 {
		terms, last = stops, lastStop
	}
	var out Query
	for _, t := range terms {
		if len(out.Terms) == MaxQueryTerms {
			break
		}
		if !slices.Contains(out.Terms, t) {
			out.Terms = append(out.Terms, t)
		}
	}
	out.Prefix = last != "" && out.Terms[len(out.Terms)-1] == last
	return out
}

// Empty reports whether the query has no term, so that there is nothing to
// search for: FTS5 and TSQuery then return "", which neither database accepts
// as a search.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// FTS5 returns the query as an SQLite FTS5 MATCH expression in which every
// term is required and written as a quoted string, so that no reader input is
// read as FTS5 syntax (AND, NEAR, column filters, ^): "etat" AND "palmyr".
// When Prefix is set the last string is followed by *, a prefix query:
// "etat" AND "palmyr"*. Quotes in a term are doubled, so that a Query built
// by hand cannot break the syntax either; empty terms are skipped. It returns
// "" for an empty query.
func (q Query) FTS5() string {
	var b strings.Builder
	for _, t := range q.Terms {
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" AND ")
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
		b.WriteByte('"')
	}
	if q.Prefix && b.Len() > 0 {
		b.WriteByte('*')
	}
	return b.String()
}

// TSQuery returns the query as a PostgreSQL to_tsquery('simple', …)
// expression with the same meaning as FTS5: every term required and quoted,
// and :* on the last one when Prefix is set: 'etat' & 'palmyr':*. Quotes and
// backslashes in a term are doubled, so that a Query built by hand cannot
// break the syntax either; empty terms are skipped. It returns "" for an
// empty query.
func (q Query) TSQuery() string {
	var b strings.Builder
	for _, t := range q.Terms {
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" & ")
		}
		b.WriteByte('\'')
		for j := 0; j < len(t); j++ {
			if t[j] == '\'' || t[j] == '\\' {
				b.WriteByte(t[j])
			}
			b.WriteByte(t[j])
		}
		b.WriteByte('\'')
	}
	if q.Prefix && b.Len() > 0 {
		b.WriteString(":*")
	}
	return b.String()
}

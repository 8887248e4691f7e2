package storage

import (
	"html"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kiosque/kiosque/internal/shop"
)

// analyze fills the row's search terms (see titleTerms, nameTerms) and
// those of the rest: subject headings and the description's text.
func (s *CatalogStore) analyze(r *bookRow) {
	if r.analyzed {
		return
	}
	b := r.b
	r.title, r.names, r.terms = s.titleTerms(b), s.nameTerms(b), s.restTerms(b)
	r.analyzed = true
}

// restTerms returns the search terms of a book's subject headings and
// description, which the catalogue index does not keep (the text index
// takes the title's and names' from it).
func (s *CatalogStore) restTerms(b *shop.Book) string {
	text := make([]string, 0, len(b.Subjects)+1)
	for _, sub := range b.Subjects {
		text = append(text, sub.Heading)
	}
	text = append(text, htmlText(b.Description))
	return s.document(text...)
}

// titleTerms returns the search terms of a book's title, subtitle and
// series.
func (s *CatalogStore) titleTerms(b *shop.Book) string {
	return s.document(b.Title, b.Subtitle, b.Series)
}

// nameTerms returns the search terms of a book's names: contributors,
// publisher and imprint, with its ISBN.
func (s *CatalogStore) nameTerms(b *shop.Book) string {
	names := make([]string, 0, len(b.Contributors)+3)
	for _, c := range b.Contributors {
		names = append(names, c.Name)
	}
	names = append(names, b.Publisher, b.Imprint, b.ISBN)
	return s.document(names...)
}

// wordCacheSize bounds the words a wordCache holds; it starts afresh when
// full.
const wordCacheSize = 200_000

// wordCache remembers what search.Analyzer.Document gives for single
// words. Stemming is most of the cost of importing a book, and a catalogue
// repeats its words: on 100,000 generated books the cache makes analysis
// ten times faster.
type wordCache struct {
	mu sync.RWMutex
	m  map[string][]string
}

// document returns the distinct terms s.an.Document(fields...) gives,
// each once and in the order it first comes: the index needs to know
// which terms a book holds, not how often, since searches rank by where
// the terms are (see order), and each repeated term would cost the import
// and the index for nothing. It analyzes each word (a run of text
// between spaces) once: Document analyzes words one by one, and a word
// never spans a space.
func (s *CatalogStore) document(fields ...string) string {
	var b strings.Builder
	var seen termSet
	c := s.words
	for _, f := range fields {
		for _, w := range strings.Fields(f) {
			c.mu.RLock()
			terms, ok := c.m[w]
			c.mu.RUnlock()
			if !ok {
				terms = strings.Fields(s.an.Document(w))
				c.mu.Lock()
				if c.m == nil || len(c.m) >= wordCacheSize {
					c.m = make(map[string][]string, 1024)
				}
				c.m[strings.Clone(w)] = terms
				c.mu.Unlock()
			}
			for _, t := range terms {
				if !seen.add(t) {
					continue
				}
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t)
			}
		}
	}
	return b.String()
}

// termSet is a set of terms: a slice while small (titles and names, the
// most of them), a map beyond, so that the index's load, which analyzes
// every title, allocates no map for most books.
type termSet struct {
	few  []string
	many map[string]struct{}
}

// add adds t and reports whether it was not in the set.
func (s *termSet) add(t string) bool {
	if s.many != nil {
		if _, ok := s.many[t]; ok {
			return false
		}
		s.many[t] = struct{}{}
		return true
	}
	for _, x := range s.few {
		if x == t {
			return false
		}
	}
	if len(s.few) < 32 {
		s.few = append(s.few, t)
		return true
	}
	s.many = make(map[string]struct{}, 128)
	for _, x := range s.few {
		s.many[x] = struct{}{}
	}
	s.many[t] = struct{}{}
	return true
}

// htmlText returns the text of sanitized HTML: tags dropped (a block
// tag separates words), entities decoded.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteByte(' ')
		s = s[i+j+1:]
	}
	return html.UnescapeString(b.String())
}

// sortTitle returns the key of the alphabetical order: the title
// lowercased, without accents and without leading punctuation, so that
// « Éloge » sorts among the e and « « Zazie » » among the z.
func sortTitle(title string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case b.Len() == 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

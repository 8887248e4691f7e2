package locale

import (
	"fmt"
	"slices"
	"strings"
)

// Printer prints the messages of one language and formats dates and numbers
// its way. Printers are immutable and safe for concurrent use; get one from
// Catalog.Printer.
type Printer struct {
	lang Lang
	msgs map[string]message
}

// Lang returns the language of p.
func (p *Printer) Lang() Lang {
	return p.lang
}

// Has reports whether the catalogue has a message, plain or plural, for key.
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// T returns the plain message key, with args substituted for its fmt verbs.
// An unknown key, or the key of a plural message (use N), returns the key
// itself, so the mistake shows on the page instead of breaking it.
func (p *Printer) T(key string, args ...any) string {
	m, ok := p.msgs[key]
	if !ok || m.plural {
		return key
	}
	if len(args) == 0 && strings.IndexByte(m.text, '%') < 0 {
		return m.text
	}
	return fmt.Sprintf(m.text, p.localArgs(args)...)
}

// EuroCents is an amount of euros in cents given to a message: T writes it
// the reader's way ("1 234,50 €", "€1,234.50"). Domain errors carry amounts
// as EuroCents, since they do not know who will read them.
type EuroCents int64

// localArgs returns args with EuroCents written in p's language.
func (p *Printer) localArgs(args []any) []any {
	var out []any
	for i, a := range args {
		if c, ok := a.(EuroCents); ok {
			if out == nil {
				out = slices.Clone(args)
			}
			out[i] = p.Money(int64(c), "EUR")
		}
	}
	if out == nil {
		return args
	}
	return out
}

// N returns the form of the plural message key that suits the count n, with
// n as the first fmt argument and args after it: N("search.results", 2, q)
// prints "%d résultats pour « %s »" with n and q. French uses the "one" form
// for 0 and 1 ("0 commentaire"), English for 1 only ("0 comments"); both
// look at the absolute value of n. An unknown key, or the key of a plain
// message (use T), returns the key itself.
func (p *Printer) N(key string, n int, args ...any) string {
	m, ok := p.msgs[key]
	if !ok || !m.plural {
		return key
	}
	form := m.text
	if p.lang.isOne(n) {
		form = m.one
	}
	all := make([]any, 0, 1+len(args))
	all = append(all, n)
	all = append(all, args...)
	return fmt.Sprintf(form, p.localArgs(all)...)
}

// isOne reports whether n takes the "one" plural form in l, following the
// CLDR rules for integers: French i = 0,1; English i = 1. The French "many"
// form of CLDR (« 1 million de … ») is not used: such counts take "other".
func (l Lang) isOne(n int) bool {
	if n < 0 {
		n = -n // CLDR operands are absolute values; -MinInt stays negative and takes "other".
	}
	if l == English {
		return n == 1
	}
	return n == 0 || n == 1
}

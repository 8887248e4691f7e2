package storage

import (
	"math"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// ixBook is what the index keeps of a book: no pointer but to strings and
// prices, which searches only read for the books they sort.
type ixBook struct {
	id int64
	// published is the publication date in Unix seconds, math.MinInt64
	// when unknown (last of the newest first).
	published int64
	sortTitle string
	isbn      string
	prices    []shop.Price
	// publisher, main (the main subject, see mainSubject) and the codes
	// are interned numbers, 0 when empty.
	publisher, main           uint32
	status, format, condition uint32
	stock                     int32
	notSoldAlone, trackStock  bool
	// gone marks a row whose book was deleted, until the next rebuild.
	gone bool
	// off is where the row's lists start in the arena: the contributors'
	// names, the authors (as Book.Authors gives them), the subjects with a
	// code, then the search terms of the title and of the names.
	off                                       uint32
	nNames, nAuthors, nSubjects, nTitle, nTNm uint16
}

func (ix *catalogIndex) namesOf(e *ixBook) []uint32 { return ix.arena[e.off : e.off+uint32(e.nNames)] }

func (ix *catalogIndex) authorsOf(e *ixBook) []uint32 {
	o := e.off + uint32(e.nNames)
	return ix.arena[o : o+uint32(e.nAuthors)]
}

func (ix *catalogIndex) subjectsOf(e *ixBook) []uint32 {
	o := e.off + uint32(e.nNames) + uint32(e.nAuthors)
	return ix.arena[o : o+uint32(e.nSubjects)]
}

func (ix *catalogIndex) titleTermsOf(e *ixBook) []uint32 {
	o := e.off + uint32(e.nNames) + uint32(e.nAuthors) + uint32(e.nSubjects)
	return ix.arena[o : o+uint32(e.nTitle)]
}

func (ix *catalogIndex) nameTermsOf(e *ixBook) []uint32 {
	o := e.off + uint32(e.nNames) + uint32(e.nAuthors) + uint32(e.nSubjects) + uint32(e.nTitle)
	return ix.arena[o : o+uint32(e.nTNm)]
}

func (e *ixBook) listLen() int {
	return int(e.nNames) + int(e.nAuthors) + int(e.nSubjects) + int(e.nTitle) + int(e.nTNm)
}

// book returns the row of a book, nil if the index has none.
func (ix *catalogIndex) book(id int64) *ixBook {
	var p int32
	if ix.dense != nil {
		if id < 0 || id >= int64(len(ix.dense)) || ix.dense[id] == 0 {
			return nil
		}
		p = ix.dense[id] - 1
	} else {
		var ok bool
		if p, ok = ix.pos[id]; !ok {
			return nil
		}
	}
	if ix.rows[p].gone {
		return nil
	}
	return &ix.rows[p]
}

// interner numbers strings from 1; 0 stands for the empty string.
type interner struct {
	ids  map[string]uint32
	strs []string
}

func (in *interner) id(s string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	if in.ids == nil {
		in.ids = make(map[string]uint32)
		in.strs = []string{""}
	}
	id := uint32(len(in.strs)) //nolint:gosec // G115: interned strings are far fewer than 2^32
	in.ids[s] = id
	in.strs = append(in.strs, s)
	return id
}

// lookup returns the number of s, false when s was never interned.
func (in *interner) lookup(s string) (uint32, bool) {
	id, ok := in.ids[s]
	return id, ok
}

func (in *interner) str(id uint32) string {
	if int(id) >= len(in.strs) {
		return ""
	}
	return in.strs[id]
}

func (in *interner) len() int { return max(len(in.strs), 1) }

// entry returns the row of a loaded book, its lists appended to the
// arena; ix.mu is held for writing.
func (ix *catalogIndex) entry(r *bookRow) ixBook {
	b := r.b
	e := ixBook{id: b.ID, published: math.MinInt64, sortTitle: r.sortTitle, isbn: b.ISBN, prices: b.Prices,
		publisher: ix.publishers.id(b.Publisher), status: ix.codes.id(string(b.Status)), format: ix.codes.id(string(b.Format)),
		condition: ix.codes.id(string(b.Condition)), stock: int32(min(b.Stock, math.MaxInt32)), notSoldAlone: b.NotSoldAlone, //nolint:gosec // G115: clamped to MaxInt32 just before
		trackStock: b.TrackStock, off: uint32(len(ix.arena))} //nolint:gosec // G115: the arena stays under 2^32 numbers
	if !b.PublishedOn.IsZero() {
		e.published = b.PublishedOn.Unix()
	}
	for _, c := range b.Contributors {
		ix.arena = append(ix.arena, ix.names.id(c.Name))
	}
	for _, name := range b.Authors() {
		ix.arena = append(ix.arena, ix.names.id(name))
	}
	e.nNames = uint16(len(b.Contributors))                          //nolint:gosec // G115: a book has far fewer than 65,536 contributors
	e.nAuthors = uint16(len(ix.arena) - int(e.off) - int(e.nNames)) //nolint:gosec // G115: a book has far fewer than 65,536 contributors
	for _, sub := range b.Subjects {
		if sub.Code == "" {
			continue
		}
		id := ix.subjects.id(shop.SubjectKey{Scheme: sub.Scheme, Code: sub.Code}.String())
		for int(id) >= len(ix.headings) {
			ix.headings = append(ix.headings, "")
			ix.keyword = append(ix.keyword, false)
		}
		if sub.Heading != "" {
			ix.headings[id] = sub.Heading
		}
		ix.keyword[id] = sub.Scheme == "keyword"
		ix.arena = append(ix.arena, id)
		e.nSubjects++
	}
	if m, ok := mainSubject(b); ok && m.Code != "" {
		e.main, _ = ix.subjects.lookup(shop.SubjectKey{Scheme: m.Scheme, Code: m.Code}.String())
	}
	e.nTitle = ix.appendTerms(r.title)
	e.nTNm = ix.appendTerms(r.names)
	return e
}

// appendTerms appends the distinct terms of doc to the arena and returns
// how many.
func (ix *catalogIndex) appendTerms(doc string) uint16 {
	start := len(ix.arena)
	for t := range strings.FieldsSeq(doc) {
		id := ix.terms.id(t)
		if !containsID(ix.arena[start:], id) && len(ix.arena)-start < math.MaxUint16 {
			ix.arena = append(ix.arena, id)
		}
	}
	return uint16(len(ix.arena) - start) //nolint:gosec // G115: a book has far fewer than 65,536 subjects or terms
}

func containsID(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// priceAt returns the book's price at t (its latest price when t is
// zero), and false when it has none then: the price with the latest
// start among those in effect, a price without a start being the oldest.
func (e *ixBook) priceAt(t time.Time) (int64, bool) {
	var best *shop.Price
	for i := range e.prices {
		p := &e.prices[i]
		if !t.IsZero() && ((!p.From.IsZero() && p.From.After(t)) || (!p.Until.IsZero() && !p.Until.After(t))) {
			continue
		}
		if best == nil || (!p.From.IsZero() && (best.From.IsZero() || p.From.After(best.From))) {
			best = p
		}
	}
	if best == nil {
		return 0, false
	}
	return best.Cents, true
}

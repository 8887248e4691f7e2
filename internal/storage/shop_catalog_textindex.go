package storage

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/shop"
)

// textCompactAt is the number of changed books the text index keeps apart
// (see textIndex.changed) before it merges them into its postings: each
// search tests them one by one, and a merge costs about as much as a
// tenth of a full build.
const textCompactAt = 2048

// textReadChunk is the number of books whose descriptions a build reads
// and analyzes at a time, so that the text of the whole catalogue (100 MB
// for 100,000 books) is never in memory at once.
const textReadChunk = 2000

// textIndex answers text queries in memory, as the database's text
// index (SQLite FTS5, PostgreSQL GIN) would, from the same analyzed terms:
// those of the title, of the names and of the rest (subject headings and
// description), which analyze writes to the database. For a common word or
// a short prefix the databases return tens of thousands of IDs, which
// PostgreSQL reads row by row (25 ms and more); here it is a few bitmap
// operations. Every term of a query must be in a book, the last one as a
// prefix when the reader is still typing it, exactly as FTS5's "a" AND "b"*
// and PostgreSQL's 'a' & 'b':* match.
//
// The postings are numbered by doc, a book's rank in the IDs of the last
// build. A term's postings are a bitmap of the docs when that is smaller
// (a term in more than about one book in eight), else the gaps between its
// docs as uvarints: 11 MB of postings and 22 MB of heap in all for the
// 100,000 generated books of the benchmarks (122,000 terms). A prefix is a
// range of the sorted dictionary, every term of which goes into the union:
// there is no cap on the expansion, since results must be the databases'
// and a union into a bitmap costs the postings it reads, not the terms it
// expands to: on those 100,000 books the worst prefixes (« 9 », the
// 92,600 ISBNs; « t », 2,800 terms) take 3 to 4 ms.
//
// Changed books are kept apart, with their terms, and their docs marked
// dead, until textCompactAt of them are merged into new postings.
type textIndex struct {
	// docs are the IDs of the books of the postings, ascending.
	docs []int64
	// dict is the sorted dictionary; term i's postings are
	// bits[lo[i]:hi[i]] when dense[i], else gaps[lo[i]:hi[i]].
	dict   []string
	lo, hi []uint32
	dense  []bool
	gaps   []byte
	bits   []uint64
	// dead marks the docs whose book changed or was deleted since the
	// build; changed has the terms of those books now, sorted (nil for a
	// deleted book).
	dead    []uint64
	changed map[int64][]string
}

// textBuilder gathers postings for a textIndex.
type textBuilder struct {
	docs []int64
	post map[string][]uint32
}

// add records that doc holds the terms of docTerms (terms separated by
// spaces, repeats allowed); docs must come in ascending order.
func (b *textBuilder) add(doc uint32, docTerms ...string) {
	for _, s := range docTerms {
		for t := range strings.FieldsSeq(s) {
			b.addTerm(doc, t)
		}
	}
}

// addTerm records that doc holds the term t, as add does.
func (b *textBuilder) addTerm(doc uint32, t string) {
	l := b.post[t]
	if len(l) == 0 || l[len(l)-1] != doc {
		if l == nil {
			t = strings.Clone(t)
		}
		b.post[t] = append(l, doc)
	}
}

// encode returns the index of what b gathered.
func (b *textBuilder) encode() *textIndex {
	x := &textIndex{docs: b.docs, changed: map[int64][]string{}, dead: make([]uint64, len(b.docs)/64+1)}
	x.dict = make([]string, 0, len(b.post))
	for t, l := range b.post {
		if len(l) > 0 {
			x.dict = append(x.dict, t)
		}
	}
	slices.Sort(x.dict)
	words := len(b.docs)/64 + 1
	x.lo, x.hi = make([]uint32, len(x.dict)), make([]uint32, len(x.dict))
	x.dense = make([]bool, len(x.dict))
	// A first pass sizes each term's gaps, to choose its form and to
	// allocate the postings once.
	var buf [binary.MaxVarintLen32]byte
	var gapLen, bitLen int
	for i, t := range x.dict {
		n := 0
		prev := uint32(0)
		for _, d := range b.post[t] {
			n += binary.PutUvarint(buf[:], uint64(d-prev))
			prev = d
		}
		if n > words*8 {
			x.dense[i] = true
			bitLen += words
		} else {
			gapLen += n
		}
	}
	x.gaps, x.bits = make([]byte, 0, gapLen), make([]uint64, 0, bitLen)
	for i, t := range x.dict {
		l := b.post[t]
		if x.dense[i] {
			start := len(x.bits)
			x.bits = append(x.bits, make([]uint64, words)...)
			for _, d := range l {
				x.bits[start+int(d/64)] |= 1 << (d % 64)
			}
			x.lo[i], x.hi[i] = uint32(start), uint32(len(x.bits)) //nolint:gosec // G115: the index holds far fewer than 2^32 words
			continue
		}
		start := len(x.gaps)
		prev := uint32(0)
		for _, d := range l {
			x.gaps = binary.AppendUvarint(x.gaps, uint64(d-prev))
			prev = d
		}
		x.lo[i], x.hi[i] = uint32(start), uint32(len(x.gaps)) //nolint:gosec // G115: the index holds far fewer than 2^32 bytes
	}
	b.post = nil
	return x
}

// span returns the postings of term i: its bitmap, or its gaps.
func (x *textIndex) span(i int) ([]uint64, []byte) {
	if x.dense[i] {
		return x.bits[x.lo[i]:x.hi[i]], nil
	}
	return nil, x.gaps[x.lo[i]:x.hi[i]]
}

// or adds the docs of term i to acc.
func (x *textIndex) or(acc []uint64, i int) {
	bm, gaps := x.span(i)
	if bm != nil {
		for k, w := range bm {
			acc[k] |= w
		}
		return
	}
	d := uint64(0)
	for len(gaps) > 0 {
		g, n := binary.Uvarint(gaps)
		gaps = gaps[n:]
		d += g
		acc[d/64] |= 1 << (d % 64)
	}
}

// lookup returns the number of term t in the dictionary, -1 if none.
func (x *textIndex) lookup(t string) int {
	i, ok := slices.BinarySearch(x.dict, t)
	if !ok {
		return -1
	}
	return i
}

// prefixRange returns the range of the dictionary's terms starting with p.
func (x *textIndex) prefixRange(p string) (int, int) {
	lo := sort.SearchStrings(x.dict, p)
	hi := lo + sort.Search(len(x.dict)-lo, func(k int) bool { return !strings.HasPrefix(x.dict[lo+k], p) })
	return lo, hi
}

// match returns the IDs of the books holding every term of q, the last
// one as a prefix when q.Prefix, in ascending order.
func (x *textIndex) match(q search.Query) []int64 {
	terms, prefix := q.Terms, ""
	if q.Prefix && len(terms) > 0 {
		prefix = terms[len(terms)-1]
		terms = terms[:len(terms)-1]
	}
	terms = slices.DeleteFunc(slices.Clone(terms), func(t string) bool { return t == "" })
	if len(terms) == 0 && prefix == "" {
		return nil
	}
	words := len(x.docs)/64 + 1
	var acc, tmp []uint64
	and := func(fill func([]uint64)) {
		if acc == nil {
			acc = make([]uint64, words)
			fill(acc)
			return
		}
		if tmp == nil {
			tmp = make([]uint64, words)
		} else {
			clear(tmp)
		}
		fill(tmp)
		for k := range acc {
			acc[k] &= tmp[k]
		}
	}
	for _, t := range terms {
		i := x.lookup(t)
		and(func(b []uint64) {
			if i >= 0 {
				x.or(b, i)
			}
		})
	}
	if prefix != "" {
		lo, hi := x.prefixRange(prefix)
		and(func(b []uint64) {
			for i := lo; i < hi; i++ {
				x.or(b, i)
			}
		})
	}
	var out []int64
	for k, w := range acc {
		w &^= x.dead[k]
		for w != 0 {
			out = append(out, x.docs[k*64+bits.TrailingZeros64(w)])
			w &= w - 1
		}
	}
	var extra []int64
	for id, held := range x.changed {
		if held != nil && holds(held, terms, prefix) {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		out = append(out, extra...)
		slices.Sort(out)
	}
	return out
}

// holds reports whether the sorted terms held hold every term of terms
// and one starting with prefix (when not empty).
func holds(held, terms []string, prefix string) bool {
	for _, t := range terms {
		if _, ok := slices.BinarySearch(held, t); !ok {
			return false
		}
	}
	if prefix == "" {
		return true
	}
	i := sort.SearchStrings(held, prefix)
	return i < len(held) && strings.HasPrefix(held[i], prefix)
}

// doc returns the doc of a book, -1 if the postings have none.
func (x *textIndex) doc(id int64) int {
	i, ok := slices.BinarySearch(x.docs, id)
	if !ok {
		return -1
	}
	return i
}

// update records the terms of the books ids now: held[id] are the terms
// of a book (strings of terms separated by spaces, or single terms), and
// a book of ids without any was deleted. Past textCompactAt changed books, it merges
// them into new postings.
func (x *textIndex) update(ids []int64, held map[int64][]string) {
	for _, id := range ids {
		if d := x.doc(id); d >= 0 {
			x.dead[d/64] |= 1 << (d % 64)
		}
		docTerms, ok := held[id]
		if !ok {
			x.changed[id] = nil
			continue
		}
		var set []string
		for _, s := range docTerms {
			set = append(set, strings.Fields(s)...)
		}
		slices.Sort(set)
		x.changed[id] = slices.Compact(set)
	}
	if len(x.changed) >= textCompactAt {
		*x = *x.compact()
	}
}

// compact returns the index with the changed books merged into the
// postings.
func (x *textIndex) compact() *textIndex {
	docs := make([]int64, 0, len(x.docs)+len(x.changed))
	for d, id := range x.docs {
		if x.dead[d/64]&(1<<(d%64)) == 0 {
			docs = append(docs, id)
		}
	}
	for id, held := range x.changed {
		if held != nil {
			docs = append(docs, id)
		}
	}
	slices.Sort(docs)
	// Old docs keep their order: remap them by a merge.
	remap := make([]uint32, len(x.docs))
	j := 0
	for d, id := range x.docs {
		for j < len(docs) && docs[j] < id {
			j++
		}
		remap[d] = uint32(j) //nolint:gosec // G115: docs are books, far fewer than 2^32
	}
	b := &textBuilder{docs: docs, post: make(map[string][]uint32, len(x.dict))}
	for i, t := range x.dict {
		var l []uint32
		visit := func(d uint32) {
			if x.dead[d/64]&(1<<(d%64)) == 0 {
				l = append(l, remap[d])
			}
		}
		bm, gaps := x.span(i)
		for k, w := range bm {
			for w != 0 {
				visit(uint32(k*64 + bits.TrailingZeros64(w))) //nolint:gosec // G115: see above
				w &= w - 1
			}
		}
		d := uint64(0)
		for len(gaps) > 0 {
			g, n := binary.Uvarint(gaps)
			gaps = gaps[n:]
			d += g
			visit(uint32(d)) //nolint:gosec // G115: see above
		}
		if len(l) > 0 {
			b.post[t] = l
		}
	}
	for id, held := range x.changed {
		if held == nil {
			continue
		}
		d, _ := slices.BinarySearch(docs, id)
		for _, t := range held {
			b.post[t] = append(b.post[t], uint32(d)) //nolint:gosec // G115: see above
		}
	}
	for _, l := range b.post {
		if !slices.IsSorted(l) {
			slices.Sort(l)
		}
	}
	return b.encode()
}

// readTextRows reads what restTerms needs of the books ids: subject
// headings (keywords included) and description. The title's and names'
// terms are the catalogue index's (see titleTermsOf, nameTermsOf).
func readTextRows(ctx context.Context, q querier, ids []int64) ([]*bookRow, error) {
	loaded := make(map[int64]*bookRow, len(ids))
	var out []*bookRow
	for start := 0; start < len(ids); start += maxParams {
		chunk := idArgs(ids[start:min(start+maxParams, len(ids))])
		in := listParams(q, 1, len(chunk))
		err := scanEach(ctx, q, "SELECT id, description FROM books WHERE id IN ("+in+")", chunk, func(rs rows) error {
			b := &shop.Book{}
			if err := rs.Scan(&b.ID, &b.Description); err != nil {
				return err
			}
			r := &bookRow{b: b}
			loaded[b.ID] = r
			out = append(out, r)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read books' descriptions: %w", err)
		}
		err = scanEach(ctx, q, "SELECT book_id, heading FROM book_subjects WHERE book_id IN ("+in+") ORDER BY book_id, seq", chunk,
			func(rs rows) error {
				var id int64
				var sub shop.Subject
				if err := rs.Scan(&id, &sub.Heading); err != nil {
					return err
				}
				if r := loaded[id]; r != nil {
					r.b.Subjects = append(r.b.Subjects, sub)
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("read subject headings: %w", err)
		}
	}
	return out, nil
}

// analyzeRest fills the terms of rows' headings and descriptions, on
// every CPU when there are many.
func (s *CatalogStore) analyzeRest(rows []*bookRow) {
	each(rows, func(r *bookRow) { r.terms = s.restTerms(r.b) })
}

// buildText builds the text index of the books of the catalogue index,
// reading and analyzing their headings and descriptions textReadChunk
// books at a time, with the terms of their titles and names the catalogue
// index already has; the refresh lock is held, so that the rows do not
// change meanwhile.
func (s *CatalogStore) buildText(ctx context.Context) error {
	ix := s.ix
	ix.mu.RLock()
	ids := make([]int64, 0, len(ix.rows))
	for i := range ix.rows {
		if !ix.rows[i].gone {
			ids = append(ids, ix.rows[i].id)
		}
	}
	ix.mu.RUnlock()
	slices.Sort(ids)
	b := &textBuilder{docs: ids, post: make(map[string][]uint32)}
	for start := 0; start < len(ids); start += textReadChunk {
		chunk := ids[start:min(start+textReadChunk, len(ids))]
		rows, err := readTextRows(ctx, s.db.reader(), chunk)
		if err != nil {
			return err
		}
		s.analyzeRest(rows)
		slices.SortFunc(rows, func(a, b *bookRow) int { return cmp.Compare(a.b.ID, b.b.ID) })
		doc := start
		ix.mu.RLock()
		for _, r := range rows {
			for chunk[doc-start] != r.b.ID {
				doc++
			}
			d := uint32(doc) //nolint:gosec // G115: docs are books, far fewer than 2^32
			if e := ix.book(r.b.ID); e != nil {
				for _, id := range ix.titleTermsOf(e) {
					b.addTerm(d, ix.terms.str(id))
				}
				for _, id := range ix.nameTermsOf(e) {
					b.addTerm(d, ix.terms.str(id))
				}
			}
			b.add(d, r.terms)
		}
		ix.mu.RUnlock()
	}
	x := b.encode()
	ix.mu.Lock()
	ix.txt = x
	ix.mu.Unlock()
	return nil
}

// updateText brings the text index up to date with the books ids, which
// changed and which the catalogue index has just reloaded; the refresh
// lock is held.
func (s *CatalogStore) updateText(ctx context.Context, ids []int64) error {
	rows, err := readTextRows(ctx, s.db.reader(), ids)
	if err != nil {
		return err
	}
	s.analyzeRest(rows)
	ix := s.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.txt == nil {
		return nil
	}
	held := make(map[int64][]string, len(rows))
	for _, r := range rows {
		// A book the catalogue index has not (yet) is left out, as a
		// deleted one: the notice of its writing brings both up to date.
		e := ix.book(r.b.ID)
		if e == nil {
			continue
		}
		docTerms := make([]string, 0, int(e.nTitle)+int(e.nTNm)+1)
		for _, id := range ix.titleTermsOf(e) {
			docTerms = append(docTerms, ix.terms.str(id))
		}
		for _, id := range ix.nameTermsOf(e) {
			docTerms = append(docTerms, ix.terms.str(id))
		}
		held[r.b.ID] = append(docTerms, r.terms)
	}
	ix.txt.update(ids, held)
	return nil
}

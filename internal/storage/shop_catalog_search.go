package storage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// listedStatuses are the states the public sees, the default of
// BookFilter.Status.
var listedStatuses = []shop.Status{shop.StatusActive, shop.StatusForthcoming}

// textMatches returns the IDs of the books the database's text index
// matches with expr (an FTS5 expression on SQLite, a tsquery on
// PostgreSQL), as one string the database builds: a list of 40,000 IDs
// costs a few milliseconds that way, and ten times more row by row.
func (s *CatalogStore) textMatches(ctx context.Context, expr string) ([]int64, error) {
	cached, gen, ok := s.ix.text.get(expr)
	if ok {
		return cached, nil
	}
	query := "SELECT COALESCE(group_concat(rowid), '') FROM book_fts WHERE book_fts MATCH $1"
	if s.db.dialect == Postgres {
		query = "SELECT book_matches(to_tsquery('simple', $1))"
	}
	var list string
	if err := s.db.reader().queryRow(ctx, query, expr).Scan(&list); err != nil {
		return nil, normalize(fmt.Errorf("match books %q: %w", expr, err))
	}
	ids := make([]int64, 0, strings.Count(list, ",")+1)
	for part := range strings.SplitSeq(list, ",") {
		if part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, normalize(fmt.Errorf("match books %q: %w", expr, err))
		}
		ids = append(ids, id)
	}
	// The index reads its rows in ID order, which PostgreSQL's heap order
	// is close to.
	if !slices.IsSorted(ids) {
		slices.Sort(ids)
	}
	s.ix.text.put(expr, ids, gen)
	return ids, nil
}

// bookQuery is a BookFilter compiled against the index: strings turned
// into the index's numbers. impossible is set when a filter names a value
// no book has.
type bookQuery struct {
	f         shop.BookFilter
	statuses  uint64
	format    uint32
	condition uint32
	author    uint32
	publisher uint32
	subject   uint32
	since     int64
	// terms are the query's terms but the one being typed, prefix;
	// termsKnown is false when one of them is in no title or name.
	terms      []uint32
	prefix     string
	termsKnown bool
	impossible bool
	// prefixed has the bit of every term that starts with prefix.
	prefixed []uint64
}

// compile turns f into a bookQuery; ix.mu is held.
func (ix *catalogIndex) compile(f shop.BookFilter) *bookQuery {
	q := &bookQuery{f: f, since: math.MinInt64, termsKnown: true}
	statuses := f.Status
	if len(statuses) == 0 {
		statuses = listedStatuses
	}
	for _, st := range statuses {
		if id, ok := ix.codes.lookup(string(st)); ok && id < 64 {
			q.statuses |= 1 << id
		}
	}
	code := func(s string) uint32 {
		if s == "" {
			return 0
		}
		id, ok := ix.codes.lookup(s)
		if !ok {
			q.impossible = true
		}
		return id
	}
	q.format, q.condition = code(string(f.Format)), code(string(f.Condition))
	var ok bool
	if f.Author != "" {
		if q.author, ok = ix.names.lookup(f.Author); !ok {
			q.impossible = true
		}
	}
	if f.Publisher != "" {
		if q.publisher, ok = ix.publishers.lookup(f.Publisher); !ok {
			q.impossible = true
		}
	}
	if !f.Subject.IsZero() {
		if q.subject, ok = ix.subjects.lookup(f.Subject.String()); !ok {
			q.impossible = true
		}
	}
	if !f.NewSince.IsZero() {
		y, m, d := f.NewSince.UTC().Date()
		q.since = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	}
	q.impossible = q.impossible || q.statuses == 0
	terms := f.Query.Terms
	if f.Query.Prefix && len(terms) > 0 {
		q.prefix = terms[len(terms)-1]
		terms = terms[:len(terms)-1]
	}
	for _, t := range terms {
		id, ok := ix.terms.lookup(t)
		if !ok {
			q.termsKnown = false
		}
		q.terms = append(q.terms, id)
	}
	if q.prefix != "" {
		q.prefixed = make([]uint64, ix.terms.len()/64+1)
		for id, t := range ix.terms.strs {
			if strings.HasPrefix(t, q.prefix) {
				q.prefixed[id/64] |= 1 << (id % 64)
			}
		}
	}
	return q
}

// postings returns the rows of the shortest posting list among the
// filters of q, a superset of its matches; nil when no filter has one.
func (q *bookQuery) postings(ix *catalogIndex) []int32 {
	var best []int32
	found := false
	try := func(rows []int32) {
		if !found || len(rows) < len(best) {
			best, found = rows, true
		}
	}
	if q.f.ISBN != "" {
		try(ix.byISBN[q.f.ISBN])
	}
	if q.author != 0 {
		try(at(ix.byName, q.author))
	}
	if q.publisher != 0 {
		try(at(ix.byPublisher, q.publisher))
	}
	if q.subject != 0 {
		try(at(ix.bySubject, q.subject))
	}
	if found && best == nil {
		return []int32{}
	}
	return best
}

// at returns lists[id], nil when id is past its end.
func at(lists [][]int32, id uint32) []int32 {
	if int(id) >= len(lists) {
		return nil
	}
	return lists[id]
}

// matches reports whether e passes every filter of q but the text, which
// the database checked.
func (q *bookQuery) matches(ix *catalogIndex, e *ixBook) bool {
	return q.statuses&(1<<e.status) != 0 &&
		e.published >= q.since &&
		(q.format == 0 || e.format == q.format) &&
		(q.condition == 0 || e.condition == q.condition) &&
		(q.f.ISBN == "" || e.isbn == q.f.ISBN) &&
		(q.publisher == 0 || e.publisher == q.publisher) &&
		(q.author == 0 || containsID(ix.namesOf(e), q.author)) &&
		(q.subject == 0 || containsID(ix.subjectsOf(e), q.subject))
}

// holdsTerms reports whether terms (numbers of ix.terms) hold every
// term of q, the last one as a prefix when the reader is still typing it.
func (q *bookQuery) holdsTerms(terms []uint32) bool {
	if !q.termsKnown {
		return false
	}
	for _, t := range q.terms {
		if !containsID(terms, t) {
			return false
		}
	}
	if q.prefix == "" {
		return true
	}
	for _, t := range terms {
		if int(t/64) < len(q.prefixed) && q.prefixed[t/64]&(1<<(t%64)) != 0 {
			return true
		}
	}
	return false
}

// hit is a matching book with its sort keys.
type hit struct {
	e *ixBook
	// tier ranks a match in the title (0) above one in the names (1)
	// above one elsewhere (2).
	tier  int32
	price int64
}

// order returns the comparison of hits for a sort.
func order(sort shop.BookSort, text bool) func(a, b hit) int {
	newest := func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.e.published, a.e.published), cmp.Compare(b.e.id, a.e.id))
	}
	switch {
	case sort == shop.SortTitle:
		return func(a, b hit) int {
			return cmp.Or(strings.Compare(a.e.sortTitle, b.e.sortTitle), cmp.Compare(a.e.id, b.e.id))
		}
	case sort == shop.SortPrice:
		return func(a, b hit) int {
			return cmp.Or(cmp.Compare(a.price, b.price), strings.Compare(a.e.sortTitle, b.e.sortTitle), cmp.Compare(a.e.id, b.e.id))
		}
	case sort == shop.SortNewest || !text:
		return newest
	}
	// Relevance: the tier, then, in the title, the shorter title (the
	// word is more of it), then the newest.
	return func(a, b hit) int {
		if c := cmp.Compare(a.tier, b.tier); c != 0 {
			return c
		}
		if a.tier == 0 {
			if c := cmp.Compare(a.e.nTitle, b.e.nTitle); c != 0 {
				return c
			}
		}
		return newest(a, b)
	}
}

// topK returns the k first hits in cmp's order, sorted.
func topK(hits []hit, k int, compare func(a, b hit) int) []hit {
	if k >= len(hits)/4 || k > 256 {
		slices.SortFunc(hits, compare)
		return hits[:min(k, len(hits))]
	}
	top := make([]hit, 0, k+1)
	for _, h := range hits {
		if len(top) == k && compare(h, top[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, h, compare)
		top = slices.Insert(top, i, h)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// SearchBooks implements shop.CatalogStore. The text index finds the
// books holding the query's words (the database's while the text index is
// not built); the index filters, counts, facets and orders them; the
// page's books are then read by ID.
func (s *CatalogStore) SearchBooks(ctx context.Context, f shop.BookFilter) (*shop.BookResult, error) {
	if err := s.fresh(ctx); err != nil {
		return nil, normalize(fmt.Errorf("search books: %w", err))
	}
	text := !f.Query.Empty()
	var candidates []int64
	inMemory := false
	if text {
		s.ix.mu.RLock()
		if s.ix.txt != nil && !s.ix.textOff {
			candidates, inMemory = s.ix.txt.match(f.Query), true
		}
		s.ix.mu.RUnlock()
	}
	if text && !inMemory {
		expr := f.Query.FTS5()
		if s.db.dialect == Postgres {
			expr = f.Query.TSQuery()
		}
		var err error
		if candidates, err = s.textMatches(ctx, expr); err != nil {
			return nil, err
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, shop.MaxBookPageSize)
	offset := max(f.Offset, 0)

	res := &shop.BookResult{}
	var page []int64
	func() {
		ix := s.ix
		ix.mu.RLock()
		defer ix.mu.RUnlock()
		q := ix.compile(f)
		if q.impossible {
			return
		}
		pooled := hitPool.Get().(*[]hit)
		hits := (*pooled)[:0]
		defer func() {
			*pooled = hits[:0]
			hitPool.Put(pooled)
		}()
		add := func(e *ixBook) {
			if !q.matches(ix, e) {
				return
			}
			h := hit{e: e, tier: 2}
			if text {
				switch {
				case q.holdsTerms(ix.titleTermsOf(e)):
					h.tier = 0
				case q.holdsTerms(ix.nameTermsOf(e)):
					h.tier = 1
				}
			}
			if f.Sort == shop.SortPrice {
				p, ok := e.priceAt(f.At)
				h.price = p
				if !ok {
					h.price = math.MaxInt64
				}
			}
			hits = append(hits, h)
		}
		switch rows := q.postings(ix); {
		case text:
			for _, id := range candidates {
				if e := ix.book(id); e != nil {
					add(e)
				}
			}
		case rows != nil:
			for _, p := range rows {
				add(&ix.rows[p])
			}
		default:
			for i := range ix.rows {
				add(&ix.rows[i])
			}
		}
		res.Total = len(hits)
		if f.Facets {
			res.Facets = ix.facets(hits)
		}
		if offset >= len(hits) {
			return
		}
		top := topK(hits, offset+limit, order(f.Sort, text))
		for _, h := range top[offset:] {
			page = append(page, h.e.id)
		}
	}()
	if len(page) == 0 {
		return res, nil
	}
	books, err := s.BooksByIDs(ctx, page)
	if err != nil {
		return nil, fmt.Errorf("search books: %w", err)
	}
	res.Books = books
	return res, nil
}

// hitPool and counterPool keep the buffers of searches: a search matching
// the whole catalogue fills a few megabytes, which the garbage collector
// would otherwise scan and free at every search.
var (
	hitPool     = sync.Pool{New: func() any { return new([]hit) }}
	counterPool = sync.Pool{New: func() any { return new(facetCounters) }}
)

// facetCounters are the counters of one search's facets.
type facetCounters struct {
	subjects, publishers, authors, formats counter
}

// facets counts the subjects, publishers, authors and formats of hits,
// over at most shop.MaxFacetBooks of them; ix.mu is held.
func (ix *catalogIndex) facets(hits []hit) shop.Facets {
	out := shop.Facets{Partial: len(hits) > shop.MaxFacetBooks}
	hits = hits[:min(len(hits), shop.MaxFacetBooks)]
	fc := counterPool.Get().(*facetCounters)
	defer counterPool.Put(fc)
	subjects, publishers, authors, formats := &fc.subjects, &fc.publishers, &fc.authors, &fc.formats
	subjects.reset(ix.subjects.len())
	publishers.reset(ix.publishers.len())
	authors.reset(ix.names.len())
	formats.reset(ix.codes.len())
	for _, h := range hits {
		e := h.e
		for _, id := range ix.subjectsOf(e) {
			if !ix.keyword[id] {
				subjects.add(id)
			}
		}
		if e.publisher != 0 {
			publishers.add(e.publisher)
		}
		for _, id := range ix.authorsOf(e) {
			authors.add(id)
		}
		formats.add(e.format)
	}
	out.Subjects = subjects.top(&ix.subjects, func(id uint32) string { return ix.headings[id] })
	out.Publishers = publishers.top(&ix.publishers, ix.publishers.str)
	out.Authors = authors.top(&ix.names, ix.names.str)
	out.Formats = formats.top(&ix.codes, func(uint32) string { return "" })
	return out
}

// counter counts interned values.
type counter struct {
	n       []int32
	touched []uint32
}

// reset empties c for values numbered below size.
func (c *counter) reset(size int) {
	for _, id := range c.touched {
		c.n[id] = 0
	}
	c.touched = c.touched[:0]
	if len(c.n) < size {
		c.n = make([]int32, size+size/4)
	}
}

func (c *counter) add(id uint32) {
	if c.n[id] == 0 {
		c.touched = append(c.touched, id)
	}
	c.n[id]++
}

// top returns the shop.MaxFacetValues most frequent values, most
// frequent first, then by value: a selection on the counts, which only
// compares the strings of ties.
func (c *counter) top(values *interner, label func(uint32) string) []shop.FacetCount {
	before := func(a, b uint32) bool {
		if c.n[a] != c.n[b] {
			return c.n[a] > c.n[b]
		}
		return values.str(a) < values.str(b)
	}
	best := make([]uint32, 0, shop.MaxFacetValues+1)
	for _, id := range c.touched {
		if len(best) == shop.MaxFacetValues && !before(id, best[len(best)-1]) {
			continue
		}
		i := len(best)
		for i > 0 && before(id, best[i-1]) {
			i--
		}
		best = slices.Insert(best, i, id)
		if len(best) > shop.MaxFacetValues {
			best = best[:shop.MaxFacetValues]
		}
	}
	if len(best) == 0 {
		return nil
	}
	out := make([]shop.FacetCount, len(best))
	for i, id := range best {
		out[i] = shop.FacetCount{Value: values.str(id), Label: label(id), Count: int(c.n[id])}
	}
	return out
}

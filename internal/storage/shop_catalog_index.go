package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// catalogIndex is the store's copy, in memory, of what searches filter,
// count, facet and sort books on: about 600 bytes a book with the cache of
// analyzed words (60 MB for 100,000), and the text index (textIndex, 22 MB
// more), which finds the books holding the words of a query as the
// databases' would (SQLite FTS5, PostgreSQL GIN), which answer until it is
// built. Everything else a search does happens here, in microseconds,
// where SQL would read a row of every matching book (tens of milliseconds
// for a common word or a large subject), and the page's books are then
// read by ID. The first search of a process loads it (a second for
// 100,000 books, and 5 to 7 more for the text index, which reads and
// analyzes every description).
//
// The copy follows the database through its change notices: every write
// of a book, by this store, by orders (stock) or by another instance on
// PostgreSQL, names the books it changed, which the next search reloads
// before it runs. Any write to books must therefore announce EntityBook.
type catalogIndex struct {
	// refresh serialises reloads, so that a search waits for the reload
	// of the books a write just changed instead of missing them.
	refresh sync.Mutex

	// mu guards what follows; searches hold it for reading.
	mu     sync.RWMutex
	loaded bool
	// rows are the books by ID, the order in which the text index gives
	// its matches, so that a search reads them in order; pos finds a
	// book's row by ID.
	rows []ixBook
	pos  map[int64]int32
	// dense finds a row by ID faster than pos when IDs are dense, as a
	// database sequence makes them: dense[id] is the row plus one, 0 for
	// none. Nil when IDs are sparse.
	dense []int32
	// arena holds the lists of the rows (names, subjects, terms), one
	// after the other in the rows' order after a rebuild.
	arena []uint32
	// garbage counts the arena's numbers that no row uses any more.
	garbage int
	// Interned strings: a row holds their numbers. codes are the
	// statuses, formats and conditions.
	codes, names, publishers, subjects, terms interner
	// headings are the subjects' headings; keyword subjects are not
	// faceted.
	headings []string
	keyword  []bool
	// byISBN, byName, byPublisher and bySubject list the rows with a
	// value (by its number), so that a search starts from its most
	// selective filter.
	byISBN      map[string][]int32
	byName      [][]int32
	byPublisher [][]int32
	bySubject   [][]int32

	// txt answers text queries in memory once built (see buildText);
	// until then, or when it fails, the database does. textTried is when
	// a build last failed; textOff makes tests ask the database.
	txt       *textIndex
	textTried time.Time
	textOff   bool
	// text caches the books the database's text index matches.
	text textCache

	// dirtyMu guards the books to reload, which change notices add to.
	dirtyMu  sync.Mutex
	dirty    map[int64]struct{}
	dirtyAll bool
}

// newCatalogIndex returns an index that loads itself at its first use and
// follows the changes db announces.
func newCatalogIndex(db *DB) *catalogIndex {
	ix := &catalogIndex{dirty: make(map[int64]struct{})}
	db.OnChange(ix.noteChanges)
	return ix
}

// noteChanges marks the books changes name for reloading, and empties
// the text cache when there are any.
func (ix *catalogIndex) noteChanges(changes []Change) {
	ix.dirtyMu.Lock()
	defer ix.dirtyMu.Unlock()
	books := false
	for _, c := range changes {
		switch {
		case c.Entity == EntityAll, c.Entity == EntityBook && len(c.IDs) == 0:
			ix.dirtyAll, books = true, true
		case c.Entity == EntityBook:
			for _, id := range c.IDs {
				ix.dirty[id] = struct{}{}
			}
			books = true
		}
	}
	if books {
		ix.text.clear()
	}
}

// Warm loads the search index now rather than at the first search, which
// would wait for it (seconds for 100,000 books): the program calls it in
// the background as it starts.
func (s *CatalogStore) Warm(ctx context.Context) error {
	return normalize(s.fresh(ctx))
}

// fresh brings the index up to date with the database: loads it at first
// use, or after a notice that anything may have changed, and reloads the
// books changed since the last search.
func (s *CatalogStore) fresh(ctx context.Context) error {
	ix := s.ix
	ix.refresh.Lock()
	defer ix.refresh.Unlock()
	ix.dirtyMu.Lock()
	all, ids := ix.dirtyAll || !ix.loaded, ix.dirty
	ix.dirtyAll, ix.dirty = false, make(map[int64]struct{})
	ix.dirtyMu.Unlock()
	if !all && len(ids) == 0 {
		s.freshText(ctx, nil)
		return nil
	}
	var err error
	var list []int64
	if all {
		err = s.loadIndex(ctx, nil)
	} else {
		list = make([]int64, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		err = s.loadIndex(ctx, list)
	}
	if err != nil {
		// Try again at the next search.
		ix.dirtyMu.Lock()
		if all {
			ix.dirtyAll = true
		}
		for id := range ids {
			ix.dirty[id] = struct{}{}
		}
		ix.dirtyMu.Unlock()
		return fmt.Errorf("load the catalogue index: %w", err)
	}
	s.freshText(ctx, list)
	return nil
}

// textRetry is how long a failed build of the text index waits before
// another; searches ask the database meanwhile.
const textRetry = time.Minute

// freshText builds the text index when there is none, or updates it with
// the books ids that the catalogue index has just reloaded; the refresh
// lock is held. A failure leaves the database to answer text queries.
func (s *CatalogStore) freshText(ctx context.Context, ids []int64) {
	ix := s.ix
	if ix.txt == nil {
		if time.Since(ix.textTried) < textRetry {
			return
		}
		if err := s.buildText(ctx); err != nil {
			if ctx.Err() == nil {
				ix.textTried = time.Now()
			}
			s.db.log.ErrorContext(ctx, "build the text index", "error", err)
		}
		return
	}
	if len(ids) == 0 {
		return
	}
	if err := s.updateText(ctx, ids); err != nil {
		ix.mu.Lock()
		ix.txt = nil
		ix.mu.Unlock()
		s.db.log.ErrorContext(ctx, "update the text index", "error", err)
	}
}

// loadIndex reads the books ids (every book when ids is nil) into the
// index. The reads run without the index lock; the update takes it for the
// time of interning strings and placing rows.
func (s *CatalogStore) loadIndex(ctx context.Context, ids []int64) error {
	rd := s.db.reader()
	loaded := make(map[int64]*bookRow)
	var rows []*bookRow
	if ids == nil {
		var err error
		if rows, err = readIndexRows(ctx, rd, nil, loaded); err != nil {
			return err
		}
	}
	for start := 0; start < len(ids); start += maxParams {
		chunk, err := readIndexRows(ctx, rd, ids[start:min(start+maxParams, len(ids))], loaded)
		if err != nil {
			return err
		}
		rows = append(rows, chunk...)
	}
	// Analyze outside the lock: it is the slow part of a full load.
	s.analyzeNames(rows)

	ix := s.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	rebuild := ids == nil
	if rebuild {
		ix.rows, ix.arena, ix.garbage = make([]ixBook, 0, len(rows)), nil, 0
		ix.pos = make(map[int64]int32, len(rows))
		ix.codes, ix.names, ix.publishers, ix.subjects, ix.terms = interner{}, interner{}, interner{}, interner{}, interner{}
		ix.headings, ix.keyword = nil, nil
		ix.txt, ix.textTried = nil, time.Time{}
	}
	for _, id := range ids {
		if e := ix.book(id); e != nil && loaded[id] == nil {
			e.gone = true
			rebuild = true
		}
	}
	for _, r := range rows {
		e := ix.entry(r)
		p, ok := ix.pos[e.id]
		if !ok {
			ix.pos[e.id] = int32(len(ix.rows)) //nolint:gosec // G115: rows are books, far fewer than 2^31
			ix.rows = append(ix.rows, e)
			rebuild = true
			continue
		}
		old := &ix.rows[p]
		rebuild = rebuild || !ix.samePlace(old, &e)
		ix.garbage += old.listLen()
		ix.rows[p] = e
	}
	if rebuild || ix.garbage > len(ix.arena)/2 {
		ix.rebuild()
	}
	ix.loaded = true
	return nil
}

// samePlace reports whether b sits in the same posting lists as a: a
// change of stock, price or title, say.
func (ix *catalogIndex) samePlace(a, b *ixBook) bool {
	return a.isbn == b.isbn && a.publisher == b.publisher && a.gone == b.gone &&
		slices.Equal(ix.namesOf(a), ix.namesOf(b)) && slices.Equal(ix.subjectsOf(a), ix.subjectsOf(b))
}

// rebuild puts the rows in ID order, packs the arena in their order and
// rebuilds the posting lists; ix.mu is held for writing.
func (ix *catalogIndex) rebuild() {
	rows := make([]ixBook, 0, len(ix.rows))
	for _, e := range ix.rows {
		if !e.gone {
			rows = append(rows, e)
		}
	}
	slices.SortFunc(rows, func(a, b ixBook) int { return cmp.Compare(a.id, b.id) })
	arena := make([]uint32, 0, len(ix.arena)-ix.garbage)
	for i := range rows {
		e := &rows[i]
		n := e.listLen()
		start := len(arena)
		arena = append(arena, ix.arena[e.off:e.off+uint32(n)]...) //nolint:gosec // G115: a list holds at most a few hundred numbers
		e.off = uint32(start)                                     //nolint:gosec // G115: the arena stays under 2^32 numbers (a few per book)
	}
	ix.rows, ix.arena, ix.garbage = rows, arena, 0
	ix.pos = make(map[int64]int32, len(rows))
	var maxID int64
	for i := range rows {
		maxID = max(maxID, rows[i].id)
	}
	ix.dense = nil
	if maxID < int64(4*len(rows)+1024) {
		ix.dense = make([]int32, maxID+1)
		for i := range rows {
			ix.dense[rows[i].id] = int32(i) + 1
		}
	}
	ix.byISBN = make(map[string][]int32)
	ix.byName = make([][]int32, ix.names.len())
	ix.byPublisher = make([][]int32, ix.publishers.len())
	ix.bySubject = make([][]int32, ix.subjects.len())
	for i := range rows {
		e := &rows[i]
		p := int32(i)
		ix.pos[e.id] = p
		if e.isbn != "" {
			ix.byISBN[e.isbn] = append(ix.byISBN[e.isbn], p)
		}
		for _, id := range ix.namesOf(e) {
			if l := ix.byName[id]; len(l) == 0 || l[len(l)-1] != p {
				ix.byName[id] = append(l, p)
			}
		}
		ix.byPublisher[e.publisher] = append(ix.byPublisher[e.publisher], p)
		for _, id := range ix.subjectsOf(e) {
			ix.bySubject[id] = append(ix.bySubject[id], p)
		}
	}
}

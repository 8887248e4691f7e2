package storage

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// storedBook is what an import compares an incoming book with.
type storedBook struct {
	id               int64
	slug, hash       string
	created, updated time.Time
	stock, reorderAt int
	trackStock       bool
}

// storedBooks returns the stored books of refs by RecordRef.
func storedBooks(ctx context.Context, q querier, refs []string) (map[string]storedBook, error) {
	out := make(map[string]storedBook, len(refs))
	for start := 0; start < len(refs); start += maxParams {
		chunk := refs[start:min(start+maxParams, len(refs))]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		rs, err := q.query(ctx, `SELECT record_ref, id, slug, content_hash, created_at, updated_at, stock, reorder_at, track_stock
			FROM books WHERE record_ref IN (`+listParams(q, 1, len(args))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read stored books: %w", err)
		}
		for rs.Next() {
			var ref string
			var st storedBook
			var created, updated dbTime
			if err := rs.Scan(&ref, &st.id, &st.slug, &st.hash, &created, &updated, &st.stock, &st.reorderAt, &st.trackStock); err != nil {
				rs.Close()
				return nil, fmt.Errorf("scan stored book: %w", err)
			}
			st.created, st.updated = created.t, updated.t
			out[ref] = st
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("read stored books: %w", err)
		}
	}
	return out, nil
}

// UpsertBooks implements shop.CatalogStore. The search terms of the books
// that changed are analyzed before the transaction, which then only
// writes: the single writer of SQLite is held for the writes alone.
func (s *CatalogStore) UpsertBooks(ctx context.Context, books []*shop.Book) (shop.ImportCounts, error) {
	var counts shop.ImportCounts
	if len(books) == 0 {
		return counts, nil
	}
	// A record sent twice in a batch is stored once, as last sent.
	last := make(map[string]int, len(books))
	for i, b := range books {
		if b.RecordRef == "" {
			return counts, apperr.Errorf(apperr.Invalid, "upsert books: book %q has no record reference", b.Title)
		}
		last[b.RecordRef] = i
	}
	rows := make([]*bookRow, 0, len(last))
	refs := make([]string, 0, len(last))
	for i, b := range books {
		if last[b.RecordRef] != i {
			continue
		}
		normalizeBookTimes(b)
		rows = append(rows, &bookRow{b: b, hash: contentHash(b)})
		refs = append(refs, b.RecordRef)
	}
	before, err := storedBooks(ctx, s.db.reader(), refs)
	if err != nil {
		return counts, normalize(err)
	}
	var changed []*bookRow
	for _, r := range rows {
		if st, ok := before[r.b.RecordRef]; !ok || st.hash != r.hash {
			changed = append(changed, r)
		}
	}
	s.analyzeAll(changed)

	err = s.db.inTx(ctx, func(tx *Tx) error {
		counts = shop.ImportCounts{}
		if s.db.dialect == Postgres {
			// An import batch lost in a crash is imported again by the
			// next run: not waiting for the disk at each commit saves a
			// flush per batch.
			if _, err := tx.q.exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
				return fmt.Errorf("upsert books: %w", err)
			}
		}
		stored, err := storedBooks(ctx, tx.q, refs)
		if err != nil {
			return err
		}
		var inserts, updates []*bookRow
		for _, r := range rows {
			st, ok := stored[r.b.RecordRef]
			if !ok {
				inserts = append(inserts, r)
				continue
			}
			b := r.b
			b.ID, b.Slug, b.CreatedAt = st.id, st.slug, st.created
			if !b.TrackStock {
				b.Stock, b.TrackStock, b.ReorderAt = st.stock, st.trackStock, st.reorderAt
			}
			if st.hash == r.hash && b.Stock == st.stock && b.TrackStock == st.trackStock && b.ReorderAt == st.reorderAt {
				b.UpdatedAt = st.updated
				counts.Unchanged++
				continue
			}
			updates = append(updates, r)
		}
		counts.Inserted, counts.Updated = len(inserts), len(updates)
		// Another import may have changed a book since the first read.
		s.analyzeAll(inserts)
		s.analyzeAll(updates)
		if err := s.insertBooks(ctx, tx.q, inserts); err != nil {
			return err
		}
		cols := bookWriteColumns
		set := setList(cols, 2)
		ids := make([]int64, 0, len(inserts)+len(updates))
		for _, r := range updates {
			n, err := tx.q.exec(ctx, "UPDATE books SET "+set+" WHERE id = $1", append([]any{r.b.ID}, s.bookWriteArgs(r)...)...)
			if err != nil {
				return fmt.Errorf("update book %q: %w", r.b.RecordRef, err)
			}
			if n != 1 {
				return fmt.Errorf("update book %q: %w", r.b.RecordRef, errNoRows)
			}
			ids = append(ids, r.b.ID)
		}
		if err := s.clearBookDetails(ctx, tx.q, ids); err != nil {
			return err
		}
		if err := s.writeBookDetails(ctx, tx.q, append(inserts, updates...)); err != nil {
			return err
		}
		for _, r := range inserts {
			ids = append(ids, r.b.ID)
		}
		booksChanged(tx, ids)
		return nil
	})
	if err != nil {
		return shop.ImportCounts{}, normalize(fmt.Errorf("upsert %d books: %w", len(books), err))
	}
	for i, b := range books {
		if j := last[b.RecordRef]; j != i {
			b.ID, b.Slug = books[j].ID, books[j].Slug
		}
	}
	return counts, nil
}

// maxChangedIDs is the number of books a change notice names one by one;
// beyond, it says "books" and caches drop every book, which is still less
// than the "anything" a notice too long for PostgreSQL would become.
const maxChangedIDs = 200

// booksChanged records that the books ids changed.
func booksChanged(tx *Tx, ids []int64) {
	switch {
	case len(ids) == 0:
	case len(ids) > maxChangedIDs:
		tx.changed(Change{Entity: EntityBook})
	default:
		tx.changed(Change{Entity: EntityBook, IDs: ids})
	}
}

// analyzeAll fills the search terms of rows: analysis is most of the
// cost of importing a changed book.
func (s *CatalogStore) analyzeAll(rows []*bookRow) {
	each(rows, s.analyze)
}

// each calls fn for every row, on every CPU when there are many.
func each(rows []*bookRow, fn func(*bookRow)) {
	workers := min(runtime.GOMAXPROCS(0), len(rows)/32)
	if workers <= 1 {
		for _, r := range rows {
			fn(r)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rows); i += workers {
				fn(rows[i])
			}
		})
	}
	wg.Wait()
}

// setList returns "col = $from, col = $from+1, …" for cols.
func setList(cols []bulkColumn, from int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.name + " = $" + strconv.Itoa(from+i)
	}
	return strings.Join(parts, ", ")
}

// insertBooks inserts rows with free slugs and sets their IDs.
func (s *CatalogStore) insertBooks(ctx context.Context, q querier, batch []*bookRow) error {
	if len(batch) == 0 {
		return nil
	}
	if err := freeSlugs(ctx, q, batch); err != nil {
		return err
	}
	cols := append([]bulkColumn{{"record_ref", "text"}, {"slug", "text"}, {"created_at", "timestamptz"}}, bookWriteColumns...)
	values := make([][]any, len(batch))
	byRef := make(map[string]*shop.Book, len(batch))
	for i, r := range batch {
		values[i] = append([]any{r.b.RecordRef, r.b.Slug, r.b.CreatedAt}, s.bookWriteArgs(r)...)
		byRef[r.b.RecordRef] = r.b
	}
	return bulkInsert(ctx, s.db, q, "books", cols, values, "id, record_ref", func(rs rows) error {
		var id int64
		var ref string
		if err := rs.Scan(&id, &ref); err != nil {
			return err
		}
		if b := byRef[ref]; b != nil {
			b.ID = id
		}
		return nil
	})
}

// defaultSlug names the page of a book given no slug.
const defaultSlug = "livre"

// freeSlugs gives each row a slug no other book has: its own, or the
// first of slug-2, slug-3… that is free.
func freeSlugs(ctx context.Context, q querier, batch []*bookRow) error {
	used := make(map[string]bool, len(batch))
	want := make([]string, 0, len(batch))
	for _, r := range batch {
		if r.b.Slug == "" {
			r.b.Slug = defaultSlug
		}
		want = append(want, r.b.Slug)
	}
	taken, err := takenSlugs(ctx, q, want)
	if err != nil {
		return err
	}
	for _, r := range batch {
		base := r.b.Slug
		if !used[base] && !taken[base] {
			used[base] = true
			continue
		}
		// Try ten suffixes at a time: a title sold new and in several
		// used copies takes a few.
		for n := 2; ; n += 10 {
			cands := make([]string, 0, 10)
			for k := n; k < n+10; k++ {
				if c := base + "-" + strconv.Itoa(k); !used[c] {
					cands = append(cands, c)
				}
			}
			inDB, err := takenSlugs(ctx, q, cands)
			if err != nil {
				return err
			}
			found := ""
			for _, c := range cands {
				if !inDB[c] {
					found = c
					break
				}
			}
			if found != "" {
				r.b.Slug = found
				used[found] = true
				break
			}
		}
	}
	return nil
}

// takenSlugs returns which of slugs books already use.
func takenSlugs(ctx context.Context, q querier, slugs []string) (map[string]bool, error) {
	taken := make(map[string]bool)
	for start := 0; start < len(slugs); start += maxParams {
		chunk := slugs[start:min(start+maxParams, len(slugs))]
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = s
		}
		rs, err := q.query(ctx, "SELECT slug FROM books WHERE slug IN ("+listParams(q, 1, len(args))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("check slugs: %w", err)
		}
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				rs.Close()
				return nil, fmt.Errorf("check slugs: %w", err)
			}
			taken[s] = true
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("check slugs: %w", err)
		}
	}
	return taken, nil
}

// WithdrawBooks implements shop.CatalogStore. The content hash is
// cleared, so that the next import of the record rewrites the book even
// if the record did not change.
func (s *CatalogStore) WithdrawBooks(ctx context.Context, refs []string, at time.Time) (int, error) {
	if len(refs) == 0 {
		return 0, nil
	}
	var ids []int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		ids = ids[:0]
		for start := 0; start < len(refs); start += maxParams {
			chunk := refs[start:min(start+maxParams, len(refs))]
			args := []any{at.UTC().Truncate(time.Microsecond)}
			for _, r := range chunk {
				args = append(args, r)
			}
			rs, err := tx.q.query(ctx, `UPDATE books SET status = 'withdrawn', content_hash = '', updated_at = `+listParams(tx.q, 1, 1)+`
				WHERE record_ref IN (`+listParams(tx.q, 2, len(chunk))+`) AND status <> 'withdrawn' RETURNING id`, args...)
			if err != nil {
				return fmt.Errorf("withdraw books: %w", err)
			}
			for rs.Next() {
				var id int64
				if err := rs.Scan(&id); err != nil {
					rs.Close()
					return fmt.Errorf("withdraw books: %w", err)
				}
				ids = append(ids, id)
			}
			err = rs.Err()
			rs.Close()
			if err != nil {
				return fmt.Errorf("withdraw books: %w", err)
			}
		}
		booksChanged(tx, ids)
		return nil
	})
	if err != nil {
		return 0, normalize(err)
	}
	return len(ids), nil
}

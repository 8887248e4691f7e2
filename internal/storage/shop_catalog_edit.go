package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// CreateBook implements shop.CatalogStore. The book gets no content hash,
// so that an import of the same record later rewrites it.
func (s *CatalogStore) CreateBook(ctx context.Context, b *shop.Book) error {
	if b.RecordRef == "" {
		return apperr.Errorf(apperr.Invalid, "create book %q: no record reference", b.Title)
	}
	normalizeBookTimes(b)
	r := &bookRow{b: b}
	s.analyze(r)
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if err := s.insertBooks(ctx, tx.q, []*bookRow{r}); err != nil {
			return err
		}
		if b.ID == 0 {
			return fmt.Errorf("insert book %q: no id returned", b.RecordRef)
		}
		if err := s.writeBookDetails(ctx, tx.q, []*bookRow{r}); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityBook, IDs: []int64{b.ID}})
		return nil
	})
	if err != nil {
		return normalize(fmt.Errorf("create book %q: %w", b.RecordRef, err))
	}
	return nil
}

// UpdateBook implements shop.CatalogStore. The content hash is kept: it
// stands for what the feed last sent, so that an editor's change holds
// until the feed's record changes.
func (s *CatalogStore) UpdateBook(ctx context.Context, b *shop.Book, at time.Time) error {
	seen := b.UpdatedAt.UTC().Truncate(time.Microsecond)
	nb := *b
	nb.UpdatedAt = at
	normalizeBookTimes(&nb)
	r := &bookRow{b: &nb}
	s.analyze(r)
	cols := []bulkColumn{{"record_ref", "text"}, {"slug", "text"}}
	args := []any{b.ID, seen, nb.RecordRef, nb.Slug}
	values := s.bookWriteArgs(r)
	for i, c := range bookWriteColumns {
		if c.name == "stock" || c.name == "content_hash" {
			continue
		}
		cols = append(cols, c)
		args = append(args, values[i])
	}
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE books SET "+setList(cols, 3)+" WHERE id = $1 AND updated_at = $2", args...)
		if err != nil {
			return fmt.Errorf("update book %d: %w", b.ID, err)
		}
		if n == 0 {
			var exists int
			if err := tx.q.queryRow(ctx, "SELECT COUNT(*) FROM books WHERE id = $1", b.ID).Scan(&exists); err != nil {
				return fmt.Errorf("update book %d: %w", b.ID, err)
			}
			if exists == 0 {
				return apperr.New(apperr.NotFound, "error.not_found.text")
			}
			return apperr.New(apperr.Conflict, "error.book.stale")
		}
		if err := s.clearBookDetails(ctx, tx.q, []int64{b.ID}); err != nil {
			return err
		}
		if err := s.writeBookDetails(ctx, tx.q, []*bookRow{r}); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityBook, IDs: []int64{b.ID}})
		return nil
	})
	if err != nil {
		return normalize(fmt.Errorf("update book %d: %w", b.ID, err))
	}
	stock := b.Stock
	*b = nb
	b.Stock = stock
	return nil
}

// AdjustStock implements shop.CatalogStore. The conditional UPDATE is
// the guard against going below zero, whatever runs at the same time.
func (s *CatalogStore) AdjustStock(ctx context.Context, id int64, delta int, reason string, at time.Time) (int, error) {
	var after int
	err := s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, "UPDATE books SET stock = stock + $2 WHERE id = $1 AND stock + $2 >= 0 RETURNING stock",
			id, delta).Scan(&after)
		if err == nil {
			_, err = tx.q.exec(ctx, `INSERT INTO book_stock_moves (book_id, delta, stock_after, reason, created_at)
				VALUES ($1, $2, $3, $4, $5)`, id, delta, after, reason, at.UTC())
			if err != nil {
				return fmt.Errorf("record stock move: %w", err)
			}
			tx.changed(Change{Entity: EntityBook, IDs: []int64{id}})
			return nil
		}
		if apperr.KindOf(normalize(err)) != apperr.NotFound {
			return err
		}
		// No row changed: the book is missing (NotFound below) or has
		// too few copies.
		var stock int
		if err := tx.q.queryRow(ctx, "SELECT stock FROM books WHERE id = $1", id).Scan(&stock); err != nil {
			return err
		}
		return apperr.New(apperr.Invalid, "error.book.stock_negative", stock)
	})
	if err != nil {
		return 0, normalize(fmt.Errorf("adjust stock of book %d by %d: %w", id, delta, err))
	}
	return after, nil
}

// StockMoves implements shop.CatalogStore.
func (s *CatalogStore) StockMoves(ctx context.Context, id int64, limit int) ([]shop.StockMove, error) {
	rs, err := s.db.reader().query(ctx, `SELECT book_id, delta, stock_after, reason, created_at FROM book_stock_moves
		WHERE book_id = $1 ORDER BY id DESC LIMIT $2`, id, max(limit, 1))
	if err != nil {
		return nil, normalize(fmt.Errorf("stock moves of book %d: %w", id, err))
	}
	defer rs.Close()
	var out []shop.StockMove
	for rs.Next() {
		var m shop.StockMove
		var at dbTime
		if err := rs.Scan(&m.BookID, &m.Delta, &m.StockAfter, &m.Reason, &at); err != nil {
			return nil, normalize(fmt.Errorf("scan stock move: %w", err))
		}
		m.At = at.t
		out = append(out, m)
	}
	return out, normalize(rs.Err())
}

// LowStock implements shop.CatalogStore.
func (s *CatalogStore) LowStock(ctx context.Context) ([]*shop.Book, error) {
	return queryBooks(ctx, s.db.reader(), "low stock", "SELECT "+bookColumns+` FROM books b
		WHERE b.track_stock AND b.stock <= b.reorder_at AND b.status IN ('active', 'forthcoming')
		ORDER BY b.stock, b.sort_title, b.id`)
}

// SetArticleBooks implements shop.CatalogStore.
func (s *CatalogStore) SetArticleBooks(ctx context.Context, articleID int64, bookIDs []int64) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.q.queryRow(ctx, "SELECT COUNT(*) FROM articles WHERE id = $1", articleID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Errorf(apperr.Conflict, "article %d does not exist", articleID)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM article_books WHERE article_id = $1", articleID); err != nil {
			return err
		}
		var values [][]any
		var seen []int64
		for _, id := range bookIDs {
			if slices.Contains(seen, id) {
				continue
			}
			seen = append(seen, id)
			values = append(values, []any{articleID, len(values), id})
		}
		if err := bulkInsert(ctx, s.db, tx.q, "article_books", []bulkColumn{{"article_id", "bigint"}, {"position", "int"},
			{"book_id", "bigint"}}, values, "", nil); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityArticle, IDs: []int64{articleID}})
		return nil
	})
	if err != nil {
		return normalize(fmt.Errorf("set books of article %d: %w", articleID, err))
	}
	return nil
}

// ArticleBooks implements shop.CatalogStore.
func (s *CatalogStore) ArticleBooks(ctx context.Context, articleID int64) ([]*shop.Book, error) {
	return queryBooks(ctx, s.db.reader(), fmt.Sprintf("books of article %d", articleID), "SELECT "+bookColumns+`
		FROM article_books ab JOIN books b ON b.id = ab.book_id WHERE ab.article_id = $1 ORDER BY ab.position`, articleID)
}

package storage

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/shop"
)

// readIndexRows reads the books ids (all when nil) with their
// contributors, subjects and prices, adds them to loaded and returns
// them.
func readIndexRows(ctx context.Context, q querier, ids []int64, loaded map[int64]*bookRow) ([]*bookRow, error) {
	where := func(col string) string {
		if ids == nil {
			return ""
		}
		return " WHERE " + col + " IN (" + listParams(q, 1, len(ids)) + ")"
	}
	args := idArgs(ids)
	var out []*bookRow
	err := scanEach(ctx, q, `SELECT id, status, format, condition, published_on, sort_title, isbn, publisher, imprint, title,
		subtitle, series, not_sold_alone, track_stock, stock FROM books`+where("id"), args, func(rs rows) error {
		r := &bookRow{b: &shop.Book{}}
		b := r.b
		var status, format, condition string
		var published dbTime
		if err := rs.Scan(&b.ID, &status, &format, &condition, &published, &r.sortTitle, &b.ISBN, &b.Publisher, &b.Imprint,
			&b.Title, &b.Subtitle, &b.Series, &b.NotSoldAlone, &b.TrackStock, &b.Stock); err != nil {
			return err
		}
		b.Status, b.Format, b.Condition, b.PublishedOn = shop.Status(status), shop.Format(format), shop.Condition(condition), published.t
		loaded[b.ID] = r
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read books: %w", err)
	}
	err = scanEach(ctx, q, "SELECT book_id, role, name FROM book_contributors"+where("book_id")+" ORDER BY book_id, seq", args,
		func(rs rows) error {
			var id int64
			var c shop.Contributor
			if err := rs.Scan(&id, &c.Role, &c.Name); err != nil {
				return err
			}
			if r := loaded[id]; r != nil {
				r.b.Contributors = append(r.b.Contributors, c)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read contributors: %w", err)
	}
	// Keywords have no code: the index has no use for them.
	subjectCond := where("book_id")
	if subjectCond == "" {
		subjectCond = " WHERE code <> ''"
	} else {
		subjectCond += " AND code <> ''"
	}
	err = scanEach(ctx, q, "SELECT book_id, scheme, code, heading, main FROM book_subjects"+subjectCond+" ORDER BY book_id, seq",
		args, func(rs rows) error {
			var id int64
			var sub shop.Subject
			if err := rs.Scan(&id, &sub.Scheme, &sub.Code, &sub.Heading, &sub.Main); err != nil {
				return err
			}
			if r := loaded[id]; r != nil {
				r.b.Subjects = append(r.b.Subjects, sub)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read subjects: %w", err)
	}
	err = scanEach(ctx, q, "SELECT book_id, cents, valid_from, valid_until FROM book_prices"+where("book_id")+" ORDER BY book_id, seq",
		args, func(rs rows) error {
			var id int64
			var p shop.Price
			var from, until dbTime
			if err := rs.Scan(&id, &p.Cents, &from, &until); err != nil {
				return err
			}
			p.From, p.Until = from.t, until.t
			if r := loaded[id]; r != nil {
				r.b.Prices = append(r.b.Prices, p)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read prices: %w", err)
	}
	return out, nil
}

// scanEach runs query and calls fn for each row.
func scanEach(ctx context.Context, q querier, query string, args []any, fn func(rows) error) error {
	rs, err := q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := fn(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// analyzeNames fills the title and names terms of rows, as analyze does
// for the search index, on every CPU when there are many.
func (s *CatalogStore) analyzeNames(rows []*bookRow) {
	each(rows, func(r *bookRow) { r.title, r.names = s.titleTerms(r.b), s.nameTerms(r.b) })
}

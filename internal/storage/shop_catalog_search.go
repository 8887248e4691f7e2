package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// listedStatuses are the states the public sees, the default of
// BookFilter.Status.
var listedStatuses = []shop.Status{shop.StatusActive, shop.StatusForthcoming}

// Relevance weights of the title, names and other terms: SQLite's bm25
// takes them per column of book_fts; PostgreSQL's ts_rank has the same
// order in its default weights of A, B and D.
const bm25Weights = "10.0, 4.0, 1.0"

// newestOrder puts the latest publications first, undated books last.
const newestOrder = "b.published_on DESC NULLS LAST, b.id DESC"

// bookSearch is a SearchBooks query being built: conds without the text
// search, which SQLite adds as a join when it ranks.
type bookSearch struct {
	w whereBuilder
	// text is the placeholder of the query's FTS5 or tsquery expression,
	// "" without one.
	text string
}

// statusIn returns "b.status IN (…)" for statuses.
func (w *whereBuilder) statusIn(statuses []shop.Status) string {
	ph := make([]string, len(statuses))
	for i, st := range statuses {
		ph[i] = w.arg(string(st))
	}
	return "b.status IN (" + strings.Join(ph, ", ") + ")"
}

func (s *CatalogStore) newBookSearch(f shop.BookFilter) *bookSearch {
	q := &bookSearch{}
	w := &q.w
	statuses := f.Status
	if len(statuses) == 0 {
		statuses = listedStatuses
	}
	w.add(w.statusIn(statuses))
	if f.ISBN != "" {
		w.add("b.isbn = " + w.arg(f.ISBN))
	}
	if f.Author != "" {
		w.add("b.id IN (SELECT c.book_id FROM book_contributors c WHERE c.name = " + w.arg(f.Author) + ")")
	}
	if f.Publisher != "" {
		w.add("b.publisher = " + w.arg(f.Publisher))
	}
	if !f.Subject.IsZero() {
		w.add("b.id IN (SELECT sj.book_id FROM book_subjects sj WHERE sj.scheme = " + w.arg(f.Subject.Scheme) +
			" AND sj.code = " + w.arg(f.Subject.Code) + ")")
	}
	if f.Format != "" {
		w.add("b.format = " + w.arg(string(f.Format)))
	}
	if f.Condition != "" {
		w.add("b.condition = " + w.arg(string(f.Condition)))
	}
	if !f.NewSince.IsZero() {
		y, m, d := f.NewSince.UTC().Date()
		w.add("b.published_on >= " + w.arg(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)))
	}
	if !f.Query.Empty() {
		if s.db.dialect == SQLite {
			q.text = w.arg(f.Query.FTS5())
		} else {
			q.text = w.arg(f.Query.TSQuery())
		}
	}
	return q
}

// matchCond returns the conditions with the text search as a filter.
func (s *CatalogStore) matchCond(q *bookSearch) string {
	conds := q.w.conds
	if q.text != "" {
		if s.db.dialect == SQLite {
			conds = append(conds, "b.id IN (SELECT rowid FROM book_fts WHERE book_fts MATCH "+q.text+")")
		} else {
			conds = append(conds, "b.search_vector @@ to_tsquery('simple', "+q.text+")")
		}
	}
	return strings.Join(conds, " AND ")
}

// priceAt returns the expression of a book's price at the time of
// placeholder at, or its latest price when at is "".
func priceAt(at string) string {
	cond := ""
	if at != "" {
		cond = " AND (p.valid_from IS NULL OR p.valid_from <= " + at + ") AND (p.valid_until IS NULL OR p.valid_until > " + at + ")"
	}
	return "(SELECT p.cents FROM book_prices p WHERE p.book_id = b.id" + cond + " ORDER BY p.valid_from DESC NULLS LAST LIMIT 1)"
}

// SearchBooks implements shop.CatalogStore.
func (s *CatalogStore) SearchBooks(ctx context.Context, f shop.BookFilter) (*shop.BookResult, error) {
	q := s.newBookSearch(f)
	match := s.matchCond(q)
	rd := s.db.reader()
	res := &shop.BookResult{}
	if err := rd.queryRow(ctx, "SELECT COUNT(*) FROM books b WHERE "+match, q.w.args...).Scan(&res.Total); err != nil {
		return nil, normalize(fmt.Errorf("count books: %w", err))
	}
	if f.Facets && res.Total > 0 {
		facets, err := s.facets(ctx, match, q.w.args, res.Total)
		if err != nil {
			return nil, err
		}
		res.Facets = facets
	}
	if res.Total <= f.Offset {
		return res, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, shop.MaxBookPageSize)

	// The page query numbers its own arguments after the filter's.
	w := whereBuilder{args: append([]any(nil), q.w.args...)}
	from := "books b"
	where := match
	var order string
	switch f.Sort {
	case shop.SortTitle:
		order = "b.sort_title, b.id"
	case shop.SortPrice:
		at := ""
		if !f.At.IsZero() {
			at = w.arg(f.At.UTC())
		}
		order = priceAt(at) + " NULLS LAST, b.sort_title, b.id"
	case shop.SortNewest:
		order = newestOrder
	default:
		order = newestOrder
		if q.text != "" && s.db.dialect == SQLite {
			from = "books b JOIN (SELECT rowid AS id, bm25(book_fts, " + bm25Weights + ") AS rank FROM book_fts WHERE book_fts MATCH " +
				q.text + ") s ON s.id = b.id"
			where = strings.Join(q.w.conds, " AND ")
			order = "s.rank, " + newestOrder
		} else if q.text != "" {
			order = "ts_rank(b.search_vector, to_tsquery('simple', " + q.text + ")) DESC, " + newestOrder
		}
	}
	query := "SELECT " + bookColumns + " FROM " + from + " WHERE " + where + " ORDER BY " + order +
		" LIMIT " + w.arg(limit) + " OFFSET " + w.arg(max(f.Offset, 0))
	books, err := queryBooks(ctx, rd, "search books", query, w.args...)
	if err != nil {
		return nil, err
	}
	res.Books = books
	return res, nil
}

// facets counts the facets of the books matching match, over at most
// shop.MaxFacetBooks of them, in one query.
func (s *CatalogStore) facets(ctx context.Context, match string, args []any, total int) (shop.Facets, error) {
	w := whereBuilder{args: append([]any(nil), args...)}
	bound := w.arg(shop.MaxFacetBooks)
	top := w.arg(shop.MaxFacetValues)
	subjectKey := "s.scheme || ':' || s.code"
	query := `WITH m AS (SELECT b.id, b.publisher, b.format FROM books b WHERE ` + match + ` LIMIT ` + bound + `)
	SELECT * FROM (SELECT 's' AS kind, ` + subjectKey + ` AS value, MAX(s.heading) AS label, COUNT(*) AS n
		FROM m JOIN book_subjects s ON s.book_id = m.id WHERE s.scheme <> 'keyword'
		GROUP BY s.scheme, s.code ORDER BY n DESC, value LIMIT ` + top + `) fs
	UNION ALL SELECT * FROM (SELECT 'p', m.publisher, m.publisher, COUNT(*) AS n FROM m WHERE m.publisher <> ''
		GROUP BY m.publisher ORDER BY n DESC, m.publisher LIMIT ` + top + `) fp
	UNION ALL SELECT * FROM (SELECT 'a', c.name, c.name, COUNT(*) AS n FROM m JOIN book_contributors c ON c.book_id = m.id
		WHERE c.role = 'A01' GROUP BY c.name ORDER BY n DESC, c.name LIMIT ` + top + `) fa
	UNION ALL SELECT * FROM (SELECT 'f', m.format, '', COUNT(*) AS n FROM m GROUP BY m.format ORDER BY n DESC, m.format
		LIMIT ` + top + `) ff`
	rs, err := s.db.reader().query(ctx, query, w.args...)
	if err != nil {
		return shop.Facets{}, normalize(fmt.Errorf("count book facets: %w", err))
	}
	defer rs.Close()
	out := shop.Facets{Partial: total > shop.MaxFacetBooks}
	for rs.Next() {
		var kind string
		var fc shop.FacetCount
		if err := rs.Scan(&kind, &fc.Value, &fc.Label, &fc.Count); err != nil {
			return shop.Facets{}, normalize(fmt.Errorf("scan book facet: %w", err))
		}
		switch kind {
		case "s":
			out.Subjects = append(out.Subjects, fc)
		case "p":
			out.Publishers = append(out.Publishers, fc)
		case "a":
			out.Authors = append(out.Authors, fc)
		case "f":
			out.Formats = append(out.Formats, fc)
		}
	}
	if err := rs.Err(); err != nil {
		return shop.Facets{}, normalize(fmt.Errorf("count book facets: %w", err))
	}
	return out, nil
}

// relatedGroup is a condition on books b numbering its arguments from $1.
type relatedGroup struct {
	cond string
	args []any
}

// RelatedBooks implements shop.CatalogStore. Each group is one indexed
// query, run until the list is full.
func (s *CatalogStore) RelatedBooks(ctx context.Context, b *shop.Book, limit int) ([]*shop.Book, error) {
	if limit <= 0 {
		return nil, nil
	}
	var groups []relatedGroup
	if authors := b.Authors(); len(authors) > 0 {
		args := make([]any, len(authors))
		for i, a := range authors {
			args[i] = a
		}
		groups = append(groups, relatedGroup{"b.id IN (SELECT c.book_id FROM book_contributors c WHERE c.name IN (" + placeholders(1, len(args)) + "))", args})
	}
	if sub, ok := mainSubject(b); ok {
		groups = append(groups, relatedGroup{"b.id IN (SELECT sj.book_id FROM book_subjects sj WHERE sj.scheme = $1 AND sj.code = $2)", []any{sub.Scheme, sub.Code}})
	}
	if b.Publisher != "" {
		groups = append(groups, relatedGroup{"b.publisher = $1", []any{b.Publisher}})
	}
	rd := s.db.reader()
	var out []*shop.Book
	for _, g := range groups {
		w := whereBuilder{args: g.args}
		w.add(g.cond)
		w.add("b.status = 'active'")
		exclude := []string{w.arg(b.ID)}
		for _, o := range out {
			exclude = append(exclude, w.arg(o.ID))
		}
		w.add("b.id NOT IN (" + strings.Join(exclude, ", ") + ")")
		if b.ISBN != "" {
			w.add("b.isbn <> " + w.arg(b.ISBN))
		}
		rs, err := rd.query(ctx, "SELECT "+bookColumns+" FROM books b"+w.sql()+" ORDER BY "+newestOrder+" LIMIT "+
			w.arg(limit-len(out)), w.args...)
		if err != nil {
			return nil, normalize(fmt.Errorf("related books of %d: %w", b.ID, err))
		}
		for rs.Next() {
			rb, err := scanBook(rs)
			if err != nil {
				rs.Close()
				return nil, normalize(fmt.Errorf("related books of %d: %w", b.ID, err))
			}
			out = append(out, rb)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, normalize(fmt.Errorf("related books of %d: %w", b.ID, err))
		}
		if len(out) >= limit {
			break
		}
	}
	if err := loadBookDetails(ctx, rd, out); err != nil {
		return nil, fmt.Errorf("related books of %d: %w", b.ID, err)
	}
	return out, nil
}

// mainSubject returns the book's first main subject, or its first
// subject that is not a keyword when none is main.
func mainSubject(b *shop.Book) (shop.Subject, bool) {
	var first *shop.Subject
	for i, sub := range b.Subjects {
		if sub.Main {
			return sub, true
		}
		if first == nil && sub.Scheme != "keyword" {
			first = &b.Subjects[i]
		}
	}
	if first != nil {
		return *first, true
	}
	return shop.Subject{}, false
}

// BooksByContributor implements shop.CatalogStore.
func (s *CatalogStore) BooksByContributor(ctx context.Context, name string, limit int) ([]*shop.Book, error) {
	return queryBooks(ctx, s.db.reader(), "books of "+name, "SELECT "+bookColumns+` FROM books b
		WHERE b.id IN (SELECT c.book_id FROM book_contributors c WHERE c.name = $1) AND b.status IN ('active', 'forthcoming')
		ORDER BY `+newestOrder+` LIMIT $2`, name, max(limit, 1))
}

// Subjects implements shop.CatalogStore.
func (s *CatalogStore) Subjects(ctx context.Context, scheme string) ([]shop.FacetCount, error) {
	return s.counts(ctx, "subjects of "+scheme, `SELECT sj.scheme || ':' || sj.code, MAX(sj.heading), COUNT(*)
		FROM book_subjects sj JOIN books b ON b.id = sj.book_id
		WHERE sj.scheme = $1 AND b.status IN ('active', 'forthcoming')
		GROUP BY sj.scheme, sj.code ORDER BY 2, 1`, scheme)
}

// Publishers implements shop.CatalogStore.
func (s *CatalogStore) Publishers(ctx context.Context) ([]shop.FacetCount, error) {
	return s.counts(ctx, "publishers", `SELECT b.publisher, b.publisher, COUNT(*) FROM books b
		WHERE b.status IN ('active', 'forthcoming') AND b.publisher <> '' GROUP BY b.publisher ORDER BY b.publisher`)
}

func (s *CatalogStore) counts(ctx context.Context, op, query string, args ...any) ([]shop.FacetCount, error) {
	rs, err := s.db.reader().query(ctx, query, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("%s: %w", op, err))
	}
	defer rs.Close()
	var out []shop.FacetCount
	for rs.Next() {
		var fc shop.FacetCount
		if err := rs.Scan(&fc.Value, &fc.Label, &fc.Count); err != nil {
			return nil, normalize(fmt.Errorf("%s: %w", op, err))
		}
		out = append(out, fc)
	}
	return out, normalize(rs.Err())
}

// BooksMatching implements shop.CatalogStore. The match is restricted to
// the title and other terms, leaving out the names: an article tagged
// with a city should not bring every book of a publisher named after it.
func (s *CatalogStore) BooksMatching(ctx context.Context, terms []string, limit int) ([]*shop.Book, error) {
	var groups []string
	for _, t := range terms {
		var words []string
		for _, word := range strings.Fields(t) {
			if s.db.dialect == SQLite {
				words = append(words, `"`+strings.ReplaceAll(word, `"`, `""`)+`"`)
			} else {
				words = append(words, "'"+strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(word)+"':AD")
			}
		}
		if len(words) == 0 {
			continue
		}
		if s.db.dialect == SQLite {
			groups = append(groups, "("+strings.Join(words, " AND ")+")")
		} else {
			groups = append(groups, "("+strings.Join(words, " & ")+")")
		}
	}
	if len(groups) == 0 || limit <= 0 {
		return nil, nil
	}
	const sellable = `b.status = 'active' AND NOT b.not_sold_alone AND (NOT b.track_stock OR b.stock > 0)
		AND EXISTS (SELECT 1 FROM book_prices p WHERE p.book_id = b.id)`
	var query string
	if s.db.dialect == SQLite {
		expr := "{title terms} : (" + strings.Join(groups, " OR ") + ")"
		query = "SELECT " + bookColumns + ` FROM books b JOIN (SELECT rowid AS id, bm25(book_fts, ` + bm25Weights + `) AS rank
			FROM book_fts WHERE book_fts MATCH $1) s ON s.id = b.id WHERE ` + sellable + ` ORDER BY s.rank, ` + newestOrder + ` LIMIT $2`
		return queryBooks(ctx, s.db.reader(), "books matching", query, expr, limit)
	}
	expr := strings.Join(groups, " | ")
	query = "SELECT " + bookColumns + ` FROM books b WHERE b.search_vector @@ to_tsquery('simple', $1) AND ` + sellable + `
		ORDER BY ts_rank(b.search_vector, to_tsquery('simple', $1)) DESC, ` + newestOrder + ` LIMIT $2`
	return queryBooks(ctx, s.db.reader(), "books matching", query, expr, limit)
}

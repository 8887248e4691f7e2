package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// bookRow is a book on its way to the database, with what the import
// compares and the index needs.
type bookRow struct {
	b *shop.Book
	// hash is the content hash of what an import sets (see contentHash).
	hash string
	// The analyzed search terms of the title, the names and the rest.
	title, names, terms string
	analyzed            bool
	// sortTitle is the stored sort key, read by the index.
	sortTitle string
}

// normalizeBookTimes truncates a book's times to what both databases
// store (microseconds, publication dates at midnight UTC), so that the
// book in memory equals the stored one and UpdateBook's check of
// UpdatedAt compares equal times.
func normalizeBookTimes(b *shop.Book) {
	if b.UpdatedAt.IsZero() {
		b.UpdatedAt = time.Now()
	}
	b.UpdatedAt = b.UpdatedAt.UTC().Truncate(time.Microsecond)
	if b.CreatedAt.IsZero() {
		b.CreatedAt = b.UpdatedAt
	}
	b.CreatedAt = b.CreatedAt.UTC().Truncate(time.Microsecond)
	if !b.PublishedOn.IsZero() {
		y, m, d := b.PublishedOn.UTC().Date()
		b.PublishedOn = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	for i := range b.Prices {
		p := &b.Prices[i]
		if !p.From.IsZero() {
			p.From = p.From.UTC().Truncate(time.Microsecond)
		}
		if !p.Until.IsZero() {
			p.Until = p.Until.UTC().Truncate(time.Microsecond)
		}
	}
}

// contentHash returns a digest of every field of b that an import sets:
// not its ID, slug, stock or times, which the store keeps or sets itself.
func contentHash(b *shop.Book) string {
	h := sha256.New()
	var n [8]byte
	str := func(s string) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	num := func(v int64) {
		binary.LittleEndian.PutUint64(n[:], uint64(v)) //nolint:gosec // G115: the bits of v are hashed as they are, sign included
		h.Write(n[:])
	}
	tm := func(t time.Time) {
		if t.IsZero() {
			num(0)
			return
		}
		num(t.UnixMicro())
	}
	flag := func(v bool) {
		if v {
			num(1)
		} else {
			num(0)
		}
	}
	str(b.RecordRef)
	str(b.ISBN)
	str(b.Title)
	str(b.Subtitle)
	str(b.Series)
	str(string(b.Format))
	str(string(b.Condition))
	str(b.ConditionNote)
	num(int64(len(b.Contributors)))
	for _, c := range b.Contributors {
		str(c.Role)
		str(c.Name)
		str(c.SortName)
	}
	str(b.Publisher)
	str(b.Imprint)
	tm(b.PublishedOn)
	num(int64(b.Pages))
	str(b.Language)
	num(int64(len(b.Subjects)))
	for _, s := range b.Subjects {
		str(s.Scheme)
		str(s.Code)
		str(s.Heading)
		flag(s.Main)
	}
	str(b.Description)
	str(b.CoverURL)
	str(b.Availability)
	str(string(b.Status))
	num(int64(len(b.Prices)))
	for _, p := range b.Prices {
		num(p.Cents)
		tm(p.From)
		tm(p.Until)
	}
	num(int64(b.VATRate))
	num(int64(b.WeightGrams))
	flag(b.NotSoldAlone)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// bookWriteColumns are the columns bookWriteArgs gives, in its order,
// which an insert and an update both write.
var bookWriteColumns = []bulkColumn{{"isbn", "text"}, {"title", "text"}, {"sort_title", "text"}, {"subtitle", "text"},
	{"series", "text"}, {"format", "text"}, {"condition", "text"}, {"condition_note", "text"}, {"publisher", "text"},
	{"imprint", "text"}, {"published_on", "date"}, {"pages", "int"}, {"language", "text"}, {"description", "text"},
	{"cover_url", "text"}, {"availability", "text"}, {"status", "text"}, {"vat_rate", "int"}, {"stock", "int"},
	{"track_stock", "boolean"}, {"reorder_at", "int"}, {"weight_grams", "int"}, {"not_sold_alone", "boolean"},
	{"content_hash", "text"}, {"updated_at", "timestamptz"}}

// bookWriteArgs returns the values of bookWriteColumns.
func (s *CatalogStore) bookWriteArgs(r *bookRow) []any {
	b := r.b
	return []any{b.ISBN, b.Title, sortTitle(b.Title), b.Subtitle, b.Series, string(b.Format), string(b.Condition),
		b.ConditionNote, b.Publisher, b.Imprint, nullTime(b.PublishedOn), b.Pages, b.Language, b.Description, b.CoverURL,
		b.Availability, string(b.Status), b.VATRate, b.Stock, b.TrackStock, b.ReorderAt, b.WeightGrams, b.NotSoldAlone,
		r.hash, b.UpdatedAt}
}

// onPostgres reports whether q runs on PostgreSQL.
func onPostgres(q querier) bool {
	_, ok := q.(pgxQuerier)
	return ok
}

// listParams returns the placeholders of n arguments numbered from from:
// $N on PostgreSQL, "?" on SQLite, whose parser looks every $N name up in
// a list, which costs the square of the number of arguments (a second for
// a batch's 15,000). A statement using "?" must give its arguments in the
// order they appear.
func listParams(q querier, from, n int) string {
	if onPostgres(q) {
		return placeholders(from, n)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// maxParams bounds the parameters of one statement: SQLite allows 32,766.
const maxParams = 30000

// bulkColumn is a column of bulkInsert, with its PostgreSQL array type.
type bulkColumn struct {
	name, pgType string
}

// bulkInsert inserts rows in as few statements as it can, and scans
// what returning names (if not empty) into scan for each inserted row. On
// PostgreSQL the rows go as one array per column through unnest, which
// keeps one statement text whatever the number of rows; on SQLite as
// multi-row VALUES.
func bulkInsert(ctx context.Context, db *DB, q querier, table string, cols []bulkColumn, rows [][]any,
	returning string, scan func(rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	head := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") "
	tail := ""
	if returning != "" {
		tail = " RETURNING " + returning
	}
	run := func(query string, args []any) error {
		if returning == "" {
			_, err := q.exec(ctx, query, args...)
			return err
		}
		rs, err := q.query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			if err := scan(rs); err != nil {
				return err
			}
		}
		return rs.Err()
	}
	if db.dialect == Postgres {
		var sel strings.Builder
		sel.WriteString("SELECT * FROM unnest(")
		args := make([]any, len(cols))
		for i, c := range cols {
			if i > 0 {
				sel.WriteString(", ")
			}
			sel.WriteString("$" + strconv.Itoa(i+1) + "::" + c.pgType + "[]")
			col := make([]any, len(rows))
			for j, r := range rows {
				col[j] = r[i]
			}
			args[i] = col
		}
		sel.WriteString(")")
		if err := run(head+sel.String()+tail, args); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(rows), table, err)
		}
		return nil
	}
	per := max(1, maxParams/len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString("VALUES ")
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			b.WriteString(listParams(q, len(args)+1, len(cols)))
			b.WriteString(")")
			args = append(args, r...)
		}
		if err := run(b.String()+tail, args); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(chunk), table, err)
		}
	}
	return nil
}

var (
	contributorColumns = []bulkColumn{{"book_id", "bigint"}, {"seq", "int"}, {"role", "text"}, {"name", "text"}, {"sort_name", "text"}}
	subjectColumns     = []bulkColumn{{"book_id", "bigint"}, {"seq", "int"}, {"scheme", "text"}, {"code", "text"},
		{"heading", "text"}, {"main", "boolean"}}
	priceColumns = []bulkColumn{{"book_id", "bigint"}, {"seq", "int"}, {"cents", "bigint"}, {"valid_from", "timestamptz"},
		{"valid_until", "timestamptz"}}
	ftsColumns    = []bulkColumn{{"rowid", ""}, {"title", ""}, {"names", ""}, {"terms", ""}}
	searchColumns = []bulkColumn{{"book_id", "bigint"}, {"search_title", "text"}, {"search_names", "text"}, {"search_terms", "text"}}
)

// idArgs returns ids as query arguments.
func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// clearBookDetails deletes the contributors, subjects, prices and index
// entries of the books ids, which writeBookDetails then writes anew.
func (s *CatalogStore) clearBookDetails(ctx context.Context, q querier, ids []int64) error {
	tables := []string{"book_contributors", "book_subjects", "book_prices"}
	for start := 0; start < len(ids); start += maxParams {
		chunk := idArgs(ids[start:min(start+maxParams, len(ids))])
		in := listParams(q, 1, len(chunk))
		for _, t := range tables {
			if _, err := q.exec(ctx, "DELETE FROM "+t+" WHERE book_id IN ("+in+")", chunk...); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		unindex := "DELETE FROM book_search WHERE book_id IN (" + in + ")"
		if s.db.dialect == SQLite {
			unindex = "DELETE FROM book_fts WHERE rowid IN (" + in + ")"
		}
		if _, err := q.exec(ctx, unindex, chunk...); err != nil {
			return fmt.Errorf("unindex books: %w", err)
		}
	}
	return nil
}

// writeBookDetails inserts the contributors, subjects, prices and index
// entries of rows, whose books have their IDs.
func (s *CatalogStore) writeBookDetails(ctx context.Context, q querier, rows []*bookRow) error {
	var contributors, subjects, prices, fts [][]any
	for _, r := range rows {
		b := r.b
		for i, c := range b.Contributors {
			contributors = append(contributors, []any{b.ID, i, c.Role, c.Name, c.SortName})
		}
		for i, sub := range b.Subjects {
			subjects = append(subjects, []any{b.ID, i, sub.Scheme, sub.Code, sub.Heading, sub.Main})
		}
		for i, p := range b.Prices {
			prices = append(prices, []any{b.ID, i, p.Cents, nullTime(p.From), nullTime(p.Until)})
		}
		fts = append(fts, []any{b.ID, r.title, r.names, r.terms})
	}
	index, indexColumns := "book_fts", ftsColumns
	if s.db.dialect == Postgres {
		index, indexColumns = "book_search", searchColumns
	}
	for _, t := range []struct {
		table string
		cols  []bulkColumn
		rows  [][]any
	}{
		{"book_contributors", contributorColumns, contributors},
		{"book_subjects", subjectColumns, subjects},
		{"book_prices", priceColumns, prices},
		{index, indexColumns, fts},
	} {
		if err := bulkInsert(ctx, s.db, q, t.table, t.cols, t.rows, "", nil); err != nil {
			return err
		}
	}
	return nil
}

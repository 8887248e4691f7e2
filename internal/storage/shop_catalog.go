package storage

import (
	"context"
	"fmt"
	"slices"

	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/shop"
)

// CatalogStore implements shop.CatalogStore.
type CatalogStore struct {
	db *DB
	// an analyzes the books' text for the search index, in the
	// catalogue's language.
	an *search.Analyzer
	// words remembers the analysis of the words of the books written.
	words *wordCache
	// ix is what searches run on besides the text index.
	ix *catalogIndex
}

// NewCatalogStore returns the catalogue store of db.
func NewCatalogStore(db *DB) *CatalogStore {
	return &CatalogStore{db: db, an: search.New(shop.SearchLanguage), words: &wordCache{}, ix: newCatalogIndex(db)}
}

var _ shop.CatalogStore = (*CatalogStore)(nil)

// bookColumns are the columns scanBook reads, in its order, from books
// named b.
const bookColumns = `b.id, b.record_ref, b.isbn, b.slug, b.title, b.subtitle, b.series, b.format, b.condition,
	b.condition_note, b.publisher, b.imprint, b.published_on, b.pages, b.language, b.description, b.cover_url,
	b.availability, b.status, b.vat_rate, b.stock, b.track_stock, b.reorder_at, b.weight_grams, b.not_sold_alone,
	b.created_at, b.updated_at`

func scanBook(r interface{ Scan(...any) error }) (*shop.Book, error) {
	b := &shop.Book{}
	var format, condition, status string
	var published, created, updated dbTime
	if err := r.Scan(&b.ID, &b.RecordRef, &b.ISBN, &b.Slug, &b.Title, &b.Subtitle, &b.Series, &format, &condition,
		&b.ConditionNote, &b.Publisher, &b.Imprint, &published, &b.Pages, &b.Language, &b.Description, &b.CoverURL,
		&b.Availability, &status, &b.VATRate, &b.Stock, &b.TrackStock, &b.ReorderAt, &b.WeightGrams, &b.NotSoldAlone,
		&created, &updated); err != nil {
		return nil, err
	}
	b.Format, b.Condition, b.Status = shop.Format(format), shop.Condition(condition), shop.Status(status)
	b.PublishedOn, b.CreatedAt, b.UpdatedAt = published.t, created.t, updated.t
	return b, nil
}

// queryBooks runs a query selecting bookColumns and returns its books with
// their contributors, subjects and prices.
func queryBooks(ctx context.Context, q querier, op, query string, args ...any) ([]*shop.Book, error) {
	rs, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("%s: %w", op, err))
	}
	defer rs.Close()
	var books []*shop.Book
	for rs.Next() {
		b, err := scanBook(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("%s: scan book: %w", op, err))
		}
		books = append(books, b)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("%s: %w", op, err))
	}
	rs.Close()
	if err := loadBookDetails(ctx, q, books); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return books, nil
}

// loadBookDetails fills the contributors, subjects and prices of books in
// one query. Each branch reads its table in primary key order (book, seq),
// so a book's lists come in order.
func loadBookDetails(ctx context.Context, q querier, books []*shop.Book) error {
	if len(books) == 0 {
		return nil
	}
	byID := make(map[int64]*shop.Book, len(books))
	args := make([]any, 0, len(books))
	for _, b := range books {
		b.Contributors, b.Subjects, b.Prices = nil, nil, nil
		if _, dup := byID[b.ID]; !dup {
			args = append(args, b.ID)
		}
		byID[b.ID] = b
	}
	in := listParams(q, 1, len(args))
	if !onPostgres(q) {
		// One "?" per argument: the list goes once per branch.
		args = slices.Concat(args, args, args)
	}
	// Prices come first: PostgreSQL types the NULL times of the other
	// branches from the first branch that has a type.
	rs, err := q.query(ctx, `SELECT book_id, 2, seq, '', '', '', cents, valid_from, valid_until
			FROM book_prices WHERE book_id IN (`+in+`)
		UNION ALL SELECT book_id, 0, seq, role, name, sort_name, 0, NULL, NULL
			FROM book_contributors WHERE book_id IN (`+in+`)
		UNION ALL SELECT book_id, 1, seq, scheme, code, heading, CASE WHEN main THEN 1 ELSE 0 END, NULL, NULL
			FROM book_subjects WHERE book_id IN (`+in+`)
		ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return normalize(fmt.Errorf("load book details: %w", err))
	}
	defer rs.Close()
	for rs.Next() {
		var id, n int64
		var kind, seq int
		var s1, s2, s3 string
		var from, until dbTime
		if err := rs.Scan(&id, &kind, &seq, &s1, &s2, &s3, &n, &from, &until); err != nil {
			return normalize(fmt.Errorf("scan book detail: %w", err))
		}
		b := byID[id]
		switch kind {
		case 0:
			b.Contributors = append(b.Contributors, shop.Contributor{Role: s1, Name: s2, SortName: s3})
		case 1:
			b.Subjects = append(b.Subjects, shop.Subject{Scheme: s1, Code: s2, Heading: s3, Main: n == 1})
		case 2:
			b.Prices = append(b.Prices, shop.Price{Cents: n, From: from.t, Until: until.t})
		}
	}
	if err := rs.Err(); err != nil {
		return normalize(fmt.Errorf("load book details: %w", err))
	}
	// The same book twice in books (a cart holding it twice) gets the
	// same lists.
	for _, b := range books {
		if o := byID[b.ID]; o != b {
			b.Contributors, b.Subjects, b.Prices = o.Contributors, o.Subjects, o.Prices
		}
	}
	return nil
}

// oneBook returns the book matching cond, NotFound if none.
func (s *CatalogStore) oneBook(ctx context.Context, op, cond string, arg any) (*shop.Book, error) {
	q := s.db.reader()
	b, err := scanBook(q.queryRow(ctx, "SELECT "+bookColumns+" FROM books b WHERE "+cond, arg))
	if err != nil {
		return nil, normalize(fmt.Errorf("%s %v: %w", op, arg, err))
	}
	if err := loadBookDetails(ctx, q, []*shop.Book{b}); err != nil {
		return nil, fmt.Errorf("%s %v: %w", op, arg, err)
	}
	return b, nil
}

// Book implements shop.CatalogStore.
func (s *CatalogStore) Book(ctx context.Context, id int64) (*shop.Book, error) {
	return s.oneBook(ctx, "book", "b.id = $1", id)
}

// BookBySlug implements shop.CatalogStore.
func (s *CatalogStore) BookBySlug(ctx context.Context, slug string) (*shop.Book, error) {
	return s.oneBook(ctx, "book", "b.slug = $1", slug)
}

// BookByISBN implements shop.CatalogStore.
func (s *CatalogStore) BookByISBN(ctx context.Context, isbn string) ([]*shop.Book, error) {
	if isbn == "" {
		return nil, nil
	}
	return queryBooks(ctx, s.db.reader(), "books of isbn "+isbn,
		"SELECT "+bookColumns+" FROM books b WHERE b.isbn = $1 ORDER BY b.condition = 'used', b.id", isbn)
}

// BooksByIDs implements shop.CatalogStore.
func (s *CatalogStore) BooksByIDs(ctx context.Context, ids []int64) ([]*shop.Book, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	uniq := slices.Clone(ids)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	args := make([]any, len(uniq))
	for i, id := range uniq {
		args[i] = id
	}
	found, err := queryBooks(ctx, s.db.reader(), "books by ids",
		"SELECT "+bookColumns+" FROM books b WHERE b.id IN ("+listParams(s.db.reader(), 1, len(args))+")", args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*shop.Book, len(found))
	for _, b := range found {
		byID[b.ID] = b
	}
	out := make([]*shop.Book, 0, len(ids))
	for _, id := range ids {
		if b, ok := byID[id]; ok {
			out = append(out, b)
		}
	}
	return out, nil
}

// eachBookPage is how many books EachBook reads at a time.
const eachBookPage = 1000

// EachBook implements shop.CatalogStore. It reads by pages of ID rather
// than through one long query, so that no read holds a snapshot (and, on
// SQLite, the WAL) for the whole export.
func (s *CatalogStore) EachBook(ctx context.Context, fn func(*shop.Book) error) error {
	var after int64
	for {
		books, err := queryBooks(ctx, s.db.reader(), "export books",
			"SELECT "+bookColumns+" FROM books b WHERE b.id > $1 ORDER BY b.id LIMIT $2", after, eachBookPage)
		if err != nil {
			return err
		}
		for _, b := range books {
			if err := fn(b); err != nil {
				return err
			}
		}
		if len(books) < eachBookPage {
			return nil
		}
		after = books[len(books)-1].ID
	}
}

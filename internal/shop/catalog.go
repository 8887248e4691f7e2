package shop

import (
	"context"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/search"
)

// SearchLanguage is the language the catalogue's search index is analyzed
// in: the shop sells French books under French law, whatever the language
// of the pages. Queries must be analyzed with search.New(SearchLanguage).
const SearchLanguage = "fr"

// MaxBookPageSize bounds BookFilter.Limit: a page of results never holds
// more books than this.
const MaxBookPageSize = 100

// ImportCounts says what a batch of UpsertBooks did to each book.
type ImportCounts struct {
	// Inserted books were new; Updated ones had changed; Unchanged ones
	// were identical to the stored book and were not rewritten.
	Inserted, Updated, Unchanged int
}

// Add returns the sum of c and d, to total the batches of an import.
func (c ImportCounts) Add(d ImportCounts) ImportCounts {
	return ImportCounts{Inserted: c.Inserted + d.Inserted, Updated: c.Updated + d.Updated, Unchanged: c.Unchanged + d.Unchanged}
}

// SubjectKey names one subject of one scheme ("clil", "3435"); its string
// form "clil:3435" is the Value of subject facets and of browse links.
type SubjectKey struct {
	Scheme string
	Code   string
}

// String returns "scheme:code", or "" for the zero key.
func (k SubjectKey) String() string {
	if k.Scheme == "" && k.Code == "" {
		return ""
	}
	return k.Scheme + ":" + k.Code
}

// IsZero reports whether the key names no subject (no filter).
func (k SubjectKey) IsZero() bool { return k.Scheme == "" && k.Code == "" }

// ParseSubjectKey reads the "scheme:code" form of a key; ok is false when s
// has no scheme or no code.
func ParseSubjectKey(s string) (k SubjectKey, ok bool) {
	scheme, code, found := strings.Cut(s, ":")
	if !found || scheme == "" || code == "" {
		return SubjectKey{}, false
	}
	return SubjectKey{Scheme: scheme, Code: code}, true
}

// BookSort is the order of search results.
type BookSort string

// The orders of search results.
const (
	// SortRelevance puts the best matches of Query first (title matches
	// before author and publisher matches, before description matches),
	// then the newest; without a Query it is SortNewest.
	SortRelevance BookSort = "relevance"
	// SortNewest: latest publication date first.
	SortNewest BookSort = "newest"
	// SortTitle: alphabetical, ignoring case and accents.
	SortTitle BookSort = "title"
	// SortPrice: cheapest first, at BookFilter.At; unpriced books last.
	SortPrice BookSort = "price"
)

// BookFilter selects books for SearchBooks. Zero fields do not filter.
type BookFilter struct {
	// Query is the reader's search, analyzed with
	// search.New(SearchLanguage).Query; a book matches when its title,
	// subtitle, series, contributors, publisher, imprint, subject headings
	// or description hold every term.
	Query search.Query
	// ISBN keeps the copies of one ISBN-13 (digits only), new and used.
	ISBN string
	// Author keeps the books with a contributor of exactly this name (any
	// role).
	Author    string
	Publisher string
	Subject   SubjectKey
	Format    Format
	Condition Condition
	// Status keeps the books in one of these states; empty means active
	// and forthcoming, what the public may see.
	Status []Status
	// NewSince keeps the books published on or after this date.
	NewSince time.Time
	Sort     BookSort
	// At is when prices are read for SortPrice (the caller's clock);
	// zero means each book's latest price.
	At time.Time
	// Offset and Limit cut the page; Limit is 20 when zero and at most
	// MaxBookPageSize.
	Offset, Limit int
	// Facets asks for the counts of BookResult.Facets.
	Facets bool
}

// FacetCount is one value of a facet with the number of matching books
// that have it.
type FacetCount struct {
	// Value is what a filter takes back: a SubjectKey string, a publisher
	// or author name, a Format.
	Value string
	// Label is what readers see: the subject heading, the name; empty
	// for formats, which the page translates.
	Label string
	Count int
}

// Facets are the most frequent values of the matching books, at most
// MaxFacetValues each, most frequent first.
type Facets struct {
	// Subjects are the classification subjects (keywords excluded).
	Subjects   []FacetCount
	Publishers []FacetCount
	// Authors are the books' authors as Book.Authors gives them.
	Authors []FacetCount
	Formats []FacetCount
	// Partial reports that more books matched than MaxFacetBooks and the
	// counts were taken over that many of them: the values are right,
	// their counts are lower bounds.
	Partial bool
}

// The bounds of facets: at most MaxFacetValues values each, counted over
// at most MaxFacetBooks matches, which bounds the cost of a search
// matching a very large catalogue.
const (
	MaxFacetValues = 20
	MaxFacetBooks  = 200_000
)

// BookResult is a page of SearchBooks.
type BookResult struct {
	// Books are the page's books with contributors, subjects and prices.
	Books []*Book
	// Total is the number of matching books without Offset and Limit.
	Total int
	// Facets is filled when BookFilter.Facets is set.
	Facets Facets
}

// StockMove is one change of a book's stock, with why it was made.
type StockMove struct {
	BookID     int64
	Delta      int
	StockAfter int
	Reason     string
	At         time.Time
}

// CatalogStore keeps the catalogue: books with their contributors,
// subjects and price history, their search index, stock, and the books
// editors pick for articles.
//
// Implementations return apperr errors: NotFound when a finder of one book
// matches nothing (finders of several books return an empty slice
// instead), Conflict on a duplicate RecordRef or Slug, an unknown article
// or book, or a stale edit, Invalid when a stock change would go below
// zero, Unavailable when the database is busy or down, Internal otherwise.
// Each write runs in one transaction. Every book returned carries its
// contributors, subjects and prices.
type CatalogStore interface {
	// UpsertBooks stores a batch of imported books in one transaction
	// and fills each book's ID and Slug. A book whose RecordRef is new is
	// inserted, with a free slug: its Slug, or Slug-2, Slug-3… when taken.
	// A known RecordRef updates that book: its fields, contributors,
	// subjects and prices are replaced, but its ID, Slug (links stay
	// valid), CreatedAt and article picks are kept, and so are its Stock,
	// TrackStock and ReorderAt unless the incoming book has TrackStock
	// set: a feed that knows the stock says so, an ONIX feed never does.
	// A book identical to what the last import stored is not rewritten
	// and its UpdatedAt is kept, so a re-import of an unchanged feed is
	// fast; this also keeps an editor's changes to a book until its
	// record changes in the feed. UpdatedAt of each book is the import's
	// time, also CreatedAt of new books when that is zero.
	UpsertBooks(ctx context.Context, books []*Book) (ImportCounts, error)
	// WithdrawBooks marks the books of these RecordRefs withdrawn at at,
	// never deleting them (orders keep their lines), and returns how many
	// changed; unknown refs are ignored. A later import of the same
	// record rewrites the book, whatever its content.
	WithdrawBooks(ctx context.Context, refs []string, at time.Time) (int, error)

	// Book returns the book of this ID, whatever its status.
	Book(ctx context.Context, id int64) (*Book, error)
	// BookBySlug returns the book of this slug, whatever its status.
	BookBySlug(ctx context.Context, slug string) (*Book, error)
	// BookByISBN returns every copy of an ISBN, whatever its status:
	// new before used, then by ID.
	BookByISBN(ctx context.Context, isbn string) ([]*Book, error)
	// BooksByIDs returns the books of ids that exist, in the order of ids
	// (for carts and orders).
	BooksByIDs(ctx context.Context, ids []int64) ([]*Book, error)
	// SearchBooks returns a page of the books matching f, in f.Sort
	// order, their total and, if asked, their facets.
	SearchBooks(ctx context.Context, f BookFilter) (*BookResult, error)
	// RelatedBooks returns up to limit active books near b: by the same
	// author, then of the same main subject, then from the same
	// publisher, newest first in each group; never b or another copy of
	// its ISBN.
	RelatedBooks(ctx context.Context, b *Book, limit int) ([]*Book, error)
	// BooksByContributor returns up to limit active and forthcoming books
	// with a contributor of exactly this name, newest first.
	BooksByContributor(ctx context.Context, name string, limit int) ([]*Book, error)
	// Subjects returns the subjects of a scheme that active or
	// forthcoming books have, by heading, with their number of books.
	Subjects(ctx context.Context, scheme string) ([]FacetCount, error)
	// Publishers returns the publishers of active or forthcoming books, by
	// name, with their number of books.
	Publishers(ctx context.Context) ([]FacetCount, error)
	// EachBook calls fn for every book, in ID order, reading them a
	// thousand at a time (for the CSV export); it stops at fn's first
	// error and returns it.
	EachBook(ctx context.Context, fn func(*Book) error) error

	// SetArticleBooks replaces the books an editor picked for an article,
	// in this order; Conflict when the article or a book does not exist.
	SetArticleBooks(ctx context.Context, articleID int64, bookIDs []int64) error
	// ArticleBooks returns the books picked for an article in the editor's
	// order, whatever their status (the caller hides those it cannot sell).
	ArticleBooks(ctx context.Context, articleID int64) ([]*Book, error)
	// BooksMatching returns up to limit active books that can be bought
	// (priced, sold alone, in stock or ordered on demand) whose title,
	// subtitle, series, subjects or description match any of terms, best
	// first: the fallback of an article's book block. Each element of
	// terms is analyzed with search.New(SearchLanguage) (one tag or
	// category name); when it holds several terms separated by spaces,
	// a book must hold all of them to match it.
	BooksMatching(ctx context.Context, terms []string, limit int) ([]*Book, error)

	// CreateBook inserts a book entered in the back office and sets its ID
	// and Slug (Slug-2… when taken); Conflict when its RecordRef exists.
	CreateBook(ctx context.Context, b *Book) error
	// UpdateBook replaces a book's fields, contributors, subjects and
	// prices, but not its Stock (see AdjustStock), if b.UpdatedAt is
	// still the stored one; it then sets b.UpdatedAt to at. Conflict when
	// someone changed the book meanwhile or its new Slug is taken,
	// NotFound when it does not exist.
	UpdateBook(ctx context.Context, b *Book, at time.Time) error
	// AdjustStock adds delta (negative to remove) to a book's stock,
	// records the move with its reason, and returns the new stock;
	// Invalid when the stock would fall below zero, NotFound when the
	// book does not exist.
	AdjustStock(ctx context.Context, id int64, delta int, reason string, at time.Time) (int, error)
	// StockMoves returns the latest limit stock moves of a book, newest
	// first.
	StockMoves(ctx context.Context, id int64, limit int) ([]StockMove, error)
	// LowStock returns the active and forthcoming books whose stock is
	// tracked and at or below their reorder level, lowest stock first.
	LowStock(ctx context.Context) ([]*Book, error)
}

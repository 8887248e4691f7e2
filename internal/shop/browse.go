package shop

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/isbn"
	"github.com/kiosque/kiosque/internal/search"
)

// PromoBooks is how many books the block under an article shows.
const PromoBooks = 4

// SearchParams is a reader's search of the catalogue as the page's
// address gives it.
type SearchParams struct {
	Query     string
	Author    string
	Publisher string
	Subject   string // "clil:3435"
	Format    Format
	Condition Condition
	Sort      BookSort
	Page      int
	PerPage   int
}

// analyzer is the French analyzer of the catalogue, made once.
var analyzer = sync.OnceValue(func() *search.Analyzer { return search.New(SearchLanguage) })

// Search runs a reader's search with its facets. A query that is an ISBN
// (10 or 13, with or without hyphens) finds the copies of that ISBN.
func (s *Service) Search(ctx context.Context, p SearchParams) (*BookResult, error) {
	f := BookFilter{Author: p.Author, Publisher: p.Publisher, Format: p.Format, Condition: p.Condition,
		Sort: p.Sort, At: s.Clock.Now(), Facets: true}
	if k, ok := ParseSubjectKey(p.Subject); ok {
		f.Subject = k
	}
	q := strings.TrimSpace(p.Query)
	if n := isbn.Normalize(q); len(n) >= 10 && isbn.Validate(n) == nil {
		f.ISBN, _ = isbn.To13(n)
	} else if q != "" {
		f.Query = analyzer().Query(q)
	}
	f.Limit = min(max(p.PerPage, 1), MaxBookPageSize)
	if p.PerPage == 0 {
		f.Limit = 24
	}
	f.Offset = max(p.Page-1, 0) * f.Limit
	switch f.Sort {
	case SortRelevance, SortNewest, SortTitle, SortPrice:
	default:
		f.Sort = SortRelevance
	}
	res, err := s.Catalog.SearchBooks(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("search books: %w", err)
	}
	return res, nil
}

// NewTitles returns a page of the latest books.
func (s *Service) NewTitles(ctx context.Context, page, perPage int) (*BookResult, error) {
	return s.Search(ctx, SearchParams{Sort: SortNewest, Page: page, PerPage: perPage})
}

// BookPage is a book with what its page shows beside it.
type BookPage struct {
	Book    *Book
	Related []*Book
	// Copies are the other copies of its ISBN (the used copy of a new
	// book, the new copy of a used one).
	Copies []*Book
}

// Book returns the book of a slug and its related titles. A withdrawn
// book still has its page (orders and links point to it), which says it
// is no longer sold.
func (s *Service) Book(ctx context.Context, slug string) (*BookPage, error) {
	b, err := s.Catalog.BookBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	p := &BookPage{Book: b}
	if p.Related, err = s.Catalog.RelatedBooks(ctx, b, 4); err != nil {
		return nil, fmt.Errorf("related books of %s: %w", slug, err)
	}
	if b.ISBN != "" {
		copies, err := s.Catalog.BookByISBN(ctx, b.ISBN)
		if err != nil {
			return nil, fmt.Errorf("copies of %s: %w", b.ISBN, err)
		}
		for _, c := range copies {
			if c.ID != b.ID && c.Status != StatusWithdrawn {
				p.Copies = append(p.Copies, c)
			}
		}
	}
	return p, nil
}

// ByContributor returns the books of an author, translator or
// illustrator (NotFound when none).
func (s *Service) ByContributor(ctx context.Context, name string) ([]*Book, error) {
	books, err := s.Catalog.BooksByContributor(ctx, name, MaxBookPageSize)
	if err != nil {
		return nil, fmt.Errorf("books by %q: %w", name, err)
	}
	if len(books) == 0 {
		return nil, apperr.New(apperr.NotFound, "error.shop.no_such_author")
	}
	return books, nil
}

// Subjects lists the CLIL and Thema subjects with books, for browsing.
func (s *Service) Subjects(ctx context.Context) ([]FacetCount, error) {
	var out []FacetCount
	for _, scheme := range []string{"clil", "thema"} {
		subjects, err := s.Catalog.Subjects(ctx, scheme)
		if err != nil {
			return nil, fmt.Errorf("subjects: %w", err)
		}
		out = append(out, subjects...)
	}
	return out, nil
}

// Promotion returns the books shown under an article: those an editor
// picked for it that can be bought, else books matching its tags and
// categories, at most PromoBooks.
func (s *Service) Promotion(ctx context.Context, articleID int64, terms []string) ([]*Book, error) {
	now := s.Clock.Now()
	var out []*Book
	if articleID > 0 {
		picked, err := s.Catalog.ArticleBooks(ctx, articleID)
		if err != nil {
			return nil, fmt.Errorf("books of article %d: %w", articleID, err)
		}
		for _, b := range picked {
			if b.Sellable(now) == nil && len(out) < PromoBooks {
				out = append(out, b)
			}
		}
	}
	if len(out) > 0 || len(terms) == 0 {
		return out, nil
	}
	out, err := s.Catalog.BooksMatching(ctx, terms, PromoBooks)
	if err != nil {
		return nil, fmt.Errorf("books for article %d: %w", articleID, err)
	}
	return out, nil
}

package shop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/isbn"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Bounds of a book entered or edited in the back office.
const (
	maxBookTitle = 500
	maxBookLine  = 200
	maxBookNote  = 1000
	// MaxBookCents bounds a price (10 000 €), to catch a slip of the
	// keyboard.
	MaxBookCents = 1_000_000
	// MaxStock bounds a stock and a stock adjustment.
	MaxStock = 100_000
	// maxStockReason bounds the reason of a stock adjustment.
	maxStockReason = 200
	// maxPrices bounds a book's price history.
	maxPrices = 50
)

// Prefixes of the record references of books the back office creates: a
// feed's records use their own (ONIX RecordReference), so a book whose
// reference has none of these came from a feed.
const (
	refISBN = "isbn:"
	refUsed = "used:"
	refItem = "item:"
)

// BookQuery is the back office's search of the catalogue: withdrawn books
// included, unlike the public search.
type BookQuery struct {
	// Query is words or an ISBN (10 or 13, with or without hyphens).
	Query string
	// Withdrawn keeps the withdrawn books only; Used the second-hand
	// copies only.
	Withdrawn, Used bool
	Page, PerPage   int
}

// AdminBooks returns a page of the catalogue for the back office: every
// status (only the withdrawn books with q.Withdrawn), best matches first
// for words, by title otherwise.
func (s *Service) AdminBooks(ctx context.Context, q BookQuery) (*BookResult, error) {
	f := BookFilter{Status: []Status{StatusActive, StatusForthcoming, StatusWithdrawn}, Sort: SortTitle, At: s.Clock.Now()}
	if q.Withdrawn {
		f.Status = []Status{StatusWithdrawn}
	}
	if q.Used {
		f.Condition = ConditionUsed
	}
	text := strings.TrimSpace(q.Query)
	if utf8.RuneCountInString(text) > maxBookLine {
		return nil, apperr.New(apperr.Invalid, "error.shop.query_too_long", maxBookLine).InField("q")
	}
	if n := isbn.Normalize(text); len(n) >= 10 && isbn.Validate(n) == nil {
		f.ISBN, _ = isbn.To13(n)
	} else if text != "" {
		f.Query, f.Sort = analyzer().Query(text), SortRelevance
	}
	f.Limit = min(max(q.PerPage, 1), MaxBookPageSize)
	f.Offset = max(q.Page-1, 0) * f.Limit
	res, err := s.Catalog.SearchBooks(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("search catalogue: %w", err)
	}
	return res, nil
}

// LowStock returns the books to reorder: tracked, on sale, and at or
// below their reorder level, lowest stock first.
func (s *Service) LowStock(ctx context.Context) ([]*Book, error) {
	list, err := s.Catalog.LowStock(ctx)
	if err != nil {
		return nil, fmt.Errorf("low stock: %w", err)
	}
	return list, nil
}

// BookByID returns the book of an ID, whatever its status (NotFound).
func (s *Service) BookByID(ctx context.Context, id int64) (*Book, error) {
	if id <= 0 {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return s.Catalog.Book(ctx, id)
}

// CreateBook adds a book entered by hand, typically a second-hand copy
// (condition used, its note, the shop's own price, one in stock). It
// normalizes and checks b (CheckBook), refuses a new book priced other
// than its publisher's price already in the catalogue (loi Lang art. 1),
// gives it a record reference and a slug, and sets its ID.
func (s *Service) CreateBook(ctx context.Context, b *Book) error {
	NormalizeBook(b)
	if err := CheckBook(b); err != nil {
		return err
	}
	if b.FixedPrice() && b.ISBN != "" {
		copies, err := s.Catalog.BookByISBN(ctx, b.ISBN)
		if err != nil {
			return fmt.Errorf("copies of %s: %w", b.ISBN, err)
		}
		for _, c := range copies {
			if c.FixedPrice() && c.Format == b.Format && !samePrices(c.Prices, b.Prices) {
				return publisherPriceError(b)
			}
		}
	}
	ref, err := newRecordRef(b)
	if err != nil {
		return err
	}
	b.RecordRef = ref
	now := s.Clock.Now()
	b.CreatedAt, b.UpdatedAt = now, now
	if b.Slug == "" {
		b.Slug = BookSlug(b)
	}
	if err := s.Catalog.CreateBook(ctx, b); err != nil {
		return fmt.Errorf("create book %q: %w", b.Title, err)
	}
	return nil
}

// UpdateBook saves an editor's changes to a book, provided nobody changed
// it since b.UpdatedAt (Conflict otherwise: the form is shown again with
// the other's version). The prices of a new book that came from a feed are
// its publisher's and only the feed changes them (loi Lang art. 1, loi of
// 26 May 2011 for e-books): changing them here is refused. Its stock is
// not changed (see AdjustStock).
func (s *Service) UpdateBook(ctx context.Context, b *Book) error {
	NormalizeBook(b)
	if err := CheckBook(b); err != nil {
		return err
	}
	old, err := s.Catalog.Book(ctx, b.ID)
	if err != nil {
		return err
	}
	if old.FromFeed() && b.FixedPrice() && !samePrices(old.Prices, b.Prices) {
		return publisherPriceError(b)
	}
	b.RecordRef, b.CreatedAt = old.RecordRef, old.CreatedAt
	if b.Slug == "" {
		b.Slug = old.Slug
	}
	if err := s.Catalog.UpdateBook(ctx, b, s.Clock.Now()); err != nil {
		return fmt.Errorf("update book %d: %w", b.ID, err)
	}
	return nil
}

// SetBookStatus withdraws a book from sale or puts it back, if nobody
// changed it since updatedAt (Conflict otherwise). Withdrawing never
// erases: orders keep their lines, its page says it is gone.
func (s *Service) SetBookStatus(ctx context.Context, id int64, st Status, updatedAt time.Time) error {
	if st != StatusActive && st != StatusWithdrawn && st != StatusForthcoming {
		return apperr.New(apperr.Invalid, "error.shop.book_status").InField("status")
	}
	b, err := s.Catalog.Book(ctx, id)
	if err != nil {
		return err
	}
	if !b.UpdatedAt.Equal(updatedAt) {
		return apperr.New(apperr.Conflict, "error.shop.book_changed")
	}
	b.Status = st
	if err := s.Catalog.UpdateBook(ctx, b, s.Clock.Now()); err != nil {
		return fmt.Errorf("set status of book %d: %w", id, err)
	}
	return nil
}

// AdjustStock adds delta copies (negative to remove) to a book's stock
// with the reason (« inventaire », « exemplaire abîmé »), and returns the
// new stock. Invalid when delta is zero or too large, the reason missing,
// or the stock would fall below zero.
func (s *Service) AdjustStock(ctx context.Context, id int64, delta int, reason string) (int, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case delta == 0 || delta > MaxStock || delta < -MaxStock:
		return 0, apperr.New(apperr.Invalid, "error.shop.stock_delta", MaxStock).InField("delta")
	case reason == "":
		return 0, apperr.New(apperr.Invalid, "error.shop.stock_reason").InField("reason")
	case utf8.RuneCountInString(reason) > maxStockReason:
		return 0, apperr.New(apperr.Invalid, "error.shop.too_long", maxStockReason).InField("reason")
	}
	n, err := s.Catalog.AdjustStock(ctx, id, delta, reason, s.Clock.Now())
	if apperr.Is(err, apperr.Invalid) {
		return 0, apperr.Wrap(err, apperr.Invalid, "error.shop.stock_negative").InField("delta")
	}
	if err != nil {
		return 0, fmt.Errorf("adjust stock of book %d: %w", id, err)
	}
	return n, nil
}

// StockMoves returns the latest limit stock moves of a book, newest first.
func (s *Service) StockMoves(ctx context.Context, id int64, limit int) ([]StockMove, error) {
	moves, err := s.Catalog.StockMoves(ctx, id, min(max(limit, 1), 100))
	if err != nil {
		return nil, fmt.Errorf("stock moves of book %d: %w", id, err)
	}
	return moves, nil
}

// ArticleBooks returns the books an editor picked for an article, in order.
func (s *Service) ArticleBooks(ctx context.Context, articleID int64) ([]*Book, error) {
	list, err := s.Catalog.ArticleBooks(ctx, articleID)
	if err != nil {
		return nil, fmt.Errorf("books of article %d: %w", articleID, err)
	}
	return list, nil
}

// SetArticleBooks replaces the books picked for an article: at most
// PromoBooks, each once, in this order (Invalid otherwise; Conflict when
// the article or a book does not exist).
func (s *Service) SetArticleBooks(ctx context.Context, articleID int64, bookIDs []int64) error {
	var ids []int64
	for _, id := range bookIDs {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > PromoBooks {
		return apperr.New(apperr.Invalid, "error.shop.too_many_picks", PromoBooks).InField("books")
	}
	if err := s.Catalog.SetArticleBooks(ctx, articleID, ids); err != nil {
		return fmt.Errorf("pick books for article %d: %w", articleID, err)
	}
	return nil
}

// FromFeed reports whether the book came from a feed (ONIX) rather than
// from the back office or a CSV file: its record reference is the feed's.
func (b *Book) FromFeed() bool {
	return b.RecordRef != "" && !strings.HasPrefix(b.RecordRef, refISBN) && !strings.HasPrefix(b.RecordRef, refUsed) &&
		!strings.HasPrefix(b.RecordRef, refItem)
}

// NormalizeBook trims what was typed, stores the ISBN as its bare ISBN-13
// (an invalid one is left as typed, for CheckBook to refuse), and keeps
// the note of a used copy only.
func NormalizeBook(b *Book) {
	for _, p := range []*string{&b.Title, &b.Subtitle, &b.Series, &b.Publisher, &b.Imprint, &b.ConditionNote, &b.Language, &b.CoverURL} {
		*p = strings.TrimSpace(*p)
	}
	b.ISBN = strings.TrimSpace(b.ISBN)
	if n := isbn.Normalize(b.ISBN); isbn.Validate(n) == nil {
		b.ISBN, _ = isbn.To13(n)
	}
	if b.Condition == "" {
		b.Condition = ConditionNew
	}
	if b.Condition != ConditionUsed {
		b.ConditionNote = ""
	}
	var cs []Contributor
	for _, c := range b.Contributors {
		c.Name, c.SortName, c.Role = strings.TrimSpace(c.Name), strings.TrimSpace(c.SortName), strings.TrimSpace(c.Role)
		if c.Name != "" {
			if c.Role == "" {
				c.Role = "A01"
			}
			cs = append(cs, c)
		}
	}
	b.Contributors = cs
}

// bookVATRates are the French rates a book entry may set, in basis points:
// books take 5.5 % (CGI art. 278-0 bis A 3°), or 2.1 % in the overseas
// departments where it applies; other goods any rate.
var bookVATRates = []int{210, 550}

var otherVATRates = []int{210, 550, 1000, 2000}

// CheckBook returns the problems of a book entered or edited in the back
// office, one Invalid error per field, each naming its field: a title, a
// known format and condition (a second-hand copy is a printed book), a
// valid ISBN when one is given (required for a new book), positive prices
// within bounds whose dates run forward, a VAT rate a book may have, a
// stock and reorder level within bounds.
func CheckBook(b *Book) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	switch {
	case b.Title == "":
		bad("title", "error.shop.title_required")
	case utf8.RuneCountInString(b.Title) > maxBookTitle:
		bad("title", "error.shop.too_long", maxBookTitle)
	}
	for _, f := range []struct{ field, value string }{{"subtitle", b.Subtitle}, {"series", b.Series},
		{"publisher", b.Publisher}, {"imprint", b.Imprint}, {"language", b.Language}} {
		if utf8.RuneCountInString(f.value) > maxBookLine {
			bad(f.field, "error.shop.too_long", maxBookLine)
		}
	}
	if utf8.RuneCountInString(b.ConditionNote) > maxBookNote {
		bad("condition_note", "error.shop.too_long", maxBookNote)
	}
	switch b.Format {
	case FormatPrint, FormatEbook, FormatAudio, FormatOther:
	default:
		bad("format", "error.shop.book_format")
	}
	switch {
	case b.Condition != ConditionNew && b.Condition != ConditionUsed:
		bad("condition", "error.shop.book_condition")
	case b.Condition == ConditionUsed && b.Format != FormatPrint:
		bad("condition", "error.shop.used_not_print")
	}
	switch {
	case b.ISBN != "" && isbn.Validate(b.ISBN) != nil:
		bad("isbn", "error.shop.bad_isbn")
	case b.ISBN == "" && b.IsNewBook():
		bad("isbn", "error.shop.isbn_required")
	}
	if len(b.Prices) > maxPrices {
		bad("prices", "error.shop.too_many_prices", maxPrices)
	}
	for _, p := range b.Prices {
		switch {
		case p.Cents <= 0 || p.Cents > MaxBookCents:
			bad("prices", "error.shop.price_bounds", Money(MaxBookCents))
		case !p.Until.IsZero() && !p.Until.After(p.From):
			bad("prices", "error.shop.price_dates")
		}
	}
	rates := otherVATRates
	if b.Format != FormatOther {
		rates = bookVATRates
	}
	if b.VATRate != 0 && !slices.Contains(rates, b.VATRate) {
		bad("vat_rate", "error.shop.book_vat_rate")
	}
	if b.Stock < 0 || b.Stock > MaxStock {
		bad("stock", "error.shop.stock_bounds", MaxStock)
	}
	if b.ReorderAt < 0 || b.ReorderAt > MaxStock {
		bad("reorder_at", "error.shop.stock_bounds", MaxStock)
	}
	if b.WeightGrams < 0 || b.WeightGrams > 100_000 {
		bad("weight", "error.shop.weight_bounds")
	}
	if b.Pages < 0 || b.Pages > 100_000 {
		bad("pages", "error.shop.pages_bounds")
	}
	switch b.Status {
	case StatusActive, StatusForthcoming, StatusWithdrawn:
	default:
		bad("status", "error.shop.book_status")
	}
	return errors.Join(errs...)
}

// publisherPriceError says that a new book's price is its publisher's, with
// the law that says so.
func publisherPriceError(b *Book) error {
	if b.Format == FormatEbook {
		return apperr.New(apperr.Invalid, "error.shop.ebook_publisher_price").InField("prices")
	}
	return apperr.New(apperr.Invalid, "error.shop.publisher_price").InField("prices")
}

// samePrices reports whether two price histories hold the same prices and
// dates, in any order.
func samePrices(a, b []Price) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q Price) bool {
			return q.Cents == p.Cents && q.From.Equal(p.From) && q.Until.Equal(p.Until)
		}) {
			return false
		}
	}
	return true
}

// newRecordRef names a book entered by hand: "isbn:<ISBN>" for a new book
// (one per ISBN, as a CSV import names it), "used:<token>" for a
// second-hand copy (one per copy), "item:<token>" for other goods.
func newRecordRef(b *Book) (string, error) {
	if b.Condition != ConditionUsed && b.ISBN != "" {
		return refISBN + b.ISBN, nil
	}
	prefix := refItem
	if b.Condition == ConditionUsed {
		prefix = refUsed
	}
	t, err := newToken("")
	if err != nil {
		return "", fmt.Errorf("record reference: %w", err)
	}
	return prefix + t[:12], nil
}

// BookSlug returns the slug a new book's page gets: its title and first
// author, "occasion" for a used copy; the store makes it unique.
func BookSlug(b *Book) string {
	parts := []string{b.Title}
	if a := b.Authors(); len(a) > 0 {
		parts = append(parts, a[0])
	}
	if b.Condition == ConditionUsed {
		parts = append(parts, "occasion")
	}
	if s := textproc.Slugify(strings.Join(parts, " ")); s != "" {
		return s
	}
	return "livre"
}

// PickBooks sets the books picked for an article from the back office's
// form: the ids kept or added, in order, then the new copy (or else the
// first copy on sale) of the ISBN typed, if any; at most PromoBooks
// (Invalid otherwise, or when no book on sale has that ISBN).
func (s *Service) PickBooks(ctx context.Context, articleID int64, ids []int64, typed string) error {
	typed = strings.TrimSpace(typed)
	if typed != "" {
		n := isbn.Normalize(typed)
		if isbn.Validate(n) != nil {
			return apperr.New(apperr.Invalid, "error.shop.bad_isbn").InField("isbn")
		}
		n, _ = isbn.To13(n)
		copies, err := s.Catalog.BookByISBN(ctx, n)
		if err != nil {
			return fmt.Errorf("copies of %s: %w", n, err)
		}
		i := slices.IndexFunc(copies, func(b *Book) bool { return b.Status != StatusWithdrawn })
		if i < 0 {
			return apperr.New(apperr.Invalid, "error.shop.isbn_unknown", n).InField("isbn")
		}
		ids = append(ids, copies[i].ID)
	}
	return s.SetArticleBooks(ctx, articleID, ids)
}

// errStopExport stops EachBook when the CSV writer wants no more books.
var errStopExport = errors.New("export stopped")

// ExportBooks writes the whole catalogue to w as WriteCSV does, with the
// prices in effect now, reading the books a thousand at a time.
func (s *Service) ExportBooks(ctx context.Context, w io.Writer) error {
	books := func(yield func(*Book, error) bool) {
		err := s.Catalog.EachBook(ctx, func(b *Book) error {
			if !yield(b, nil) {
				return errStopExport
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopExport) {
			yield(nil, fmt.Errorf("read catalogue: %w", err))
		}
	}
	return WriteCSV(w, s.Clock.Now(), books)
}

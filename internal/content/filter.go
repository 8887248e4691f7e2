package content

import (
	"time"

	"github.com/kiosque/kiosque/internal/search"
)

// MaxPageSize bounds the number of articles one query may return.
const MaxPageSize = 100

// ArticleFilter selects articles. Zero fields do not filter.
type ArticleFilter struct {
	// VisibleAt, when set, keeps only articles the public may read at that time.
	VisibleAt time.Time
	// Kind restricts to posts or pages; VisibleAt implies posts.
	Kind     Kind
	Status   Status
	Featured *bool
	// AuthorID keeps the articles signed by this user.
	AuthorID int64
	// CategoryID keeps the articles of this category.
	CategoryID int64
	// NotTrashed leaves trashed articles out (the back office's "all").
	NotTrashed bool
	// ByUpdate orders by last change instead of publication (the back office).
	ByUpdate bool

	CategorySlug string
	TagSlug      string
	AuthorSlug   string
	// Year and Month restrict to a month of publication, in the site's time zone (Location).
	Year     int
	Month    time.Month
	Location *time.Location

	// Search keeps only articles matching every analyzed term, best first.
	Search search.Query

	// WithBody loads the bodies too (feeds); listings leave them out.
	WithBody bool

	// ExcludeIDs leaves these articles out.
	ExcludeIDs []int64

	Offset int
	Limit  int
}

// Page is one page of a listing.
type Page struct {
	Articles []*Article
	Total    int
	Number   int
	Size     int
}

// Pages returns the number of pages, at least 1.
func (p Page) Pages() int {
	if p.Size <= 0 || p.Total <= p.Size {
		return 1
	}
	return (p.Total + p.Size - 1) / p.Size
}

// HasPrev reports whether a page comes before this one.
func (p Page) HasPrev() bool { return p.Number > 1 }

// HasNext reports whether a page comes after this one.
func (p Page) HasNext() bool { return p.Number < p.Pages() }

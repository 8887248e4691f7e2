package content

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/textproc"
)

// RelatedShown is the number of related articles under an article.
const RelatedShown = 4

// PublicArticle returns the article with this slug if the public may read
// it now, with its related articles; NotFound otherwise, so drafts and
// scheduled articles do not leak.
func (s *Service) PublicArticle(ctx context.Context, slug string) (*Article, error) {
	a, err := s.store.VisibleArticleBySlug(ctx, KindPost, slug, s.clock.Now(), RelatedShown)
	if err != nil {
		return nil, fmt.Errorf("article %q: %w", slug, err)
	}
	return a, nil
}

// ArticleByID returns an article whatever its status (for staff and jobs).
func (s *Service) ArticleByID(ctx context.Context, id int64) (*Article, error) {
	return s.store.ArticleByID(ctx, id)
}

// ArticleBySlug returns an article whatever its status (for staff and imports).
func (s *Service) ArticleBySlug(ctx context.Context, slug string) (*Article, error) {
	return s.store.ArticleBySlug(ctx, slug)
}

// PublicList returns page number page (from 1) of the public articles
// matching f, size per page. A page past the end is NotFound, so that
// crawlers do not index empty pages.
func (s *Service) PublicList(ctx context.Context, f ArticleFilter, page, size int) (Page, error) {
	if page < 1 {
		return Page{}, apperr.New(apperr.Invalid, "error.invalid_page")
	}
	if size < 1 || size > MaxPageSize {
		return Page{}, apperr.New(apperr.Invalid, "error.invalid_limit", MaxPageSize)
	}
	f.VisibleAt = s.clock.Now()
	f.Status = ""
	f.Offset = (page - 1) * size
	f.Limit = size
	arts, total, err := s.store.Articles(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("list articles: %w", err)
	}
	p := Page{Articles: arts, Total: total, Number: page, Size: size}
	if page > 1 && page > p.Pages() {
		return Page{}, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return p, nil
}

// Search returns page number page of the public articles matching the
// analyzed query q, best match first. An empty query gives an empty page.
func (s *Service) Search(ctx context.Context, q search.Query, page, size int) (Page, error) {
	if q.Empty() {
		return Page{Number: 1, Size: size}, nil
	}
	return s.PublicList(ctx, ArticleFilter{Search: q}, page, size)
}

// RefreshAllRelated recomputes the related lists of every article, in
// batches: what the nightly job runs, so lists follow what was published
// since (a write refreshes only the closest neighbours at once).
func (s *Service) RefreshAllRelated(ctx context.Context) (int, error) {
	var after int64
	n := 0
	for {
		ids, err := s.store.ArticleIDs(ctx, after, 200)
		if err != nil {
			return n, fmt.Errorf("list articles: %w", err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		if err := s.store.RefreshRelated(ctx, ids); err != nil {
			return n, fmt.Errorf("refresh related articles: %w", err)
		}
		n += len(ids)
		after = ids[len(ids)-1]
	}
}

// Categories returns every category with its count of public articles.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return s.store.Categories(ctx, s.clock.Now())
}

// CategoryBySlug returns one category.
func (s *Service) CategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	return s.store.CategoryBySlug(ctx, slug)
}

// CreateCategory validates and stores a new category, with the rights of
// the system; people go through SaveCategory.
func (s *Service) CreateCategory(ctx context.Context, c *Category) error {
	if c.Name == "" {
		return apperr.New(apperr.Invalid, "error.category.name_required").InField("name")
	}
	if c.Slug == "" {
		c.Slug = textproc.Slugify(c.Name)
	}
	return s.store.CreateCategory(ctx, c, nil)
}

// Tags returns the tags used by public articles.
func (s *Service) Tags(ctx context.Context) ([]Tag, error) {
	return s.store.Tags(ctx, s.clock.Now())
}

// TagBySlug returns one tag.
func (s *Service) TagBySlug(ctx context.Context, slug string) (*Tag, error) {
	return s.store.TagBySlug(ctx, slug)
}

// Authors returns the staff who signed public articles.
func (s *Service) Authors(ctx context.Context) ([]Author, error) {
	return s.store.Authors(ctx, s.clock.Now())
}

// AuthorBySlug returns one author.
func (s *Service) AuthorBySlug(ctx context.Context, slug string) (*Author, error) {
	return s.store.AuthorBySlug(ctx, slug)
}

// ArchiveMonths returns the months that hold public articles, newest first.
func (s *Service) ArchiveMonths(ctx context.Context, loc *time.Location) ([]MonthCount, error) {
	return s.store.ArchiveMonths(ctx, s.clock.Now(), loc)
}

// LastModified returns when the public content last changed.
func (s *Service) LastModified(ctx context.Context) (time.Time, error) {
	return s.store.LastModified(ctx, s.clock.Now())
}

// MaxStubs is the most article stubs one call returns: the 50,000 URLs a
// sitemap file may hold, kept lower so one file stays small.
const MaxStubs = 10000

// PublicStubs returns page number page (from 1) of the public articles as
// stubs, MaxStubs per page, published since since (zero: all).
func (s *Service) PublicStubs(ctx context.Context, since time.Time, page int) ([]ArticleStub, int, error) {
	if page < 1 {
		return nil, 0, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return s.store.ArticleStubs(ctx, s.clock.Now(), since, (page-1)*MaxStubs, MaxStubs)
}

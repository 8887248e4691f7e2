package content

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// JobsFunc returns the side-effect jobs of a write once the article is
// stored (with its ID); nil means none.
type JobsFunc func(a *Article) []job.Job

// Effects are what a write carries besides the article: they are stored in
// its transaction, so they happen exactly when the write does.
type Effects struct {
	Jobs JobsFunc
	// Audit is recorded with the write; its TargetID is set to the article's.
	Audit *audit.Entry
	// Revision keeps the new text as a revision by RevisionBy (0: the system).
	Revision   bool
	RevisionBy int64
}

// Store keeps articles and their taxonomy. Implementations return apperr
// errors: NotFound when a finder matches nothing, Conflict on a duplicate
// slug or a stale Version, Internal otherwise. Write methods run in one
// transaction and insert the given jobs in it, so a change and its side
// effects commit together.
type Store interface {
	// ArticleByID returns the article whatever its status, with authors,
	// categories and tags.
	ArticleByID(ctx context.Context, id int64) (*Article, error)
	// ArticleBySlug returns the article whatever its status, with authors,
	// categories and tags.
	ArticleBySlug(ctx context.Context, slug string) (*Article, error)
	// VisibleArticleBySlug returns the article or page with this slug if
	// the public may read it at now, with its rendered body but not its
	// Markdown source, and up to related of its stored related articles
	// that are visible at now; NotFound otherwise.
	VisibleArticleBySlug(ctx context.Context, kind Kind, slug string, now time.Time, related int) (*Article, error)
	// Articles returns the articles matching f, newest first (best match
	// first for a search), with authors and categories but not tags, and
	// the number of articles matching f without Offset and Limit.
	Articles(ctx context.Context, f ArticleFilter) ([]*Article, int, error)
	// RefreshRelated recomputes the stored related lists of the articles
	// ids (see VisibleArticleBySlug); writes already do it for the article
	// written and its closest neighbours.
	RefreshRelated(ctx context.Context, ids []int64) error
	// ArticleIDs returns the IDs of published and scheduled articles after
	// afterID, in ID order, at most limit: for batch work over all articles.
	ArticleIDs(ctx context.Context, afterID int64, limit int) ([]int64, error)
	// ArticleSlugExists reports whether another article than exceptID uses slug.
	ArticleSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error)

	// CreateArticle inserts a, its taxonomy (creating missing tags by slug)
	// and its search terms, sets a.ID, a.Version and timestamps, then
	// inserts the jobs that jobs returns for the stored article, all in one
	// transaction.
	CreateArticle(ctx context.Context, a *Article, searchTerms string, eff Effects) error
	// UpdateArticle replaces a's fields and taxonomy if a.Version is still
	// the stored version, then increments it and stores the effects;
	// Conflict otherwise.
	UpdateArticle(ctx context.Context, a *Article, searchTerms string, eff Effects) error

	// Revisions returns an article's revisions, newest first, without bodies.
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	// RevisionByID returns one revision with its body.
	RevisionByID(ctx context.Context, id int64) (*Revision, error)
	// SaveAutosave replaces the autosave of r.UserID on r.ArticleID by r.
	SaveAutosave(ctx context.Context, r *Revision) error
	// DueScheduled returns the IDs of scheduled articles whose time has come at now.
	DueScheduled(ctx context.Context, now time.Time) ([]int64, error)
	// PublishScheduled marks the article published if it is still scheduled
	// and due at now; it reports whether it did, and inserts jobs only then.
	PublishScheduled(ctx context.Context, id int64, now time.Time, jobs JobsFunc) (bool, error)

	// Categories returns every category in menu order with its count of
	// articles visible at now.
	Categories(ctx context.Context, now time.Time) ([]Category, error)
	// CategoryBySlug returns one category (Count not filled).
	CategoryBySlug(ctx context.Context, slug string) (*Category, error)
	// CreateCategory inserts c and sets its ID.
	CreateCategory(ctx context.Context, c *Category, e *audit.Entry) error
	// UpdateCategory replaces a category's fields.
	UpdateCategory(ctx context.Context, c *Category, e *audit.Entry) error
	// DeleteCategory deletes a category, moving its articles to into
	// (0: leaving them without it) and its children to its parent.
	DeleteCategory(ctx context.Context, id, into int64, e *audit.Entry) error
	// CategoryByID returns one category.
	CategoryByID(ctx context.Context, id int64) (*Category, error)
	// AllCategories returns every category in menu order with its count of
	// articles of any status but the trash.
	AllCategories(ctx context.Context) ([]Category, error)
	// TagByID returns one tag with its count of articles of any status but the trash.
	TagByID(ctx context.Context, id int64) (*Tag, error)
	// TagList returns the tags matching f, with their count of articles of
	// any status but the trash, and the number of tags matching f without
	// Offset and Limit.
	TagList(ctx context.Context, f TagFilter) ([]Tag, int, error)
	// AllTags returns every tag with its count of articles of any status, by name.
	AllTags(ctx context.Context) ([]Tag, error)
	// EnsureTag returns the tag with t's slug, creating it with t's name
	// (and recording e) when there is none; it sets t.ID and t.Name.
	EnsureTag(ctx context.Context, t *Tag, e *audit.Entry) error
	// UpdateTag renames a tag (Conflict if the slug is taken).
	UpdateTag(ctx context.Context, t *Tag, e *audit.Entry) error
	// MergeTags moves the articles of tag from to tag into, then deletes from.
	MergeTags(ctx context.Context, from, into int64, e *audit.Entry) error
	// DeleteTag removes a tag from its articles and deletes it.
	DeleteTag(ctx context.Context, id int64, e *audit.Entry) error
	// Tags returns the tags having at least one article visible at now, by name, with counts.
	Tags(ctx context.Context, now time.Time) ([]Tag, error)
	// TagBySlug returns one tag (Count not filled).
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	// Authors returns staff having at least one article visible at now, by name, with counts.
	Authors(ctx context.Context, now time.Time) ([]Author, error)
	// AuthorBySlug returns one author (Count not filled).
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	// ArchiveMonths returns the months holding articles visible at now,
	// newest first, months taken in loc.
	ArchiveMonths(ctx context.Context, now time.Time, loc *time.Location) ([]MonthCount, error)
	// ArticleStubs returns, newest first, the articles visible at now and
	// published since since (zero: all), without bodies or relations, and
	// their total count: enough for sitemaps of any size.
	ArticleStubs(ctx context.Context, now, since time.Time, offset, limit int) ([]ArticleStub, int, error)
	// StatusCounts returns the number of posts in each status.
	StatusCounts(ctx context.Context) (map[Status]int, error)
	// PublishedTimes returns the publication times of posts visible at now
	// and published since since, for the dashboard's plot.
	PublishedTimes(ctx context.Context, since, now time.Time) ([]time.Time, error)
	// LastModified returns the latest update or publication time among articles visible at now.
	LastModified(ctx context.Context, now time.Time) (time.Time, error)
}

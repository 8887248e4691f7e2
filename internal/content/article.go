// Package content holds the newsroom's published matter: articles, their
// authors, categories and tags, and the rules for writing, scheduling and
// publishing them. It knows nothing of HTTP or SQL: storage implements Store,
// the web layer calls Service.
package content

import (
	"time"
)

// Status is where an article stands in its life.
type Status string

// The statuses an article can have.
const (
	// StatusDraft is being written and visible only to staff.
	StatusDraft Status = "draft"
	// StatusPending was submitted for review by a contributor.
	StatusPending Status = "pending"
	// StatusScheduled will be published automatically at PublishedAt.
	StatusScheduled Status = "scheduled"
	// StatusPublished is public from PublishedAt on.
	StatusPublished Status = "published"
	// StatusTrash was deleted and can be restored.
	StatusTrash Status = "trash"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusPending, StatusScheduled, StatusPublished, StatusTrash:
		return true
	}
	return false
}

// Live reports whether an article in status s is public or will be by
// itself: what contributors may no longer change.
func (s Status) Live() bool { return s == StatusPublished || s == StatusScheduled }

// Kind tells a dated article from a static page.
type Kind string

// The kinds of writing.
const (
	// KindPost is a dated article, listed on the home page and in feeds.
	KindPost Kind = "post"
	// KindPage is a static page (About, Legal notice, Contact), at /slug/.
	KindPage Kind = "page"
)

// Article is a piece of writing with everything a page needs to show it.
type Article struct {
	ID    int64
	Kind  Kind
	Slug  string
	Title string
	// Excerpt is the standfirst (chapô), plain text as written.
	Excerpt string
	// Body is the Markdown source as written.
	Body string
	// BodyHTML is Body rendered and sanitized once, at save time.
	BodyHTML string
	Status   Status
	Featured bool
	// CommentsOpen tells whether readers may comment.
	CommentsOpen bool
	// PublishedAt is when the article is (or will be) public; zero for a draft never scheduled.
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// SEOTitle and SEODescription override the title and excerpt in search results and previews.
	SEOTitle       string
	SEODescription string
	// ImageURL is the featured image, absolute or site-relative; ImageAlt describes it.
	ImageURL       string
	ImageAlt       string
	ReadingMinutes int
	// Version increases with every save; an update naming an older version is refused.
	Version int
	// TrashedFrom is the status a trashed article had, to restore it.
	TrashedFrom Status

	Authors    []Author
	Categories []Category
	Tags       []Tag
	// Related are the related articles visible when the article was read,
	// best first; nil when the finder does not load them.
	Related []ArticleStub
}

// AuthorIDs returns the IDs of the authors.
func (a *Article) AuthorIDs() []int64 {
	ids := make([]int64, len(a.Authors))
	for i, au := range a.Authors {
		ids[i] = au.ID
	}
	return ids
}

// VisibleAt reports whether the public may read the article at time now.
func (a *Article) VisibleAt(now time.Time) bool {
	return a.Status == StatusPublished && !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
}

// Description is the text for meta descriptions and previews: the SEO
// description, else the excerpt.
func (a *Article) Description() string {
	if a.SEODescription != "" {
		return a.SEODescription
	}
	return a.Excerpt
}

// Author is a member of staff as shown on the public site.
type Author struct {
	ID   int64
	Slug string
	Name string
	Bio  string
	// Count is the number of public articles, filled by listing queries.
	Count int
}

// Category is one of the newsroom's sections; an article has one or more.
type Category struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	// ParentID nests the category under another; 0 at the top.
	ParentID int64
	// Position orders categories in menus.
	Position int
	// Count is the number of public articles, filled by listing queries.
	Count int
	// NoAppeal leaves the donation appeal out under the category's
	// articles (press releases, obituaries).
	NoAppeal bool
}

// Tag is a free keyword shared by articles on the same subject.
type Tag struct {
	ID   int64
	Slug string
	Name string
	// Count is the number of public articles, filled by listing queries.
	Count int
}

// MonthCount is one month of the archives with its number of public articles.
type MonthCount struct {
	Year  int
	Month time.Month
	Count int
}

// ArticleStub is the little that sitemaps need about an article.
type ArticleStub struct {
	ID          int64
	Slug        string
	Title       string
	PublishedAt time.Time
	UpdatedAt   time.Time
}

// Revision is a saved state of an article's text.
type Revision struct {
	ID        int64
	ArticleID int64
	// Version is the article version the revision was saved as.
	Version int
	// Autosave marks the one revision kept per writer between saves.
	Autosave  bool
	UserID    int64
	UserName  string
	Title     string
	Excerpt   string
	Body      string
	CreatedAt time.Time
}

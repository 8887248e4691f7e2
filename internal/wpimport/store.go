package wpimport

import (
	"context"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/redirects"
)

// Kind is the kind of a WordPress object an import maps to a local one.
type Kind string

// The kinds an import remembers, so that a second run updates what the
// first one wrote instead of adding copies.
const (
	KindAuthor     Kind = "author"
	KindCategory   Kind = "category"
	KindTag        Kind = "tag"
	KindPost       Kind = "post"
	KindComment    Kind = "comment"
	KindAttachment Kind = "attachment"
)

// Key names a WordPress object within its site: its kind and its key (the
// post, comment or term id in decimal, an author's login, a tag's slug
// when the export has no term ids).
type Key struct {
	Kind Kind
	Key  string
}

// Mapping is what earlier runs imported from one site: for each
// WordPress object, the ID of the local one it became.
type Mapping map[Key]int64

// Store keeps the import's own records and writes its batches. Source is
// the site's address (wxr.Site.BaseBlogURL, else its Link): WordPress ids
// are only unique within a site, so two sites imported into one newsroom
// never mix. Implementations return apperr errors.
type Store interface {
	// Mapping returns every object earlier runs imported from source.
	Mapping(ctx context.Context, source string) (Mapping, error)
	// SaveMapping records that the WordPress object k of source became the
	// local object id (authors, categories, tags, attachments, written
	// one by one by their own services); a second call for k replaces
	// the first.
	SaveMapping(ctx context.Context, source string, k Key, id int64) error
	// SaveBatch writes b in one transaction; see Batch. Nothing of b is
	// written when it fails, and the IDs it set in b are taken back, so
	// that b's posts can be tried again.
	SaveBatch(ctx context.Context, b *Batch) error
}

// Batch is a run of posts with their comments and the redirects of their
// old addresses, written in one transaction.
//
// For each Post, in order: the article is inserted when Article.ID is 0
// (the store sets ID, Version 1, and records the mapping KindPost,
// WPID), or else replaces the stored article Article.ID (fields,
// authors, categories, tags; Version incremented; CreatedAt kept). Tags
// are found or created by slug, as content.Store does. No job is
// enqueued (an import must not post old news to social networks), no
// revision, no audit entry per article, and the related-article lists
// are not refreshed (the importer refreshes them all once at the end).
// The article's search terms are SearchTerms. When KeepArticle is set the
// article (Article.ID, an earlier run's) is not written at all, only its
// comments are.
//
// Then each of its Comments, in order (parents before replies): inserted
// when Comment.ID is 0, with ArticleID set to the article's, ParentID
// set from WPParent (a comment of the same batch or of an earlier run,
// through the mapping; 0 when unknown), its commenter recorded among
// people as comments.Store.CreateComment does, a legal log entry
// "create" at its CreatedAt with IP, and the mapping KindComment, WPID;
// or else the stored comment Comment.ID gets Status, AuthorName,
// AuthorEmail, AuthorURL, Body, BodyHTML, CreatedAt and ParentID.
//
// Then Redirects (already redirects.Prepare'd) are upserted by Key as
// redirects.Store.ImportRedirects does, and Audit is recorded. Change notices go out for the
// articles, comments and redirects written, so that caches and the
// redirect table follow.
type Batch struct {
	Source    string
	Posts     []*Post
	Redirects []*redirects.Redirect
	// Audit, when not nil, is recorded with the batch.
	Audit *audit.Entry
}

// Post is an article or page to write, with its comments.
type Post struct {
	// WPID is the post's id in WordPress, GUID its guid.
	WPID int64
	GUID string
	// Article is ready to store (content.Service.PrepareImport): slug
	// unique, body rendered.
	Article     *content.Article
	SearchTerms string
	// KeepArticle leaves the stored article Article.ID as it is: unchanged
	// since the last run, or edited in kiosque since.
	KeepArticle bool
	Comments    []*Comment
}

// Comment is a comment to write.
type Comment struct {
	// WPID is the comment's id in WordPress, WPParent the id of the
	// comment it answers (0 for none).
	WPID, WPParent int64
	// Comment is ready to store: body rendered, status set, CreatedAt its
	// date; ID is set for one an earlier run imported.
	Comment *comments.Comment
	// IP is the address it was posted from, for the legal log.
	IP string
}

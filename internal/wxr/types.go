package wxr

import "time"

// Site is what the export's channel says about the site it comes from.
type Site struct {
	// Version is the export's wp:wxr_version: "1.0", "1.1" or "1.2".
	Version string
	// Title, Link, Description and Language are the channel's RSS fields:
	// the site's name, address, tagline and language ("fr-FR").
	Title, Link, Description, Language string
	// PubDate is the channel's RSS date (the time of the export), as
	// written.
	PubDate string
	// Generator is what wrote the export ("https://wordpress.org/?v=6.5").
	Generator string
	// BaseSiteURL is the WordPress install's address and BaseBlogURL the
	// site's; they differ on multisite networks and WordPress.com, and old
	// links are rewritten from BaseBlogURL.
	BaseSiteURL, BaseBlogURL string
}

// Author is a wp:author: a person who wrote in the site. Items name their
// author by Login (dc:creator).
type Author struct {
	// Line is where the author starts in the file.
	Line int
	// ID is the WordPress user id (0 when the export does not give it;
	// WXR 1.0 has no wp:author at all, only dc:creator logins).
	ID          int64
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// The taxonomies of the terms WXR writes as wp:category and wp:tag; a
// wp:term carries its own (post_format, nav_menu, product_cat…).
const (
	TaxonomyCategory = "category"
	TaxonomyTag      = "post_tag"
)

// Term is a category (wp:category), a tag (wp:tag) or a term of another
// taxonomy (wp:term).
type Term struct {
	// Line is where the term starts in the file.
	Line int
	// ID is the WordPress term id (0 in WXR 1.0, which does not export
	// it).
	ID int64
	// Taxonomy is TaxonomyCategory for a wp:category, TaxonomyTag for a
	// wp:tag, and the wp:term_taxonomy of a wp:term.
	Taxonomy string
	// Slug is the term's nicename, unique within its taxonomy; items and
	// child terms refer to it.
	Slug string
	// Name is the term's name as shown.
	Name string
	// Parent is the slug of the parent term, empty at the top.
	Parent      string
	Description string
	// Meta is the term's wp:termmeta (WXR 1.2).
	Meta Metadata
}

// Meta is one metadata entry of a post, comment or term, its value kept as
// written: WordPress serializes arrays in PHP's format
// (_wp_attachment_metadata), which is left to whoever needs it.
type Meta struct {
	Key, Value string
}

// Metadata is a list of metadata entries in file order; WordPress allows
// a key more than once.
type Metadata []Meta

// Get returns the value of the first entry with key, and whether there is
// one.
func (m Metadata) Get(key string) (string, bool) {
	for _, e := range m {
		if e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

// The post types WordPress itself defines; plugins add others (product,
// wp_block, revision…), which Item.Type keeps as written.
const (
	TypePost        = "post"
	TypePage        = "page"
	TypeAttachment  = "attachment"
	TypeNavMenuItem = "nav_menu_item"
)

// The post statuses WordPress itself defines (Item.Status); attachments
// are "inherit", taking their parent's.
const (
	StatusPublish = "publish"
	StatusDraft   = "draft"
	StatusFuture  = "future"
	StatusPrivate = "private"
	StatusPending = "pending"
	StatusInherit = "inherit"
	StatusTrash   = "trash"
)

// Item is one <item> of the export: a post, page, attachment, menu item
// or post of a custom type.
type Item struct {
	// Index is the item's position in the export, from 1, and Line where
	// it starts in the file.
	Index, Line int

	// Title, Link (the post's permalink), PubDate (RSS date, as
	// written), GUID and Description are the item's RSS fields.
	Title       string
	Link        string
	PubDate     string
	GUID        string
	Description string
	// GUIDIsPermaLink is the guid's isPermaLink attribute (RSS: true when
	// absent); WordPress writes false.
	GUIDIsPermaLink bool
	// Creator is dc:creator, the login of the post's Author.
	Creator string
	// Content is content:encoded, the post's HTML as WordPress stores it
	// (wpautop paragraphs, block comments, shortcodes); Excerpt is
	// excerpt:encoded.
	Content string
	Excerpt string

	// PostID is wp:post_id, the post's id in WordPress (never 0: an item
	// without one is an ItemError).
	PostID int64
	// Date is wp:post_date and Modified wp:post_modified: the site's wall
	// clock, which WordPress stores without a time zone, carried in a
	// time.Time in UTC; Time reads it in the site's zone. Zero when
	// empty or "0000-00-00 00:00:00".
	Date, Modified time.Time
	// DateGMT and ModifiedGMT are wp:post_date_gmt and
	// wp:post_modified_gmt, in UTC; zero when WordPress left them unset
	// ("0000-00-00 00:00:00", as for drafts).
	DateGMT, ModifiedGMT time.Time
	// CommentStatus and PingStatus are "open" or "closed".
	CommentStatus, PingStatus string
	// Name is wp:post_name, the slug.
	Name string
	// Status is wp:status (StatusPublish…), as written.
	Status string
	// Parent is wp:post_parent, the PostID of the parent page or of the
	// post an attachment belongs to (0 for none).
	Parent    int64
	MenuOrder int64
	// Type is wp:post_type (TypePost…), as written.
	Type     string
	Password string
	// Sticky is wp:is_sticky: the post is pinned to the top of the blog.
	Sticky bool
	// AttachmentURL is where an attachment's file was on the old site.
	AttachmentURL string

	// Categories are the item's terms, in file order.
	Categories []Category
	// Meta is the item's wp:postmeta (_thumbnail_id, _wp_attached_file,
	// _wp_attachment_metadata, _menu_item_*…).
	Meta Metadata
	// Comments are the item's wp:comment, in file order.
	Comments []Comment
}

// Time returns when the post was, or is to be, published: DateGMT, or
// when WordPress left it unset, Date read as a wall clock in loc (the
// site's time zone). It is zero when both are.
func (it *Item) Time(loc *time.Location) time.Time {
	return pick(it.DateGMT, it.Date, loc)
}

// Category is one of an item's <category> elements: a term of any
// taxonomy the item belongs to.
type Category struct {
	// Domain is the taxonomy ("category", "post_tag", "nav_menu",
	// "post_format"…). WXR 1.0 writes "tag" for tags, and also repeats
	// each term as a bare RSS <category> with no Domain and no Nicename,
	// which WordPress's importer ignores.
	Domain string
	// Nicename is the term's slug, Name its name.
	Nicename string
	Name     string
}

// The values of Comment.Approved.
const (
	CommentApproved = "1"
	CommentPending  = "0"
	CommentSpam     = "spam"
	CommentTrash    = "trash"
)

// The values of Comment.Type besides "" and "comment" (both a comment);
// plugins add others (WooCommerce's "review", "order_note"…).
const (
	CommentPingback  = "pingback"
	CommentTrackback = "trackback"
)

// Comment is one wp:comment of an item.
type Comment struct {
	// Line is where the comment starts in the file.
	Line int
	// ID is wp:comment_id; Parent is the ID of the comment it answers
	// (0 for none), UserID the WordPress user who wrote it (0 for a
	// visitor).
	ID, Parent, UserID int64
	Author             string
	AuthorEmail        string
	AuthorURL          string
	AuthorIP           string
	// Date is wp:comment_date, the site's wall clock in a time.Time in
	// UTC, and DateGMT wp:comment_date_gmt; see Item.Date.
	Date, DateGMT time.Time
	Content       string
	// Approved is wp:comment_approved as written (CommentApproved…).
	Approved string
	// Type is wp:comment_type as written ("" or "comment" for a comment,
	// CommentPingback, CommentTrackback…).
	Type string
	// Meta is the comment's wp:commentmeta.
	Meta Metadata
}

// Time returns when the comment was written: DateGMT, or Date read as a
// wall clock in loc (the site's time zone).
func (c *Comment) Time(loc *time.Location) time.Time {
	return pick(c.DateGMT, c.Date, loc)
}

func pick(gmt, wall time.Time, loc *time.Location) time.Time {
	if !gmt.IsZero() || wall.IsZero() {
		return gmt
	}
	y, mo, d := wall.Date()
	h, mi, s := wall.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, loc)
}

package site

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// commentFeedItems is the number of comments in a comments feed.
const commentFeedItems = 50

// commentExcerptRunes bounds the plain text summary of a comment in a feed.
const commentExcerptRunes = 200

// showCommentsFeed renders the RSS 2.0 feed of the site's latest approved
// comments at WordPress's path, /feed/comments/.
func (h *Handler) showCommentsFeed(r *http.Request, c *reqCtx) (*page, error) {
	if h.Comments == nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	list, err := h.Comments.Recent(r.Context(), 0, commentFeedItems)
	if err != nil {
		return nil, err
	}
	updated := newestComment(list, c.site.UpdatedAt)
	title := c.p.T("feed.comments_title", c.site.Title)
	body, err := h.commentsRSS(c, list, title, h.BaseURL+"/", h.BaseURL+r.URL.Path, updated)
	if err != nil {
		return nil, err
	}
	// TagLists too: the feed names articles, which may be renamed or
	// unpublished.
	return commentsFeedPage(body, updated, pagecache.TagComments, pagecache.TagLists), nil
}

// showArticleCommentsFeed renders the RSS 2.0 feed of one article's
// approved comments at WordPress's path, the article's followed by feed/.
// A closed discussion without comments still has its (empty) feed.
func (h *Handler) showArticleCommentsFeed(r *http.Request, c *reqCtx) (*page, error) {
	if h.Comments == nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	a, err := h.Content.PublicArticle(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	path := web.ArticlePath(a, c.loc)
	if path+"feed/" != r.URL.Path {
		return nil, &redirect{to: path + "feed/", code: http.StatusMovedPermanently}
	}
	list, err := h.Comments.Recent(r.Context(), a.ID, commentFeedItems)
	if err != nil {
		return nil, err
	}
	updated := newestComment(list, maxTime(a.UpdatedAt, a.PublishedAt))
	body, err := h.commentsRSS(c, list, articleCommentsTitle(c, a), h.BaseURL+path, h.BaseURL+r.URL.Path, updated)
	if err != nil {
		return nil, err
	}
	return commentsFeedPage(body, updated, pagecache.ArticleTag(a.ID)), nil
}

// articleCommentsFeed is the link to an article's comments feed, for the
// head of its page.
func (h *Handler) articleCommentsFeed(c *reqCtx, a *content.Article) feedLink {
	return feedLink{Title: articleCommentsTitle(c, a), URL: h.BaseURL + web.ArticlePath(a, c.loc) + "feed/", Type: "application/rss+xml"}
}

func articleCommentsTitle(c *reqCtx, a *content.Article) string {
	return c.p.T("feed.article_comments_title", c.typo(a.Title))
}

func commentsFeedPage(body []byte, updated time.Time, tags ...string) *page {
	return &page{Page: pagecache.Page{Status: http.StatusOK, ContentType: "application/rss+xml; charset=utf-8",
		CacheControl: web.CacheFeed, LastModified: updated, Body: body, Tags: tags}}
}

// newestComment returns when the latest of list was posted or last
// changed (approved, edited), or def when list is empty or older.
func newestComment(list []*comments.Comment, def time.Time) time.Time {
	t := def
	for _, cm := range list {
		t = maxTime(t, maxTime(cm.CreatedAt, cm.UpdatedAt))
	}
	return t
}

// commentsRSS writes a comments feed as WordPress does: each item titled
// "Comment on <article> by <name>", linking to the comment's anchor on the
// article page, with a plain text excerpt and the comment's HTML.
func (h *Handler) commentsRSS(c *reqCtx, list []*comments.Comment, title, home, self string, updated time.Time) ([]byte, error) {
	doc := rssDoc{
		Version: "2.0", NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSDC: "http://purl.org/dc/elements/1.1/", NSAtom: "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title: title, Link: home, Description: orDefault(c.site.Description, title),
			AtomLink: atomLink{Href: self, Rel: "self", Type: "application/rss+xml"},
			Language: c.l.Lang.Tag(), LastBuildDate: updated.UTC().Format(time.RFC1123Z),
			Generator: "kiosque", Copyright: c.site.Copyright,
		},
	}
	for _, cm := range list {
		art := &content.Article{Slug: cm.ArticleSlug, PublishedAt: cm.ArticlePublishedAt}
		link := h.BaseURL + web.ArticlePath(art, c.loc) + "#comment-" + strconv.FormatInt(cm.ID, 10)
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: c.p.T("feed.comment_item_title", c.typo(cm.ArticleTitle), cm.AuthorName),
			Link:  link, GUID: rssGUID{IsPermaLink: "true", Value: link},
			PubDate: cm.CreatedAt.UTC().Format(time.RFC1123Z), Creator: []string{cm.AuthorName},
			Description: textproc.Excerpt(cm.BodyHTML, commentExcerptRunes),
			Content:     cdataText{xmlChars(cm.BodyHTML)},
		})
	}
	return marshalXML(doc)
}

// xmlChars replaces invalid UTF-8 and the characters XML 1.0 forbids
// with U+FFFD. Text elements get this from encoding/xml, but CDATA sections
// are written as is; comment bodies are checked when posted, and this keeps
// a feed well-formed whatever an import or an old version let through.
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 {
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

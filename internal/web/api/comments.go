package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Comment is an approved comment as the API shows it. Field names are
// stable. Nothing private leaves: no email, address or moderation state.
type Comment struct {
	ID int64 `json:"id"`
	// Number is the comment's rank by date in its article, as shown
	// ("#3"), the oldest being 1.
	Number int `json:"number"`
	// ParentID is the comment this one is shown under, null at the top
	// of the thread; Depth counts its ancestors.
	ParentID *int64        `json:"parent_id"`
	Depth    int           `json:"depth"`
	Author   CommentAuthor `json:"author"`
	Date     time.Time     `json:"date"`
	// HTML is the comment's sanitized rendering.
	HTML string `json:"html"`
}

// CommentAuthor is who wrote a comment.
type CommentAuthor struct {
	Name string `json:"name"`
	// URL is the website the author gave, null when none.
	URL       *string `json:"url"`
	AvatarURL string  `json:"avatar_url"`
	// Staff marks the newsroom's replies.
	Staff bool `json:"staff"`
}

// CommentsMeta describes an article's discussion.
type CommentsMeta struct {
	Total int `json:"total"`
	// Open reports whether the article takes new comments.
	Open bool `json:"open"`
}

// CommentsLinks are the addresses of a discussion.
type CommentsLinks struct {
	Self string `json:"self"`
	// Article is the article in the API, HTML its discussion on the site
	// and Feed its comments feed.
	Article string `json:"article"`
	HTML    string `json:"html"`
	Feed    string `json:"feed"`
}

type commentsBody struct {
	Data  []Comment     `json:"data"`
	Meta  CommentsMeta  `json:"meta"`
	Links CommentsLinks `json:"links"`
}

// listComments serves GET /api/v1/articles/{slug}/comments: every
// approved comment of the article, in the order of its page (each thread
// oldest first, replies after their parent), unpaged as a discussion is
// read whole.
func (h *Handler) listComments(r *http.Request, st *settings.Site) (*result, error) {
	if h.Comments == nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	a, err := h.Content.PublicArticle(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	d, err := h.Comments.Discussion(r.Context(), comments.Target{ID: a.ID, Open: a.CommentsOpen, PublishedAt: a.PublishedAt, Visible: true}, nil)
	if err != nil {
		return nil, err
	}
	path := web.ArticlePath(a, st.Location())
	self := h.BaseURL + "/api/v1/articles/" + url.PathEscape(a.Slug)
	body := commentsBody{
		Data: make([]Comment, 0, d.Count),
		Meta: CommentsMeta{Total: d.Count, Open: d.Open},
		Links: CommentsLinks{Self: self + "/comments", Article: self, HTML: h.BaseURL + path + "#comments",
			Feed: h.BaseURL + path + "feed/"},
	}
	modified := a.UpdatedAt
	var walk func(thread []*comments.Comment, parent *int64)
	walk = func(thread []*comments.Comment, parent *int64) {
		for _, c := range thread {
			// Discussion without a reader's own ids holds only approved
			// comments; this keeps it so should that change.
			if c.Status != comments.StatusApproved {
				continue
			}
			body.Data = append(body.Data, h.commentOf(c, parent))
			modified = later(modified, later(c.CreatedAt, c.UpdatedAt))
			id := c.ID
			walk(c.Replies, &id)
		}
	}
	walk(d.Thread, nil)
	res := &result{value: body, tags: []string{pagecache.ArticleTag(a.ID)}, modified: modified}
	if days := st.CommentPolicy.CloseAfterDays; d.Open && days > 0 {
		// "open" turns false with time alone, when the discussion closes.
		res.maxAge = a.PublishedAt.AddDate(0, 0, days).Sub(h.Comments.Clock.Now()) + time.Second
	}
	return res, nil
}

func (h *Handler) commentOf(c *comments.Comment, parent *int64) Comment {
	out := Comment{
		ID: c.ID, Number: c.Number, ParentID: parent, Depth: c.Depth, Date: c.CreatedAt.UTC(), HTML: c.BodyHTML,
		Author: CommentAuthor{Name: c.AuthorName, Staff: c.Staff(),
			AvatarURL: h.BaseURL + "/avatars/" + h.Comments.AvatarKey(c.AuthorEmail) + ".svg"},
	}
	if c.AuthorURL != "" {
		u := c.AuthorURL
		out.Author.URL = &u
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

package site

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
)

// ownCookie lists, signed, the comments this browser posted: they show on
// the article, marked "awaiting moderation", until a moderator decides.
const ownCookie = "kiosque_comments"

// formMaxAge bounds how long an article page with a comment form stays in
// the page cache: the form's stamp is its render time, and a stamp older
// than the stamper's lifetime sends a comment to the queue (not to spam).
// Re-rendering each open article once an hour keeps stamps fresh for
// anyone who posts within a day of loading the page.
const formMaxAge = time.Hour

// commentForm is the comment form as a reader filled it: empty on a fresh
// page, with what they typed and what to fix after a refused post.
type commentForm struct {
	// ParentID is the comment answered (?replytocom=, or the posted
	// field); ParentName its author, for "Réponse à Daniel".
	ParentID   int64
	ParentName string
	Name       string
	Email      string
	URL        string
	Text       string
	Consent    bool
	Notify     bool
	// Stamp is the stamp posted with a refused form.
	Stamp string
	// Errors are the messages per field, and Message a message about the
	// whole post (comments closed, too many posts).
	Errors  map[string]string
	Message string
}

// discussion reads what the article page shows under a: the thread with
// the reader's own comments awaiting moderation, and the form state.
func (h *Handler) discussion(ctx context.Context, r *http.Request, a *content.Article, form *commentForm) (*comments.Discussion, *commentForm, error) {
	if h.Comments == nil || a.Kind != content.KindPost {
		return nil, nil, nil
	}
	var own []int64
	if ck, err := r.Cookie(ownCookie); err == nil {
		own = h.Comments.OwnIDs(ck.Value)
	}
	d, err := h.Comments.Discussion(ctx, comments.Target{ID: a.ID, Open: a.CommentsOpen, PublishedAt: a.PublishedAt, Visible: true}, own)
	if err != nil {
		return nil, nil, err
	}
	if form == nil {
		form = &commentForm{}
		if id, err := strconv.ParseInt(r.URL.Query().Get("replytocom"), 10, 64); err == nil {
			form.ParentID = id
		}
	}
	// Only an approved comment of this thread, that may still get
	// replies, can be answered; anything else is a plain new comment.
	if form.ParentID != 0 {
		parent := findComment(d.Thread, form.ParentID)
		if parent == nil || !d.CanReply(parent) {
			form.ParentID = 0
		} else {
			form.ParentName = parent.AuthorName
		}
	}
	return d, form, nil
}

// findComment returns the comment with this id in a thread, or nil.
func findComment(thread []*comments.Comment, id int64) *comments.Comment {
	var found *comments.Comment
	comments.Walk(thread, func(c *comments.Comment) {
		if c.ID == id {
			found = c
		}
	})
	return found
}

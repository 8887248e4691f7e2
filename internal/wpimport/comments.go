package wpimport

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/wpcontent"
	"github.com/kiosque/kiosque/internal/wxr"
)

// maxCommenterName bounds an imported commenter's name, in characters.
const maxCommenterName = 100

// comments adds the item's comments that earlier runs did not import to
// p, parents before their replies. A comment imported before is left as
// it is: moderation in kiosque may have changed it since. Pingbacks and
// trackbacks are counted and left out.
func (r *run) comments(ctx context.Context, it *wxr.Item, p *pending) error {
	if len(it.Comments) == 0 {
		return nil
	}
	byID := make(map[int64]*wxr.Comment, len(it.Comments))
	for i := range it.Comments {
		byID[it.Comments[i].ID] = &it.Comments[i]
	}
	done := make(map[int64]bool, len(it.Comments))
	style := r.im.d.CommentStyle()
	var add func(c *wxr.Comment, depth int)
	add = func(c *wxr.Comment, depth int) {
		if done[c.ID] {
			return
		}
		done[c.ID] = true
		if parent := byID[c.Parent]; parent != nil && depth < 1000 {
			add(parent, depth+1)
		}
		r.comment(it, c, p, byID, style)
	}
	for i := range it.Comments {
		add(&it.Comments[i], 0)
	}
	return ctx.Err()
}

// comment adds one comment to p.
func (r *run) comment(it *wxr.Item, c *wxr.Comment, p *pending, byID map[int64]*wxr.Comment, style textproc.Style) {
	switch c.Type {
	case "", "comment":
	case wxr.CommentPingback, wxr.CommentTrackback:
		r.rep.Pingbacks++
		return
	default:
		count(&r.rep.OtherComments, c.Type, 1)
		return
	}
	ref := fmt.Sprintf("comment %d of %s (line %d)", c.ID, itemRef(it), c.Line)
	if _, ok := r.mapping[idKey(KindComment, c.ID)]; ok {
		r.rep.Comments.Unchanged++
		return
	}
	text := wpcontent.CommentText(c.Content)
	rendered, err := textproc.RenderComment(text, style)
	if err != nil {
		r.rep.skip(ref, r.describe(err))
		return
	}
	wpParent := c.Parent
	if wpParent != 0 && byID[wpParent] == nil && r.mapping[idKey(KindComment, wpParent)] == 0 {
		r.rep.OrphanReplies++
		r.rep.note(ref, fmt.Sprintf("answers comment %d, which the export does not have: shown at the top of the thread", wpParent))
		wpParent = 0
	}
	cm := &comments.Comment{
		AuthorName:  commenterName(c.Author, r.opts.Anonymous),
		AuthorEmail: strings.ToLower(strings.TrimSpace(c.AuthorEmail)),
		AuthorURL:   webURL(c.AuthorURL),
		Body:        text,
		BodyHTML:    rendered.HTML,
		Status:      commentStatus(c.Approved),
		CreatedAt:   c.Time(r.opts.Location),
		UserID:      r.authorIDs[c.UserID],
	}
	if cm.CreatedAt.IsZero() {
		cm.CreatedAt = p.post.Article.CreatedAt
	}
	p.post.Comments = append(p.post.Comments, &Comment{WPID: c.ID, WPParent: wpParent, Comment: cm, IP: c.AuthorIP})
	p.comments++
}

// commentStatus maps wp:comment_approved to a moderation state; comments
// of a trashed post ("post-trashed") go to the trash.
func commentStatus(approved string) comments.Status {
	switch approved {
	case wxr.CommentApproved:
		return comments.StatusApproved
	case wxr.CommentSpam:
		return comments.StatusSpam
	case wxr.CommentTrash, "post-trashed":
		return comments.StatusTrash
	}
	return comments.StatusPending
}

// commenterName returns a commenter's name as text, anonymous when empty.
func commenterName(name, anonymous string) string {
	name = strings.Join(strings.Fields(html.UnescapeString(name)), " ")
	if name == "" {
		return anonymous
	}
	return clipRunes(name, maxCommenterName)
}

// webURL keeps a commenter's website when it is an http(s) address.
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 500 {
		return ""
	}
	return s
}

package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
)

// RecentComments implements comments.Store. Only comments under articles
// readers can see now are listed: a feed must not reveal a draft's title.
func (s *CommentStore) RecentComments(ctx context.Context, articleID int64, limit int, now time.Time) ([]*comments.Comment, error) {
	var w whereBuilder
	w.add("c.status = 'approved'")
	w.add(visibleCond + w.arg(now.UTC()))
	if articleID != 0 {
		w.add("c.article_id = " + w.arg(articleID))
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rs, err := s.db.reader().query(ctx, "SELECT "+commentColumns+`, a.title, a.slug, a.published_at
		FROM comments c JOIN articles a ON a.id = c.article_id`+w.sql()+
		" ORDER BY c.created_at DESC, c.id DESC LIMIT "+w.arg(limit), w.args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("recent comments: %w", err))
	}
	defer rs.Close()
	var out []*comments.Comment
	for rs.Next() {
		c := &comments.Comment{}
		var published dbTime
		extra := []any{&c.ArticleTitle, &c.ArticleSlug, &published}
		if err := scanCommentInto(rs, c, extra...); err != nil {
			return nil, normalize(fmt.Errorf("scan comment: %w", err))
		}
		c.ArticlePublishedAt = published.t
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

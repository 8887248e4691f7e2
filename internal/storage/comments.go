package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
)

// EntityComment names the articles whose comments changed: their pages
// show the thread and the count.
const EntityComment = "comment"

// CommentStore implements comments.Store.
type CommentStore struct{ db *DB }

// NewCommentStore returns the comment store of db.
func NewCommentStore(db *DB) *CommentStore { return &CommentStore{db: db} }

var _ comments.Store = (*CommentStore)(nil)

const commentColumns = `c.id, c.article_id, COALESCE(c.parent_id, 0), COALESCE(c.person_id, 0), COALESCE(c.user_id, 0),
	c.author_name, c.author_email, c.author_url, c.status, c.score, c.reasons, c.notify_replies,
	c.created_at, c.updated_at, c.body, c.body_html`

func scanComment(r interface{ Scan(...any) error }) (*comments.Comment, error) {
	c := &comments.Comment{}
	var status, reasons string
	var created, updated dbTime
	if err := r.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.PersonID, &c.UserID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
		&status, &c.Score, &reasons, &c.NotifyReplies, &created, &updated, &c.Body, &c.BodyHTML); err != nil {
		return nil, err
	}
	c.Status = comments.Status(status)
	c.Reasons = strings.Fields(reasons)
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	return c, nil
}

// CreateComment implements comments.Store.
func (s *CommentStore) CreateComment(ctx context.Context, c *comments.Comment, log comments.LogEntry) error {
	email := strings.ToLower(strings.TrimSpace(c.AuthorEmail))
	return s.db.inTx(ctx, func(tx *Tx) error {
		if c.UserID == 0 && email != "" {
			err := tx.q.queryRow(ctx, `INSERT INTO people (email, name, url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
				ON CONFLICT (email) WHERE email <> '' DO UPDATE SET name = excluded.name, url = excluded.url, updated_at = excluded.updated_at
				RETURNING id`, email, c.AuthorName, c.AuthorURL, c.CreatedAt.UTC()).Scan(&c.PersonID)
			if err != nil {
				return normalize(fmt.Errorf("record commenter: %w", err))
			}
		}
		err := tx.q.queryRow(ctx, `INSERT INTO comments (article_id, parent_id, person_id, user_id, author_name, author_email, author_url,
				status, score, reasons, notify_replies, body_hash, created_at, updated_at, body, body_html)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15) RETURNING id`,
			c.ArticleID, nullID(c.ParentID), nullID(c.PersonID), nullID(c.UserID), c.AuthorName, email, c.AuthorURL,
			string(c.Status), c.Score, strings.Join(c.Reasons, " "), c.NotifyReplies, comments.TextHash(c.Body),
			c.CreatedAt.UTC(), c.Body, c.BodyHTML).Scan(&c.ID)
		if err != nil {
			return normalize(fmt.Errorf("create comment on article %d: %w", c.ArticleID, err))
		}
		c.UpdatedAt = c.CreatedAt
		log.CommentID, log.PersonID = c.ID, c.PersonID
		if err := recordCommentLog(ctx, tx.q, log); err != nil {
			return err
		}
		if c.Status == comments.StatusApproved {
			tx.changed(Change{Entity: EntityComment, IDs: []int64{c.ArticleID}})
		}
		return nil
	})
}

func recordCommentLog(ctx context.Context, q querier, e comments.LogEntry) error {
	_, err := q.exec(ctx, `INSERT INTO comment_log (comment_id, operation, person_id, user_id, ip, port, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.CommentID, string(e.Operation), nullID(e.PersonID), nullID(e.UserID),
		e.IP, e.Port, e.At.UTC())
	if err != nil {
		return fmt.Errorf("log %s of comment %d: %w", e.Operation, e.CommentID, err)
	}
	return nil
}

// Comment implements comments.Store.
func (s *CommentStore) Comment(ctx context.Context, id int64) (*comments.Comment, error) {
	c, err := scanComment(s.db.reader().queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("comment %d: %w", id, err))
	}
	return c, nil
}

// ArticleComments implements comments.Store.
func (s *CommentStore) ArticleComments(ctx context.Context, articleID int64, also []int64) ([]*comments.Comment, error) {
	var w whereBuilder
	cond := "c.article_id = " + w.arg(articleID) + " AND (c.status = 'approved'"
	if len(also) > 0 {
		ph := make([]string, len(also))
		for i, id := range also {
			ph[i] = w.arg(id)
		}
		cond += " OR c.id IN (" + strings.Join(ph, ", ") + ")"
	}
	cond += ")"
	rs, err := s.db.reader().query(ctx, "SELECT "+commentColumns+" FROM comments c WHERE "+cond+" ORDER BY c.created_at, c.id", w.args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("comments of article %d: %w", articleID, err))
	}
	defer rs.Close()
	var out []*comments.Comment
	for rs.Next() {
		c, err := scanComment(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan comment: %w", err))
		}
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

// ApprovedCount implements comments.Store.
func (s *CommentStore) ApprovedCount(ctx context.Context, articleID int64) (int, error) {
	var n int
	err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'approved'", articleID).Scan(&n)
	if err != nil {
		return 0, normalize(fmt.Errorf("count comments of article %d: %w", articleID, err))
	}
	return n, nil
}

// KnownCommenter implements comments.Store.
func (s *CommentStore) KnownCommenter(ctx context.Context, email string) (bool, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return false, nil
	}
	var n int
	err := s.db.reader().queryRow(ctx, `SELECT COUNT(*) FROM comments c JOIN people p ON p.id = c.person_id
		WHERE p.email = $1 AND c.status = 'approved'`, email).Scan(&n)
	if err != nil {
		return false, normalize(fmt.Errorf("known commenter: %w", err))
	}
	return n > 0, nil
}

// RecentActivity implements comments.Store. The address is read from the
// legal log, which keeps it for exactly this kind of question.
func (s *CommentStore) RecentActivity(ctx context.Context, bodyHash, ip string, since time.Time) (comments.Activity, error) {
	var a comments.Activity
	err := s.db.reader().queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM comments WHERE body_hash = $1 AND created_at >= $3),
		(SELECT COUNT(*) FROM comment_log WHERE ip = $2 AND operation = 'create' AND at >= $3)`,
		bodyHash, ip, since.UTC()).Scan(&a.SameText, &a.FromAddress)
	if err != nil {
		return a, normalize(fmt.Errorf("recent comment activity: %w", err))
	}
	return a, nil
}

// SetStatus implements comments.Store.
func (s *CommentStore) SetStatus(ctx context.Context, ids []int64, status comments.Status, log comments.LogEntry) ([]*comments.Comment, error) {
	var before []*comments.Comment
	err := s.db.inTx(ctx, func(tx *Tx) error {
		before = before[:0]
		var articles []int64
		for _, id := range ids {
			c, err := scanComment(tx.q.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1", id))
			if err != nil {
				return normalize(fmt.Errorf("comment %d: %w", id, err))
			}
			before = append(before, c)
			if c.Status == status {
				continue
			}
			if _, err := tx.q.exec(ctx, "UPDATE comments SET status = $1, updated_at = $2 WHERE id = $3", string(status), log.At.UTC(), id); err != nil {
				return normalize(fmt.Errorf("set status of comment %d: %w", id, err))
			}
			e := log
			e.CommentID = id
			if err := recordCommentLog(ctx, tx.q, e); err != nil {
				return err
			}
			if c.Status == comments.StatusApproved || status == comments.StatusApproved {
				articles = append(articles, c.ArticleID)
			}
		}
		if len(articles) > 0 {
			tx.changed(Change{Entity: EntityComment, IDs: articles})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return before, nil
}

// PurgeLog implements comments.Store.
func (s *CommentStore) PurgeLog(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		if n, err = tx.q.exec(ctx, "DELETE FROM comment_log WHERE at < $1", before.UTC()); err != nil {
			return normalize(fmt.Errorf("purge the comment log: %w", err))
		}
		return nil
	})
	return n, err
}

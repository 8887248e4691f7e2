package storage

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/content"
)

func insertRevision(ctx context.Context, q querier, r *content.Revision) error {
	err := q.queryRow(ctx, `INSERT INTO article_revisions (article_id, version, autosave, user_id, title, excerpt, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		r.ArticleID, r.Version, r.Autosave, nullID(r.UserID), r.Title, r.Excerpt, r.Body, r.CreatedAt.UTC()).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("keep revision of article %d: %w", r.ArticleID, err)
	}
	return nil
}

// Revisions implements content.Store.
func (s *ContentStore) Revisions(ctx context.Context, articleID int64) ([]content.Revision, error) {
	rs, err := s.db.reader().query(ctx, `SELECT r.id, r.article_id, r.version, r.autosave, COALESCE(r.user_id, 0), COALESCE(u.name, ''),
		r.title, r.created_at FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = $1 ORDER BY r.id DESC LIMIT 200`, articleID)
	if err != nil {
		return nil, normalize(fmt.Errorf("list revisions of article %d: %w", articleID, err))
	}
	defer rs.Close()
	var out []content.Revision
	for rs.Next() {
		var r content.Revision
		var at dbTime
		if err := rs.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Autosave, &r.UserID, &r.UserName, &r.Title, &at); err != nil {
			return nil, normalize(err)
		}
		r.CreatedAt = at.t
		out = append(out, r)
	}
	return out, normalize(rs.Err())
}

// RevisionByID implements content.Store.
func (s *ContentStore) RevisionByID(ctx context.Context, id int64) (*content.Revision, error) {
	var r content.Revision
	var at dbTime
	err := s.db.reader().queryRow(ctx, `SELECT r.id, r.article_id, r.version, r.autosave, COALESCE(r.user_id, 0), COALESCE(u.name, ''),
		r.title, r.excerpt, r.body, r.created_at FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1`, id).
		Scan(&r.ID, &r.ArticleID, &r.Version, &r.Autosave, &r.UserID, &r.UserName, &r.Title, &r.Excerpt, &r.Body, &at)
	if err != nil {
		return nil, normalize(fmt.Errorf("revision %d: %w", id, err))
	}
	r.CreatedAt = at.t
	return &r, nil
}

// SaveAutosave implements content.Store.
func (s *ContentStore) SaveAutosave(ctx context.Context, r *content.Revision) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM article_revisions WHERE article_id = $1 AND autosave AND user_id = $2", r.ArticleID, r.UserID); err != nil {
			return fmt.Errorf("replace autosave: %w", err)
		}
		r.Autosave = true
		return insertRevision(ctx, tx.q, r)
	})
}

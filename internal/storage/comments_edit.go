package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
)

// UpdateComment implements comments.Store.
func (s *CommentStore) UpdateComment(ctx context.Context, id int64, upd comments.CommentUpdate, log comments.LogEntry, train comments.Trainer, then ...comments.Then) (*comments.Comment, error) {
	var after *comments.Comment
	err := s.db.inTx(ctx, func(tx *Tx) error {
		// As in SetStatus: SQLite writes one transaction at a time, and
		// PostgreSQL locks the row until the check and the write are done.
		lock := ""
		if s.db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		before, err := scanComment(tx.q.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1"+lock, id))
		if err != nil {
			return normalize(fmt.Errorf("comment %d: %w", id, err))
		}
		if !before.UpdatedAt.Equal(upd.Seen) {
			return apperr.New(apperr.Conflict, "error.comment.stale")
		}
		c := *before
		applyCommentUpdate(&c, upd)
		if c.UserID == 0 && c.AuthorEmail != before.AuthorEmail {
			// The comment now belongs to the person of its new address.
			err := tx.q.queryRow(ctx, `INSERT INTO people (email, name, url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
				ON CONFLICT (email) WHERE email <> '' DO UPDATE SET updated_at = excluded.updated_at
				RETURNING id`, c.AuthorEmail, c.AuthorName, c.AuthorURL, log.At.UTC()).Scan(&c.PersonID)
			if err != nil {
				return normalize(fmt.Errorf("record commenter of comment %d: %w", id, err))
			}
		}
		if upd.Status != nil {
			if tr, ok := trainingOf(train, &c); ok {
				if err := s.db.trainTx(ctx, tx.q, tr.Change); err != nil {
					return err
				}
				c.Trained, c.TrainedTokens = tr.Label, tr.Tokens
			}
		}
		_, err = tx.q.exec(ctx, `UPDATE comments SET person_id = $2, author_name = $3, author_email = $4, author_url = $5,
			status = $6, body = $7, body_html = $8, fingerprint = $9, trained = $10, trained_tokens = $11, updated_at = $12
			WHERE id = $1`, id, nullID(c.PersonID), c.AuthorName, c.AuthorEmail, c.AuthorURL, string(c.Status), c.Body, c.BodyHTML,
			spam.Fingerprint(c.Body), labelColumn(c.Trained), strings.Join(c.TrainedTokens, " "), log.At.UTC())
		if err != nil {
			return normalize(fmt.Errorf("update comment %d: %w", id, err))
		}
		log.CommentID = id
		if err := recordCommentLog(ctx, tx.q, log); err != nil {
			return err
		}
		if c.Status != before.Status {
			if err := enqueueThen(ctx, tx, before, then); err != nil {
				return err
			}
		}
		if before.Status == comments.StatusApproved || c.Status == comments.StatusApproved {
			tx.changed(Change{Entity: EntityComment, IDs: []int64{c.ArticleID}})
		}
		after, err = scanComment(tx.q.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1", id))
		if err != nil {
			return normalize(fmt.Errorf("comment %d: %w", id, err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// applyCommentUpdate copies the fields upd sets into c.
func applyCommentUpdate(c *comments.Comment, upd comments.CommentUpdate) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.AuthorName, upd.AuthorName)
	if upd.AuthorEmail != nil {
		c.AuthorEmail = strings.ToLower(strings.TrimSpace(*upd.AuthorEmail))
	}
	set(&c.AuthorURL, upd.AuthorURL)
	set(&c.Body, upd.Body)
	set(&c.BodyHTML, upd.BodyHTML)
	if upd.Status != nil {
		c.Status = *upd.Status
	}
}

package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kiosque/kiosque/internal/comments"
)

// PersonData implements comments.Store. An erased person's record has an
// empty email, which no address matches.
func (s *CommentStore) PersonData(ctx context.Context, email string) (*comments.PersonData, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, normalize(fmt.Errorf("person data: %w", errNoRows))
	}
	q := s.db.reader()
	d := &comments.PersonData{}
	p := &d.Person
	var created, updated dbTime
	err := q.queryRow(ctx, "SELECT id, email, name, url, created_at, updated_at FROM people WHERE email = $1", email).
		Scan(&p.ID, &p.Email, &p.Name, &p.URL, &created, &updated)
	if err != nil {
		return nil, normalize(fmt.Errorf("person data: %w", err))
	}
	p.CreatedAt, p.UpdatedAt = created.t, updated.t
	if d.Comments, err = personComments(ctx, q, p.ID); err != nil {
		return nil, err
	}
	if d.Log, err = personLog(ctx, q, p.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// personComments returns the comments of person id, whatever their status,
// oldest first, with their article's title.
func personComments(ctx context.Context, q querier, id int64) ([]*comments.Comment, error) {
	rs, err := q.query(ctx, "SELECT "+queueColumns+` FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.person_id = $1 ORDER BY c.created_at, c.id`, id)
	if err != nil {
		return nil, normalize(fmt.Errorf("comments of person %d: %w", id, err))
	}
	defer rs.Close()
	var out []*comments.Comment
	for rs.Next() {
		c, err := scanCommentCols(rs, true)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan comment: %w", err))
		}
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

// personLog returns the legal log's entries of person id's own
// operations, oldest first.
func personLog(ctx context.Context, q querier, id int64) ([]comments.LogEntry, error) {
	rs, err := q.query(ctx, `SELECT comment_id, operation, COALESCE(person_id, 0), COALESCE(user_id, 0), ip, port, address, network, at
		FROM comment_log WHERE person_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, normalize(fmt.Errorf("log of person %d: %w", id, err))
	}
	defer rs.Close()
	var out []comments.LogEntry
	for rs.Next() {
		var e comments.LogEntry
		var op string
		var at dbTime
		if err := rs.Scan(&e.CommentID, &op, &e.PersonID, &e.UserID, &e.IP, &e.Port, &e.Address, &e.Network, &at); err != nil {
			return nil, normalize(fmt.Errorf("scan log entry: %w", err))
		}
		e.Operation, e.At = comments.Operation(op), at.t
		out = append(out, e)
	}
	return out, normalize(rs.Err())
}

// ErasePerson implements comments.Store. The person's record is blanked
// rather than deleted: the legal log names the person by its id (the
// author's identifier the décret asks for), and a kept row means the id is
// never given to someone else. comment_log has no foreign key, so its
// entries outlive the comments; comments.parent_id is ON DELETE SET NULL,
// so others' replies stay, as top-level comments.
func (s *CommentStore) ErasePerson(ctx context.Context, email string, log comments.LogEntry, audit comments.EraseAudit) (comments.ErasureReport, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var rep comments.ErasureReport
	err := s.db.inTx(ctx, func(tx *Tx) error {
		rep = comments.ErasureReport{}
		if email == "" {
			return fmt.Errorf("person to erase: %w", errNoRows)
		}
		// On PostgreSQL the lock makes a comment being posted with this
		// email wait, then go to a new record; SQLite has one writer.
		lock := ""
		if s.db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		if err := tx.q.queryRow(ctx, "SELECT id FROM people WHERE email = $1"+lock, email).Scan(&rep.PersonID); err != nil {
			return normalize(fmt.Errorf("person to erase: %w", err))
		}
		ids, articles, err := deletePersonComments(ctx, tx.q, rep.PersonID)
		if err != nil {
			return err
		}
		rep.Comments, rep.Articles = len(ids), articles
		for _, id := range ids {
			e := log
			e.CommentID = id
			if err := recordCommentLog(ctx, tx.q, e); err != nil {
				return err
			}
		}
		if _, err := tx.q.exec(ctx, "UPDATE people SET email = '', name = '', url = '', updated_at = $2 WHERE id = $1",
			rep.PersonID, log.At.UTC()); err != nil {
			return normalize(fmt.Errorf("blank person %d: %w", rep.PersonID, err))
		}
		var last dbTime
		if err := tx.q.queryRow(ctx, "SELECT COUNT(*), MAX(at) FROM comment_log WHERE person_id = $1", rep.PersonID).
			Scan(&rep.LogKept, &last); err != nil {
			return normalize(fmt.Errorf("count the kept log of person %d: %w", rep.PersonID, err))
		}
		rep.LastLogged = last.t
		if audit != nil {
			if err := recordAudit(ctx, tx.q, audit(rep)); err != nil {
				return err
			}
		}
		if len(articles) > 0 {
			tx.changed(Change{Entity: EntityComment, IDs: articles})
		}
		return nil
	})
	if err != nil {
		return comments.ErasureReport{}, err
	}
	return rep, nil
}

// deletePersonComments deletes the comments of person id and returns
// their ids and the articles they were under, both sorted.
func deletePersonComments(ctx context.Context, q querier, id int64) (ids, articles []int64, err error) {
	rs, err := q.query(ctx, "DELETE FROM comments WHERE person_id = $1 RETURNING id, article_id", id)
	if err != nil {
		return nil, nil, normalize(fmt.Errorf("delete the comments of person %d: %w", id, err))
	}
	defer rs.Close()
	for rs.Next() {
		var c, a int64
		if err := rs.Scan(&c, &a); err != nil {
			return nil, nil, normalize(fmt.Errorf("scan deleted comment: %w", err))
		}
		ids = append(ids, c)
		articles = append(articles, a)
	}
	if err := rs.Err(); err != nil {
		return nil, nil, normalize(fmt.Errorf("delete the comments of person %d: %w", id, err))
	}
	slices.Sort(ids)
	slices.Sort(articles)
	return ids, slices.Compact(articles), nil
}

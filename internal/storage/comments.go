package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/job"
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
	c.author_name, c.author_email, c.author_url, COALESCE(c.remote_id, ''), c.status, c.score, c.reasons, c.notify_replies,
	c.trained, c.trained_tokens, c.created_at, c.updated_at, c.body, c.body_html`

// queueColumns adds what the moderation queue shows: the article's title
// and the address of the comment's creation, while the log keeps it.
const queueColumns = commentColumns + `, a.title, COALESCE((SELECT l.ip FROM comment_log l
	WHERE l.comment_id = c.id AND l.operation = 'create' ORDER BY l.id LIMIT 1), '')`

func scanComment(r interface{ Scan(...any) error }) (*comments.Comment, error) {
	return scanCommentCols(r, false)
}

// scanCommentCols scans commentColumns, or queueColumns when queue.
func scanCommentCols(r interface{ Scan(...any) error }, queue bool) (*comments.Comment, error) {
	c := &comments.Comment{}
	var extra []any
	if queue {
		extra = []any{&c.ArticleTitle, &c.IP}
	}
	if err := scanCommentInto(r, c, extra...); err != nil {
		return nil, err
	}
	return c, nil
}

// scanCommentInto scans commentColumns into c, then extra columns.
func scanCommentInto(r interface{ Scan(...any) error }, c *comments.Comment, extra ...any) error {
	var status, reasons, trained, tokens string
	var created, updated dbTime
	dest := []any{&c.ID, &c.ArticleID, &c.ParentID, &c.PersonID, &c.UserID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
		&c.RemoteID, &status, &c.Score, &reasons, &c.NotifyReplies, &trained, &tokens, &created, &updated, &c.Body, &c.BodyHTML}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	c.Status = comments.Status(status)
	c.Reasons = strings.Fields(reasons)
	c.Trained = parseLabel(trained)
	c.TrainedTokens = strings.Fields(tokens)
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	return nil
}

func parseLabel(s string) spam.Label {
	switch s {
	case "spam":
		return spam.LabelSpam
	case "ham":
		return spam.LabelHam
	}
	return spam.LabelNone
}

// labelColumn is how the trained column stores a label.
func labelColumn(l spam.Label) string {
	if l == spam.LabelNone {
		return ""
	}
	return l.String()
}

// CreateComment implements comments.Store.
func (s *CommentStore) CreateComment(ctx context.Context, c *comments.Comment, log comments.LogEntry, then ...comments.Then) error {
	email := strings.ToLower(strings.TrimSpace(c.AuthorEmail))
	return s.db.inTx(ctx, func(tx *Tx) error {
		if c.UserID == 0 && email != "" {
			if err := upsertCommenter(ctx, tx.q, c, email); err != nil {
				return normalize(fmt.Errorf("record commenter: %w", err))
			}
		}
		if err := insertCommentRow(ctx, tx.q, c, email); err != nil {
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
		return enqueueThen(ctx, tx, c, then)
	})
}

// rowQuerier runs a query that returns one row: a transaction's querier,
// or a WordPress import's batch, which prepares its statements once.
type rowQuerier interface {
	queryRow(ctx context.Context, query string, args ...any) row
}

// upsertCommenter records the person behind c's address email, one per
// address, named as in their latest comment, and sets c.PersonID
// (CreateComment, the WordPress import).
func upsertCommenter(ctx context.Context, q rowQuerier, c *comments.Comment, email string) error {
	return q.queryRow(ctx, `INSERT INTO people (email, name, url, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
		ON CONFLICT (email) WHERE email <> '' DO UPDATE SET name = excluded.name, url = excluded.url, updated_at = excluded.updated_at
		RETURNING id`, email, c.AuthorName, c.AuthorURL, c.CreatedAt.UTC()).Scan(&c.PersonID)
}

// insertCommentRow inserts c, with its author's address email, and sets
// c.ID (CreateComment, the WordPress import).
func insertCommentRow(ctx context.Context, q rowQuerier, c *comments.Comment, email string) error {
	return q.queryRow(ctx, `INSERT INTO comments (article_id, parent_id, person_id, user_id, author_name, author_email, author_url,
			status, score, reasons, notify_replies, fingerprint, created_at, updated_at, body, body_html, remote_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16) RETURNING id`,
		c.ArticleID, nullID(c.ParentID), nullID(c.PersonID), nullID(c.UserID), c.AuthorName, email, c.AuthorURL,
		string(c.Status), c.Score, strings.Join(c.Reasons, " "), c.NotifyReplies, spam.Fingerprint(c.Body),
		c.CreatedAt.UTC(), c.Body, c.BodyHTML, nullString(c.RemoteID)).Scan(&c.ID)
}

// enqueueThen inserts in tx the jobs each of then returns for c.
func enqueueThen(ctx context.Context, tx *Tx, c *comments.Comment, then []comments.Then) error {
	for _, fn := range then {
		if fn == nil {
			continue
		}
		if jobs := fn(c); len(jobs) > 0 {
			if err := tx.enqueue(ctx, jobs); err != nil {
				return fmt.Errorf("comment %d: %w", c.ID, err)
			}
		}
	}
	return nil
}

// Enqueue implements comments.Store.
func (s *CommentStore) Enqueue(ctx context.Context, jobs []job.Job) error {
	return s.db.inTx(ctx, func(tx *Tx) error { return tx.enqueue(ctx, jobs) })
}

// StopReplies implements comments.Store.
func (s *CommentStore) StopReplies(ctx context.Context, email string) (int, error) {
	var n int
	err := s.db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.q.exec(ctx, "UPDATE comments SET notify_replies = FALSE WHERE author_email = $1 AND notify_replies",
			strings.ToLower(strings.TrimSpace(email)))
		if err != nil {
			return normalize(fmt.Errorf("stop reply notifications: %w", err))
		}
		n = int(rows)
		return nil
	})
	return n, err
}

func recordCommentLog(ctx context.Context, q querier, e comments.LogEntry) error {
	_, err := q.exec(ctx, `INSERT INTO comment_log (comment_id, operation, person_id, user_id, ip, port, address, network, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.CommentID, string(e.Operation), nullID(e.PersonID), nullID(e.UserID),
		e.IP, e.Port, e.Address, e.Network, e.At.UTC())
	if err != nil {
		return fmt.Errorf("log %s of comment %d: %w", e.Operation, e.CommentID, err)
	}
	return nil
}

// Comment implements comments.Store.
func (s *CommentStore) Comment(ctx context.Context, id int64) (*comments.Comment, error) {
	c, err := scanCommentCols(s.db.reader().queryRow(ctx, "SELECT "+queueColumns+" FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id = $1", id), true)
	if err != nil {
		return nil, normalize(fmt.Errorf("comment %d: %w", id, err))
	}
	return c, nil
}

// CommentByRemoteID returns the comment that came from the fediverse
// with this ActivityPub id (its author edits or deletes it by that id);
// NotFound when none did.
func (s *CommentStore) CommentByRemoteID(ctx context.Context, remoteID string) (*comments.Comment, error) {
	c, err := scanCommentCols(s.db.reader().queryRow(ctx, "SELECT "+queueColumns+
		" FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.remote_id = $1", remoteID), true)
	if err != nil {
		return nil, normalize(fmt.Errorf("comment %s: %w", remoteID, err))
	}
	return c, nil
}

// threadColumns are what a discussion shows: not the source text, the
// scores or the training, which made the read of a long thread twice as
// slow.
const threadColumns = `c.id, COALESCE(c.parent_id, 0), COALESCE(c.user_id, 0), c.author_name, c.author_email, c.author_url,
	c.status, c.created_at, c.body_html`

// ArticleComments implements comments.Store. Comments come with the
// fields a discussion shows only (see threadColumns).
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
	rs, err := s.db.reader().query(ctx, "SELECT "+threadColumns+" FROM comments c WHERE "+cond+" ORDER BY c.created_at, c.id", w.args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("comments of article %d: %w", articleID, err))
	}
	defer rs.Close()
	var out []*comments.Comment
	// One allocation for all the comments rather than one each.
	var block []comments.Comment
	for rs.Next() {
		if len(block) == 0 {
			block = make([]comments.Comment, 64)
		}
		c := &block[0]
		block = block[1:]
		var status string
		var created dbTime
		if err := rs.Scan(&c.ID, &c.ParentID, &c.UserID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL, &status, &created, &c.BodyHTML); err != nil {
			return nil, normalize(fmt.Errorf("scan comment: %w", err))
		}
		c.ArticleID, c.Status, c.CreatedAt, c.UpdatedAt = articleID, comments.Status(status), created.t, created.t
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

// RecentActivity implements comments.Store. Addresses are read from the
// legal log, which keeps them for exactly this kind of question.
func (s *CommentStore) RecentActivity(ctx context.Context, fingerprint string, sameSince time.Time, address, network string, since time.Time) (comments.Activity, error) {
	var a comments.Activity
	err := s.db.reader().queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM comments WHERE fingerprint = $1 AND created_at >= $2),
		(SELECT COUNT(*) FROM comment_log WHERE address = $3 AND operation = 'create' AND at >= $5),
		(SELECT COUNT(*) FROM comment_log WHERE network = $4 AND operation = 'create' AND at >= $5)`,
		fingerprint, sameSince.UTC(), address, network, since.UTC()).Scan(&a.SameText, &a.FromAddress, &a.FromNetwork)
	if err != nil {
		return a, normalize(fmt.Errorf("recent comment activity: %w", err))
	}
	return a, nil
}

// SetStatus implements comments.Store.
func (s *CommentStore) SetStatus(ctx context.Context, ids []int64, status comments.Status, log comments.LogEntry, train comments.Trainer, then ...comments.Then) ([]*comments.Comment, error) {
	var before []*comments.Comment
	err := s.db.inTx(ctx, func(tx *Tx) error {
		var err error
		before, err = s.setStatusTx(ctx, tx, ids, status, log, train, then)
		return err
	})
	if err != nil {
		return nil, err
	}
	return before, nil
}

// setStatusTx is SetStatus inside tx: a decision on a report
// (DecideReports) removes its comment the same way.
func (s *CommentStore) setStatusTx(ctx context.Context, tx *Tx, ids []int64, status comments.Status, log comments.LogEntry, train comments.Trainer, then []comments.Then) ([]*comments.Comment, error) {
	var before []*comments.Comment
	// SQLite writes one transaction at a time; PostgreSQL locks the
	// rows read, so two moderators' decisions apply one after the other.
	lock := ""
	if s.db.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var articles []int64
	for _, id := range ids {
		c, err := scanComment(tx.q.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1"+lock, id))
		if err != nil {
			return nil, normalize(fmt.Errorf("comment %d: %w", id, err))
		}
		before = append(before, c)
		if tr, ok := trainingOf(train, c); ok {
			if err := s.db.trainTx(ctx, tx.q, tr.Change); err != nil {
				return nil, err
			}
			if _, err := tx.q.exec(ctx, "UPDATE comments SET trained = $1, trained_tokens = $2 WHERE id = $3",
				labelColumn(tr.Label), strings.Join(tr.Tokens, " "), id); err != nil {
				return nil, normalize(fmt.Errorf("remember the training of comment %d: %w", id, err))
			}
		}
		if c.Status == status {
			continue
		}
		if _, err := tx.q.exec(ctx, "UPDATE comments SET status = $1, updated_at = $2 WHERE id = $3", string(status), log.At.UTC(), id); err != nil {
			return nil, normalize(fmt.Errorf("set status of comment %d: %w", id, err))
		}
		e := log
		e.CommentID = id
		if err := recordCommentLog(ctx, tx.q, e); err != nil {
			return nil, err
		}
		if err := enqueueThen(ctx, tx, c, then); err != nil {
			return nil, err
		}
		if c.Status == comments.StatusApproved || status == comments.StatusApproved {
			articles = append(articles, c.ArticleID)
		}
	}
	if len(articles) > 0 {
		tx.changed(Change{Entity: EntityComment, IDs: articles})
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
		// Notices keep their text and decision (the record of what was
		// done), but not where they came from, past the same year.
		if _, err = tx.q.exec(ctx, `UPDATE comment_reports SET ip = '', port = 0, address = '', network = ''
			WHERE created_at < $1 AND (ip <> '' OR address <> '')`, before.UTC()); err != nil {
			return normalize(fmt.Errorf("purge the addresses of reports: %w", err))
		}
		return nil
	})
	return n, err
}

// totalsToken is the spam_tokens row holding the message totals.
const totalsToken = ""

// SpamCounts implements comments.Store.
func (s *CommentStore) SpamCounts(ctx context.Context, tokens []string) (spam.Totals, map[string]spam.Count, error) {
	var w whereBuilder
	ph := []string{w.arg(totalsToken)}
	for _, t := range tokens {
		ph = append(ph, w.arg(t))
	}
	var totals spam.Totals
	counts := make(map[string]spam.Count, len(tokens))
	rs, err := s.db.reader().query(ctx, "SELECT token, spam, ham FROM spam_tokens WHERE token IN ("+strings.Join(ph, ", ")+")", w.args...)
	if err != nil {
		return totals, nil, normalize(fmt.Errorf("read spam counts: %w", err))
	}
	defer rs.Close()
	for rs.Next() {
		var token string
		var c spam.Count
		if err := rs.Scan(&token, &c.Spam, &c.Ham); err != nil {
			return totals, nil, normalize(fmt.Errorf("scan spam count: %w", err))
		}
		if token == totalsToken {
			totals = spam.Totals(c)
			continue
		}
		counts[token] = c
	}
	return totals, counts, normalize(rs.Err())
}

// Train implements comments.Store. Rows are updated in the order of the
// change (sorted by token), so concurrent trainings cannot deadlock, and
// counts never go below zero.
func (s *CommentStore) Train(ctx context.Context, change spam.Change) error {
	if change.IsZero() {
		return nil
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		return s.db.trainTx(ctx, tx.q, change)
	})
}

func (db *DB) trainTx(ctx context.Context, q querier, change spam.Change) error {
	greatest := "MAX" // SQLite's scalar MAX
	if db.dialect == Postgres {
		greatest = "GREATEST"
	}
	upsert := `INSERT INTO spam_tokens (token, spam, ham) VALUES ($1, ` + greatest + `($2, 0), ` + greatest + `($3, 0))
		ON CONFLICT (token) DO UPDATE SET spam = ` + greatest + `(spam_tokens.spam + $2, 0), ham = ` + greatest + `(spam_tokens.ham + $3, 0)`
	rows := append([]spam.TokenCount{{Token: totalsToken, Count: spam.Count(change.Totals)}}, change.Tokens...)
	for _, r := range rows {
		if r.Count == (spam.Count{}) {
			continue
		}
		if _, err := q.exec(ctx, upsert, r.Token, r.Count.Spam, r.Count.Ham); err != nil {
			return normalize(fmt.Errorf("train on token %q: %w", r.Token, err))
		}
		if r.Token == totalsToken || r.Count.Spam >= 0 && r.Count.Ham >= 0 {
			continue
		}
		if _, err := q.exec(ctx, "DELETE FROM spam_tokens WHERE token = $1 AND spam = 0 AND ham = 0", r.Token); err != nil {
			return normalize(fmt.Errorf("forget token %q: %w", r.Token, err))
		}
	}
	return nil
}

// ListComments implements comments.Store.
func (s *CommentStore) ListComments(ctx context.Context, q comments.Query) ([]*comments.Comment, int, error) {
	var w whereBuilder
	if q.Status != "" {
		w.add("c.status = " + w.arg(string(q.Status)))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		like := w.arg("%" + escapeLike(strings.ToLower(t)) + "%")
		w.add(`(LOWER(c.body) LIKE ` + like + ` ESCAPE '\' OR LOWER(c.author_name) LIKE ` + like + ` ESCAPE '\'
			OR c.author_email LIKE ` + like + ` ESCAPE '\' OR c.id IN (SELECT l.comment_id FROM comment_log l WHERE l.ip = ` + w.arg(t) + `))`)
	}
	where := w.sql()
	q2 := s.db.reader()
	var total int
	if err := q2.queryRow(ctx, "SELECT COUNT(*) FROM comments c"+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count comments: %w", err))
	}
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rs, err := q2.query(ctx, "SELECT "+queueColumns+" FROM comments c JOIN articles a ON a.id = c.article_id"+where+
		" ORDER BY c.created_at DESC, c.id DESC LIMIT "+w.arg(limit)+" OFFSET "+w.arg(max(q.Offset, 0)), w.args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list comments: %w", err))
	}
	defer rs.Close()
	var out []*comments.Comment
	for rs.Next() {
		c, err := scanCommentCols(rs, true)
		if err != nil {
			return nil, 0, normalize(fmt.Errorf("scan comment: %w", err))
		}
		out = append(out, c)
	}
	return out, total, normalize(rs.Err())
}

// StatusCounts implements comments.Store.
func (s *CommentStore) StatusCounts(ctx context.Context) (map[comments.Status]int, error) {
	rs, err := s.db.reader().query(ctx, "SELECT status, COUNT(*) FROM comments GROUP BY status")
	if err != nil {
		return nil, normalize(fmt.Errorf("count comments by status: %w", err))
	}
	defer rs.Close()
	out := map[comments.Status]int{}
	for rs.Next() {
		var st string
		var n int
		if err := rs.Scan(&st, &n); err != nil {
			return nil, normalize(err)
		}
		out[comments.Status(st)] = n
	}
	return out, normalize(rs.Err())
}

// trainingOf asks train what c teaches the classifier, if anything.
func trainingOf(train comments.Trainer, c *comments.Comment) (comments.Training, bool) {
	if train == nil {
		return comments.Training{}, false
	}
	return train(c)
}

// nullString returns nil for "", so it is stored as NULL: a unique index
// on a column that most rows leave empty (comments.remote_id) skips them.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
)

// Reports about comments (DSA notice and action). comment_reports.comment_id
// has no foreign key: a report outlives its comment (see migration 00004).

const reportColumns = `r.id, r.comment_id, r.reason, r.explanation, r.url, r.name, r.email, r.good_faith, r.status, r.note,
	COALESCE(r.decided_by, 0), r.decided_at, r.created_at, r.ip, r.port, r.address, r.network`

// reportListColumns adds who decided, and the comment reported while it
// exists (its id is 0 once erased), with its article's title.
const reportListColumns = reportColumns + `, COALESCE(u.name, ''),
	COALESCE(c.id, 0), COALESCE(c.article_id, 0), COALESCE(c.user_id, 0), COALESCE(c.author_name, ''),
	COALESCE(c.author_email, ''), COALESCE(c.author_url, ''), COALESCE(c.status, ''), c.created_at,
	COALESCE(c.body, ''), COALESCE(c.body_html, ''), COALESCE(a.title, '')`

const reportListFrom = ` FROM comment_reports r LEFT JOIN users u ON u.id = r.decided_by
	LEFT JOIN comments c ON c.id = r.comment_id LEFT JOIN articles a ON a.id = c.article_id`

func scanReport(r interface{ Scan(...any) error }, extra ...any) (*comments.Report, error) {
	rep := &comments.Report{}
	var reason, status string
	var decided, created dbTime
	dest := []any{&rep.ID, &rep.CommentID, &reason, &rep.Explanation, &rep.URL, &rep.Name, &rep.Email, &rep.GoodFaith,
		&status, &rep.Note, &rep.DecidedBy, &decided, &created, &rep.IP, &rep.Port, &rep.Address, &rep.Network}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	rep.Reason, rep.Status = comments.ReportReason(reason), comments.ReportStatus(status)
	rep.DecidedAt, rep.CreatedAt = decided.t, created.t
	return rep, nil
}

// scanReportListed scans reportListColumns.
func scanReportListed(r interface{ Scan(...any) error }) (*comments.Report, error) {
	c := &comments.Comment{}
	var decider, status string
	var created dbTime
	rep, err := scanReport(r, &decider, &c.ID, &c.ArticleID, &c.UserID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
		&status, &created, &c.Body, &c.BodyHTML, &c.ArticleTitle)
	if err != nil {
		return nil, err
	}
	rep.DecidedByName = decider
	if c.ID != 0 {
		c.Status, c.CreatedAt = comments.Status(status), created.t
		rep.Comment = c
	}
	return rep, nil
}

// CreateReport implements comments.Store.
func (s *CommentStore) CreateReport(ctx context.Context, r *comments.Report, then ...comments.ReportThen) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO comment_reports (comment_id, reason, explanation, url, name, email, good_faith,
				status, note, ip, port, address, network, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			r.CommentID, string(r.Reason), r.Explanation, r.URL, r.Name, r.Email, r.GoodFaith, string(r.Status), r.Note,
			r.IP, r.Port, r.Address, r.Network, r.CreatedAt.UTC()).Scan(&r.ID)
		if err != nil {
			return normalize(fmt.Errorf("report comment %d: %w", r.CommentID, err))
		}
		for _, fn := range then {
			if fn == nil {
				continue
			}
			if err := tx.enqueue(ctx, fn(r)); err != nil {
				return fmt.Errorf("report %d: %w", r.ID, err)
			}
		}
		return nil
	})
}

// Report implements comments.Store.
func (s *CommentStore) Report(ctx context.Context, id int64) (*comments.Report, error) {
	r, err := scanReport(s.db.reader().queryRow(ctx, "SELECT "+reportColumns+" FROM comment_reports r WHERE r.id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("report %d: %w", id, err))
	}
	return r, nil
}

// ListReports implements comments.Store.
func (s *CommentStore) ListReports(ctx context.Context, q comments.ReportQuery) ([]*comments.Report, int, error) {
	var w whereBuilder
	if q.Status != "" {
		w.add("r.status = " + w.arg(string(q.Status)))
	}
	where := w.sql()
	db := s.db.reader()
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM comment_reports r"+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count reports: %w", err))
	}
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rs, err := db.query(ctx, "SELECT "+reportListColumns+reportListFrom+where+
		" ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC LIMIT "+w.arg(limit)+
		" OFFSET "+w.arg(max(q.Offset, 0)), w.args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list reports: %w", err))
	}
	defer rs.Close()
	var out []*comments.Report
	for rs.Next() {
		r, err := scanReportListed(rs)
		if err != nil {
			return nil, 0, normalize(fmt.Errorf("scan report: %w", err))
		}
		out = append(out, r)
	}
	return out, total, normalize(rs.Err())
}

// ReportCounts implements comments.Store.
func (s *CommentStore) ReportCounts(ctx context.Context) (map[comments.ReportStatus]int, error) {
	rs, err := s.db.reader().query(ctx, "SELECT status, COUNT(*) FROM comment_reports GROUP BY status")
	if err != nil {
		return nil, normalize(fmt.Errorf("count reports by status: %w", err))
	}
	defer rs.Close()
	out := map[comments.ReportStatus]int{}
	for rs.Next() {
		var st string
		var n int
		if err := rs.Scan(&st, &n); err != nil {
			return nil, normalize(fmt.Errorf("scan report count: %w", err))
		}
		out[comments.ReportStatus(st)] = n
	}
	return out, normalize(rs.Err())
}

// RecentReports implements comments.Store.
func (s *CommentStore) RecentReports(ctx context.Context, address, network string, since time.Time) (int, int, error) {
	var fromAddress, fromNetwork int
	err := s.db.reader().queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM comment_reports WHERE address = $1 AND created_at >= $3),
		(SELECT COUNT(*) FROM comment_reports WHERE network = $2 AND created_at >= $3)`,
		address, network, since.UTC()).Scan(&fromAddress, &fromNetwork)
	if err != nil {
		return 0, 0, normalize(fmt.Errorf("recent reports: %w", err))
	}
	return fromAddress, fromNetwork, nil
}

// DecideReports implements comments.Store. Every report of the comment
// is locked, in the order of their ids, then the comment (by
// setStatusTx): two moderators deciding two reports of one comment at
// once take the locks in the same order, so the second waits, then finds
// its report decided, rather than deadlock.
func (s *CommentStore) DecideReports(ctx context.Context, id int64, d comments.ReportDecision, log comments.LogEntry, then ...comments.DecisionThen) ([]*comments.Report, error) {
	var decided []*comments.Report
	err := s.db.inTx(ctx, func(tx *Tx) error {
		decided = nil
		var commentID int64
		if err := tx.q.queryRow(ctx, "SELECT comment_id FROM comment_reports WHERE id = $1", id).Scan(&commentID); err != nil {
			return normalize(fmt.Errorf("report %d: %w", id, err))
		}
		lock := ""
		if s.db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		status, err := lockReports(ctx, tx.q, commentID, id, lock)
		if err != nil {
			return err
		}
		if status != comments.ReportOpen {
			return apperr.New(apperr.Conflict, "error.report.decided")
		}
		if decided, err = decideOpenReports(ctx, tx.q, commentID, d); err != nil {
			return err
		}
		c, err := s.reportedComment(ctx, tx, commentID, d.Status, log)
		if err != nil {
			return err
		}
		for _, fn := range then {
			if fn == nil {
				continue
			}
			if err := tx.enqueue(ctx, fn(decided, c)); err != nil {
				return fmt.Errorf("decide report %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return decided, nil
}

// lockReports locks the reports of comment commentID (lock is the
// dialect's locking clause) and returns the status of report id among them.
func lockReports(ctx context.Context, q querier, commentID, id int64, lock string) (comments.ReportStatus, error) {
	rs, err := q.query(ctx, "SELECT id, status FROM comment_reports WHERE comment_id = $1 ORDER BY id"+lock, commentID)
	if err != nil {
		return "", normalize(fmt.Errorf("lock the reports of comment %d: %w", commentID, err))
	}
	defer rs.Close()
	var status comments.ReportStatus
	for rs.Next() {
		var rid int64
		var st string
		if err := rs.Scan(&rid, &st); err != nil {
			return "", normalize(fmt.Errorf("scan report status: %w", err))
		}
		if rid == id {
			status = comments.ReportStatus(st)
		}
	}
	if err := rs.Err(); err != nil {
		return "", normalize(fmt.Errorf("lock the reports of comment %d: %w", commentID, err))
	}
	return status, nil
}

// reportReturning is reportColumns as an UPDATE's RETURNING names them.
var reportReturning = strings.ReplaceAll(reportColumns, "r.", "")

// decideOpenReports records d on the open reports of comment id and
// returns them as decided.
func decideOpenReports(ctx context.Context, q querier, id int64, d comments.ReportDecision) ([]*comments.Report, error) {
	rs, err := q.query(ctx, `UPDATE comment_reports SET status = $1, note = $2, decided_by = $3, decided_at = $4
		WHERE comment_id = $5 AND status = 'open' RETURNING `+reportReturning,
		string(d.Status), d.Note, nullID(d.UserID), d.At.UTC(), id)
	if err != nil {
		return nil, normalize(fmt.Errorf("decide the reports of comment %d: %w", id, err))
	}
	defer rs.Close()
	var out []*comments.Report
	for rs.Next() {
		r, err := scanReport(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan decided report: %w", err))
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("decide the reports of comment %d: %w", id, err))
	}
	slices.SortFunc(out, func(a, b *comments.Report) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// reportedComment returns the comment of a decision as it was before,
// nil when it was erased, after moving it to the trash when the decision
// removes it.
func (s *CommentStore) reportedComment(ctx context.Context, tx *Tx, id int64, status comments.ReportStatus, log comments.LogEntry) (*comments.Comment, error) {
	if status == comments.ReportRemoved {
		before, err := s.setStatusTx(ctx, tx, []int64{id}, comments.StatusTrash, log, nil, nil)
		if apperr.Is(err, apperr.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return before[0], nil
	}
	c, err := scanComment(tx.q.queryRow(ctx, "SELECT "+commentColumns+" FROM comments c WHERE c.id = $1", id))
	if err != nil {
		if err = normalize(err); apperr.Is(err, apperr.NotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("reported comment %d: %w", id, err)
	}
	return c, nil
}

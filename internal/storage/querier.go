package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what store methods run SQL through, whether on a pool or in a
// transaction, on SQLite or PostgreSQL.
type querier interface {
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (rows, error)
	queryRow(ctx context.Context, query string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface {
	Scan(dest ...any) error
}

// sqliteTimeLayout is how times are stored in SQLite: fixed width and in UTC,
// so that comparing the text compares the times.
const sqliteTimeLayout = "2006-01-02 15:04:05.000000+00:00"

// sqlDB is what *sql.DB, *sql.Conn and *sql.Tx share.
type sqlDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// sqlQuerier runs SQL on SQLite through database/sql. When stmts is set,
// queries are prepared once and reused: parsing SQL costs more than running
// the small queries a page needs.
type sqlQuerier struct {
	q     sqlDB
	stmts *stmtCache
	// tx and writes, in a write transaction, run the statements writes
	// keep prepared (see writeStmts).
	tx     *sql.Tx
	writes *writeStmts
}

func sqliteArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC().Format(sqliteTimeLayout)
		case *time.Time:
			if v == nil {
				args[i] = nil
			} else {
				args[i] = v.UTC().Format(sqliteTimeLayout)
			}
		}
	}
	return args
}

func (s *sqlQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := s.writeStmt(query); st != nil {
		res, err = s.execPrepared(ctx, st, args)
	} else {
		res, err = s.q.ExecContext(ctx, query, sqliteArgs(args)...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// execPrepared runs st in the transaction.
func (s *sqlQuerier) execPrepared(ctx context.Context, st *sql.Stmt, args []any) (sql.Result, error) {
	ts := s.tx.StmtContext(ctx, st)
	// Closing the transaction's handle keeps the prepared statement.
	defer func() { _ = ts.Close() }()
	return ts.ExecContext(ctx, sqliteArgs(args)...)
}

// writeStmt returns the prepared statement of query in a write
// transaction, if it has one.
func (s *sqlQuerier) writeStmt(query string) *sql.Stmt {
	if s.writes == nil {
		return nil
	}
	return s.writes.get(query)
}

func (s *sqlQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	args = sqliteArgs(args)
	var r *sql.Rows
	var err error
	if s.stmts != nil {
		var st *sql.Stmt
		st, err = s.stmts.get(ctx, s.q, query) //nolint:sqlclosecheck // cached, closed with the DB
		if err != nil {
			return nil, err
		}
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = s.q.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

func (s *sqlQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	args = sqliteArgs(args)
	if s.stmts != nil {
		st, err := s.stmts.get(ctx, s.q, query) //nolint:sqlclosecheck // cached, closed with the DB
		if err != nil {
			return errRow{err}
		}
		return st.QueryRowContext(ctx, args...)
	}
	return s.q.QueryRowContext(ctx, query, args...)
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// stmtCache keeps prepared statements of the SQLite read pool by query text.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, q sqlDB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := q.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		_ = st.Close() //nolint:sqlclosecheck // a duplicate prepared concurrently
		return old, nil
	}
	if c.m == nil {
		c.m = make(map[string]*sql.Stmt)
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// pgxDB is what *pgxpool.Pool, *pgx.Conn and pgx.Tx share.
type pgxDB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pgxQuerier runs SQL on PostgreSQL through pgx, which caches prepared
// statements per connection by itself.
type pgxQuerier struct{ q pgxDB }

func (p pgxQuerier) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (p pgxQuerier) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := p.q.Query(ctx, query, args...) //nolint:sqlclosecheck // returned to the caller, who closes it
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (p pgxQuerier) queryRow(ctx context.Context, query string, args ...any) row {
	return p.q.QueryRow(ctx, query, args...)
}

// nullTime returns nil for the zero time, so it is stored as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// dbTime scans a possibly NULL time from either database, including from
// SQLite expressions (MAX, COALESCE) that lose the column's declared type
// and yield text.
type dbTime struct{ t time.Time }

// Scan implements sql.Scanner.
func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.t = time.Time{}
	case time.Time:
		d.t = x.UTC()
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("scan time: unsupported type %T", v)
	}
	return nil
}

func (d *dbTime) parse(s string) error {
	if t, ok := parseStored(s); ok {
		d.t = t
		return nil
	}
	for _, layout := range []string{sqliteTimeLayout, "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			d.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// parseStored parses sqliteTimeLayout by hand: pages read several times
// per article, and time.Parse costs ten times as much.
func parseStored(s string) (time.Time, bool) {
	if len(s) != len(sqliteTimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' ||
		s[16] != ':' || s[19] != '.' || s[26:] != "+00:00" {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	us, ok7 := num(20, 26)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || !ok7 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC), true
}

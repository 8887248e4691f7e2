// Package storage keeps kiosque's data in SQLite (embedded, the default) or
// PostgreSQL (to scale out), behind the Store interfaces the domain packages
// declare. The SQL is written once, with $N placeholders that both databases
// accept; the few differences (identity columns, full-text search) live in
// the dialect helpers and in one migration set per database.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names the database in use.
type Dialect int

// The supported databases.
const (
	SQLite Dialect = iota
	Postgres
)

// String returns the dialect's name as goose and logs spell it.
func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is an open database with its pools. It is safe for concurrent use.
type DB struct {
	dialect Dialect
	log     *slog.Logger

	// SQLite: one connection for writes (SQLite has one writer; a single
	// connection makes waiting for it a Go-level queue instead of
	// SQLITE_BUSY errors) and a pool of read-only connections that WAL lets
	// read concurrently.
	write *sql.DB
	read  *sql.DB
	stmts stmtCache
	// writeStmts keeps the write connection's frequent statements
	// prepared.
	writeStmts writeStmts

	// PostgreSQL.
	pool *pgxpool.Pool
	dsn  string

	enqueuer Enqueuer
	changes  *changeHub

	closeOnce sync.Once
	stop      context.CancelFunc
	done      chan struct{}
}

// Options tune Open.
type Options struct {
	// Logger receives connection and listener events; nil means discard.
	Logger *slog.Logger
	// ReadConns is the size of the SQLite read pool (default 2×CPUs, at least 4).
	ReadConns int
}

// IsPostgresURL reports whether dsn selects PostgreSQL.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// URL, or the path
// of a SQLite file (created if missing, with its directory). It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	db := &DB{log: opts.Logger, changes: newChangeHub(), done: make(chan struct{})}
	var err error
	if IsPostgresURL(dsn) {
		db.dialect = Postgres
		err = db.openPostgres(ctx, dsn)
	} else {
		db.dialect = SQLite
		err = db.openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	lctx, cancel := context.WithCancel(context.Background())
	db.stop = cancel
	if db.dialect == Postgres {
		go db.listen(lctx)
	} else {
		close(db.done)
	}
	return db, nil
}

func (db *DB) openSQLite(ctx context.Context, path string, opts Options) error {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" || path == ":memory:" {
		return errors.New("open sqlite: a file path is required (in-memory databases cannot be shared by the read and write pools)")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=journal_mode(WAL)"
	writeDSN := "file:" + path + "?_txlock=immediate&_pragma=cache_size(-16384)&_pragma=temp_store(MEMORY)&" + pragmas
	readDSN := "file:" + path + "?" + pragmas + "&_pragma=query_only(1)"
	w, err := sql.Open("sqlite", writeDSN)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Fail early, with a clear message, on a file that is not a database.
	if _, err := w.ExecContext(ctx, "SELECT count(*) FROM sqlite_master"); err != nil {
		_ = w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", readDSN)
	if err != nil {
		_ = w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := opts.ReadConns
	if n <= 0 {
		n = max(4, 2*runtime.NumCPU())
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	db.write, db.read = w, r
	return nil
}

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("parse postgres url: %w", errors.New(redactPGError(err.Error(), dsn)))
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(cctx, cfg)
	if err == nil {
		err = pool.Ping(cctx)
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return fmt.Errorf("connect to postgres %s: %w", redactURL(dsn), err)
	}
	db.pool = pool
	db.dsn = dsn
	return nil
}

// Dialect returns the database in use.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQLWrite returns the SQLite write pool (for the job queue); nil on PostgreSQL.
func (db *DB) SQLWrite() *sql.DB { return db.write }

// Pool returns the PostgreSQL pool (for the job queue); nil on SQLite.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// SetEnqueuer sets the job queue that write transactions insert jobs into.
// It is set once at wiring time, before any write.
func (db *DB) SetEnqueuer(e Enqueuer) { db.enqueuer = e }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.dialect == Postgres {
		return db.pool.Ping(ctx)
	}
	return db.read.PingContext(ctx)
}

// Close stops the change listener and closes the pools.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		db.stop()
		<-db.done
		if db.pool != nil {
			db.pool.Close()
		}
		db.stmts.close()
		db.writeStmts.close()
		if db.read != nil {
			err = errors.Join(err, db.read.Close())
		}
		if db.write != nil {
			if db.dialect == SQLite {
				// Fold the WAL back into the main file so a copied data
				// directory is complete.
				_, _ = db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			}
			err = errors.Join(err, db.write.Close())
		}
	})
	return err
}

// reader returns the querier for reads outside a transaction.
func (db *DB) reader() querier {
	if db.dialect == Postgres {
		return pgxQuerier{db.pool}
	}
	return &sqlQuerier{q: db.read, stmts: &db.stmts}
}

func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}

func redactPGError(msg, dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// Analyze refreshes the query planner's statistics. The database does it
// by itself as tables change (autovacuum, PRAGMA optimize at close), but
// right after a bulk write (an import, a benchmark's seeding) plans made on
// stale statistics can be a hundred times slower.
func (db *DB) Analyze(ctx context.Context) error {
	q := "ANALYZE"
	if db.dialect == SQLite {
		q = "PRAGMA optimize=0x10002"
	}
	if err := db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, q)
		return err
	}); err != nil {
		return normalize(fmt.Errorf("analyze: %w", err))
	}
	return nil
}

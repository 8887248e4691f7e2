package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationsFS embed.FS

// ErrSchemaTooNew is returned by Migrate on a database migrated by a newer
// kiosque.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// migrationLockID is the PostgreSQL advisory lock that serialises
// migrations when several instances start at once.
const migrationLockID = 7_366_016_425_891

// Migrate brings the schema up to date, then runs extra (the job queue's own
// migrations) under the same lock. It is safe to call from several instances
// at once: on PostgreSQL they wait for each other on an advisory lock.
func (db *DB) Migrate(ctx context.Context, extra func(context.Context) error) error {
	run := func(sqlDB *sql.DB) error {
		sub, err := fs.Sub(migrationsFS, "migrations/"+db.dialect.String())
		if err != nil {
			return err
		}
		dialect := goose.DialectSQLite3
		if db.dialect == Postgres {
			dialect = goose.DialectPostgres
		}
		p, err := goose.NewProvider(dialect, sqlDB, sub)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		current, target, err := p.GetVersions(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if current > target {
			// A newer kiosque migrated this database: running an older one
			// on it could write what the newer schema no longer expects.
			return fmt.Errorf("%w: the database is at schema version %d and this kiosque knows versions up to %d; run the newer kiosque, or restore a backup made by this one", ErrSchemaTooNew, current, target)
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if extra != nil {
			if err := extra(ctx); err != nil {
				return fmt.Errorf("migrate job queue: %w", err)
			}
		}
		return nil
	}
	if db.dialect == SQLite {
		return run(db.write)
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLockID)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockID))
	}()
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer func() { _ = sqlDB.Close() }()
	return run(sqlDB)
}

// SchemaVersion returns the version of the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.reader().queryRow(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", normalize(err))
	}
	return v, nil
}

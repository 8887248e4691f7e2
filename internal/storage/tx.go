package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kiosque/kiosque/internal/job"
)

// Enqueuer inserts jobs inside a write transaction. tx is the driver
// transaction: *sql.Tx on SQLite, pgx.Tx on PostgreSQL.
type Enqueuer interface {
	EnqueueTx(ctx context.Context, tx any, jobs []job.Job) error
}

// Tx is a write transaction: SQL, job inserts and the change notices that
// go out when it commits.
type Tx struct {
	q       querier
	db      *DB
	raw     any
	changes []Change
}

// enqueue inserts jobs in the transaction.
func (tx *Tx) enqueue(ctx context.Context, jobs []job.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	if tx.db.enqueuer == nil {
		return fmt.Errorf("enqueue %d jobs: no job queue configured", len(jobs))
	}
	if err := tx.db.enqueuer.EnqueueTx(ctx, tx.raw, jobs); err != nil {
		return fmt.Errorf("enqueue jobs: %w", err)
	}
	return nil
}

// changed records that the transaction changed something, to notify every
// instance's caches once it commits.
func (tx *Tx) changed(c Change) { tx.changes = append(tx.changes, c) }

// inTx runs fn in a write transaction, committed if fn returns nil and
// rolled back otherwise. Change notices go out after the commit: through
// PostgreSQL NOTIFY to every instance (the notification is sent in the
// transaction, so it is delivered exactly when the data is visible), and
// directly to this instance's subscribers.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.dialect == Postgres {
		return db.inPgxTx(ctx, fn)
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return normalize(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		_ = sqlTx.Rollback()
		// With the write connection free again, prepare the statements
		// this transaction ran unprepared more than once.
		if db.writeStmts.pending() {
			db.writeStmts.prepare(context.WithoutCancel(ctx), db.write)
		}
	}()
	tx := &Tx{q: &sqlQuerier{q: sqlTx, tx: sqlTx, writes: &db.writeStmts}, db: db, raw: sqlTx}
	if err := fn(tx); err != nil {
		return normalize(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return normalize(fmt.Errorf("commit: %w", err))
	}
	db.changes.publish(tx.changes)
	return nil
}

func (db *DB) inPgxTx(ctx context.Context, fn func(tx *Tx) error) error {
	pgTx, err := db.pool.Begin(ctx)
	if err != nil {
		return normalize(fmt.Errorf("begin: %w", err))
	}
	defer func() { _ = pgTx.Rollback(context.WithoutCancel(ctx)) }()
	tx := &Tx{q: pgxQuerier{pgTx}, db: db, raw: pgTx}
	if err := fn(tx); err != nil {
		return normalize(err)
	}
	if err := notifyTx(ctx, pgTx, encodeChanges(db.changes.instance, tx.changes)); err != nil {
		return normalize(err)
	}
	if err := pgTx.Commit(ctx); err != nil {
		return normalize(fmt.Errorf("commit: %w", err))
	}
	db.changes.publish(tx.changes)
	return nil
}

func notifyTx(ctx context.Context, tx pgx.Tx, payload string) error {
	if payload == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", changesChannel, payload); err != nil {
		return fmt.Errorf("notify changes: %w", err)
	}
	return nil
}

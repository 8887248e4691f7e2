package storage

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kiosque/kiosque/internal/apperr"
)

// normalize turns driver errors into apperr kinds, the same way for both
// databases, so that no caller above storage ever inspects a driver error:
// no rows becomes NotFound, a unique or foreign-key violation Conflict, a
// busy or unreachable database Unavailable.
func normalize(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows), errors.Is(err, pgx.ErrNoRows), errors.Is(err, errNoRows):
		return apperr.Wrap(err, apperr.NotFound, "error.not_found.text")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return apperr.Wrap(err, apperr.Conflict, "error.conflict")
		case "23503": // foreign_key_violation
			return apperr.Wrap(err, apperr.Conflict, "error.conflict")
		case "40001", "40P01", "53300", "57P03": // serialization, deadlock, too many connections, cannot connect now
			return apperr.Wrap(err, apperr.Unavailable, "error.unavailable")
		}
		return apperr.Wrap(err, apperr.Internal, "")
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return apperr.Wrap(err, apperr.Conflict, "error.conflict")
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return apperr.Wrap(err, apperr.Unavailable, "error.unavailable")
		}
		return apperr.Wrap(err, apperr.Internal, "")
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return apperr.Wrap(err, apperr.Unavailable, "error.unavailable")
	}
	return apperr.Wrap(err, apperr.Internal, "")
}

// errNoRows marks an UPDATE or DELETE that matched nothing.
var errNoRows = errors.New("no rows")

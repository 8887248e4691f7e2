package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// Backup writes a consistent copy of the database to path, while the site
// keeps running: SQLite's VACUUM INTO on the embedded database, pg_dump
// (custom format, restorable with pg_restore) on PostgreSQL.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose another --output", path)
	}
	if db.dialect == SQLite {
		if _, err := db.write.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
			return fmt.Errorf("backup to %s: %w", path, err)
		}
		return nil
	}
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("backup: pg_dump is not installed; install the PostgreSQL client tools (Debian: postgresql-client)")
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--file="+path, "--dbname="+db.dsn) //nolint:gosec // the operator's own database URL
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("backup with pg_dump: %w: %s", err, redactPGError(string(out), db.dsn))
	}
	return nil
}

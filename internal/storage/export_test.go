package storage

import "context"

// ExecForTest runs a statement, for tests that must put a database in a
// state the program never would.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, query, args...)
		return err
	})
}

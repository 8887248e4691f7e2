package storage

import (
	"context"
	"fmt"
)

// CountJobs returns the number of jobs of a kind in the queue's table,
// whatever their state: for tests and operators checking that work was
// enqueued once.
func (db *DB) CountJobs(ctx context.Context, kind string) (int, error) {
	var n int
	if err := db.reader().queryRow(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = $1", kind).Scan(&n); err != nil {
		return 0, normalize(fmt.Errorf("count %s jobs: %w", kind, err))
	}
	return n, nil
}

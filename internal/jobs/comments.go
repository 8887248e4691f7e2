package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/comments"
)

// purgeCommentLogArgs is the daily erasure of the legal log's entries
// older than a year (décret 2021-1362).
type purgeCommentLogArgs struct{}

func (purgeCommentLogArgs) Kind() string { return "comments.purge_log" }

type purgeCommentLogWorker struct {
	river.WorkerDefaults[purgeCommentLogArgs]
	comments *comments.Service
}

func (w *purgeCommentLogWorker) Work(ctx context.Context, _ *river.Job[purgeCommentLogArgs]) error {
	if _, err := w.comments.PurgeLog(ctx); err != nil {
		return fmt.Errorf("purge the comment log: %w", err)
	}
	return nil
}

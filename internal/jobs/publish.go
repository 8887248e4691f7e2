package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/content"
)

// publishScheduledWorker publishes one scheduled article at its time. It
// is idempotent: an article already published, unscheduled or moved later
// is left alone.
type publishScheduledWorker struct {
	river.WorkerDefaults[content.PublishScheduledJob]
	content *content.Service
}

func (w *publishScheduledWorker) Work(ctx context.Context, j *river.Job[content.PublishScheduledJob]) error {
	if _, err := w.content.PublishScheduled(ctx, j.Args.ArticleID); err != nil {
		return fmt.Errorf("publish scheduled article %d: %w", j.Args.ArticleID, err)
	}
	return nil
}

// refreshRelatedArgs asks for every article's related list to be
// recomputed, so that older articles link to what was published since.
type refreshRelatedArgs struct{}

func (refreshRelatedArgs) Kind() string { return "content.refresh_related" }

type refreshRelatedWorker struct {
	river.WorkerDefaults[refreshRelatedArgs]
	content *content.Service
}

func (w *refreshRelatedWorker) Work(ctx context.Context, _ *river.Job[refreshRelatedArgs]) error {
	if _, err := w.content.RefreshAllRelated(ctx); err != nil {
		return fmt.Errorf("refresh related articles: %w", err)
	}
	return nil
}

// publishDueArgs is the periodic safety sweep: it publishes any scheduled
// article whose job was lost (a database restored from a backup, an
// article imported as scheduled).
type publishDueArgs struct{}

func (publishDueArgs) Kind() string { return "content.publish_due" }

type publishDueWorker struct {
	river.WorkerDefaults[publishDueArgs]
	content *content.Service
}

func (w *publishDueWorker) Work(ctx context.Context, _ *river.Job[publishDueArgs]) error {
	if _, err := w.content.PublishDue(ctx); err != nil {
		return fmt.Errorf("publish due articles: %w", err)
	}
	return nil
}

// ArticleObserver follows the articles' changes.
type ArticleObserver interface {
	// ArticleChanged is told that article id was written; it reads the
	// article's state itself, and must be idempotent.
	ArticleChanged(ctx context.Context, id int64) error
}

// articleChangedWorker passes an article's change on to each observer.
// An observer's failure retries the job, and the others see the change
// again: they are idempotent.
type articleChangedWorker struct {
	river.WorkerDefaults[content.ArticleChangedJob]
	observers []ArticleObserver
}

func (w *articleChangedWorker) Work(ctx context.Context, j *river.Job[content.ArticleChangedJob]) error {
	for _, o := range w.observers {
		if err := o.ArticleChanged(ctx, j.Args.ArticleID); err != nil {
			return fmt.Errorf("article %d changed: %w", j.Args.ArticleID, err)
		}
	}
	return nil
}

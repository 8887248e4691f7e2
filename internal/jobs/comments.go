package jobs

import (
	"context"
	"fmt"
	"time"

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

// notifyCommentWorker runs the notifications of a comment event.
type notifyCommentWorker struct {
	river.WorkerDefaults[comments.NotifyArgs]
	comments *comments.Service
}

func (w *notifyCommentWorker) Work(ctx context.Context, j *river.Job[comments.NotifyArgs]) error {
	return w.comments.Notify(ctx, j.Args)
}

// commentDigestWorker sends the moderators' daily digest.
type commentDigestWorker struct {
	river.WorkerDefaults[comments.DigestArgs]
	comments *comments.Service
}

func (w *commentDigestWorker) Work(ctx context.Context, _ *river.Job[comments.DigestArgs]) error {
	return w.comments.Digest(ctx)
}

// DigestHour is when the moderators' digest goes out, in the site's time
// zone: before the morning's work.
const DigestHour = 7

// dailyAt is a schedule that fires once a day at hour o'clock in the time
// zone loc returns (read at each computation: the newsroom may change it).
type dailyAt struct {
	hour int
	loc  func() *time.Location
}

// Next implements river.PeriodicSchedule.
func (d dailyAt) Next(now time.Time) time.Time {
	l := d.loc()
	t := now.In(l)
	next := time.Date(t.Year(), t.Month(), t.Day(), d.hour, 0, 0, 0, l)
	if !next.After(t) {
		next = time.Date(t.Year(), t.Month(), t.Day()+1, d.hour, 0, 0, 0, l)
	}
	return next
}

// akismetSubmitWorker reports a moderator's decision to Akismet.
type akismetSubmitWorker struct {
	river.WorkerDefaults[comments.AkismetArgs]
	comments *comments.Service
}

func (w *akismetSubmitWorker) Work(ctx context.Context, j *river.Job[comments.AkismetArgs]) error {
	return w.comments.SubmitToAkismet(ctx, j.Args)
}

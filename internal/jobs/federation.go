package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/federation"
)

// apProcessWorker acts on an activity received in an inbox.
type apProcessWorker struct {
	river.WorkerDefaults[federation.ProcessJob]
	svc *federation.Service
}

func (w *apProcessWorker) Work(ctx context.Context, j *river.Job[federation.ProcessJob]) error {
	return w.svc.Process(ctx, j.Args.InboxID)
}

// apDeliverWorker delivers one activity to one inbox. The service waits
// with the instance after a failure: what it asks to retry is snoozed for
// the wait it computed, not River's backoff.
type apDeliverWorker struct {
	river.WorkerDefaults[federation.DeliverJob]
	svc *federation.Service
}

func (w *apDeliverWorker) Work(ctx context.Context, j *river.Job[federation.DeliverJob]) error {
	retryIn, err := w.svc.Deliver(ctx, j.Args.DeliveryID)
	if err != nil {
		return fmt.Errorf("fediverse delivery %d: %w", j.Args.DeliveryID, err)
	}
	if retryIn > 0 {
		return river.JobSnooze(retryIn)
	}
	return nil
}

// apPurgeArgs asks for the inbox's old activities to be deleted.
type apPurgeArgs struct{}

func (apPurgeArgs) Kind() string { return "federation.purge" }

type apPurgeWorker struct {
	river.WorkerDefaults[apPurgeArgs]
	svc *federation.Service
}

func (w *apPurgeWorker) Work(ctx context.Context, _ *river.Job[apPurgeArgs]) error {
	if _, err := w.svc.PurgeInbox(ctx); err != nil {
		return fmt.Errorf("purge the fediverse inbox: %w", err)
	}
	return nil
}

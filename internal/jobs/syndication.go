package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/syndication"
)

// deliverWorker makes one social delivery. The service records every
// outcome on the delivery; what it asks to retry is snoozed for the wait
// it computed (its backoff, or the network's Retry-After), not River's.
type deliverWorker struct {
	river.WorkerDefaults[syndication.DeliverJob]
	svc *syndication.Service
}

func (w *deliverWorker) Work(ctx context.Context, j *river.Job[syndication.DeliverJob]) error {
	retryIn, err := w.svc.Deliver(ctx, j.Args.DeliveryID)
	if err != nil {
		return fmt.Errorf("social delivery %d: %w", j.Args.DeliveryID, err)
	}
	if retryIn > 0 {
		return river.JobSnooze(retryIn)
	}
	return nil
}

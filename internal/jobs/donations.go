package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/donations"
)

// annualReceiptsWorker issues the monthly donors' summary receipts once
// January has come; on other days it finds nothing to do.
type annualReceiptsWorker struct {
	river.WorkerDefaults[donations.AnnualReceiptsArgs]
	donations *donations.Service
}

func (w *annualReceiptsWorker) Work(ctx context.Context, _ *river.Job[donations.AnnualReceiptsArgs]) error {
	_, err := w.donations.IssueDueAnnualReceipts(ctx)
	return err
}

// AnnualReceiptsHour is when the summary receipts job runs each day, in
// the site's time zone.
const AnnualReceiptsHour = 6

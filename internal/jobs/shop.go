package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/shop"
)

// shopSweepWorker cancels the orders whose payment page expired unpaid,
// giving their reserved copies back, and purges old carts.
type shopSweepWorker struct {
	river.WorkerDefaults[shop.ExpireArgs]
	shop *shop.Service
}

func (w *shopSweepWorker) Work(ctx context.Context, _ *river.Job[shop.ExpireArgs]) error {
	return w.shop.Sweep(ctx)
}

// ShopSweepInterval is how often the shop's sweep runs.
const ShopSweepInterval = 5 * time.Minute

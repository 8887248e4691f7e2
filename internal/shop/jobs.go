package shop

import (
	"context"
	"fmt"
	"time"
)

// ExpireArgs asks for the sweep of pending orders whose payment page
// closed without news from the provider (see Service.Sweep).
type ExpireArgs struct{}

// Kind names the job.
func (ExpireArgs) Kind() string { return "shop.expire_orders" }

// SweepGrace is how long after its payment page closed a pending order
// waits for the provider's own expiry event before the sweep cancels it.
const SweepGrace = 10 * time.Minute

// cartLife is how long an untouched cart is kept.
const cartLife = 60 * 24 * time.Hour

// Sweep cancels the pending orders whose payment page closed more than
// SweepGrace ago, giving their copies back, and forgets carts untouched
// for two months. The job queue runs it every few minutes.
func (s *Service) Sweep(ctx context.Context) error {
	n, err := s.ExpireOrders(ctx, SweepGrace)
	if err != nil {
		return err
	}
	if n > 0 {
		s.Log.Info("expired orders cancelled", "orders", n)
	}
	if _, err := s.Orders.PurgeCarts(ctx, s.Clock.Now().Add(-cartLife)); err != nil {
		return fmt.Errorf("purge carts: %w", err)
	}
	return nil
}

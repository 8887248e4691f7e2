package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
)

// MaxDeliveryAge is how long a delivery is tried before it is given up:
// an instance down for longer has missed the news.
const MaxDeliveryAge = 3 * 24 * time.Hour

// instanceBackoff is the wait after an instance's n-th failure in a row:
// 30 s doubling up to 6 h. Every delivery to that instance waits with it,
// so a dead instance costs one attempt per step, and never holds up the
// others (each delivery is its own job).
func instanceBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// Deliver makes one delivery (the DeliverJob): it posts the activity to
// the inbox, signed afresh, and records the outcome. It returns how long
// to wait before trying again (0 when done): the instance's backoff, or
// the server's Retry-After. A delivery older than MaxDeliveryAge, or to
// an inbox that is gone, is dropped; a 410 from a follower's own inbox
// removes the follower (its account was deleted).
func (s *Service) Deliver(ctx context.Context, id int64) (time.Duration, error) {
	d, out, err := s.d.Store.Delivery(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if d.State != DeliveryPending {
		return 0, nil
	}
	now := s.d.Clock.Now()
	inst, err := s.d.Store.Instance(ctx, d.Host)
	if err != nil {
		return 0, err
	}
	blocked, err := s.blocked(ctx, "https://"+d.Host+"/")
	if err != nil {
		return 0, err
	}
	switch {
	case blocked:
		d.State, d.LastError = DeliveryDropped, "instance blocked"
		return 0, s.d.Store.FinishAttempt(ctx, d, inst)
	case now.Sub(d.CreatedAt) > MaxDeliveryAge:
		d.State = DeliveryDropped
		d.LastError = fmt.Sprintf("given up after %s: %s", MaxDeliveryAge, d.LastError)
		return 0, s.d.Store.FinishAttempt(ctx, d, inst)
	case inst.RetryAt.After(now):
		// The instance failed recently: wait with the others.
		return inst.RetryAt.Sub(now), nil
	}
	d.Attempts++
	err = s.d.Fetch.Post(ctx, d.Inbox, out.Body)
	if ctx.Err() != nil {
		// Shutting down: the attempt did not count.
		return 0, ctx.Err()
	}
	var re *RemoteError
	switch {
	case err == nil:
		d.State, d.LastError = DeliverySent, ""
		inst.Failures, inst.RetryAt, inst.LastOKAt, inst.LastError = 0, time.Time{}, now, ""
		return 0, s.d.Store.FinishAttempt(ctx, d, inst)
	case errors.Is(err, ErrGone) || errors.Is(err, ErrNotFound):
		d.State, d.LastError = DeliveryDropped, err.Error()
		if err := s.d.Store.FinishAttempt(ctx, d, inst); err != nil {
			return 0, err
		}
		if errors.Is(err, ErrGone) {
			s.forgetInbox(ctx, d.Inbox)
		}
		return 0, nil
	case errors.As(err, &re) && re.Temporary:
		d.LastError = err.Error()
		inst.Failures++
		wait := max(instanceBackoff(inst.Failures), re.RetryAfter)
		inst.RetryAt, inst.LastError = now.Add(wait), err.Error()
		if err := s.d.Store.FinishAttempt(ctx, d, inst); err != nil {
			return 0, err
		}
		return wait, nil
	default:
		// Refused for good (400, 401, 403…): the instance is up, the
		// activity is not wanted there.
		d.State, d.LastError = DeliveryDropped, err.Error()
		return 0, s.d.Store.FinishAttempt(ctx, d, inst)
	}
}

// forgetInbox removes the followers whose own inbox answered 410: their
// accounts were deleted.
func (s *Service) forgetInbox(ctx context.Context, inbox string) {
	for _, local := range s.localActors() {
		list, _, err := s.d.Store.Followers(ctx, FollowerQuery{LocalActor: local, Search: hostOf(inbox), Limit: 1000})
		if err != nil {
			s.d.Log.Warn("forget a gone inbox", "inbox", inbox, "err", err)
			return
		}
		for _, f := range list {
			if f.Inbox == inbox {
				if _, err := s.d.Store.RemoveFollower(ctx, local, f.ActorID, ""); err != nil {
					s.d.Log.Warn("forget a gone follower", "actor", f.ActorID, "err", err)
				}
			}
		}
	}
}

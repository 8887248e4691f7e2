package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
)

// seedGiftHistory adds a year of readers' support before the winter
// campaign, for the back office's report to have months to compare:
// monthly donors who joined month after month (a few stopped since, so
// churn shows), and one-off gifts paid online. The gifts are written as
// the payment provider's events would have left them, through the store:
// no service takes a year-old monthly gift. None is tied to a campaign.
// It returns the number of gifts recorded.
func seedGiftHistory(ctx context.Context, st donations.Store, now time.Time) (int, error) {
	n := 0
	monthly := []int64{500, 1000, 1500, 2000, 3000}
	for i := range 14 {
		started := now.AddDate(0, -(11 - i%11), -(i*3)%20)
		var cancelled time.Time
		if i%5 == 2 {
			cancelled = started.AddDate(0, 3, 5)
			if cancelled.After(now) {
				cancelled = time.Time{}
			}
		}
		cents := monthly[i%len(monthly)]
		donor := &donations.Donor{Email: fmt.Sprintf("mensuel%02d@exemple.fr", i), FirstNames: demoFirstNames[(i+5)%len(demoFirstNames)],
			LastName: demoLastNames[(i*3)%len(demoLastNames)], Country: "FR", CreatedAt: started, UpdatedAt: started}
		sub := &donations.Subscription{AmountCents: cents, Currency: "eur", Provider: "stripe", Status: donations.SubscriptionActive,
			CreatedAt: started}
		payment := func(k int) *donations.Donation {
			at := started.AddDate(0, k, 0)
			return &donations.Donation{Reference: fmt.Sprintf("demo_monthly_%02d_%02d", i, k), AmountCents: cents, Currency: "eur",
				Frequency: donations.Monthly, Status: donations.StatusPaid, Method: donations.MethodCard, Provider: "stripe",
				CreatedAt: at, PaidAt: at, UpdatedAt: at}
		}
		err := st.StartGift(ctx, donor, payment(0), sub, func(tx donations.Tx) error {
			sub.StartedAt, sub.CancelledAt = started, cancelled
			if !cancelled.IsZero() {
				sub.Status = donations.SubscriptionCancelled
			}
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
			for k := 1; ; k++ {
				d := payment(k)
				if d.PaidAt.After(now) || !cancelled.IsZero() && !d.PaidAt.Before(cancelled) {
					return nil
				}
				d.DonorID, d.SubscriptionID = donor.ID, sub.ID
				if err := tx.CreateDonation(ctx, d); err != nil {
					return err
				}
				n++
			}
		})
		if err != nil {
			return 0, fmt.Errorf("seed demo monthly gift %d: %w", i, err)
		}
		n++
	}
	// One-off gifts, three a month, before the campaign began.
	for m := 1; m <= 11; m++ {
		for j := range 3 {
			i := m*3 + j
			at := now.AddDate(0, -m, -j*9-2)
			donor := &donations.Donor{Email: fmt.Sprintf("lecteur%02d@exemple.fr", i), FirstNames: demoFirstNames[i%len(demoFirstNames)],
				LastName: demoLastNames[(i*7+3)%len(demoLastNames)], Country: "FR", CreatedAt: at, UpdatedAt: at}
			d := &donations.Donation{Reference: fmt.Sprintf("demo_once_%02d", i), AmountCents: demoAmounts[(i*7)%len(demoAmounts)],
				Currency: "eur", Frequency: donations.OneOff, Status: donations.StatusPaid, Method: donations.MethodCard, Provider: "stripe",
				CreatedAt: at, PaidAt: at, UpdatedAt: at}
			if err := st.StartGift(ctx, donor, d, nil, nil); err != nil {
				return 0, fmt.Errorf("seed demo gift of %s: %w", at.Format("2006-01"), err)
			}
			n++
		}
	}
	return n, nil
}

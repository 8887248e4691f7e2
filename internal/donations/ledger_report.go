package donations

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/access"
)

// ReportMonths is how many months the report covers, the current one
// last.
const ReportMonths = 12

// MonthFigures is one month of the report, cut in the site's time zone.
type MonthFigures struct {
	// Start is midnight of the month's first day, in the site's zone.
	Start time.Time
	// OneOffCents and MonthlyCents are what the gifts paid during the
	// month brought, less refunds: one-off gifts (offline ones
	// included) and monthly payments apart.
	OneOffCents, MonthlyCents int64
	// RecurringCents sums the monthly gifts active at the month's end
	// (now, for the current month): what comes in each month. Donors
	// counts the people giving them.
	RecurringCents int64
	Donors         int
	// ActiveAtStart counts the monthly gifts active when the month
	// began, Cancelled those stopped during the month, and New those
	// whose first payment fell in it.
	ActiveAtStart, Cancelled, New int
}

// TotalCents is what the month brought.
func (m *MonthFigures) TotalCents() int64 { return m.OneOffCents + m.MonthlyCents }

// ChurnBasisPoints is the share of the monthly gifts active at the
// month's start that were stopped during it, in hundredths of a percent
// (1250 is 12.5 %); ok is false when none was active.
func (m *MonthFigures) ChurnBasisPoints() (bp int64, ok bool) {
	if m.ActiveAtStart == 0 {
		return 0, false
	}
	return int64(m.Cancelled) * 10000 / int64(m.ActiveAtStart), true
}

// Report is the readers' support month by month, the oldest first.
type Report struct {
	Months []MonthFigures
}

// Report returns the last ReportMonths months, the current one included,
// cut in loc. The gifts are fetched for the whole period and grouped
// here, since the databases' date functions differ and only Go knows the
// site's time zone rules.
func (s *Service) Report(ctx context.Context, actor access.Actor, loc *time.Location) (*Report, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	now := s.Clock.Now().In(loc)
	first := monthStart(now).AddDate(0, 1-ReportMonths, 0)
	end := monthStart(now).AddDate(0, 1, 0)
	gifts, err := s.Store.PaidGifts(ctx, first, end)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	subs, err := s.Store.MonthlyGifts(ctx, first, end)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return buildReport(first, ReportMonths, now, gifts, subs), nil
}

// buildReport groups gifts and monthly gifts into n months from first
// (midnight of a first of the month, in the site's zone); now ends the
// current month's recurring figures.
func buildReport(first time.Time, n int, now time.Time, gifts []*Donation, subs []*Subscription) *Report {
	r := &Report{Months: make([]MonthFigures, n)}
	starts := make([]time.Time, n+1)
	for i := range starts {
		// AddDate from first each time: months have different lengths,
		// and days shift with daylight saving time.
		starts[i] = first.AddDate(0, i, 0)
	}
	monthOf := func(t time.Time) int {
		for i := range n {
			if !t.Before(starts[i]) && t.Before(starts[i+1]) {
				return i
			}
		}
		return -1
	}
	for _, d := range gifts {
		i := monthOf(d.PaidAt)
		if i < 0 {
			continue
		}
		if d.Frequency == Monthly {
			r.Months[i].MonthlyCents += d.NetCents()
		} else {
			r.Months[i].OneOffCents += d.NetCents()
		}
	}
	activeAt := func(sub *Subscription, t time.Time) bool {
		return sub.StartedAt.Before(t) && (sub.CancelledAt.IsZero() || !sub.CancelledAt.Before(t))
	}
	for i := range r.Months {
		m := &r.Months[i]
		m.Start = starts[i]
		end := starts[i+1]
		if now.Before(end) {
			end = now.Add(time.Nanosecond)
		}
		donors := map[int64]bool{}
		for _, sub := range subs {
			if sub.StartedAt.IsZero() {
				continue
			}
			if activeAt(sub, starts[i]) {
				m.ActiveAtStart++
			}
			if !sub.CancelledAt.IsZero() && monthOf(sub.CancelledAt) == i {
				m.Cancelled++
			}
			if monthOf(sub.StartedAt) == i {
				m.New++
			}
			if activeAt(sub, end) {
				m.RecurringCents += sub.AmountCents
				// An erased donor is still one person.
				key := sub.DonorID
				if key == 0 {
					key = -sub.ID
				}
				donors[key] = true
			}
		}
		m.Donors = len(donors)
	}
	return r
}

package donations_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/users"
)

func TestParseGoal(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want int64
	}{
		{"OKWhole", "20000", 2_000_000},
		{"OKFrench", " 20 000,50 € ", 2_000_050},
		{"OKNarrowSpace", "1\u202f000\u202f000", 100_000_000},
		{"OKOneDecimal", "12.5", 1250},
		{"ErrEmpty", "", 0},
		{"ErrZero", "0", 0},
		{"ErrNegative", "-10", 0},
		{"ErrThreeDecimals", "10,005", 0},
		{"ErrLetters", "dix", 0},
		{"ErrExponent", "1e6", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := donations.ParseGoal(c.in)
			if c.want == 0 {
				if !apperr.Is(err, apperr.Invalid) || testFields(err) != "goal" {
					t.Fatalf("ParseGoal(%q) = %d, %v, want an error on goal", c.in, got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("ParseGoal(%q) = %d, %v, want %d", c.in, got, err, c.want)
			}
		})
	}
}

func testFields(err error) string {
	var out string
	for _, e := range apperr.Split(err) {
		var ae *apperr.Error
		if errors.As(e, &ae) {
			out += ae.Field
		}
	}
	return out
}

// TestLedgerForbidden: only those who may manage donations see the
// gifts, whatever the method.
func TestLedgerForbidden(t *testing.T) {
	ctx := context.Background()
	svc := donations.NewService(donations.Deps{Clock: clock.NewFixed(time.Now())})
	for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		a := access.Actor{UserID: 7, Role: role}
		calls := map[string]error{}
		_, _, calls["Gifts"] = svc.Gifts(ctx, a, donations.DonationFilter{})
		calls["ExportGifts"] = svc.ExportGifts(ctx, a, donations.DonationFilter{}, func(*donations.LedgerRow) error { return nil })
		_, calls["Gift"] = svc.Gift(ctx, a, 1)
		_, calls["Campaigns"] = svc.Campaigns(ctx, a)
		_, calls["Campaign"] = svc.Campaign(ctx, a, 1)
		_, calls["SaveCampaign"] = svc.SaveCampaign(ctx, a, 0, donations.CampaignInput{})
		_, calls["Report"] = svc.Report(ctx, a, time.UTC)
		_, calls["MonthToDate"] = svc.MonthToDate(ctx, a, time.UTC)
		_, calls["RecordOffline"] = svc.RecordOffline(ctx, a, donations.OfflineGift{})
		for name, err := range calls {
			if !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s as %s: %v, want Forbidden", name, role, err)
			}
		}
	}
}

// reportStore answers the report's two queries from memory.
type reportStore struct {
	donations.Store
	gifts []*donations.Donation
	subs  []*donations.Subscription
}

func (s *reportStore) PaidGifts(_ context.Context, from, to time.Time) ([]*donations.Donation, error) {
	var out []*donations.Donation
	for _, d := range s.gifts {
		if !d.PaidAt.Before(from) && d.PaidAt.Before(to) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *reportStore) MonthlyGifts(context.Context, time.Time, time.Time) ([]*donations.Subscription, error) {
	return s.subs, nil
}

// TestReportMonths cuts months in Paris around the end of summer time:
// 23:30 UTC on 31 October is already November there.
func TestReportMonths(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	st := &reportStore{
		gifts: []*donations.Donation{
			{AmountCents: 1000, Status: donations.StatusPaid, Frequency: donations.OneOff, PaidAt: at("2026-10-31T22:59:00Z")},
			{AmountCents: 2000, Status: donations.StatusPaid, Frequency: donations.OneOff, PaidAt: at("2026-10-31T23:30:00Z")},
			{AmountCents: 500, Status: donations.StatusPaid, Frequency: donations.Monthly, PaidAt: at("2026-11-02T08:00:00Z")},
			{AmountCents: 800, RefundedCents: 300, Status: donations.StatusPaid, Frequency: donations.OneOff, PaidAt: at("2026-11-03T08:00:00Z")},
			{AmountCents: 900, RefundedCents: 900, Status: donations.StatusRefunded, Frequency: donations.OneOff, PaidAt: at("2026-11-04T08:00:00Z")},
		},
		subs: []*donations.Subscription{
			{ID: 1, DonorID: 1, AmountCents: 500, StartedAt: at("2026-10-31T23:00:00Z")},
			{ID: 2, AmountCents: 700, StartedAt: at("2026-09-01T10:00:00Z"), CancelledAt: at("2026-10-31T22:00:00Z")},
		},
	}
	svc := donations.NewService(donations.Deps{Store: st, Clock: clock.NewFixed(at("2026-11-20T10:00:00Z"))})
	r, err := svc.Report(context.Background(), access.Actor{UserID: 1, Role: users.RoleAdmin}, paris)
	if err != nil {
		t.Fatal(err)
	}
	oct, nov := r.Months[len(r.Months)-2], r.Months[len(r.Months)-1]
	if !nov.Start.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, paris)) {
		t.Fatalf("last month starts %v", nov.Start)
	}
	if oct.OneOffCents != 1000 || oct.New != 0 || oct.Cancelled != 1 || oct.ActiveAtStart != 1 || oct.RecurringCents != 0 {
		t.Errorf("October %+v", oct)
	}
	if nov.OneOffCents != 2500 || nov.MonthlyCents != 500 || nov.New != 1 || nov.ActiveAtStart != 0 ||
		nov.RecurringCents != 500 || nov.Donors != 1 {
		t.Errorf("November %+v", nov)
	}
	if _, ok := nov.ChurnBasisPoints(); ok {
		t.Errorf("November has a churn with no monthly gift at its start")
	}
}

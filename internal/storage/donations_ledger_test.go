package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// ledgerBook writes gifts and monthly gifts straight through the store,
// in any state and at any date, for the back office's lists and report.
type ledgerBook struct {
	t   *testing.T
	st  *storage.DonationStore
	n   int
	ctx context.Context
}

// utc parses a UTC time written "2006-01-02 15:04".
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// gift records d for the donor of email, and returns it with its ID.
func (b *ledgerBook) gift(email, first, last string, d donations.Donation, sub *donations.Subscription) *donations.Donation {
	b.t.Helper()
	b.n++
	d.Reference = fmt.Sprintf("ref-%d", b.n)
	d.Currency = "eur"
	if d.Frequency == "" {
		d.Frequency = donations.OneOff
	}
	if d.Provider == "" {
		d.Provider = "stripe"
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = d.PaidAt
	}
	d.UpdatedAt = d.CreatedAt
	donor := &donations.Donor{Email: email, FirstNames: first, LastName: last, Country: "FR", CreatedAt: d.CreatedAt, UpdatedAt: d.CreatedAt}
	if err := b.st.StartGift(b.ctx, donor, &d, sub, nil); err != nil {
		b.t.Fatal(err)
	}
	return &d
}

// monthly records a monthly gift of cents started at started and, unless
// zero, cancelled at cancelled; its first payment stays pending, so only
// the monthly gift's dates count.
func (b *ledgerBook) monthly(email string, cents int64, started, cancelled time.Time) *donations.Subscription {
	b.t.Helper()
	sub := &donations.Subscription{AmountCents: cents, Currency: "eur", Provider: "stripe", Status: donations.SubscriptionPending,
		CreatedAt: started}
	b.gift(email, "Mensuel", email, donations.Donation{AmountCents: cents, Frequency: donations.Monthly, Status: donations.StatusPending,
		Method: donations.MethodCard, CreatedAt: started}, sub)
	if started.IsZero() {
		return sub
	}
	sub.Status, sub.StartedAt, sub.CancelledAt = donations.SubscriptionActive, started, cancelled
	if !cancelled.IsZero() {
		sub.Status = donations.SubscriptionCancelled
	}
	_, err := b.st.ApplyEvent(b.ctx, "test", fmt.Sprintf("evt-%d", b.n), "test", started, func(tx donations.Tx) error {
		return tx.UpdateSubscription(b.ctx, sub)
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return sub
}

// TestLedgerList checks the gifts list's filters, order, sums and export
// on a hand-made set of gifts, two of them on either side of the end of
// March in Paris.
func TestLedgerList(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		b := &ledgerBook{t: t, st: st, ctx: ctx}
		winter := &donations.Campaign{Title: "Hiver", GoalCents: 100000, StartsAt: utc(t, "2026-01-01 00:00"),
			EndsAt: utc(t, "2026-04-01 00:00"), CreatedAt: utc(t, "2026-01-01 00:00")}
		if err := st.CreateCampaign(ctx, winter); err != nil {
			t.Fatal(err)
		}
		paid := func(at string) donations.Donation {
			return donations.Donation{Status: donations.StatusPaid, Method: donations.MethodCard, PaidAt: utc(t, at)}
		}
		// 23:30 UTC on 28 February is 1 March in Paris.
		g1 := paid("2026-02-28 23:30")
		g1.AmountCents, g1.CampaignID = 2500, winter.ID
		g2 := paid("2026-03-31 21:59")
		g2.AmountCents, g2.RefundedCents, g2.Method, g2.Provider, g2.CampaignID = 10000, 3000, donations.MethodCheque, donations.ProviderOffline, winter.ID
		g2.CreatedAt, g2.Note = utc(t, "2026-04-02 10:00"), "Chèque reçu par la poste"
		// 22:00 UTC on 31 March is 1 April in Paris (summer time).
		g3 := paid("2026-03-31 22:00")
		g3.AmountCents, g3.Method, g3.Provider = 5000, donations.MethodTransfer, donations.ProviderOffline
		g4 := donations.Donation{AmountCents: 4000, Status: donations.StatusPending, Method: donations.MethodCard, CreatedAt: utc(t, "2026-03-15 09:00")}
		g5 := paid("2026-02-10 12:00")
		g5.AmountCents, g5.RefundedCents, g5.Status = 2000, 2000, donations.StatusRefunded
		g6 := paid("2026-03-05 08:00")
		g6.AmountCents, g6.Frequency = 1000, donations.Monthly

		ids := map[string]int64{}
		ids["g1"] = b.gift("ines@example.org", "Inès", "Lambert", g1, nil).ID
		ids["g2"] = b.gift("marc@example.org", "Marc", "Petit", g2, nil).ID
		ids["g3"] = b.gift("marc@example.org", "Marc", "Petit", g3, nil).ID
		ids["g4"] = b.gift("elodie@example.org", "Élodie", "Faure", g4, nil).ID
		ids["g5"] = b.gift("elodie@example.org", "Élodie", "Faure", g5, nil).ID
		ids["g6"] = b.gift("ines@example.org", "Inès", "Lambert", g6, &donations.Subscription{AmountCents: 1000, Currency: "eur",
			Provider: "stripe", Status: donations.SubscriptionActive, CreatedAt: g6.PaidAt}).ID
		names := map[int64]string{}
		for k, v := range ids {
			names[v] = k
		}

		march, april := time.Date(2026, 3, 1, 0, 0, 0, 0, e.paris), time.Date(2026, 4, 1, 0, 0, 0, 0, e.paris)
		cases := []struct {
			name  string
			f     donations.DonationFilter
			want  string
			paid  int
			cents int64
		}{
			{"All", donations.DonationFilter{}, "g3 g2 g4 g6 g1 g5", 4, 15500},
			{"Paid", donations.DonationFilter{Status: donations.StatusPaid}, "g3 g2 g6 g1", 4, 15500},
			{"Refunded", donations.DonationFilter{Status: donations.StatusRefunded}, "g5", 0, 0},
			{"Monthly", donations.DonationFilter{Frequency: donations.Monthly}, "g6", 1, 1000},
			{"Cheque", donations.DonationFilter{Method: donations.MethodCheque}, "g2", 1, 7000},
			{"Campaign", donations.DonationFilter{CampaignID: winter.ID}, "g2 g1", 2, 9500},
			{"PaidInMarchInParis", donations.DonationFilter{From: march, To: april}, "g2 g6 g1", 3, 10500},
			{"CreatedInMarchInParis", donations.DonationFilter{From: march, To: april, ByCreated: true}, "g4 g6 g1", 2, 3500},
			{"PaidSinceApril", donations.DonationFilter{From: april}, "g3", 1, 5000},
			{"Email", donations.DonationFilter{Text: "marc@"}, "g3 g2", 2, 12000},
			{"LastNameAnyCase", donations.DonationFilter{Text: "LAMBERT"}, "g6 g1", 2, 3500},
			{"FullName", donations.DonationFilter{Text: "Élodie Faure"}, "g4 g5", 0, 0},
			{"LikeIsEscaped", donations.DonationFilter{Text: "%"}, "", 0, 0},
			{"Combined", donations.DonationFilter{Status: donations.StatusPaid, Text: "example.org", Method: donations.MethodCard, From: march}, "g6 g1", 2, 3500},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				rows, sum, err := st.Donations(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rows {
					got = append(got, names[r.ID])
				}
				if strings.Join(got, " ") != c.want {
					t.Errorf("gifts %v, want %s", got, c.want)
				}
				if want := len(strings.Fields(c.want)); sum.Count != want || sum.Paid != c.paid || sum.NetCents != c.cents {
					t.Errorf("sum %+v, want %d gifts, %d paid, %d cents", sum, want, c.paid, c.cents)
				}
				var exported []string
				err = st.EachDonation(ctx, c.f, func(r *donations.LedgerRow) error {
					exported = append(exported, names[r.ID])
					return nil
				})
				if err != nil || !slices.Equal(exported, got) {
					t.Errorf("export %v (%v), want %v", exported, err, got)
				}
			})
		}

		t.Run("Page", func(t *testing.T) {
			rows, sum, err := st.Donations(ctx, donations.DonationFilter{Limit: 2, Offset: 2})
			if err != nil || sum.Count != 6 || len(rows) != 2 || names[rows[0].ID] != "g4" || names[rows[1].ID] != "g6" {
				t.Fatalf("page %v, %+v, %v", rows, sum, err)
			}
			rows, sum, err = st.Donations(ctx, donations.DonationFilter{Limit: 2, Offset: 6})
			if err != nil || sum.Count != 6 || len(rows) != 0 {
				t.Fatalf("past the end: %v, %+v, %v", rows, sum, err)
			}
		})
		t.Run("Row", func(t *testing.T) {
			rows, _, err := st.Donations(ctx, donations.DonationFilter{Method: donations.MethodCheque})
			if err != nil || len(rows) != 1 {
				t.Fatal(rows, err)
			}
			r := rows[0]
			if r.DonorName() != "Marc Petit" || r.DonorEmail != "marc@example.org" || r.CampaignTitle != "Hiver" ||
				r.RefundedCents != 3000 || r.NetCents() != 7000 || r.Note != "Chèque reçu par la poste" ||
				!r.PaidAt.Equal(g2.PaidAt) || !r.CreatedAt.Equal(g2.CreatedAt) {
				t.Errorf("row %+v", r)
			}
		})
		t.Run("ErrStop", func(t *testing.T) {
			stop := apperr.New(apperr.Internal, "")
			n := 0
			err := st.EachDonation(ctx, donations.DonationFilter{}, func(*donations.LedgerRow) error {
				n++
				return stop
			})
			if err != stop || n != 1 {
				t.Errorf("export went on: %d rows, %v", n, err)
			}
		})
	})
}

// TestLedgerCampaigns creates, lists and edits campaigns through the
// service, and checks that an edit notifies the caches (the public bar).
func TestLedgerCampaigns(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		svc := donations.NewService(donations.Deps{Store: st, Clock: e.clock})
		admin := access.Actor{UserID: 1, Role: users.RoleAdmin}
		var mu sync.Mutex
		var notices []string
		e.db.OnChange(func(cs []storage.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cs {
				notices = append(notices, c.Entity)
			}
		})
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, e.paris) }

		spring, err := svc.SaveCampaign(ctx, admin, 0, donations.CampaignInput{Title: " Printemps ", GoalCents: 500000,
			StartsAt: day(2026, 3, 1), EndsAt: day(2026, 6, 1)})
		if err != nil {
			t.Fatal(err)
		}
		autumn, err := svc.SaveCampaign(ctx, admin, 0, donations.CampaignInput{Title: "Automne", GoalCents: 300000,
			StartsAt: day(2026, 9, 1), EndsAt: day(2026, 12, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if spring.Title != "Printemps" || spring.ID == 0 {
			t.Errorf("created %+v", spring)
		}

		errCases := []struct {
			name   string
			actor  access.Actor
			in     donations.CampaignInput
			kind   apperr.Kind
			fields []string
		}{
			{"ErrEditor", access.Actor{UserID: 2, Role: users.RoleEditor}, donations.CampaignInput{Title: "x", GoalCents: 1,
				StartsAt: day(2026, 1, 1), EndsAt: day(2026, 2, 1)}, apperr.Forbidden, nil},
			{"ErrEmpty", admin, donations.CampaignInput{}, apperr.Invalid, []string{"ends_at", "goal", "starts_at", "title"}},
			{"ErrEndBeforeStart", admin, donations.CampaignInput{Title: "x", GoalCents: 1, StartsAt: day(2026, 2, 1), EndsAt: day(2026, 1, 1)},
				apperr.Invalid, []string{"ends_at"}},
			{"ErrNegativeGoal", admin, donations.CampaignInput{Title: "x", GoalCents: -5, StartsAt: day(2026, 1, 1), EndsAt: day(2026, 2, 1)},
				apperr.Invalid, []string{"goal"}},
		}
		for _, c := range errCases {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.SaveCampaign(ctx, c.actor, spring.ID, c.in)
				if !apperr.Is(err, c.kind) {
					t.Fatalf("err = %v, want %v", err, c.kind)
				}
				if c.fields != nil && !slices.Equal(fieldsOf(err), c.fields) {
					t.Errorf("fields %v, want %v", fieldsOf(err), c.fields)
				}
			})
		}

		list, err := svc.Campaigns(ctx, admin)
		if err != nil || len(list) != 2 || list[0].Campaign.ID != autumn.ID || list[1].Campaign.ID != spring.ID {
			t.Fatalf("campaigns %v, %v", list, err)
		}

		mu.Lock()
		notices = nil
		mu.Unlock()
		if _, err := svc.SaveCampaign(ctx, admin, spring.ID, donations.CampaignInput{Title: "Printemps solidaire", GoalCents: 800000,
			StartsAt: day(2026, 3, 15), EndsAt: day(2026, 7, 1)}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Campaign(ctx, admin, spring.ID)
		if err != nil || got.Title != "Printemps solidaire" || got.GoalCents != 800000 || !got.StartsAt.Equal(day(2026, 3, 15)) ||
			!got.EndsAt.Equal(day(2026, 7, 1)) || !got.CreatedAt.Equal(spring.CreatedAt) {
			t.Errorf("edited %+v, %v", got, err)
		}
		mu.Lock()
		if !slices.Contains(notices, storage.EntityDonation) {
			t.Errorf("an edit sent %v, not the gifts' change notice", notices)
		}
		mu.Unlock()
		if _, err := svc.SaveCampaign(ctx, admin, 999999, donations.CampaignInput{Title: "x", GoalCents: 1, StartsAt: day(2026, 1, 1),
			EndsAt: day(2026, 2, 1)}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("editing a missing campaign: %v", err)
		}
		if _, err := svc.Campaign(ctx, admin, 999999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a missing campaign: %v", err)
		}
	})
}

// TestLedgerReport runs the monthly report on a hand-made history, with
// gifts and monthly gifts on either side of month boundaries in Paris.
func TestLedgerReport(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		e.clock.Set(utc(t, "2026-04-15 12:00"))
		svc := donations.NewService(donations.Deps{Store: st, Clock: e.clock})
		b := &ledgerBook{t: t, st: st, ctx: ctx}
		paid := func(at string, cents int64) donations.Donation {
			return donations.Donation{Status: donations.StatusPaid, Method: donations.MethodCard, PaidAt: utc(t, at), AmountCents: cents}
		}
		b.gift("ines@example.org", "Inès", "Lambert", paid("2026-02-28 23:30", 2500), nil) // March in Paris
		g := paid("2026-03-31 21:59", 10000)                                               // still March
		g.RefundedCents = 3000
		b.gift("marc@example.org", "Marc", "Petit", g, nil)
		b.gift("marc@example.org", "Marc", "Petit", paid("2026-03-31 22:00", 5000), nil) // April
		g = paid("2026-02-10 12:00", 2000)
		g.Status, g.RefundedCents = donations.StatusRefunded, 2000
		b.gift("elodie@example.org", "Élodie", "Faure", g, nil)
		g = paid("2026-03-05 08:00", 1000)
		g.Frequency = donations.Monthly
		b.gift("ines@example.org", "Inès", "Lambert", g, nil)
		b.gift("old@example.org", "Old", "Gift", paid("2025-04-30 21:59", 700), nil) // 30 April 2025 in Paris: before the report

		none := time.Time{}
		b.monthly("a@example.org", 1000, utc(t, "2025-12-10 10:00"), none)
		b.monthly("b@example.org", 2000, utc(t, "2026-01-05 10:00"), utc(t, "2026-02-20 10:00"))
		b.monthly("c@example.org", 1500, utc(t, "2026-01-20 10:00"), utc(t, "2026-03-31 22:30")) // cancelled 1 April in Paris
		b.monthly("d@example.org", 500, utc(t, "2026-02-28 23:30"), utc(t, "2026-03-10 10:00"))  // started 1 March in Paris
		b.monthly("e@example.org", 900, none, none)                                              // never paid
		b.monthly("a@example.org", 3000, utc(t, "2026-03-15 10:00"), none)                       // a second one, same donor

		if _, err := svc.Report(ctx, access.Actor{UserID: 2, Role: users.RoleEditor}, e.paris); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an editor's report: %v", err)
		}
		r, err := svc.Report(ctx, access.Actor{UserID: 1, Role: users.RoleAdmin}, e.paris)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Months) != 12 || !r.Months[0].Start.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, e.paris)) ||
			!r.Months[11].Start.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, e.paris)) {
			t.Fatalf("months from %v to %v (%d)", r.Months[0].Start, r.Months[len(r.Months)-1].Start, len(r.Months))
		}
		for _, m := range r.Months[:7] {
			if m != (donations.MonthFigures{Start: m.Start}) {
				t.Errorf("%s: %+v, want nothing", m.Start.Format("2006-01"), m)
			}
		}
		want := map[string]donations.MonthFigures{
			"2025-12": {RecurringCents: 1000, Donors: 1, New: 1},
			"2026-01": {RecurringCents: 4500, Donors: 3, ActiveAtStart: 1, New: 2},
			"2026-02": {RecurringCents: 2500, Donors: 2, ActiveAtStart: 3, Cancelled: 1},
			"2026-03": {OneOffCents: 9500, MonthlyCents: 1000, RecurringCents: 5500, Donors: 2, ActiveAtStart: 2, Cancelled: 1, New: 2},
			"2026-04": {OneOffCents: 5000, RecurringCents: 4000, Donors: 1, ActiveAtStart: 3, Cancelled: 1},
		}
		for _, m := range r.Months[7:] {
			key := m.Start.Format("2006-01")
			w := want[key]
			w.Start = m.Start
			if m != w {
				t.Errorf("%s: got %+v\nwant %+v", key, m, w)
			}
		}
		churn := func(key string) string {
			for _, m := range r.Months {
				if m.Start.Format("2006-01") == key {
					bp, ok := m.ChurnBasisPoints()
					return fmt.Sprint(bp, ok)
				}
			}
			return "none"
		}
		for key, w := range map[string]string{"2025-12": "0 false", "2026-02": "3333 true", "2026-03": "5000 true", "2026-04": "3333 true"} {
			if got := churn(key); got != w {
				t.Errorf("churn of %s = %s, want %s", key, got, w)
			}
		}

		cents, err := svc.MonthToDate(ctx, access.Actor{UserID: 1, Role: users.RoleAdmin}, e.paris)
		if err != nil || cents != 5000 {
			t.Errorf("this month so far: %d, %v", cents, err)
		}
	})
}

// TestOfflineGiftOnce sends the offline gift form twice, one after the
// other then at the same time: one gift stands each time.
func TestOfflineGiftOnce(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewDonationStore(e.db)
		svc := donations.NewService(donations.Deps{Store: st, Clock: e.clock})
		admin := access.Actor{UserID: 1, Role: users.RoleAdmin}
		form := func(t *testing.T) donations.OfflineGift {
			t.Helper()
			ref, err := donations.NewOfflineReference()
			if err != nil {
				t.Fatal(err)
			}
			return donations.OfflineGift{AmountCents: 5000, Method: donations.MethodCheque, ReceivedAt: e.clock.Now().Add(-time.Hour),
				Donor: donations.Donor{Email: "marc@example.org", FirstNames: "Marc", LastName: "Petit"}, Reference: ref}
		}
		count := func(t *testing.T) int {
			t.Helper()
			_, sum, err := st.Donations(ctx, donations.DonationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return sum.Count
		}

		g := form(t)
		first, again, err := svc.RecordOfflineOnce(ctx, admin, g)
		if err != nil || again {
			t.Fatalf("first sending: %v, again %v", err, again)
		}
		second, again, err := svc.RecordOfflineOnce(ctx, admin, g)
		if err != nil || !again || second.ID != first.ID || count(t) != 1 {
			t.Fatalf("second sending: %+v, again %v, %v; %d gifts", second, again, err, count(t))
		}

		g = form(t)
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		for i := range ids {
			wg.Go(func() {
				d, _, err := svc.RecordOfflineOnce(ctx, admin, g)
				if err != nil {
					t.Errorf("concurrent sending %d: %v", i, err)
					return
				}
				ids[i] = d.ID
			})
		}
		wg.Wait()
		if ids[0] == 0 || slices.ContainsFunc(ids, func(id int64) bool { return id != ids[0] }) || count(t) != 2 {
			t.Errorf("concurrent sendings recorded %v, %d gifts in all", ids, count(t))
		}

		for _, ref := range []string{"", "don_123", "ref-1"} {
			g := form(t)
			g.Reference = ref
			if _, _, err := svc.RecordOfflineOnce(ctx, admin, g); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("reference %q: %v", ref, err)
			}
		}
	})
}
